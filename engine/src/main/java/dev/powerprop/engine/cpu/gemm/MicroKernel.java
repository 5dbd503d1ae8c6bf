package dev.powerprop.engine.cpu.gemm;

/**
 * The innermost step of the BLIS loop nest: one mr x nr tile of C from mr rows of A and one
 * packed micro-panel of B. {@link PackedGemm} zero-pads the packed edges so {@link #multiply}
 * always computes a full tile; {@link #update} then writes back only the valid part.
 */
abstract class MicroKernel {
    private final int mr;
    private final int nr;

    MicroKernel(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /** Rows of the C tile (A is read in panels of this many rows). */
    final int mr() {
        return mr;
    }

    /** Columns of the C tile (B is packed in panels of this many columns). */
    final int nr() {
        return nr;
    }

    /**
     * The product of mr rows of A and a packed B micro-panel,
     * {@code sum_p a[aOff + r * lda + p] * b[bOff + p * nr + j]} for {@code p < kc}, each an FMA
     * chain in p order, stored into (or, with {@code accumulate}, added to) the full mr x nr
     * tile at {@code out[outOff + r * ldOut + j]}. The rows are those of A itself when A is
     * stored m x k, or of a packed copy ({@code lda = kc}).
     */
    abstract void multiply(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
                           float[] out, int outOff, int ldOut, boolean accumulate);

    /**
     * {@code C[r][j] = alpha * tile[r * nr() + j] + beta * C[r][j]} for {@code r < mr, j < nr},
     * C at {@code c[cOff + r * ldc + j]}. With {@code beta == 0} C is not read, so NaN in C
     * does not propagate (BLAS semantics).
     */
    void update(float[] tile, int mr, int nr, float alpha, float beta,
                float[] c, int cOff, int ldc) {
        int tileWidth = nr();
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                int ij = cOff + r * ldc + j;
                float v = alpha * tile[r * tileWidth + j];
                c[ij] = beta == 0 ? v : v + beta * c[ij];
            }
        }
    }

    /**
     * Copies kc rows of nr contiguous values, {@code b[bOff + p * ldb + j]}, into a packed B
     * micro-panel {@code dst[dstOff + p * nr + j]}: the packing of an untransposed B, which
     * skinny products (few rows of A to amortise it over) repeat often enough to matter.
     */
    void packRows(int kc, float[] b, int bOff, int ldb, float[] dst, int dstOff) {
        int nr = nr();
        for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bOff + p * ldb, dst, dstOff + p * nr, nr);
        }
    }

    /**
     * Packs a full micro-panel of a transposed B: {@code dst[dstOff + p * nr + j] =
     * b[bOff + j * ldb + p]} for {@code p < kc, j < nr} (B stored n x k, nr of its rows; nr is a
     * multiple of 4).
     *
     * <p>In 4 x 4 blocks held in locals: 4 rows read 4 steps at a time, written as 4 runs of 4
     * contiguous values. Measured against the plain row-by-row copy, the ordering of all 16 rows
     * per step and 8 x 8 Vector API shuffles ({@code rearrange} + {@code blend}), packing a
     * 300 x 784 B: 0.35 ns per element against 0.40, 0.65 and 0.43.
     */
    void packRowsTransposed(int kc, float[] b, int bOff, int ldb, float[] dst, int dstOff) {
        int nr = nr();
        int kc4 = kc & ~3;
        for (int j = 0; j < nr; j += 4) {
            int s0 = bOff + j * ldb;
            int s1 = s0 + ldb;
            int s2 = s1 + ldb;
            int s3 = s2 + ldb;
            for (int p = 0; p < kc4; p += 4) {
                int d = dstOff + p * nr + j;
                float a0 = b[s0 + p], a1 = b[s0 + p + 1], a2 = b[s0 + p + 2], a3 = b[s0 + p + 3];
                float b0 = b[s1 + p], b1 = b[s1 + p + 1], b2 = b[s1 + p + 2], b3 = b[s1 + p + 3];
                float c0 = b[s2 + p], c1 = b[s2 + p + 1], c2 = b[s2 + p + 2], c3 = b[s2 + p + 3];
                float e0 = b[s3 + p], e1 = b[s3 + p + 1], e2 = b[s3 + p + 2], e3 = b[s3 + p + 3];
                dst[d] = a0;
                dst[d + 1] = b0;
                dst[d + 2] = c0;
                dst[d + 3] = e0;
                dst[d + nr] = a1;
                dst[d + nr + 1] = b1;
                dst[d + nr + 2] = c1;
                dst[d + nr + 3] = e1;
                dst[d + 2 * nr] = a2;
                dst[d + 2 * nr + 1] = b2;
                dst[d + 2 * nr + 2] = c2;
                dst[d + 2 * nr + 3] = e2;
                dst[d + 3 * nr] = a3;
                dst[d + 3 * nr + 1] = b3;
                dst[d + 3 * nr + 2] = c3;
                dst[d + 3 * nr + 3] = e3;
            }
            for (int p = kc4; p < kc; p++) {
                int d = dstOff + p * nr + j;
                dst[d] = b[s0 + p];
                dst[d + 1] = b[s1 + p];
                dst[d + 2] = b[s2 + p];
                dst[d + 3] = b[s3 + p];
            }
        }
    }
}
