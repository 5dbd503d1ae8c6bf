package dev.powerprop.engine.cpu.gemm;

import java.util.Arrays;

/** The micro-kernel in plain Java, used when the Vector API is unavailable. */
final class ScalarKernel4x16 implements MicroKernel {
    @Override
    public void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        Arrays.fill(tile, 0, MR * NR, 0f);
        for (int p = 0; p < kc; p++) {
            for (int r = 0; r < MR; r++) {
                float arp = a[aOff + p * MR + r];
                for (int j = 0; j < NR; j++) {
                    tile[r * NR + j] += arp * b[bOff + p * NR + j];
                }
            }
        }
    }
}
