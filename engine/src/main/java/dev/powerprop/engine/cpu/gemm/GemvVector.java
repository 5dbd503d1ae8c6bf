package dev.powerprop.engine.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemv} when consecutive outputs are adjacent in the matrix ({@code oStride == 1}): lane
 * {@code l} of a vector carries output {@code o + l}'s own chain, so a depth step is one
 * broadcast of {@code u(p)}, one contiguous load and one FMA per eight outputs, with the bits
 * of the scalar chain. Only loaded when {@code VectorSupport.ENABLED}.
 */
final class GemvVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private GemvVector() {}

    /**
     * Whole vectors of outputs from {@code o0} (four at a time, then one at a time), depths
     * {@code [start, end)}; returns the first output left for the scalar loop.
     */
    static int block(int o0, int o1, int start, int end, float alpha, float[] u, int uOff, int uStride,
                     float[] mat, int mOff, int pStride, float betaBlock, float[] c, int cOff, int cStride) {
        int o = o0;
        for (; o + 32 <= o1; o += 32) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = start; p < end; p++) {
                FloatVector up = FloatVector.broadcast(S, u[uOff + p * uStride]);
                int mp = mOff + p * pStride + o;
                s0 = up.fma(FloatVector.fromArray(S, mat, mp), s0);
                s1 = up.fma(FloatVector.fromArray(S, mat, mp + 8), s1);
                s2 = up.fma(FloatVector.fromArray(S, mat, mp + 16), s2);
                s3 = up.fma(FloatVector.fromArray(S, mat, mp + 24), s3);
            }
            land(s0, o, alpha, betaBlock, c, cOff, cStride);
            land(s1, o + 8, alpha, betaBlock, c, cOff, cStride);
            land(s2, o + 16, alpha, betaBlock, c, cOff, cStride);
            land(s3, o + 24, alpha, betaBlock, c, cOff, cStride);
        }
        for (; o + 8 <= o1; o += 8) {
            FloatVector s = FloatVector.zero(S);
            for (int p = start; p < end; p++) {
                s = FloatVector.broadcast(S, u[uOff + p * uStride]).fma(FloatVector.fromArray(S, mat, mOff + p * pStride + o), s);
            }
            land(s, o, alpha, betaBlock, c, cOff, cStride);
        }
        return o;
    }

    /** Eight outputs' block sums into C, rounded as {@link Gemv#land} rounds one. */
    private static void land(FloatVector block, int o, float alpha, float betaBlock, float[] c, int cOff, int cStride) {
        if (cStride == 1) {
            FloatVector v = block.mul(alpha);
            if (betaBlock != 0) {
                v = v.add(FloatVector.fromArray(S, c, cOff + o).mul(betaBlock));
            }
            v.intoArray(c, cOff + o);
        } else {
            for (int l = 0; l < 8; l++) {
                Gemv.land(block.lane(l), alpha, betaBlock, c, cOff + (o + l) * cStride);
            }
        }
    }
}
