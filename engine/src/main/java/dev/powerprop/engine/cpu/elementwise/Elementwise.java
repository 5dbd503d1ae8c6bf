package dev.powerprop.engine.cpu.elementwise;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.ElementRanges;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Arrays;

/**
 * Elementwise float32 kernels: picks the Vector API loops or the scalar ones
 * ({@link VectorSupport}), and lays broadcasting out as runs of contiguous elements.
 * {@link ElementwiseReference} is the float64 oracle.
 *
 * <p>A pass over at least {@link #PARALLEL_MIN_ELEMENTS} elements is split over the
 * {@link Parallel} team: at whole vectors ({@link ElementRanges}), or at whole runs of a
 * broadcast, so every element goes through the same lane or scalar formula as on one thread
 * and the bits do not depend on the thread count. A training step's activations (256 x 300 at
 * batch 256) are passed over several times; on one thread the other core would idle meanwhile.
 */
public final class Elementwise {
    /** Below this many elements a pass runs on the calling thread: a hand-off costs more than it saves. */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 15;

    private Elementwise() {}

    /** y = f(x) over n elements. */
    public static void unary(UnaryOp op, float[] x, float[] y, int n) {
        checkLength("x", x, n);
        checkLength("y", y, n);
        split(n, (from, to) -> {
            if (VectorSupport.ENABLED) {
                ElementwiseVector.unary(op, x, y, from, to);
            } else {
                ElementwiseScalar.unary(op, x, y, from, to);
            }
        });
    }

    /** x[i] = value for i in [0, n). */
    public static void fill(float[] x, float value, int n) {
        checkLength("x", x, n);
        split(n, (from, to) -> Arrays.fill(x, from, to, value));
    }

    /** gx += gy * f'(x), written with the saved x or y (the other may be null). */
    public static void unaryBackward(UnaryOp op, float[] x, float[] y, float[] gy, float[] gx, int n) {
        checkLength("gradY", gy, n);
        checkLength("gradX", gx, n);
        checkLength(op.savesInput() ? "x" : "y", op.savesInput() ? x : y, op == UnaryOp.NEG ? 0 : n);
        split(n, (from, to) -> {
            if (VectorSupport.ENABLED) {
                ElementwiseVector.unaryBackward(op, x, y, gy, gx, from, to);
            } else {
                ElementwiseScalar.unaryBackward(op, x, y, gy, gx, from, to);
            }
        });
    }

    /**
     * out[i] = a[i % aPeriod] op b[i % bPeriod] for i in [0, n): each operand either covers the
     * whole output (period n) or repeats with a period that divides n (1 for a scalar, the row
     * length for a bias row). {@code out} may be {@code a} when {@code a} covers all n elements.
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
            split(n, (from, to) -> scalarRun(op, full, s, scalarFirst, out, from, to - from));
            return;
        }
        if (run == n) {
            split(n, (from, to) -> contiguousRun(op, a, from, b, from, out, from, to - from));
            return;
        }
        // Runs of `run` contiguous elements; the shorter operand restarts at 0 every run. The
        // runs (a bias row's worth each) are split over the team whole.
        int runs = n / run;
        int parts = Math.min(parts(n), runs);
        Parallel.run(parts, part -> {
            int end = Parallel.splitStart(runs, parts, part + 1) * run;
            for (int start = Parallel.splitStart(runs, parts, part) * run; start < end; start += run) {
                int ao = aPeriod == n ? start : 0;
                int bo = bPeriod == n ? start : 0;
                contiguousRun(op, a, ao, b, bo, out, start, run);
            }
        });
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
        split(n, (from, to) -> {
            if (VectorSupport.ENABLED) {
                ElementwiseVector.axpy(alpha, x, y, from, to);
            } else {
                ElementwiseScalar.axpy(alpha, x, y, from, to);
            }
        });
    }

    /** How many parts a pass over n elements runs in on this thread: 1 below the threshold. */
    static int parts(int n) {
        return ElementRanges.parts(n, VectorSupport.FLOAT_LANES, PARALLEL_MIN_ELEMENTS, Parallel.threads());
    }

    /** Runs body over [0, n) in {@link #parts}(n) parts at whole vectors. */
    private static void split(int n, ElementRanges.Body body) {
        ElementRanges.run(n, VectorSupport.FLOAT_LANES, PARALLEL_MIN_ELEMENTS, Parallel.threads(), body);
    }

    private static void contiguousRun(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        if (VectorSupport.ENABLED) {
            ElementwiseVector.binary(op, a, ao, b, bo, out, oo, len);
        } else {
            ElementwiseScalar.binary(op, a, ao, 1, b, bo, 1, out, oo, 0, len);
        }
    }

    /** out[off + i] = full[off + i] op s (or s op full[off + i]) for i in [0, len). */
    private static void scalarRun(BinaryOp op, float[] full, float s, boolean scalarFirst, float[] out, int off,
                                  int len) {
        if (VectorSupport.ENABLED) {
            ElementwiseVector.binaryScalar(op, full, off, s, scalarFirst, out, off, len);
        } else if (scalarFirst) {
            ElementwiseScalar.binary(op, new float[] {s}, 0, 0, full, off, 1, out, off, 0, len);
        } else {
            ElementwiseScalar.binary(op, full, off, 1, new float[] {s}, 0, 0, out, off, 0, len);
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
