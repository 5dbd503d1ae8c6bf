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
final class Gemm4x16 extends MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int MR = 4;
    private static final int NR = 16;

    Gemm4x16() {
        super(MR, NR);
    }

    @Override
    void multiply(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
                  float[] out, int outOff, int ldOut, boolean accumulate) {
        // Four row starts, then indices p + constant: C2 proves them in bounds once per call.
        int a0 = aOff;
        int a1 = aOff + lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 8);
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
        }
        // Only store or add here; scaling by alpha and beta is left to update(). A broadcast
        // alpha or beta would be one more vector live across the loop above, C2 would spill an
        // accumulator for it, and the loop would run at half speed (measured).
        int o1 = outOff + ldOut;
        int o2 = outOff + 2 * ldOut;
        int o3 = outOff + 3 * ldOut;
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, out, outOff));
            c01 = c01.add(FloatVector.fromArray(S, out, outOff + 8));
            c10 = c10.add(FloatVector.fromArray(S, out, o1));
            c11 = c11.add(FloatVector.fromArray(S, out, o1 + 8));
            c20 = c20.add(FloatVector.fromArray(S, out, o2));
            c21 = c21.add(FloatVector.fromArray(S, out, o2 + 8));
            c30 = c30.add(FloatVector.fromArray(S, out, o3));
            c31 = c31.add(FloatVector.fromArray(S, out, o3 + 8));
        }
        c00.intoArray(out, outOff);
        c01.intoArray(out, outOff + 8);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + 8);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + 8);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + 8);
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
            for (int j = 0; j < NR; j += 8) {
                int ij = cOff + r * ldc + j;
                FloatVector v = FloatVector.fromArray(S, tile, r * NR + j).mul(va);
                if (beta != 0) {
                    // Rounded as the scalar update rounds (no fused multiply-add), so a full
                    // tile and an edge tile give the same bits.
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
            FloatVector.fromArray(S, b, src + 8).intoArray(dst, d + 8);
        }
    }
}
