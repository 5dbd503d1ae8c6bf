package dev.powerprop.engine.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernel for 512-bit vectors: a 6 x 32 tile of C in 12 vector registers.
 *
 * <p>Each step p broadcasts the 6 values of one A column and multiplies each into the two
 * 16-float vectors of one B row. On cores with full-width 512-bit FMA units (AMD Zen 5, Intel
 * server cores) one instruction does twice the work of a 256-bit one. AVX-512 has 32 vector
 * registers, so the tile can be taller than {@link Gemm4x16}'s: C2 issues a step's broadcasts
 * before its FMAs, which needs 12 accumulators + 2 B vectors + 6 broadcasts = 20 registers,
 * and nothing spills. Twelve independent FMA chains cover the FMA latency with room to spare,
 * and a step loads 8 values for 12 FMAs (4 x 32: 6 for 8). Measured on Zen 5 (one thread,
 * TrainStepBench, batch 60 / 256, medians): 4 x 16 1014-1044 / 3768-3875 us, 4 x 32 684-686 /
 * 2273-2306 us, 6 x 32 628-647 / 2150-2159 us, 8 x 32 659-670 / 2187-2896 us.
 *
 * <p>Every element of C is the same FMA chain in p order as in the 4 x 16 kernel, so both give
 * the same bits (GemmTest checks it). Only loaded when {@code VectorSupport.ENABLED}.
 */
final class Gemm6x32 extends MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int MR = 6;
    private static final int NR = 32;
    /** Floats per vector. */
    private static final int V = 16;

    Gemm6x32() {
        super(MR, NR);
    }

    @Override
    void multiply(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
                  float[] out, int outOff, int ldOut, boolean accumulate) {
        int a0 = aOff;
        int a1 = aOff + lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda;
        int a5 = aOff + 5 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector ar = FloatVector.broadcast(S, a[a0 + p]);
            c00 = ar.fma(b0, c00);
            c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(S, a[a1 + p]);
            c10 = ar.fma(b0, c10);
            c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(S, a[a2 + p]);
            c20 = ar.fma(b0, c20);
            c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(S, a[a3 + p]);
            c30 = ar.fma(b0, c30);
            c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(S, a[a4 + p]);
            c40 = ar.fma(b0, c40);
            c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(S, a[a5 + p]);
            c50 = ar.fma(b0, c50);
            c51 = ar.fma(b1, c51);
        }
        // Store or add only; alpha and beta are applied by update() (see Gemm4x16 for why).
        int o0 = outOff;
        int o1 = outOff + ldOut;
        int o2 = outOff + 2 * ldOut;
        int o3 = outOff + 3 * ldOut;
        int o4 = outOff + 4 * ldOut;
        int o5 = outOff + 5 * ldOut;
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, out, o0));
            c01 = c01.add(FloatVector.fromArray(S, out, o0 + V));
            c10 = c10.add(FloatVector.fromArray(S, out, o1));
            c11 = c11.add(FloatVector.fromArray(S, out, o1 + V));
            c20 = c20.add(FloatVector.fromArray(S, out, o2));
            c21 = c21.add(FloatVector.fromArray(S, out, o2 + V));
            c30 = c30.add(FloatVector.fromArray(S, out, o3));
            c31 = c31.add(FloatVector.fromArray(S, out, o3 + V));
            c40 = c40.add(FloatVector.fromArray(S, out, o4));
            c41 = c41.add(FloatVector.fromArray(S, out, o4 + V));
            c50 = c50.add(FloatVector.fromArray(S, out, o5));
            c51 = c51.add(FloatVector.fromArray(S, out, o5 + V));
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + V);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + V);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + V);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + V);
        c40.intoArray(out, o4);
        c41.intoArray(out, o4 + V);
        c50.intoArray(out, o5);
        c51.intoArray(out, o5 + V);
    }

    @Override
    void update(float[] tile, int mr, int nr, float alpha, float beta,
                float[] c, int cOff, int ldc) {
        if (mr != MR || nr != NR) {
            super.update(tile, mr, nr, alpha, beta, c, cOff, ldc);
            return;
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        FloatVector vb = FloatVector.broadcast(S, beta);
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j += V) {
                int ij = cOff + r * ldc + j;
                FloatVector v = FloatVector.fromArray(S, tile, r * NR + j).mul(va);
                if (beta != 0) {
                    // No fused multiply-add, as in the scalar update: edge tiles get the same bits.
                    v = v.add(FloatVector.fromArray(S, c, ij).mul(vb));
                }
                v.intoArray(c, ij);
            }
        }
    }

    @Override
    void packRows(int kc, float[] b, int bOff, int ldb, float[] dst, int dstOff) {
        for (int p = 0; p < kc; p++) {
            int src = bOff + p * ldb;
            int d = dstOff + p * NR;
            FloatVector.fromArray(S, b, src).intoArray(dst, d);
            FloatVector.fromArray(S, b, src + V).intoArray(dst, d + V);
        }
    }
}
