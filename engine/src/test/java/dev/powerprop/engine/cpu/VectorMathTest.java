package dev.powerprop.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The deterministic lane-wise exp, log, tanh and lane sum against java.lang.Math. */
class VectorMathTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private static float[] apply(java.util.function.UnaryOperator<FloatVector> f, float... x) {
        float[] padded = java.util.Arrays.copyOf(x, ((x.length + L - 1) / L) * L);
        float[] out = new float[padded.length];
        for (int i = 0; i < padded.length; i += L) {
            f.apply(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, padded, i)).intoArray(out, i);
        }
        return java.util.Arrays.copyOf(out, x.length);
    }

    private static void assertUlps(float actual, double expected, int ulps, String what) {
        assertThat((double) actual).as(what).isCloseTo(expected,
                org.assertj.core.data.Offset.offset(ulps * (double) Math.ulp((float) expected)));
    }

    @Test
    void expIsWithinTwoUlpsOverItsRangeAndExactAtTheEdges() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 175 - 87);
        }
        float[] y = apply(VectorMath::exp, x);
        for (int i = 0; i < x.length; i++) {
            assertUlps(y[i], Math.exp(x[i]), 2, "exp(" + x[i] + ")");
        }
        float[] edges = apply(VectorMath::exp, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -200f, 200f);
        assertThat(edges[0]).isEqualTo(1f);
        assertThat(edges[1]).isZero();
        assertThat(edges[2]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(edges[3]).isNaN();
        assertThat(edges[4]).isZero();
        assertThat(edges[5]).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void logIsWithinTwoUlpsAndHandlesZeroNegativeAndInfinity() {
        SplittableRandom rng = new SplittableRandom(2);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.exp(rng.nextDouble() * 160 - 80);
        }
        float[] y = apply(VectorMath::log, x);
        for (int i = 0; i < x.length; i++) {
            assertUlps(y[i], Math.log(x[i]), 2, "log(" + x[i] + ")");
        }
        float[] edges = apply(VectorMath::log, 1f, 0f, -1f, Float.POSITIVE_INFINITY, Float.NaN);
        assertThat(edges[0]).isZero();
        assertThat(edges[1]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(edges[2]).isNaN();
        assertThat(edges[3]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(edges[4]).isNaN();
    }

    @Test
    void tanhIsAccurateNearZeroAndSaturates() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(6) - 4));
        }
        float[] y = apply(VectorMath::tanh, x);
        for (int i = 0; i < x.length; i++) {
            assertUlps(y[i], Math.tanh(x[i]), 4, "tanh(" + x[i] + ")");
        }
        float[] edges = apply(VectorMath::tanh, 0f, 50f, -50f, Float.NaN);
        assertThat(edges).containsExactly(0f, 1f, -1f, Float.NaN);
    }

    @Test
    void sumLanesAddsInAFixedTreeOrder() {
        float[] x = new float[L];
        double expected = 0;
        for (int i = 0; i < L; i++) {
            x[i] = 1f / (i + 1);
            expected += x[i];
        }
        float s = VectorMath.sumLanes(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0));
        assertThat((double) s).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }
}
