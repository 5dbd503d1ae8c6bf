package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Sparse matrix times vector, {@code y[rows] = A_csr[rows x cols] * x[cols]}: SpMM with n = 1,
 * which needs its own kernel because there is no dense dimension to vectorise along. Each row
 * is a gather-dot: {@code sum_p values[p] * x[colIdx[p]]}.
 *
 * <p>Three loops do that, one chosen per JVM ({@link #KERNEL}, said once in the log):
 * <ul>
 *   <li>{@code sliced}: 32 rows in two 512-bit vectors over a {@link SlicedEll} layout, x read from
 *       registers ({@link CsrSpmvSliced}). It needs the layout, which a caller that multiplies by
 *       the same matrix again builds once ({@link #slicedLayout}; {@code CsrMatrix} keeps it);
 *       a call without one runs the row loop.</li>
 *   <li>{@code rows}: eight independent scalar sums per row ({@link #rowsScalar}), bound by its
 *       three loads per nonzero.</li>
 *   <li>{@code gather}: 8 entries of x per AVX2 {@code vgatherdps} ({@link CsrSpmvVector});
 *       slower than the row loop on Zen 3 and Zen 5, kept to compare.</li>
 * </ul>
 * Rows (or slices) are split over threads by work, as in {@link CsrSpmm}. The sliced kernel adds
 * each row's products in another order than the row loop, so a matrix-vector product's last bits
 * differ between machines with 512-bit vectors and others (training, which does not use this
 * kernel, gives the same bits on both).
 */
public final class CsrSpmv {
    /** Below this many multiply-adds (lanes, for the sliced kernel) one thread is faster than waking another. */
    private static final long PARALLEL_MIN_MACS = 1L << 15;

    enum Kernel { SLICED, ROWS, GATHER }

    /**
     * The SpMV loop of this JVM: {@code sliced} where vectors are 512 bits, else {@code rows};
     * {@code -Dpowerprop.spmv.kernel=sliced|rows|gather} forces one. 1024 x 1024 at 90% sparsity,
     * one thread on Zen 5, JMH: sliced 12-15 us, rows 36-40 us, gather 56 us (bench/RESULTS.md,
     * "Sparse, round E" and "round F").
     */
    static final Kernel KERNEL = chooseKernel();

    private CsrSpmv() {}

    private static Kernel chooseKernel() {
        String forced = System.getProperty("powerprop.spmv.kernel");
        boolean wide = VectorSupport.ENABLED && VectorSupport.FLOAT_LANES >= SlicedEll.VECTOR_LANES;
        Kernel kernel;
        String why;
        if (forced == null) {
            kernel = wide ? Kernel.SLICED : Kernel.ROWS;
            why = wide ? "512-bit vectors" : "the sliced kernel needs 512-bit vectors; " + VectorSupport.REASON;
        } else {
            kernel = switch (forced) {
                case "sliced" -> Kernel.SLICED;
                case "rows" -> Kernel.ROWS;
                case "gather" -> Kernel.GATHER;
                default -> throw new IllegalArgumentException(
                        "-Dpowerprop.spmv.kernel must be sliced, rows or gather, got '" + forced + "'");
            };
            why = "set by -Dpowerprop.spmv.kernel";
            if (kernel == Kernel.SLICED && !wide || kernel == Kernel.GATHER && !VectorSupport.ENABLED) {
                why = forced + " asked for by -Dpowerprop.spmv.kernel but needs "
                        + (kernel == Kernel.SLICED ? "512-bit vectors" : "the Vector API") + "; "
                        + VectorSupport.REASON;
                kernel = Kernel.ROWS;
            }
        }
        Logger.getLogger("dev.powerprop.engine").info("SpMV kernel " + kernel.name().toLowerCase(Locale.ROOT)
                + " (" + why + ")");
        return kernel;
    }

    /**
     * The {@link SlicedEll} layout the sliced kernel needs for this matrix, for a caller that
     * keeps it; null when another kernel runs, or when the matrix is so sparse that a row has on
     * average less than one nonzero per 63-column block (there the per-block work outweighs what
     * the permutes save: 4096 x 4096 at 99% ran at the row loop's speed, at 98% 1.25x faster).
     */
    public static SlicedEll slicedLayout(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, values);
        if (KERNEL != Kernel.SLICED || rowPtr[rows] < (long) rows * SlicedEll.blocks(cols)) {
            return null;
        }
        return SlicedEll.of(rows, cols, rowPtr, colIdx, values);
    }

    /**
     * {@code y = A x}, or {@code y += A x} when {@code accumulate}; with {@code bias} (length
     * rows, or null) {@code bias[m]} is added to {@code y[m]}.
     *
     * @throws IllegalArgumentException naming the argument whose size is wrong
     */
    public static void spmv(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                            float[] x, float[] y, float[] bias, boolean accumulate, int threads) {
        spmv(rows, cols, rowPtr, colIdx, values, x, y, bias, accumulate, threads, null);
    }

    /**
     * As {@link #spmv(int, int, int[], int[], float[], float[], float[], float[], boolean, int)},
     * run by the sliced kernel over {@code layout} when it is not null. The layout holds its own
     * copy of the matrix, so the CSR arrays are then not read: it must be this matrix's
     * {@link #slicedLayout}, built from these very values (its shape and nonzero count are checked).
     */
    public static void spmv(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                            float[] x, float[] y, float[] bias, boolean accumulate, int threads, SlicedEll layout) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, values);
        CsrArguments.checkDense("x", x, cols, 1);
        CsrArguments.checkDense("y", y, rows, 1);
        CsrArguments.checkBias(bias, rows);
        CsrArguments.checkThreads(threads);
        if (rows == 0) {
            return;
        }
        if (layout != null) {
            if (layout.rows != rows || layout.cols != cols || layout.nnz != rowPtr[rows]) {
                throw new IllegalArgumentException("the sliced layout is of a " + layout.rows + " x " + layout.cols
                        + " matrix with " + layout.nnz + " nonzeros, not of this " + rows + " x " + cols
                        + " one with " + rowPtr[rows]);
            }
            float[] xSlots = layout.blockSlots(x);
            int parts = layout.lanes() < PARALLEL_MIN_MACS ? 1 : Math.min(threads, layout.slices);
            // A block costs about a step even when the slice has nothing in it: x's four loads
            // and the loop's exit.
            int[] bounds = RowPartition.split(layout.sliceStepStart, layout.slices, parts, layout.blocks);
            Parallel.run(parts, part -> CsrSpmvSliced.slices(bounds[part], bounds[part + 1], layout, xSlots, y,
                    bias, accumulate));
            return;
        }
        int parts = rowPtr[rows] < PARALLEL_MIN_MACS ? 1 : Math.min(threads, rows);
        // An SpMV row's fixed cost (loop set-up, the reduction, a store) is a few nonzeros' worth.
        int[] bounds = RowPartition.split(rowPtr, rows, parts, 4);
        Parallel.run(parts, part -> {
            if (KERNEL == Kernel.GATHER) {
                CsrSpmvVector.rows(bounds[part], bounds[part + 1], rowPtr, colIdx, values, x, y, bias, accumulate);
            } else {
                rowsScalar(bounds[part], bounds[part + 1], rowPtr, colIdx, values, x, y, bias, accumulate);
            }
        });
    }

    /**
     * Eight interleaved partial sums (fused multiply-adds), so consecutive FMAs do not wait on each
     * other's 4-cycle latency; the loop is then bound by its three loads per nonzero (value,
     * column, x[column]), which is still faster than the gather kernel on Zen 3 and Zen 5.
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
