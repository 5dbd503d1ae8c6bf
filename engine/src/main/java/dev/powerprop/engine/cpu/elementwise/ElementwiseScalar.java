package dev.powerprop.engine.cpu.elementwise;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;

/**
 * Elementwise float kernels as plain loops over {@code [from, to)}: the fallback when the Vector
 * API is off, and the tails of the vector loops, so both paths round the same way per element.
 */
final class ElementwiseScalar {
    private ElementwiseScalar() {}

    static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case RELU -> x > 0f ? x : (x == x ? 0f : x); // keeps NaN, as Math.max does
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
        };
    }

    /** dL/dx for one element, from dL/dy and the saved x or y. */
    static float derivative(UnaryOp op, float x, float y, float gy) {
        return switch (op) {
            case NEG -> -gy;
            case RELU -> y > 0f ? gy : 0f;
            case EXP -> gy * y;
            case LOG -> gy / x;
            case TANH -> gy * (1f - y * y);
            case SIGMOID -> gy * y * (1f - y);
        };
    }

    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    static void unary(UnaryOp op, float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = apply(op, x[i]);
        }
    }

    static void unaryBackward(UnaryOp op, float[] x, float[] y, float[] gy, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            gx[i] += derivative(op, x == null ? 0f : x[i], y == null ? 0f : y[i], gy[i]);
        }
    }

    /** out[oo+i] = a[ao+i] op b[bo+i]; a stride of 0 repeats one element (a scalar operand). */
    static void binary(BinaryOp op, float[] a, int ao, int aStride, float[] b, int bo, int bStride,
                       float[] out, int oo, int from, int to) {
        for (int i = from; i < to; i++) {
            out[oo + i] = apply(op, a[ao + i * aStride], b[bo + i * bStride]);
        }
    }

    static void axpy(float alpha, float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.fma(alpha, x[i], y[i]); // one rounding, as the vector FMA
        }
    }
}
