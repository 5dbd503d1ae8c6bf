package dev.powerprop.engine.cpu.gemm;

/**
 * The innermost step of the BLIS loop nest: one MR x NR tile of C from one packed micro-panel of
 * A and one of B. {@link PackedGemm} zero-pads the packed edges so {@link #multiply} always
 * computes a full tile; {@link #update} then writes back only the valid part.
 */
interface MicroKernel {
    /** Rows of the C tile (A is packed in panels of this many rows). */
    int MR = 4;
    /** Columns of the C tile (B is packed in panels of this many columns). */
    int NR = 16;

    /**
     * The product of a packed A micro-panel and a packed B micro-panel,
     * {@code sum_p a[aOff + p * MR + r] * b[bOff + p * NR + j]} for {@code p < kc}, stored into
     * (or, with {@code accumulate}, added to) the full MR x NR tile at
     * {@code out[outOff + r * ldOut + j]}.
     */
    void multiply(int kc, float[] a, int aOff, float[] b, int bOff,
                  float[] out, int outOff, int ldOut, boolean accumulate);

    /**
     * {@code C[r][j] = alpha * tile[r * NR + j] + beta * C[r][j]} for {@code r < mr, j < nr},
     * C at {@code c[cOff + r * ldc + j]}. With {@code beta == 0} C is not read, so NaN in C
     * does not propagate (BLAS semantics).
     */
    default void update(float[] tile, int mr, int nr, float alpha, float beta,
                        float[] c, int cOff, int ldc) {
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                int ij = cOff + r * ldc + j;
                float v = alpha * tile[r * NR + j];
                c[ij] = beta == 0 ? v : v + beta * c[ij];
            }
        }
    }

    /**
     * Copies kc rows of NR contiguous values, {@code b[bOff + p * ldb + j]}, into a packed B
     * micro-panel {@code dst[dstOff + p * NR + j]}: the packing of an untransposed B, which
     * skinny products (few rows of A to amortise it over) repeat often enough to matter.
     */
    default void packRows(int kc, float[] b, int bOff, int ldb, float[] dst, int dstOff) {
        for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bOff + p * ldb, dst, dstOff + p * NR, NR);
        }
    }
}
