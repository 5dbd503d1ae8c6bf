package dev.powerprop.engine.backend;

/** The elementwise functions of two arguments. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV
}
