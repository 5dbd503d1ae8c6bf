package dev.powerprop.engine.cpu.elementwise;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * Elementwise float32 kernels: picks the Vector API loops or the scalar ones
 * ({@link VectorSupport}), and lays broadcasting out as runs of contiguous elements.
 * {@link ElementwiseReference} is the float64 oracle.
 */
public final class Elementwise {
    private Elementwise() {}

    /** y = f(x) over n elements. */
    public static void unary(UnaryOp op, float[] x, float[] y, int n) {
        checkLength("x", x, n);
        checkLength("y", y, n);
        if (VectorSupport.ENABLED) {
            ElementwiseVector.unary(op, x, y, n);
        } else {
            ElementwiseScalar.unary(op, x, y, 0, n);
        }
    }

    /** gx += gy * f'(x), written with the saved x or y (the other may be null). */
    public static void unaryBackward(UnaryOp op, float[] x, float[] y, float[] gy, float[] gx, int n) {
        checkLength("gradY", gy, n);
        checkLength("gradX", gx, n);
        checkLength(op.savesInput() ? "x" : "y", op.savesInput() ? x : y, op == UnaryOp.NEG ? 0 : n);
        if (VectorSupport.ENABLED) {
            ElementwiseVector.unaryBackward(op, x, y, gy, gx, n);
        } else {
            ElementwiseScalar.unaryBackward(op, x, y, gy, gx, 0, n);
        }
    }

    /**
     * out[i] = a[i % aPeriod] op b[i % bPeriod] for i in [0, n): each operand either covers the
     * whole output (period n) or repeats with a period that divides n (1 for a scalar, the row
     * length for a bias row). {@code out} may be {@code a}.
     */
    public static void binaryPeriodic(BinaryOp op, float[] a, int aPeriod, float[] b, int bPeriod,
                                      float[] out, int n) {
        checkLength("out", out, n);
        if (n == 0) {
            return;
        }
        checkPeriod("a", a, aPeriod, n);
        checkPeriod("b", b, bPeriod, n);
        if (Math.max(aPeriod, bPeriod) != n) {
            throw new IllegalArgumentException("one operand must cover all " + n + " elements, periods are "
                    + aPeriod + " and " + bPeriod);
        }
        int run = Math.min(aPeriod, bPeriod);
        if (run == 1 && Math.max(aPeriod, bPeriod) == n && n > 1) {
            // One operand is a scalar: a single run with the scalar broadcast.
            boolean scalarFirst = aPeriod == 1;
            float s = scalarFirst ? a[0] : b[0];
            float[] full = scalarFirst ? b : a;
            scalarRun(op, full, s, scalarFirst, out, n);
            return;
        }
        // Runs of `run` contiguous elements; the shorter operand restarts at 0 every run.
        for (int start = 0; start < n; start += run) {
            int ao = aPeriod == n ? start : 0;
            int bo = bPeriod == n ? start : 0;
            contiguousRun(op, a, ao, b, bo, out, start, run);
        }
    }

    /** out[i] = a[aIndex[i]] op b[bIndex[i]]: the general broadcast through index maps. */
    public static void binaryIndexed(BinaryOp op, float[] a, int[] aIndex, float[] b, int[] bIndex,
                                     float[] out, int n) {
        checkLength("out", out, n);
        for (int i = 0; i < n; i++) {
            out[i] = ElementwiseScalar.apply(op, a[aIndex[i]], b[bIndex[i]]);
        }
    }

    /** y += alpha * x. */
    public static void axpy(float alpha, float[] x, float[] y, int n) {
        checkLength("x", x, n);
        checkLength("y", y, n);
        if (VectorSupport.ENABLED) {
            ElementwiseVector.axpy(alpha, x, y, n);
        } else {
            ElementwiseScalar.axpy(alpha, x, y, 0, n);
        }
    }

    private static void contiguousRun(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        if (VectorSupport.ENABLED) {
            ElementwiseVector.binary(op, a, ao, b, bo, out, oo, len);
        } else {
            ElementwiseScalar.binary(op, a, ao, 1, b, bo, 1, out, oo, 0, len);
        }
    }

    private static void scalarRun(BinaryOp op, float[] full, float s, boolean scalarFirst, float[] out, int n) {
        if (VectorSupport.ENABLED) {
            ElementwiseVector.binaryScalar(op, full, 0, s, scalarFirst, out, 0, n);
        } else if (scalarFirst) {
            ElementwiseScalar.binary(op, new float[] {s}, 0, 0, full, 0, 1, out, 0, 0, n);
        } else {
            ElementwiseScalar.binary(op, full, 0, 1, new float[] {s}, 0, 0, out, 0, 0, n);
        }
    }

    private static void checkLength(String name, float[] array, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("element count must be >= 0, got " + n);
        }
        if (array == null && n > 0) {
            throw new IllegalArgumentException(name + " is null but " + n + " elements are needed");
        }
        if (array != null && array.length < n) {
            throw new IllegalArgumentException(name + " has " + array.length + " elements, needs " + n);
        }
    }

    private static void checkPeriod(String name, float[] array, int period, int n) {
        if (period < 1 || n % period != 0) {
            throw new IllegalArgumentException(name + " period " + period + " does not divide " + n);
        }
        checkLength(name, array, period);
    }
}
