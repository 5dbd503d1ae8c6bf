package dev.powerprop.engine.cpu.powerprop;

import static dev.powerprop.engine.testing.TestArrays.SIZES;
import static dev.powerprop.engine.testing.TestArrays.assertClose;
import static dev.powerprop.engine.testing.TestArrays.assertSameBits;
import static dev.powerprop.engine.testing.TestArrays.awkward;
import static dev.powerprop.engine.testing.TestArrays.toDouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.cpu.ElementRanges;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;
import dev.powerprop.engine.testing.TestArrays;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PowerpropKernelTest {
    /** Integer (chain), half-integer (sqrt) and general (pow) alphas, including both sides of 2. */
    private static final float[] ALPHAS = {1f, 1.0001f, 1.3f, 1.5f, 1.9999f, 2f, 2.5f, 3f, 4f, 5f, 7f};

    /** The three ways to run the float kernel: the public entry, the vector class, the scalar fallback. */
    private enum Path { PUBLIC, VECTOR, SCALAR }

    private static void forward(Path path, float alpha, float[] v, float[] mask, float[] w, int n) {
        switch (path) {
            case PUBLIC -> PowerpropKernel.forward(alpha, v, mask, w, n);
            case VECTOR -> PowerpropVector.forward(alpha, v, mask, w, n);
            case SCALAR -> PowerpropKernel.forwardScalar(MagnitudePower.forAlpha(alpha), v, mask, w, 0, n);
        }
    }

    private static void backward(Path path, float alpha, float[] v, float[] mask, float[] gw, float[] gv, int n) {
        backward(path, alpha, v, mask, gw, gv, n, true);
    }

    private static void backward(Path path, float alpha, float[] v, float[] mask, float[] gw, float[] gv, int n,
                                 boolean accumulate) {
        switch (path) {
            case PUBLIC -> PowerpropKernel.backward(alpha, v, mask, gw, gv, n, accumulate);
            case VECTOR -> PowerpropVector.backward(alpha, v, mask, gw, gv, n, accumulate);
            case SCALAR -> PowerpropKernel.backwardScalar(alpha, MagnitudePower.forAlpha(alpha), v, mask, gw, gv,
                    0, n, accumulate);
        }
    }

    private static Path[] paths() {
        return VectorSupport.ENABLED ? Path.values() : new Path[] {Path.PUBLIC, Path.SCALAR};
    }

    /** Large enough to stress the chain, small enough that |v|^alpha stays finite in float for alpha <= 7. */
    private static float largeFor(float alpha) {
        return (float) Math.pow(1e30, 1.0 / alpha) / 4;
    }

    @Test
    void forwardAndBackwardMatchTheDoubleOracleForEveryPathSizeAlphaAndMask() {
        Random random = new Random(42);
        for (float alpha : ALPHAS) {
            for (int n : SIZES) {
                for (boolean masked : new boolean[] {false, true}) {
                    float[] v = awkward(random, n, 0.3f, largeFor(alpha));
                    float[] mask = masked ? TestArrays.mask(random, n) : null;
                    float[] gradW = awkward(random, n, 1f, 1e3f);
                    float[] gradV0 = awkward(random, n, 1f, 1e3f);

                    double[] w = new double[n];
                    double[] gradV = toDouble(gradV0);
                    PowerpropReference.forward(alpha, toDouble(v), toDouble(mask), w, n);
                    PowerpropReference.backward(alpha, toDouble(v), toDouble(mask), toDouble(gradW), gradV, n);
                    double[] wScale = new double[n];
                    double[] gScale = new double[n];
                    boolean general = MagnitudePower.forAlpha(alpha).general();
                    for (int i = 0; i < n; i++) {
                        // exp(e ln|v|) amplifies the rounding of ln|v| by |e ln|v||: allow for it
                        double amplification = general ? 1 + Math.abs((alpha - 1) * Math.log(Math.abs(v[i]))) : 1;
                        if (v[i] == 0) {
                            amplification = 1;
                        }
                        wScale[i] = Math.abs(w[i]) * amplification;
                        gScale[i] = Math.abs(gradV0[i]) + Math.abs(gradV[i] - gradV0[i]) * amplification;
                    }
                    for (Path path : paths()) {
                        String what = path + " alpha=" + alpha + " n=" + n + " masked=" + masked;
                        float[] wf = new float[n];
                        forward(path, alpha, v, mask, wf, n);
                        assertClose(what + " forward", wf, w, wScale, 1e-6, 0);
                        float[] gv = gradV0.clone();
                        backward(path, alpha, v, mask, gradW, gv, n);
                        assertClose(what + " backward", gv, gradV, gScale, 1e-6, 0);
                    }
                }
            }
        }
    }

    @Test
    void writingTheFirstGradientEqualsAddingItToZerosAndNeverReadsTheOldContent() {
        Random random = new Random(3);
        for (float alpha : ALPHAS) {
            for (int n : SIZES) {
                for (boolean masked : new boolean[] {false, true}) {
                    float[] v = awkward(random, n, 0.3f, largeFor(alpha));
                    float[] mask = masked ? TestArrays.mask(random, n) : null;
                    float[] gradW = awkward(random, n, 1f, 1e3f);
                    for (Path path : paths()) {
                        float[] added = new float[n];
                        backward(path, alpha, v, mask, gradW, added, n, true);
                        float[] written = new float[n];
                        Arrays.fill(written, Float.NaN); // a reused buffer's stale content
                        backward(path, alpha, v, mask, gradW, written, n, false);
                        for (int i = 0; i < n; i++) {
                            // == and not bits: 0 + (-0) is +0 where the write keeps -0
                            assertThat(written[i] == added[i])
                                    .as("%s alpha=%s n=%d masked=%s i=%d: %s vs %s", path, alpha, n, masked, i,
                                            written[i], added[i])
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorAndScalarPathsGiveTheSameBitsForChainAndSqrtAlphas() {
        assumeTrue(VectorSupport.ENABLED, VectorSupport.REASON);
        Random random = new Random(7);
        for (float alpha : new float[] {1.5f, 2f, 2.5f, 3f, 4f, 5f, 7f}) {
            int n = 4099;
            float[] v = awkward(random, n, 0.3f, largeFor(alpha));
            float[] mask = TestArrays.mask(random, n);
            float[] gradW = awkward(random, n, 1f, 1e3f);
            float[] wv = new float[n];
            float[] ws = new float[n];
            PowerpropVector.forward(alpha, v, mask, wv, n);
            PowerpropKernel.forwardScalar(MagnitudePower.forAlpha(alpha), v, mask, ws, 0, n);
            assertSameBits("forward alpha=" + alpha, wv, ws);
            float[] gv = new float[n];
            float[] gs = new float[n];
            PowerpropVector.backward(alpha, v, mask, gradW, gv, n, true);
            PowerpropKernel.backwardScalar(alpha, MagnitudePower.forAlpha(alpha), v, mask, gradW, gs, 0, n, true);
            assertSameBits("backward alpha=" + alpha, gv, gs);
        }
    }

    /** 0, 1, around one vector, tails, and lengths on both sides of the thresholds up to layer 1's 235,200 weights. */
    private static int[] splitSizes() {
        int lanes = VectorSupport.FLOAT_LANES;
        int small = PowerpropKernel.PARALLEL_MIN_ELEMENTS_GENERAL;
        int large = PowerpropKernel.PARALLEL_MIN_ELEMENTS;
        return new int[] {0, 1, 7, 8, 9, 17, 4099, small - 1, small, small + 3 * lanes + 5, large - 1, large,
                large + 1, large + 7 * lanes + 3, 235_200, 235_205};
    }

    @Test
    void splittingOverThreadsGivesTheBitsOfOneThreadForEveryAlphaMaskAndAccumulate() {
        // alpha 1.3 takes exp/log in vector lanes and Math.pow in the scalar tail, whose bits
        // differ: an element moved between lanes and tail by a split would show there.
        Random random = new Random(17);
        for (float alpha : new float[] {1f, 1.3f, 2f, 3f, 3.5f}) {
            for (int n : splitSizes()) {
                for (boolean masked : new boolean[] {false, true}) {
                    float[] v = awkward(random, n, 0.3f, largeFor(alpha));
                    float[] mask = masked ? TestArrays.mask(random, n) : null;
                    float[] gradW = awkward(random, n, 1f, 1e3f);
                    float[] gradV0 = awkward(random, n, 1f, 1e3f);
                    float[] w1 = new float[n];
                    PowerpropKernel.forward(alpha, v, mask, w1, n, 1);
                    if (VectorSupport.ENABLED && alpha != 1f) {
                        float[] whole = new float[n];
                        PowerpropVector.forward(alpha, v, mask, whole, n);
                        assertSameBits("one thread is the unsplit vector pass", w1, whole);
                    }
                    for (boolean accumulate : new boolean[] {true, false}) {
                        float[] g1 = gradV0.clone();
                        PowerpropKernel.backward(alpha, v, mask, gradW, g1, n, accumulate, 1);
                        if (VectorSupport.ENABLED && alpha != 1f) {
                            float[] whole = gradV0.clone();
                            PowerpropVector.backward(alpha, v, mask, gradW, whole, n, accumulate);
                            assertSameBits("one thread is the unsplit vector pass", g1, whole);
                        }
                        for (int threads : new int[] {2, 3, 4}) {
                            String what = "alpha=" + alpha + " n=" + n + " masked=" + masked + " threads=" + threads;
                            float[] w = new float[n];
                            PowerpropKernel.forward(alpha, v, mask, w, n, threads);
                            assertSameBits(what + " forward", w, w1);
                            float[] g = gradV0.clone();
                            PowerpropKernel.backward(alpha, v, mask, gradW, g, n, accumulate, threads);
                            assertSameBits(what + " backward accumulate=" + accumulate, g, g1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theDefaultEntriesSplitLayerOneOverTheCallersThreadLimitWithTheSameBits() {
        int n = 235_200;
        assertThat(ElementRanges.parts(n, VectorSupport.FLOAT_LANES, PowerpropKernel.PARALLEL_MIN_ELEMENTS, 2))
                .as("layer 1 is split").isEqualTo(2);
        Random random = new Random(5);
        float[] v = awkward(random, n, 0.3f, largeFor(2f));
        float[] mask = TestArrays.mask(random, n);
        float[] gradW = awkward(random, n, 1f, 1e3f);
        float[][] w = new float[2][n];
        float[][] g = new float[2][n];
        int[] limits = {1, 2};
        try {
            for (int k = 0; k < limits.length; k++) {
                Parallel.limitCurrentThread(limits[k]);
                PowerpropKernel.forward(2f, v, mask, w[k], n);
                PowerpropKernel.backward(2f, v, mask, gradW, g[k], n);
            }
        } finally {
            Parallel.limitCurrentThread(null);
        }
        assertSameBits("forward, 2 threads vs 1", w[1], w[0]);
        assertSameBits("backward, 2 threads vs 1", g[1], g[0]);
    }

    @Test
    void alphaOneIsBitIdenticalToAPlainWeight() {
        Random random = new Random(1);
        for (int n : SIZES) {
            float[] v = awkward(random, n, 0.3f, 1e30f);
            float[] gradW = awkward(random, n, 1f, 1e30f);
            float[] gradV0 = awkward(random, n, 1f, 1e30f);
            for (Path path : paths()) {
                float[] w = new float[n];
                forward(path, 1f, v, null, w, n);
                assertSameBits(path + " w == v", w, v);
                float[] gv = gradV0.clone();
                backward(path, 1f, v, null, gradW, gv, n);
                float[] expected = gradV0.clone();
                for (int i = 0; i < n; i++) {
                    expected[i] += gradW[i];
                }
                assertSameBits(path + " gradV += gradW", gv, expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {1.5f, 2f, 3f})
    void gradientIsExactlyZeroAtVZero(float alpha) {
        int n = 37;
        float[] v = new float[n];
        float[] gradW = new float[n];
        Arrays.fill(gradW, 123.5f);
        for (Path path : paths()) {
            float[] gv = new float[n];
            float[] w = new float[n];
            backward(path, alpha, v, null, gradW, gv, n);
            forward(path, alpha, v, null, w, n);
            for (int i = 0; i < n; i++) {
                assertThat(gv[i]).as(path + " dL/dv at v=0, alpha=" + alpha).isEqualTo(0f);
                assertThat(w[i]).as(path + " w at v=0").isEqualTo(0f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {1f, 1.0001f, 1.5f, 1.9999f, 2f, 3f, 5f})
    void noNaNForAnyAlphaIncludingZerosTinyAndLargeValues(float alpha) {
        Random random = new Random(3);
        int n = 1000;
        float[] v = awkward(random, n, 1f, largeFor(alpha));
        v[0] = 0f;
        v[1] = -0f;
        v[2] = Float.MIN_VALUE;
        v[3] = -Float.MIN_NORMAL;
        float[] mask = TestArrays.mask(random, n);
        float[] gradW = awkward(random, n, 1f, 1e3f);
        for (Path path : paths()) {
            float[] w = new float[n];
            float[] gv = new float[n];
            forward(path, alpha, v, mask, w, n);
            backward(path, alpha, v, mask, gradW, gv, n);
            for (int i = 0; i < n; i++) {
                assertThat(Float.isNaN(w[i]) || Float.isNaN(gv[i]))
                        .as(path + " NaN at v=" + v[i] + " alpha=" + alpha).isFalse();
            }
        }
    }

    @Test
    void backwardIsTheDerivativeOfForwardByCentralDifferences() {
        Random random = new Random(11);
        double h = 1e-6;
        for (double alpha : new double[] {1, 1.0001, 1.3, 1.5, 2, 2.5, 3, 5}) {
            int n = 50;
            double[] v = new double[n];
            double[] gradW = new double[n];
            for (int i = 0; i < n; i++) {
                // keep |v| > h so the difference never straddles the kink of |v| at 0
                v[i] = (0.05 + 2 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
                gradW[i] = random.nextGaussian();
            }
            double[] gradV = new double[n];
            PowerpropReference.backward(alpha, v, null, gradW, gradV, n);
            for (int i = 0; i < n; i++) {
                // L = sum_i gradW[i] * w[i], so dL/dv[i] = gradW[i] * dw[i]/dv[i]
                double[] plus = {v[i] + h};
                double[] minus = {v[i] - h};
                double[] wp = new double[1];
                double[] wm = new double[1];
                PowerpropReference.forward(alpha, plus, null, wp, 1);
                PowerpropReference.forward(alpha, minus, null, wm, 1);
                double numeric = gradW[i] * (wp[0] - wm[0]) / (2 * h);
                assertThat(gradV[i]).as("dL/dv at v=" + v[i] + " alpha=" + alpha)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6 * (1 + Math.abs(numeric))));
            }
        }
    }

    @Test
    void checkAlphaRejectsBelowOneNaNAndInfinityWithTheValueInTheMessage() {
        assertThatThrownBy(() -> PowerpropKernel.checkAlpha(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alpha must be a finite number >= 1 (alpha < 1 makes dL/dv infinite at v = 0), got 0.5");
        assertThatThrownBy(() -> PowerpropKernel.checkAlpha(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("got NaN");
        assertThatThrownBy(() -> PowerpropKernel.checkAlpha(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("got Infinity");
        assertThatThrownBy(() -> PowerpropKernel.forward(0.9f, new float[1], null, new float[1], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("got 0.9");
        PowerpropKernel.checkAlpha(1);
        PowerpropKernel.checkAlpha(1.5);
    }

    @Test
    void forwardAndBackwardCheckAlphaAndArrayLengths() {
        float[] a = new float[4];
        assertThatThrownBy(() -> PowerpropKernel.forward(0.5f, a, null, a, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0.5");
        assertThatThrownBy(() -> PowerpropKernel.backward(Float.NaN, a, null, a, a, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> PowerpropKernel.forward(2f, a, null, new float[3], 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("w has 3 elements, fewer than n = 4");
        assertThatThrownBy(() -> PowerpropKernel.backward(2f, a, new float[2], a, a, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mask has 2 elements, fewer than n = 4");
        assertThatThrownBy(() -> PowerpropKernel.forward(2f, a, null, a, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 0, got -1");
    }

    @Test
    void maskedWeightsAreZeroAndGetNoGradientButVKeepsItsValue() {
        float[] v = {0.5f, -2f, 3f};
        float[] mask = {1f, 0f, 1f};
        float[] w = new float[3];
        float[] gv = new float[3];
        PowerpropKernel.forward(2f, v, mask, w, 3);
        PowerpropKernel.backward(2f, v, mask, new float[] {1f, 1f, 1f}, gv, 3);
        assertThat(w).containsExactly(0.25f, -0f, 9f);
        assertThat(gv).containsExactly(1f, 0f, 6f); // 2 * |v| * 1
        assertThat(v).containsExactly(0.5f, -2f, 3f);
    }
}
