package dev.powerprop.engine.cpu.sparse;

/**
 * The CSR oracles, in double precision with the plainest loops: the products the fast kernels
 * ({@link CsrSpmm}, {@link CsrSpmv}, {@link CsrSpmmTransposed}, {@link CsrSddmm}) compute.
 * Tests compare against these, and they are the float64 path of
 * {@link dev.powerprop.engine.ops.SparseMatMul}, where clarity matters more than speed.
 *
 * <p>A is CSR {@code rows x cols} ({@code rowPtr}, {@code colIdx}, {@code values}); dense
 * matrices are row-major with n columns.
 */
public final class CsrSpmmReference {
    private CsrSpmmReference() {}

    /**
     * {@code C[rows x n] = A * B (+ C if accumulate) (+ bias[m] on row m if bias != null)},
     * B is {@code cols x n}.
     */
    public static void spmm(int rows, int[] rowPtr, int[] colIdx, double[] values,
                            double[] b, int n, double[] c, double[] bias, boolean accumulate) {
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = rowPtr[m]; p < rowPtr[m + 1]; p++) {
                    sum += values[p] * b[colIdx[p] * n + j];
                }
                if (bias != null) {
                    sum += bias[m];
                }
                c[m * n + j] = accumulate ? c[m * n + j] + sum : sum;
            }
        }
    }

    /**
     * {@code C[cols x n] += A^T * B}, B is {@code rows x n}: the gradient of a sparse layer's
     * input, dB = A^T dY, as a scatter: row m of B, scaled by a[m,k], is added to row k of C.
     */
    public static void spmmTransposed(int rows, int[] rowPtr, int[] colIdx, double[] values,
                                      double[] b, int n, double[] c) {
        for (int m = 0; m < rows; m++) {
            for (int p = rowPtr[m]; p < rowPtr[m + 1]; p++) {
                int k = colIdx[p];
                for (int j = 0; j < n; j++) {
                    c[k * n + j] += values[p] * b[m * n + j];
                }
            }
        }
    }

    /**
     * Sampled dense-dense product at A's nonzeros: {@code out[p] += dot(X[m, :], Y[k, :])} for
     * each stored (m, k) = (row of p, colIdx[p]); X is {@code rows x n}, Y is {@code cols x n}.
     * With X = dY and Y = B this is dL/d values of Y = A B: the dense gradient dY B^T, but
     * only where A stores a value.
     */
    public static void sddmm(int rows, int[] rowPtr, int[] colIdx, double[] x, double[] y, int n,
                             double[] out) {
        for (int m = 0; m < rows; m++) {
            for (int p = rowPtr[m]; p < rowPtr[m + 1]; p++) {
                int k = colIdx[p];
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += x[m * n + j] * y[k * n + j];
                }
                out[p] += sum;
            }
        }
    }
}
