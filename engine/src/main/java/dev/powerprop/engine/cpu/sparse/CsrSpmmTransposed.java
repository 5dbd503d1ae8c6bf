package dev.powerprop.engine.cpu.sparse;

/**
 * {@code C[cols x n] += A^T * B[rows x n]} for CSR A: the input gradient of a sparse layer,
 * dB = A^T dY, where Y = A B.
 *
 * <p>Written directly this is a scatter (row m of B, scaled by a[m,k], added into row k of C;
 * {@link CsrSpmmReference#spmmTransposed} does exactly that), which loads and stores a row of
 * C for every nonzero and makes threads collide on C's rows. Instead A^T is formed in O(nnz)
 * ({@link CsrTranspose}) and the product runs on the gather kernel {@link CsrSpmm}, whose
 * accumulators stay in registers and whose threads own disjoint rows of C. Beside the nnz * n
 * multiply-adds the transposition is cheap: two passes over the nonzeros.
 */
public final class CsrSpmmTransposed {
    private CsrSpmmTransposed() {}

    /** {@code C += A^T B}; B is rows x n, C is cols x n, both row-major. */
    public static void spmmTransposed(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                                      float[] b, int n, float[] c, int threads) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, values);
        CsrArguments.checkDense("B", b, rows, n);
        CsrArguments.checkDense("C", c, cols, n);
        CsrArguments.checkThreads(threads);
        int nnz = rowPtr[rows];
        int[] tRowPtr = new int[cols + 1];
        int[] tColIdx = new int[nnz];
        int[] perm = new int[nnz];
        CsrTranspose.structure(rows, cols, rowPtr, colIdx, tRowPtr, tColIdx, perm);
        float[] tValues = new float[nnz];
        for (int q = 0; q < nnz; q++) {
            tValues[q] = values[perm[q]];
        }
        if (n == 1) {
            CsrSpmv.spmv(cols, rows, tRowPtr, tColIdx, tValues, b, c, null, true, threads);
        } else {
            CsrSpmm.spmm(cols, rows, tRowPtr, tColIdx, tValues, b, n, c, null, true, threads);
        }
    }
}
