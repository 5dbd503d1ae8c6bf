package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.cpu.powerprop.PowerpropKernel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClPowerpropTest {
    private static final float[] ALPHAS = {1f, 1.5f, 2f, 2.5f, 3f, 4f, 1.3f, 7.25f};

    /** Values with exact zeros, signs, tiny and large magnitudes, and a length that is no multiple of a vector. */
    private static float[] values(Random rnd, int n) {
        float[] v = TestDevice.random(rnd, n, 3);
        v[0] = 0f;
        v[1] = -0f;
        v[2] = 1e-20f;
        v[3] = -50f;
        v[n / 2] = 0f;
        return v;
    }

    private static float[] mask(Random rnd, int n) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = rnd.nextInt(3) == 0 ? 0f : 1f;
        }
        return m;
    }

    @Test
    void forwardIsTheCpuKernelsBitForBitForEveryAlphaWithAndWithoutMask() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(11);
        int n = 1037;
        float[] v = values(rnd, n);
        for (float alpha : ALPHAS) {
            for (float[] mask : new float[][] {null, mask(rnd, n)}) {
                float[] expected = new float[n];
                PowerpropKernel.forward(alpha, v, mask, expected, n);
                float[] actual = new float[n];
                ClPowerprop.forward(cx, alpha, v, mask, actual);
                TestDevice.assertSameBits("alpha " + alpha + " mask " + (mask != null), actual, expected);
                assertThat(actual).doesNotContain(Float.NaN);
                assertThat(actual[0]).isZero();
            }
        }
    }

    @Test
    void alphaOneForwardIsABitExactCopy() {
        OpenClContext cx = TestDevice.context();
        float[] v = values(new Random(2), 100);
        float[] w = new float[100];
        ClPowerprop.forward(cx, 1f, v, null, w);
        assertThat(w).containsExactly(v);
    }

    @Test
    void backwardIsTheCpuKernelsBitForBitAndExactlyZeroAtZeroForAlphaAboveOne() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(12);
        int n = 777;
        float[] v = values(rnd, n);
        float[] gradW = TestDevice.random(rnd, n, 2);
        float[] start = TestDevice.random(rnd, n, 1);
        for (float alpha : ALPHAS) {
            for (float[] mask : new float[][] {null, mask(rnd, n)}) {
                float[] expected = start.clone();
                PowerpropKernel.backward(alpha, v, mask, gradW, expected, n);
                float[] actual = start.clone();
                ClPowerprop.backward(cx, alpha, v, mask, gradW, actual);
                TestDevice.assertSameBits("backward alpha " + alpha + " mask " + (mask != null), actual, expected);
                assertThat(actual).doesNotContain(Float.NaN);
                if (alpha > 1) {
                    // d/dv at v = 0 is exactly 0: gradV keeps its previous value.
                    assertThat(actual[0]).isEqualTo(start[0]);
                }
            }
        }
    }
}
