package dev.powerprop.engine.cpu.sparse;

/**
 * Plain-Java CSR SpMM: the kernel used when the Vector API is off, and the column tail
 * (fewer than 8 columns) of {@link CsrSpmmVector}. Same order of summation as the oracle:
 * bias (or the old C) first, then the nonzeros of the row in order.
 */
final class CsrSpmmScalar {
    private CsrSpmmScalar() {}

    /** Columns {@code [j0, j1)} of rows {@code [r0, r1)} of C. */
    static void rows(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, float[] b, int n,
                     float[] c, float[] bias, boolean accumulate, int j0, int j1) {
        for (int r = r0; r < r1; r++) {
            int row = r * n;
            float init = bias == null ? 0f : bias[r];
            for (int j = j0; j < j1; j++) {
                c[row + j] = accumulate ? c[row + j] + init : init;
            }
            // Axpy per nonzero: C[r, j0:j1] += a[r,k] * B[k, j0:j1], the same broadcast-and-stream
            // pattern as the vector kernel, so C2 can still auto-vectorise the inner loop.
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                float a = values[p];
                int brow = colIdx[p] * n;
                for (int j = j0; j < j1; j++) {
                    c[row + j] += a * b[brow + j];
                }
            }
        }
    }
}
