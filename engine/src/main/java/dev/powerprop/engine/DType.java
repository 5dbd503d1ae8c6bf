package dev.powerprop.engine;

/**
 * The element type of a tensor.
 *
 * <p>{@link #F32} is what models train and run in, on the fast kernels. {@link #F64} runs the
 * same ops on the plain double-precision reference kernels: it exists so that every op's
 * backward can be checked against central differences without float rounding in the way, and
 * so that the reference kernels, which are the oracles of the fast ones, are exercised as a
 * whole engine too.
 */
public enum DType {
    /** 32-bit IEEE float: the fast path. */
    F32,
    /** 64-bit IEEE double: the reference path used by gradient checks. */
    F64
}
