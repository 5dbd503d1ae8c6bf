package dev.powerprop.engine.cpu.gemm;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * GEMM with a single row or column of C: a matrix-vector product (a layer at batch 1, or
 * {@code A x}). The packed path would pad that row or column to a whole 4 x 16 tile and waste
 * 3/4 or 15/16 of every FMA; here each output is computed on its own, without packing.
 *
 * <p>It keeps GEMM's bits ({@link Gemm#kBlockDepth}): each output is, per K block, one chain of
 * fused multiply-adds from zero in k order, and the blocks land in C in order, the first as
 * {@code alpha * block + beta * C}, the later ones as {@code C + alpha * block}. So a batch of
 * one gives the same logits as the same row inside a larger batch, and the OpenCL backend,
 * which sums as the packed path does, still matches.
 *
 * <p>The matrix operand is read in place, {@code mat(o, p) = mat[mOff + o * oStride + p * pStride]}
 * for output {@code o} at depth {@code p}. When consecutive outputs sit side by side in memory
 * ({@code oStride == 1}), vector lanes run eight outputs' chains at once ({@link GemvVector});
 * otherwise eight scalar chains interleave, which is what keeps the order when walking rows.
 */
final class Gemv {
    /** Outputs a part starts on a multiple of: four vectors of eight. */
    static final int GROUP = 32;

    private Gemv() {}

    /**
     * {@code c[cOff + o * cStride] = alpha * sum_p u(p) mat(o, p) + beta * c[...]} for
     * {@code o < outputs}, {@code u(p) = u[uOff + p * uStride]}, k >= 1; on up to {@code threads}
     * threads when there are at least {@code parallelMinMacs} multiply-adds.
     */
    static void compute(int outputs, int k, float alpha, float[] u, int uOff, int uStride,
                        float[] mat, int mOff, int oStride, int pStride,
                        float beta, float[] c, int cOff, int cStride, int threads, long parallelMinMacs) {
        int depth = PackedGemm.kBlockDepth(k);
        boolean lanes = VectorSupport.ENABLED && oStride == 1;
        int groups = PackedGemm.ceilDiv(outputs, GROUP);
        int parts = (long) outputs * k < parallelMinMacs ? 1 : Math.min(threads, groups);
        Parallel.run(parts, part -> {
            int o0 = Math.min(outputs, Parallel.splitStart(groups, parts, part) * GROUP);
            int o1 = Math.min(outputs, Parallel.splitStart(groups, parts, part + 1) * GROUP);
            // Every output takes its K blocks in order; outputs are independent of each other.
            for (int start = 0; start < k; start += depth) {
                int end = Math.min(k, start + depth);
                float betaBlock = start == 0 ? beta : 1f;
                int rest = lanes
                        ? GemvVector.block(o0, o1, start, end, alpha, u, uOff, uStride, mat, mOff, pStride,
                                betaBlock, c, cOff, cStride)
                        : o0;
                scalarBlock(rest, o1, start, end, alpha, u, uOff, uStride, mat, mOff, oStride, pStride,
                        betaBlock, c, cOff, cStride);
            }
        });
    }

    /** Outputs {@code [o0, o1)}, depths {@code [start, end)}: eight interleaved chains, then one at a time. */
    static void scalarBlock(int o0, int o1, int start, int end, float alpha, float[] u, int uOff, int uStride,
                            float[] mat, int mOff, int oStride, int pStride,
                            float betaBlock, float[] c, int cOff, int cStride) {
        int o = o0;
        for (; o + 8 <= o1; o += 8) {
            int m0 = mOff + o * oStride;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            for (int p = start; p < end; p++) {
                float up = u[uOff + p * uStride];
                int mp = m0 + p * pStride;
                s0 = Math.fma(up, mat[mp], s0);
                s1 = Math.fma(up, mat[mp + oStride], s1);
                s2 = Math.fma(up, mat[mp + 2 * oStride], s2);
                s3 = Math.fma(up, mat[mp + 3 * oStride], s3);
                s4 = Math.fma(up, mat[mp + 4 * oStride], s4);
                s5 = Math.fma(up, mat[mp + 5 * oStride], s5);
                s6 = Math.fma(up, mat[mp + 6 * oStride], s6);
                s7 = Math.fma(up, mat[mp + 7 * oStride], s7);
            }
            int at = cOff + o * cStride;
            land(s0, alpha, betaBlock, c, at);
            land(s1, alpha, betaBlock, c, at + cStride);
            land(s2, alpha, betaBlock, c, at + 2 * cStride);
            land(s3, alpha, betaBlock, c, at + 3 * cStride);
            land(s4, alpha, betaBlock, c, at + 4 * cStride);
            land(s5, alpha, betaBlock, c, at + 5 * cStride);
            land(s6, alpha, betaBlock, c, at + 6 * cStride);
            land(s7, alpha, betaBlock, c, at + 7 * cStride);
        }
        for (; o < o1; o++) {
            float s = 0f;
            for (int p = start; p < end; p++) {
                s = Math.fma(u[uOff + p * uStride], mat[mOff + o * oStride + p * pStride], s);
            }
            land(s, alpha, betaBlock, c, cOff + o * cStride);
        }
    }

    /** One block's sum into C, rounded as the packed path's update rounds it (no fused multiply-add). */
    static void land(float block, float alpha, float betaBlock, float[] c, int at) {
        float v = alpha * block;
        c[at] = betaBlock == 0 ? v : v + betaBlock * c[at];
    }
}
