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

import dev.powerprop.engine.cpu.ElementRanges;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SgdKernelTest {
    /** Three steps on param 1 with a constant gradient 0.5 and lr 0.1, computed by hand from PyTorch's update rule. */
    private static float[] threeSteps(float momentum, float weightDecay, boolean nesterov) {
        float[] param = {1f};
        float[] velocity = {0f};
        float[] after = new float[3];
        for (int t = 0; t < 3; t++) {
            SgdKernel.step(param, new float[] {0.5f}, velocity, 1, 0.1f, momentum, weightDecay, nesterov);
            after[t] = param[0];
        }
        return after;
    }

    @Test
    void plainStepsMoveByLrTimesGrad() {
        assertThat(threeSteps(0f, 0f, false)).containsExactly(new float[] {0.95f, 0.90f, 0.85f}, offset(1e-6f));
    }

    @Test
    void momentumStartsFromTheGradientAndAccumulates() {
        // v1 = 0.5, p = 0.95; v2 = 0.9*0.5 + 0.5 = 0.95, p = 0.855; v3 = 1.355, p = 0.7195
        assertThat(threeSteps(0.9f, 0f, false)).containsExactly(new float[] {0.95f, 0.855f, 0.7195f}, offset(1e-6f));
    }

    @Test
    void nesterovLooksAheadByMomentumTimesVelocity() {
        // v1 = 0.5, g = 0.5 + 0.45 = 0.95, p = 0.905; v2 = 0.95, g = 0.5 + 0.855 = 1.355, p = 0.7695;
        // v3 = 1.355, g = 0.5 + 1.2195 = 1.7195, p = 0.59755
        assertThat(threeSteps(0.9f, 0f, true)).containsExactly(new float[] {0.905f, 0.7695f, 0.59755f}, offset(1e-6f));
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        // g1 = 0.5 + 0.1*1 = 0.6, p = 0.94; g2 = 0.5 + 0.094 = 0.594, p = 0.8806; g3 = 0.58806, p = 0.821794
        assertThat(threeSteps(0f, 0.1f, false)).containsExactly(new float[] {0.94f, 0.8806f, 0.821794f}, offset(1e-6f));
    }

    @Test
    void everyPathMatchesTheDoubleOracleOverSeveralSteps() {
        Random random = new Random(31);
        float[][] settings = {{0f, 0f, 0}, {0.9f, 0f, 0}, {0.9f, 1e-4f, 1}, {0.5f, 0.01f, 0}, {0f, 0.01f, 0}};
        for (int n : SIZES) {
            for (float[] s : settings) {
                float momentum = s[0];
                float weightDecay = s[1];
                boolean nesterov = s[2] == 1;
                float[] param0 = awkward(random, n, 1f, 1e3f);
                double[] param = toDouble(param0);
                double[] velocity = new double[n];
                float[] pv = param0.clone();
                float[] vv = new float[n];
                float[] ps = param0.clone();
                float[] vs = new float[n];
                double[] scale = new double[n];
                for (int t = 0; t < 3; t++) {
                    float[] grad = awkward(random, n, 1f, 1e3f);
                    SgdReference.step(param, toDouble(grad), velocity, n, 0.01, momentum, weightDecay, nesterov);
                    SgdKernel.step(pv, grad, vv, n, 0.01f, momentum, weightDecay, nesterov);
                    SgdKernel.stepScalar(ps, grad, vs, 0, n, 0.01f, momentum, weightDecay, nesterov);
                    for (int i = 0; i < n; i++) {
                        scale[i] += Math.abs(param[i]) + 0.01 * 3 * (Math.abs(grad[i]) + Math.abs(velocity[i]));
                    }
                }
                String what = "n=" + n + " momentum=" + momentum + " wd=" + weightDecay + " nesterov=" + nesterov;
                assertClose(what, pv, param, scale, 1e-6, 0);
                assertClose(what + " scalar", ps, param, scale, 1e-6, 0);
                if (VectorSupport.ENABLED) {
                    assertSameBits(what + " vector vs scalar", pv, ps);
                }
            }
        }
    }

    @Test
    void splittingOverThreadsGivesTheBitsOfOneThreadForMomentumNesterovAndWeightDecay() {
        int[] sizes = splitSizes(SgdKernel.PARALLEL_MIN_ELEMENTS);
        Random random = new Random(41);
        float[][] settings = {{0f, 0f, 0}, {0.9f, 0f, 0}, {0.9f, 0f, 1}, {0.9f, 1e-4f, 1}, {0f, 0.01f, 0}};
        for (int n : sizes) {
            for (float[] s : settings) {
                float momentum = s[0];
                float weightDecay = s[1];
                boolean nesterov = s[2] == 1;
                float[] param0 = awkward(random, n, 1f, 1e3f);
                float[] p1 = param0.clone();
                float[] v1 = new float[n];
                float[][] p = {param0.clone(), param0.clone(), param0.clone()};
                float[][] v = new float[3][n];
                for (int t = 0; t < 3; t++) {
                    float[] grad = awkward(random, n, 1f, 1e3f);
                    SgdKernel.step(p1, grad, v1, n, 0.01f, momentum, weightDecay, nesterov, 1);
                    for (int k = 0; k < 3; k++) {
                        SgdKernel.step(p[k], grad, v[k], n, 0.01f, momentum, weightDecay, nesterov, k + 2);
                    }
                }
                for (int k = 0; k < 3; k++) {
                    String what = "n=" + n + " momentum=" + momentum + " wd=" + weightDecay + " nesterov=" + nesterov
                            + " threads=" + (k + 2);
                    assertSameBits(what + " param", p[k], p1);
                    assertSameBits(what + " velocity", v[k], v1);
                }
            }
        }
    }

    @Test
    void theDefaultEntrySplitsLayerOneOverTheCallersThreadLimitWithTheSameBits() {
        int n = 235_200;
        assertThat(ElementRanges.parts(n, VectorSupport.FLOAT_LANES, SgdKernel.PARALLEL_MIN_ELEMENTS, 2))
                .as("layer 1 is split").isEqualTo(2);
        Random random = new Random(43);
        float[] param0 = awkward(random, n, 1f, 1e3f);
        float[] grad = awkward(random, n, 1f, 1e3f);
        float[][] p = {param0.clone(), param0.clone()};
        float[][] v = new float[2][n];
        try {
            for (int k = 0; k < 2; k++) {
                Parallel.limitCurrentThread(k + 1);
                SgdKernel.step(p[k], grad, v[k], n, 0.1f, 0.9f, 1e-4f, true);
            }
        } finally {
            Parallel.limitCurrentThread(null);
        }
        assertSameBits("param, 2 threads vs 1", p[1], p[0]);
        assertSameBits("velocity, 2 threads vs 1", v[1], v[0]);
    }

    @Test
    void badArgumentsAreRejectedWithTheirNames() {
        float[] a = new float[4];
        assertThatThrownBy(() -> SgdKernel.step(a, a, null, 4, Float.NaN, 0f, 0f, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lr must be a finite number >= 0, got NaN");
        assertThatThrownBy(() -> SgdKernel.step(a, new float[3], null, 4, 0.1f, 0f, 0f, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("grad has 3 elements, fewer than n = 4");
        assertThatThrownBy(() -> SgdKernel.step(a, a, null, -1, 0.1f, 0f, 0f, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 0, got -1");
        assertThatThrownBy(() -> SgdKernel.step(a, a, null, 4, 0.1f, 0.9f, 0f, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("velocity is null but momentum is 0.9");
        assertThatThrownBy(() -> SgdKernel.step(a, a, null, 4, 0.1f, 0f, 0f, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nesterov");
    }
}
