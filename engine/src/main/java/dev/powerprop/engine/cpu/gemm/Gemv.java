package dev.powerprop.engine.cpu.gemm;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * GEMM with a single row or column of C whose outputs sit side by side in the matrix operand:
 * a row vector times a row-major matrix ({@code x B}, a layer whose weight is stored k x n, or
 * the {@code dY W} of a batch of one), or {@code A^T x}. The packed path would pad that row or
 * column to a whole 4 x 16 tile and pack all of the matrix first; here vector lanes run eight
 * outputs' chains at once over the matrix read in place ({@link GemvVector}). Measured on a
 * 1 x 300 x 784 product, one thread: 26 us against 62-65 us packed.
 *
 * <p>It keeps GEMM's bits ({@link Gemm#kBlockDepth}): each output is, per K block, one chain of
 * fused multiply-adds from zero in k order, and the blocks land in C in order, the first as
 * {@code alpha * block + beta * C}, the later ones as {@code C + alpha * block}. So a batch of
 * one gives the same values as the same row inside a larger batch, and the OpenCL backend,
 * which sums as the packed path does, still matches.
 *
 * <p>Rows walked along p (x W^T with W stored n x k, the usual layer) stay on the packed path:
 * keeping each output's order there means one scalar chain per output, and eight interleaved
 * scalar chains measured slower (134 us) than the padded tile (91 us).
 */
final class Gemv {
    /** Outputs a part starts on a multiple of: four vectors of eight. */
    static final int GROUP = 32;

    private Gemv() {}

    /** True when {@link #compute} serves a product whose consecutive outputs are {@code oStride} apart. */
    static boolean serves(int oStride) {
        return VectorSupport.ENABLED && oStride == 1;
    }

    /**
     * {@code c[cOff + o * cStride] = alpha * sum_p u(p) mat(o, p) + beta * c[...]} for
     * {@code o < outputs}, with {@code u(p) = u[uOff + p * uStride]} and
     * {@code mat(o, p) = mat[mOff + o + p * pStride]}, k >= 1; on up to {@code threads} threads
     * when there are at least {@code parallelMinMacs} multiply-adds.
     */
    static void compute(int outputs, int k, float alpha, float[] u, int uOff, int uStride,
                        float[] mat, int mOff, int pStride,
                        float beta, float[] c, int cOff, int cStride, int threads, long parallelMinMacs) {
        int depth = PackedGemm.kBlockDepth(k);
        int groups = PackedGemm.ceilDiv(outputs, GROUP);
        int parts = (long) outputs * k < parallelMinMacs ? 1 : Math.min(threads, groups);
        Parallel.run(parts, part -> {
            int o0 = Math.min(outputs, Parallel.splitStart(groups, parts, part) * GROUP);
            int o1 = Math.min(outputs, Parallel.splitStart(groups, parts, part + 1) * GROUP);
            // Every output takes its K blocks in order; outputs are independent of each other.
            for (int start = 0; start < k; start += depth) {
                int end = Math.min(k, start + depth);
                float betaBlock = start == 0 ? beta : 1f;
                int rest = GemvVector.block(o0, o1, start, end, alpha, u, uOff, uStride, mat, mOff, pStride,
                        betaBlock, c, cOff, cStride);
                for (int o = rest; o < o1; o++) {
                    // The last few outputs: the same chain as one vector lane, in scalar.
                    float s = 0f;
                    for (int p = start; p < end; p++) {
                        s = Math.fma(u[uOff + p * uStride], mat[mOff + o + p * pStride], s);
                    }
                    land(s, alpha, betaBlock, c, cOff + o * cStride);
                }
            }
        });
    }

    /** One block's sum into C, rounded as the packed path's update rounds it (no fused multiply-add). */
    static void land(float block, float alpha, float betaBlock, float[] c, int at) {
        float v = alpha * block;
        c[at] = betaBlock == 0 ? v : v + betaBlock * c[at];
    }
}
