package dev.powerprop.engine.cpu.sparse;

/**
 * Plain-Java CSR SpMM: the kernel used when the Vector API is off, and the column tail
 * (fewer than 8 columns) of {@link CsrSpmmVector}. Same order of summation as the oracle:
 * bias (or the old C) first, then the nonzeros of the row in order.
 */
final class CsrSpmmScalar {
    private CsrSpmmScalar() {}

    /** Columns {@code [j0, j1)} of rows {@code [r0, r1)} of C; B and C are both n wide. */
    static void rows(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, float[] b, int n,
                     float[] c, float[] bias, boolean accumulate, int j0, int j1) {
        rows(r0, r1, rowPtr, colIdx, values, b, j0, n, c, n, bias, accumulate, j0, j1);
    }

    /**
     * Columns {@code [j0, j1)} of rows {@code [r0, r1)} of C (n wide), reading B[k, j] at
     * {@code b[k * ldb + bOff + (j - j0)]}: B itself ({@code bOff = j0, ldb = n}) or a packed panel.
     */
    static void rows(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, float[] b, int bOff, int ldb,
                     float[] c, int n, float[] bias, boolean accumulate, int j0, int j1) {
        int width = j1 - j0;
        for (int r = r0; r < r1; r++) {
            int row = r * n;
            float init = bias == null ? 0f : bias[r];
            for (int j = j0; j < j1; j++) {
                c[row + j] = accumulate ? c[row + j] + init : init;
            }
            int cAt = row + j0;
            // Axpy per nonzero: C[r, j0:j1] += a[r,k] * B[k, j0:j1], the same broadcast-and-stream
            // pattern as the vector kernel, so C2 can still auto-vectorise the inner loop.
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                float a = values[p];
                int bAt = colIdx[p] * ldb + bOff;
                for (int j = 0; j < width; j++) {
                    c[cAt + j] += a * b[bAt + j];
                }
            }
        }
    }
}
