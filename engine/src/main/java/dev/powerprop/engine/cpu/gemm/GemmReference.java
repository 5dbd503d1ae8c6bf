package dev.powerprop.engine.cpu.gemm;

/**
 * The GEMM oracle: {@code C = alpha * op(A) * op(B) + beta * C} on {@code double[]} with plain
 * loops, the same contract as {@link Gemm}. Tests compare the fast float kernels with it, and it
 * is also the engine's float64 path, where clarity matters more than speed.
 */
public final class GemmReference {
    private GemmReference() {}

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, row-major. {@code op(A)} is m x k and
     * {@code op(B)} is k x n; A is stored k x m when {@code transA}, B is stored n x k when
     * {@code transB}. {@code lda}, {@code ldb}, {@code ldc} are row strides as stored. With
     * {@code beta == 0} C is overwritten, so NaN or infinity already in C does not propagate.
     *
     * @throws IllegalArgumentException naming the argument when a size, stride or offset is wrong
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        GemmArguments.check(transA, transB, m, n, k,
                a == null ? -1 : a.length, aOff, lda,
                b == null ? -1 : b.length, bOff, ldb,
                c == null ? -1 : c.length, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int ij = cOff + i * ldc + j;
                // BLAS semantics: beta == 0 never reads C, so garbage in C cannot leak through.
                c[ij] = beta == 0 ? alpha * sum : alpha * sum + beta * c[ij];
            }
        }
    }
}
