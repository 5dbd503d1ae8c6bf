package dev.powerprop.engine.cpu.optim;

import static dev.powerprop.engine.testing.TestArrays.SIZES;
import static dev.powerprop.engine.testing.TestArrays.assertClose;
import static dev.powerprop.engine.testing.TestArrays.assertSameBits;
import static dev.powerprop.engine.testing.TestArrays.awkward;
import static dev.powerprop.engine.testing.TestArrays.splitSizes;
import static dev.powerprop.engine.testing.TestArrays.toDouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamKernelTest {
    @Test
    void threeStepsFollowPyTorchsUpdateRule() {
        // lr 0.1, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, param 1, gradients 0.5, -0.25, 1.
        // Step 1 by hand: g = 0.5 + 0.01 = 0.51, m = 0.051, v = 0.0002601, m/(1-0.9) = 0.51,
        // sqrt(v/(1-0.999)) = 0.51, so param = 1 - 0.1 * 0.51/(0.51 + 1e-8) = 0.9000000019607843.
        // Steps 2 and 3: the same rule evaluated in double. The float kernel is held to 1e-4
        // relative on m and v because 1 - 0.999f is 0.0010000467, not 0.001: the float beta's own rounding.
        double[][] expected = {
                {0.9000000019607843, 0.05099999999999999, 0.00026010000000000025},
                {0.8712293476231743, 0.02180000000196078, 0.0003179208999905493},
                {0.8046143342173858, 0.12049122934938786, 0.0013351034701006392}};
        float[] grads = {0.5f, -0.25f, 1f};
        float[] param = {1f};
        float[] m = {0f};
        float[] v = {0f};
        double[] pd = {1};
        double[] md = {0};
        double[] vd = {0};
        for (int t = 1; t <= 3; t++) {
            AdamKernel.step(param, new float[] {grads[t - 1]}, m, v, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0.01f, t);
            AdamReference.step(pd, new double[] {grads[t - 1]}, md, vd, 1, 0.1, 0.9, 0.999, 1e-8, 0.01, t);
            assertThat(param[0]).as("param after step " + t).isCloseTo((float) expected[t - 1][0], offset(1e-6f));
            assertThat(m[0]).as("m after step " + t).isCloseTo((float) expected[t - 1][1], offset((float) (1e-4 * expected[t - 1][1])));
            assertThat(v[0]).as("v after step " + t).isCloseTo((float) expected[t - 1][2], offset((float) (1e-4 * expected[t - 1][2])));
            assertThat(pd[0]).as("reference param after step " + t).isCloseTo(expected[t - 1][0], offset(1e-12));
        }
    }

    @Test
    void aConstantGradientMovesEachStepByAboutLr() {
        // Bias correction makes m_hat = g and v_hat = g^2 exactly, so each step is lr * g / (|g| + eps).
        float[] param = {0f, 0f};
        float[] m = new float[2];
        float[] v = new float[2];
        for (int t = 1; t <= 5; t++) {
            AdamKernel.step(param, new float[] {3f, -0.001f}, m, v, 2, 0.01f, 0.9f, 0.999f, 0f, 0f, t);
            assertThat(param[0]).isCloseTo(-0.01f * t, offset(1e-6f));
            assertThat(param[1]).isCloseTo(0.01f * t, offset(1e-6f));
        }
    }

    @Test
    void everyPathMatchesTheDoubleOracleOverSeveralSteps() {
        Random random = new Random(37);
        for (int n : SIZES) {
            for (float weightDecay : new float[] {0f, 0.01f}) {
                float[] param0 = awkward(random, n, 1f, 1e3f);
                double[] param = toDouble(param0);
                double[] md = new double[n];
                double[] vd = new double[n];
                float[] pv = param0.clone();
                float[] mv = new float[n];
                float[] vv = new float[n];
                float[] ps = param0.clone();
                float[] ms = new float[n];
                float[] vs = new float[n];
                double[] scale = new double[n];
                for (int t = 1; t <= 4; t++) {
                    float[] grad = awkward(random, n, 1f, 1e3f);
                    AdamReference.step(param, toDouble(grad), md, vd, n, 1e-3, 0.9, 0.999, 1e-8, weightDecay, t);
                    AdamKernel.step(pv, grad, mv, vv, n, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, t);
                    float stepSize = (float) (1e-3f / (1 - Math.pow(0.9f, t)));
                    float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(0.999f, t));
                    AdamKernel.stepScalar(ps, grad, ms, vs, 0, n, stepSize, 0.9f, 0.999f, bias2Sqrt, 1e-8f, weightDecay);
                }
                for (int i = 0; i < n; i++) {
                    // an Adam step is at most about lr * (1 - beta1) / sqrt(1 - beta2) in size; 1e-3 relative of it
                    scale[i] = Math.abs(param[i]) + 4 * 1e-3 * 3.2;
                }
                String what = "n=" + n + " wd=" + weightDecay;
                assertClose(what, pv, param, scale, 1e-5, 0);
                assertClose(what + " scalar", ps, param, scale, 1e-5, 0);
                if (VectorSupport.ENABLED) {
                    assertSameBits(what + " vector vs scalar", pv, ps);
                }
            }
        }
    }

    @Test
    void splittingOverThreadsGivesTheBitsOfOneThreadWithAndWithoutWeightDecay() {
        int[] sizes = splitSizes(AdamKernel.PARALLEL_MIN_ELEMENTS);
        Random random = new Random(47);
        for (int n : sizes) {
            for (float weightDecay : new float[] {0f, 0.01f}) {
                float[] param0 = awkward(random, n, 1f, 1e3f);
                float[] p1 = param0.clone();
                float[] m1 = new float[n];
                float[] v1 = new float[n];
                float[][] p = {param0.clone(), param0.clone(), param0.clone()};
                float[][] m = new float[3][n];
                float[][] v = new float[3][n];
                for (int t = 1; t <= 3; t++) {
                    float[] grad = awkward(random, n, 1f, 1e3f);
                    AdamKernel.step(p1, grad, m1, v1, n, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, t, 1);
                    for (int k = 0; k < 3; k++) {
                        AdamKernel.step(p[k], grad, m[k], v[k], n, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, t, k + 2);
                    }
                }
                for (int k = 0; k < 3; k++) {
                    String what = "n=" + n + " wd=" + weightDecay + " threads=" + (k + 2);
                    assertSameBits(what + " param", p[k], p1);
                    assertSameBits(what + " m", m[k], m1);
                    assertSameBits(what + " v", v[k], v1);
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirNames() {
        float[] a = new float[4];
        assertThatThrownBy(() -> AdamKernel.step(a, a, a, a, 4, Float.NaN, 0.9f, 0.999f, 1e-8f, 0f, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lr must be a finite number >= 0, got NaN");
        assertThatThrownBy(() -> AdamKernel.step(a, a, a, a, 4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step counts from 1");
        assertThatThrownBy(() -> AdamKernel.step(a, a, a, a, 4, 0.1f, 1f, 0.999f, 1e-8f, 0f, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("betas must be in [0, 1)");
        assertThatThrownBy(() -> AdamKernel.step(a, a, new float[2], a, 4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("m has 2 elements, fewer than n = 4");
        assertThatThrownBy(() -> AdamKernel.step(a, a, a, a, -2, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 0, got -2");
    }
}
