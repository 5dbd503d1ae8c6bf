package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * Sparse matrix times vector, {@code y[rows] = A_csr[rows x cols] * x[cols]}: SpMM with n = 1,
 * which needs its own kernel because there is no dense dimension to vectorise along. Each row
 * is a gather-dot: {@code sum_p values[p] * x[colIdx[p]]}.
 *
 * <p>Two loops do that: {@link CsrSpmvVector} gathers 8 entries of x at a time (AVX2
 * {@code vgatherdps}) and {@link #rowsScalar} runs eight independent scalar sums. Which is faster
 * depends on the machine's gather; see {@link #GATHER}. Rows are split over threads by nonzero
 * count, as in {@link CsrSpmm}.
 */
public final class CsrSpmv {
    /** Below this many multiply-adds one thread is faster than waking another. */
    private static final long PARALLEL_MIN_MACS = 1L << 15;
    /**
     * Whether the gather kernel is used. On the Zen 3 reference machine (1024 x 1024, 90% sparse,
     * one thread, best of interleaved rounds) the 8-sum scalar loop took ~51 us and the gather
     * kernel ~61 us, so the scalar loop is the default (bench/RESULTS.md, "Sparse").
     * {@code -Dpowerprop.spmv.gather=true} selects the gather kernel.
     */
    static final boolean GATHER = VectorSupport.ENABLED
            && Boolean.parseBoolean(System.getProperty("powerprop.spmv.gather", "false"));

    private CsrSpmv() {}

    /**
     * {@code y = A x}, or {@code y += A x} when {@code accumulate}; with {@code bias} (length
     * rows, or null) {@code bias[m]} is added to {@code y[m]}.
     *
     * @throws IllegalArgumentException naming the argument whose size is wrong
     */
    public static void spmv(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                            float[] x, float[] y, float[] bias, boolean accumulate, int threads) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, values);
        CsrArguments.checkDense("x", x, cols, 1);
        CsrArguments.checkDense("y", y, rows, 1);
        CsrArguments.checkBias(bias, rows);
        CsrArguments.checkThreads(threads);
        if (rows == 0) {
            return;
        }
        int parts = rowPtr[rows] < PARALLEL_MIN_MACS ? 1 : Math.min(threads, rows);
        // An SpMV row's fixed cost (loop set-up, the reduction, a store) is a few nonzeros' worth.
        int[] bounds = RowPartition.split(rowPtr, rows, parts, 4);
        Parallel.run(parts, part -> {
            if (GATHER) {
                CsrSpmvVector.rows(bounds[part], bounds[part + 1], rowPtr, colIdx, values, x, y, bias, accumulate);
            } else {
                rowsScalar(bounds[part], bounds[part + 1], rowPtr, colIdx, values, x, y, bias, accumulate);
            }
        });
    }

    /**
     * Eight interleaved partial sums (fused multiply-adds), so consecutive FMAs do not wait on each
     * other's 4-cycle latency; the loop is then bound by its three loads per nonzero (value,
     * column, x[column]), which is still faster than the gather kernel on Zen 3.
     */
    static void rowsScalar(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values,
                           float[] x, float[] y, float[] bias, boolean accumulate) {
        for (int r = r0; r < r1; r++) {
            int p = rowPtr[r];
            int end = rowPtr[r + 1];
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (; p + 7 < end; p += 8) {
                s0 = Math.fma(values[p], x[colIdx[p]], s0);
                s1 = Math.fma(values[p + 1], x[colIdx[p + 1]], s1);
                s2 = Math.fma(values[p + 2], x[colIdx[p + 2]], s2);
                s3 = Math.fma(values[p + 3], x[colIdx[p + 3]], s3);
                s4 = Math.fma(values[p + 4], x[colIdx[p + 4]], s4);
                s5 = Math.fma(values[p + 5], x[colIdx[p + 5]], s5);
                s6 = Math.fma(values[p + 6], x[colIdx[p + 6]], s6);
                s7 = Math.fma(values[p + 7], x[colIdx[p + 7]], s7);
            }
            for (; p < end; p++) {
                s0 = Math.fma(values[p], x[colIdx[p]], s0);
            }
            y[r] = finish(r, ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)), y, bias, accumulate);
        }
    }

    static float finish(int r, float sum, float[] y, float[] bias, boolean accumulate) {
        if (bias != null) {
            sum += bias[r];
        }
        return accumulate ? y[r] + sum : sum;
    }
}
