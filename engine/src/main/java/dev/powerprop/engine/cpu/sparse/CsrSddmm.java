package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * Sampled dense-dense product at a CSR pattern (SDDMM): {@code out[p] += dot(X[m, :], Y[k, :])}
 * for every stored (m, k). With X = dY and Y = B this is the gradient of Y = A B with respect to
 * A's stored values: the dense dY B^T, computed only where A has a nonzero, nnz * n multiply-adds
 * instead of rows * cols * n. Both rows are contiguous, so each entry is a vector dot product
 * ({@link CsrSddmmVector}). Rows are split over threads by nonzero count.
 */
public final class CsrSddmm {
    private static final long PARALLEL_MIN_MACS = 1L << 16;

    private CsrSddmm() {}

    /** {@code out[p] += X[row(p), :] . Y[colIdx[p], :]}; X is rows x n, Y is cols x n. */
    public static void sddmm(int rows, int cols, int[] rowPtr, int[] colIdx, float[] x, float[] y, int n,
                             float[] out, int threads) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, out);
        CsrArguments.checkDense("X", x, rows, n);
        CsrArguments.checkDense("Y", y, cols, n);
        CsrArguments.checkThreads(threads);
        if (rows == 0 || n == 0) {
            return;
        }
        long macs = (long) rowPtr[rows] * n;
        int parts = macs < PARALLEL_MIN_MACS ? 1 : Math.min(threads, rows);
        int[] bounds = RowPartition.split(rowPtr, rows, parts, 1);
        Parallel.run(parts, part -> {
            if (VectorSupport.ENABLED && n >= 8) {
                CsrSddmmVector.rows(bounds[part], bounds[part + 1], rowPtr, colIdx, x, y, n, out);
            } else {
                rowsScalar(bounds[part], bounds[part + 1], rowPtr, colIdx, x, y, n, out);
            }
        });
    }

    static void rowsScalar(int r0, int r1, int[] rowPtr, int[] colIdx, float[] x, float[] y, int n,
                           float[] out) {
        for (int r = r0; r < r1; r++) {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                out[p] += dot(x, r * n, y, colIdx[p] * n, 0, n);
            }
        }
    }

    /** The scalar dot product of columns [j0, n) of two rows. */
    static float dot(float[] x, int xRow, float[] y, int yRow, int j0, int n) {
        float sum = 0;
        for (int j = j0; j < n; j++) {
            sum += x[xRow + j] * y[yRow + j];
        }
        return sum;
    }
}
