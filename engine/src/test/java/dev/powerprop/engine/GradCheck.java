package dev.powerprop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;

/**
 * Gradient checks in double precision: the analytic gradient that backward produces against
 * central differences (f(x+h) - f(x-h)) / 2h, element by element.
 *
 * <p>Non-scalar outputs are reduced as L = sum(f(x) * R) with a fixed random R, so every
 * output element's gradient is exercised with a different weight (a plain sum would hide a
 * backward that mixes up elements).
 */
public final class GradCheck {
    private static final double H = 1e-6;
    private static final double RTOL = 1e-6;
    private static final double ATOL = 1e-8;

    private GradCheck() {}

    /** Checks dL/d(input) for every input, where L = sum(f(inputs) * R). Inputs must be F64. */
    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            assertThat(t.dtype()).as("gradient checks run in double precision").isEqualTo(DType.F64);
            t.requiresGrad(true);
            t.zeroGrad();
        }
        Tensor probe = f.apply(inputs);
        Tensor weights = Tensor.randn(DType.F64, 12345, probe.shape().dims());
        Function<Tensor[], Tensor> loss = in -> f.apply(in).mul(weights).sum();

        loss.apply(inputs).backward();
        for (int which = 0; which < inputs.length; which++) {
            Tensor x = inputs[which];
            assertThat(x.grad()).as("input %d received a gradient", which).isNotNull();
            for (int i = 0; i < x.numel(); i++) {
                double numeric = centralDifference(loss, inputs, x, i);
                double analytic = x.grad().get(i);
                assertThat(analytic)
                        .as("dL/d input%d[%d] (numeric %s)", which, i, numeric)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(ATOL + RTOL * Math.abs(numeric)
                                + 1e-6 * maxAbs(x.grad())));
            }
        }
    }

    private static double centralDifference(Function<Tensor[], Tensor> loss, Tensor[] inputs, Tensor x, int i) {
        double saved = x.get(i);
        try (var scope = NoGrad.enter()) {
            x.set(i, saved + H);
            double plus = loss.apply(inputs).item();
            x.set(i, saved - H);
            double minus = loss.apply(inputs).item();
            return (plus - minus) / (2 * H);
        } finally {
            x.set(i, saved);
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (int i = 0; i < t.numel(); i++) {
            m = Math.max(m, Math.abs(t.get(i)));
        }
        return m;
    }

    /** Random F64 values in [low, high), seeded. */
    public static Tensor uniform(long seed, double low, double high, int... dims) {
        Tensor t = Tensor.zeros(DType.F64, Shape.of(dims));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = 0; i < t.numel(); i++) {
            t.set(i, low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    /** Random F64 values whose magnitudes lie in [low, high), with random signs: away from kinks at 0. */
    public static Tensor awayFromZero(long seed, double low, double high, int... dims) {
        Tensor t = uniform(seed, low, high, dims);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < t.numel(); i++) {
            if (rng.nextBoolean()) {
                t.set(i, -t.get(i));
            }
        }
        return t;
    }
}
