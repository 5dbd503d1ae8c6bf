package dev.powerprop.engine.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: a 4 x 16 tile of C held in 8 vector registers.
 *
 * <p>Each step p broadcasts the 4 values of one A column and multiplies each into the two
 * vectors of one B row (16 columns). Why 4 x 16 and not the 6 x 16 of hand-written AVX2
 * kernels: C2 issues all the broadcasts of a step before the FMAs, so a step needs
 * accumulators + 2 B vectors + MR broadcasts = 3 * MR + 2 of the 16 ymm registers. At MR = 6
 * that is 20, an accumulator is spilled, and the store-to-load round trip through the stack
 * halves the speed; at MR = 4 it is 14 and nothing spills. Eight independent FMA chains still
 * cover the FMA latency (4 cycles x 2 pipes on Zen 3), and the kernel runs at about the
 * core's peak. Only loaded when {@code VectorSupport.ENABLED}.
 */
final class Gemm4x16 implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    @Override
    public void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR;
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 8);
            FloatVector ar = FloatVector.broadcast(S, a[ap]);
            c00 = ar.fma(b0, c00);
            c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(S, a[ap + 1]);
            c10 = ar.fma(b0, c10);
            c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(S, a[ap + 2]);
            c20 = ar.fma(b0, c20);
            c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(S, a[ap + 3]);
            c30 = ar.fma(b0, c30);
            c31 = ar.fma(b1, c31);
        }
        // Scaling by alpha and beta happens in update(), not here: any extra vector value live
        // across the loop above costs a register, and C2 then spills an accumulator.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 8);
        c10.intoArray(tile, 16);
        c11.intoArray(tile, 24);
        c20.intoArray(tile, 32);
        c21.intoArray(tile, 40);
        c30.intoArray(tile, 48);
        c31.intoArray(tile, 56);
    }

    @Override
    public void update(float[] tile, int mr, int nr, float alpha, float beta,
                       float[] c, int cOff, int ldc) {
        if (mr != MR || nr != NR) {
            MicroKernel.super.update(tile, mr, nr, alpha, beta, c, cOff, ldc);
            return;
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        FloatVector vb = FloatVector.broadcast(S, beta);
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j += 8) {
                int ij = cOff + r * ldc + j;
                FloatVector v = FloatVector.fromArray(S, tile, r * NR + j).mul(va);
                if (beta != 0) {
                    v = FloatVector.fromArray(S, c, ij).fma(vb, v);
                }
                v.intoArray(c, ij);
            }
        }
    }

    @Override
    public void packRows(int kc, float[] b, int bOff, int ldb, float[] dst, int dstOff) {
        for (int p = 0; p < kc; p++) {
            int src = bOff + p * ldb;
            int d = dstOff + p * NR;
            FloatVector.fromArray(S, b, src).intoArray(dst, d);
            FloatVector.fromArray(S, b, src + 8).intoArray(dst, d + 8);
        }
    }
}
