package dev.powerprop.engine.cpu.reduce;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Arrays;

/**
 * Sums over float arrays: a whole range ({@link #sum}) and one axis of a 3-d view
 * ({@link #sumAxis}, which gives bias gradients and row sums).
 *
 * <p>Error behaviour. {@link #sum} adds blocks of {@value #BLOCK} floats in float vector lanes
 * (four accumulators of one vector each, so each lane adds at most {@code BLOCK / (4 * lanes)}
 * numbers) and adds the block results in double. Its error is therefore bounded by about
 * {@code (BLOCK / (4 * lanes) + log2(4 * lanes)) * 2^-24 * sum|x|} whatever n is (about
 * {@code 2e-6 * sum|x|} with 8 lanes, typically far less), instead of growing with n as one
 * float accumulator would. The scalar fallback accumulates in double. {@link #sumAxis} with
 * {@code inner = 1} uses {@link #sum} per row; otherwise it adds along {@code len} in float
 * (vector lanes across {@code inner}): error at most about {@code len * 2^-24 * sum|x|} per
 * output, fine for batch-sized axes. {@link ReductionsReference} is the float64 twin.
 */
public final class Reductions {
    /** Floats per block of {@link #sum}: small enough to bound the float error, large enough to amortise the lane reduction. */
    static final int BLOCK = 1024;

    private Reductions() {}

    /** The sum of {@code x[off], ..., x[off + n - 1]}; 0 when n = 0. */
    public static double sum(float[] x, int off, int n) {
        checkRange("x", x.length, off, n);
        return VectorSupport.ENABLED ? ReductionsVector.sum(x, off, n) : sumScalar(x, off, n);
    }

    /**
     * Sums the middle axis of {@code x} viewed as {@code [outer, len, inner]} (row-major):
     * {@code out[o*inner + i] = sum_j x[(o*len + j)*inner + i]}. Overwrites {@code out}
     * ({@code outer * inner} floats). {@code outer = 1, inner = features} sums a batch (bias
     * gradient); {@code inner = 1} sums each row.
     */
    public static void sumAxis(float[] x, int outer, int len, int inner, float[] out) {
        checkAxisShape(x.length, outer, len, inner, out.length);
        if (VectorSupport.ENABLED) {
            ReductionsVector.sumAxis(x, outer, len, inner, out);
        } else {
            sumAxisScalar(x, outer, len, inner, out);
        }
    }

    static double sumScalar(float[] x, int off, int n) {
        double s = 0;
        for (int i = off; i < off + n; i++) {
            s += x[i];
        }
        return s;
    }

    static void sumAxisScalar(float[] x, int outer, int len, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            if (inner == 1) {
                out[o] = (float) sumScalar(x, o * len, len);
                continue;
            }
            int outBase = o * inner;
            Arrays.fill(out, outBase, outBase + inner, 0f);
            // Row by row, so x is read contiguously; out[o, :] stays in cache.
            for (int j = 0; j < len; j++) {
                int row = (o * len + j) * inner;
                for (int i = 0; i < inner; i++) {
                    out[outBase + i] += x[row + i];
                }
            }
        }
    }

    static void checkRange(String name, int length, int off, int n) {
        if (n < 0 || off < 0) {
            throw new IllegalArgumentException("offset and n must be >= 0, got offset " + off + ", n " + n);
        }
        if ((long) off + n > length) {
            throw new IllegalArgumentException(name + " has " + length + " elements, fewer than offset + n = "
                    + off + " + " + n);
        }
    }

    /** Validates the view [outer, len, inner] against the lengths of x and out. */
    static void checkAxisShape(int xLength, int outer, int len, int inner, int outLength) {
        if (outer < 0 || len < 0 || inner < 0) {
            throw new IllegalArgumentException("outer, len and inner must be >= 0, got [" + outer + ", " + len
                    + ", " + inner + "]");
        }
        long total = (long) outer * len * inner;
        if (total > xLength) {
            throw new IllegalArgumentException("x has " + xLength + " elements, fewer than [" + outer + ", " + len
                    + ", " + inner + "] = " + total);
        }
        if ((long) outer * inner > outLength) {
            throw new IllegalArgumentException("out has " + outLength + " elements, fewer than outer * inner = "
                    + (long) outer * inner);
        }
    }
}
