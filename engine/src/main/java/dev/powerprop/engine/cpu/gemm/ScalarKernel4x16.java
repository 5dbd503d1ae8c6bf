package dev.powerprop.engine.cpu.gemm;

/**
 * The micro-kernel in plain Java, used when the Vector API is unavailable. It fuses each
 * multiply-add ({@link Math#fma}) as the vector kernels do, so GEMM sums in the order
 * {@link Gemm#kBlockDepth} documents, to the bit, on either path.
 */
final class ScalarKernel4x16 extends MicroKernel {
    private static final int MR = 4;
    private static final int NR = 16;

    ScalarKernel4x16() {
        super(MR, NR);
    }

    @Override
    void multiply(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
                  float[] out, int outOff, int ldOut, boolean accumulate) {
        float[] acc = new float[MR * NR];
        for (int p = 0; p < kc; p++) {
            for (int r = 0; r < MR; r++) {
                float arp = a[aOff + r * lda + p];
                for (int j = 0; j < NR; j++) {
                    acc[r * NR + j] = Math.fma(arp, b[bOff + p * NR + j], acc[r * NR + j]);
                }
            }
        }
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j++) {
                int ij = outOff + r * ldOut + j;
                out[ij] = accumulate ? out[ij] + acc[r * NR + j] : acc[r * NR + j];
            }
        }
    }
}
