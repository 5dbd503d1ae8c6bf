package dev.powerprop.engine.cpu.sparse;

import java.util.Arrays;

/**
 * The structure of A^T for a CSR matrix A: a counting sort of the nonzeros by column, O(nnz +
 * cols). Training through a sparse layer needs A^T * dY; forming A^T once per backward lets that
 * product run on the fast gather-style SpMM kernel (accumulators stay in registers) instead of a
 * scatter that loads and stores a row of the result for every nonzero.
 */
public final class CsrTranspose {
    private CsrTranspose() {}

    /**
     * Fills {@code tRowPtr} (cols + 1), {@code tColIdx} (nnz) and {@code perm} (nnz) so that
     * A^T's nonzero q is A's nonzero {@code perm[q]}. Rows of A are visited in order, so the
     * columns of each row of A^T come out strictly increasing: A^T is valid CSR.
     */
    public static void structure(int rows, int cols, int[] rowPtr, int[] colIdx,
                                 int[] tRowPtr, int[] tColIdx, int[] perm) {
        Arrays.fill(tRowPtr, 0);
        int nnz = rowPtr[rows];
        for (int p = 0; p < nnz; p++) {
            tRowPtr[colIdx[p] + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            tRowPtr[c + 1] += tRowPtr[c];
        }
        int[] next = Arrays.copyOf(tRowPtr, cols);
        for (int r = 0; r < rows; r++) {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                int q = next[colIdx[p]]++;
                tColIdx[q] = r;
                perm[q] = p;
            }
        }
    }
}
