package dev.powerprop.opencl;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;

/**
 * Elementwise kernels on the device ({@code elementwise.cl}), with the bits of the engine's
 * {@code cpu/elementwise}: the same operations in the same order, element by element as the CPU
 * treats that index (its vector loop computes exp, log, tanh and sigmoid with VectorMath's
 * polynomials, its scalar tail with Java's double functions; see {@link CpuParity}).
 */
public final class ClElementwise {
    private ClElementwise() {}

    /** {@code y = max(x, 0)} over n elements, keeping NaN. */
    public static void relu(OpenClContext cx, DeviceBuffer x, DeviceBuffer y, int n) {
        ClChecks.lengths(n, "x", x, "y", y);
        cx.runOwned("relu_forward", n, n, x, y);
    }

    /** {@code gradX += gradY * [y > 0]}, from the saved output {@code y = relu(x)}. */
    public static void reluBackward(OpenClContext cx, DeviceBuffer y, DeviceBuffer gradY, DeviceBuffer gradX, int n) {
        ClChecks.lengths(n, "y", y, "gradY", gradY, "gradX", gradX);
        cx.runOwned("relu_backward", n, n, y, gradY, gradX);
    }

    /** {@code out[r, j] = x[r, j] + bias[j]} for a {@code rows x cols} x; out may be x. */
    public static void addRowBias(OpenClContext cx, DeviceBuffer x, DeviceBuffer bias, DeviceBuffer out,
                                  int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        ClChecks.lengths(rows * cols, "x", x, "out", out);
        ClChecks.lengths(cols, "bias", bias);
        cx.runOwned("add_row_bias", rows * cols, rows, cols, x, bias, out);
    }

    /** {@code y += alpha * x} over n elements. */
    public static void axpy(OpenClContext cx, float alpha, DeviceBuffer x, DeviceBuffer y, int n) {
        ClChecks.lengths(n, "x", x, "y", y);
        cx.runOwned("axpy", n, n, alpha, x, y);
    }

    /** {@code y = f(x)} over n elements; y may be x. */
    public static void unary(OpenClContext cx, UnaryOp op, DeviceBuffer x, DeviceBuffer y, int n) {
        ClChecks.lengths(n, "x", x, "y", y);
        cx.runOwned("unary_forward", n, n, op.ordinal(), x, y);
    }

    /**
     * {@code gradX += f'(x) * gradY} over n elements, from the saved x or y = f(x) (the other
     * may be null; see {@link UnaryOp#savesInput()}, {@link UnaryOp#savesOutput()}).
     */
    public static void unaryBackward(OpenClContext cx, UnaryOp op, DeviceBuffer x, DeviceBuffer y,
                                     DeviceBuffer gradY, DeviceBuffer gradX, int n) {
        if ((op.savesInput() && x == null) || (op.savesOutput() && y == null)) {
            throw new IllegalArgumentException(op + " backward needs " + (op.savesInput() ? "x" : "y") + ", got null");
        }
        ClChecks.lengths(n, "x", x, "y", y, "gradY", gradY, "gradX", gradX);
        cx.runOwned("unary_backward", n, n, op.ordinal(), x, y, gradY, gradX);
    }

    /**
     * {@code out[i] = a[i % aPeriod] op b[i % bPeriod]} over n elements: broadcasting of operands
     * that repeat with a period dividing n (a scalar: 1; a bias row: its width). out may be a.
     */
    public static void binaryPeriodic(OpenClContext cx, BinaryOp op, DeviceBuffer a, int aPeriod, DeviceBuffer b,
                                      int bPeriod, DeviceBuffer out, int n) {
        if (aPeriod < 1 || bPeriod < 1 || (n > 0 && (n % aPeriod != 0 || n % bPeriod != 0))) {
            throw new IllegalArgumentException("periods " + aPeriod + " and " + bPeriod + " must divide n = " + n);
        }
        ClChecks.lengths(n, "out", out);
        ClChecks.lengths(aPeriod, "a", a);
        ClChecks.lengths(bPeriod, "b", b);
        cx.runOwned("binary_periodic", n, n, op.ordinal(), a, aPeriod, b, bPeriod, out);
    }

    /**
     * {@code out = a op b} with general numpy broadcasting over the result shape {@code outDims}:
     * {@code aStrides} and {@code bStrides} are each operand's row-major strides aligned to
     * {@code outDims}, 0 along an axis it repeats. out must not overlap a broadcast operand.
     */
    public static void binaryStrided(OpenClContext cx, BinaryOp op, DeviceBuffer a, int[] aStrides, DeviceBuffer b,
                                     int[] bStrides, DeviceBuffer out, int[] outDims) {
        int rank = outDims.length;
        if (aStrides.length != rank || bStrides.length != rank) {
            throw new IllegalArgumentException("strides need one entry per axis of the result (" + rank + ")");
        }
        int n = 1;
        int[] shape = new int[3 * rank];
        for (int d = 0; d < rank; d++) {
            n = Math.multiplyExact(n, outDims[d]);
            shape[d] = outDims[d];
            shape[rank + d] = aStrides[d];
            shape[2 * rank + d] = bStrides[d];
        }
        ClChecks.lengths(n, "out", out);
        if (n == 0) {
            return;
        }
        try (DeviceBuffer meta = cx.upload(shape)) {
            cx.runOwned("binary_strided", n, n, op.ordinal(), rank, meta, a, b, out);
        }
    }

    /** {@code y = x^T} for a {@code rows x cols} x; y must be another buffer. */
    public static void transpose(OpenClContext cx, DeviceBuffer x, int rows, int cols, DeviceBuffer y) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        if (x == y) {
            throw new IllegalArgumentException("transpose cannot run in place");
        }
        ClChecks.lengths(rows * cols, "x", x, "y", y);
        cx.runOwned("transpose", rows * cols, rows, cols, x, y);
    }
}
