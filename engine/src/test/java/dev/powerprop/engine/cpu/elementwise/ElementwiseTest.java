package dev.powerprop.engine.cpu.elementwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.ElementRanges;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The fast elementwise kernels and their scalar loops against the float64 reference. */
class ElementwiseTest {
    private static final int[] SIZES = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1023, 4099};

    private static float[] random(long seed, int n, double low, double high) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        if (n > 2) {
            a[n / 2] = 0f; // exact zeros are where relu's and log's edges are
        }
        return a;
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void assertNear(float[] actual, double[] expected, int n, double relTol, String what) {
        for (int i = 0; i < n; i++) {
            double e = expected[i];
            if (Double.isNaN(e)) {
                assertThat(actual[i]).as("%s[%d] of %d", what, i, n).isNaN();
                continue;
            }
            if (Double.isInfinite(e)) {
                assertThat((double) actual[i]).as("%s[%d] of %d", what, i, n).isEqualTo(e);
                continue;
            }
            assertThat((double) actual[i]).as("%s[%d] of %d", what, i, n)
                    .isCloseTo(e, org.assertj.core.data.Offset.offset(relTol * Math.max(1, Math.abs(e))));
        }
    }

    @Test
    void theVectorPathIsTheOneUnderTest() {
        // Unless the run asked for the scalar kernels (-Dpowerprop.vector=false): then they are.
        assumeTrue(Boolean.parseBoolean(System.getProperty("powerprop.vector", "true")), VectorSupport.REASON);
        assertThat(VectorSupport.ENABLED).as(VectorSupport.REASON).isTrue();
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesReferenceOnTailSizes(UnaryOp op) {
        for (int n : SIZES) {
            float[] x = op == UnaryOp.LOG ? random(n, n, 0.01, 50) : random(n, n, -20, 20);
            double[] expected = new double[n];
            ElementwiseReference.unary(op, widen(x), expected, n);
            float[] fast = new float[n];
            Elementwise.unary(op, x, fast, n);
            assertNear(fast, expected, n, 1e-6, op + " fast");
            float[] scalar = new float[n];
            ElementwiseScalar.unary(op, x, scalar, 0, n);
            assertNear(scalar, expected, n, 1e-6, op + " scalar");
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryBackwardAccumulatesTheDerivative(UnaryOp op) {
        for (int n : SIZES) {
            float[] x = op == UnaryOp.LOG ? random(n, n, 0.01, 50) : random(n, n, -5, 5);
            float[] y = new float[n];
            Elementwise.unary(op, x, y, n);
            float[] gy = random(n + 1, n, -1, 1);
            float[] gx0 = random(n + 2, n, -1, 1);
            double[] expected = widen(gx0);
            ElementwiseReference.unaryBackward(op, widen(x), widen(y), widen(gy), expected, n);
            float[] fast = gx0.clone();
            Elementwise.unaryBackward(op, x, y, gy, fast, n);
            assertNear(fast, expected, n, 1e-5, op + " backward fast");
            float[] scalar = gx0.clone();
            ElementwiseScalar.unaryBackward(op, x, y, gy, scalar, 0, n);
            assertNear(scalar, expected, n, 1e-5, op + " backward scalar");
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesReferenceForEveryPeriod(BinaryOp op) {
        for (int n : new int[] {1, 6, 17, 48, 1000}) {
            for (int period = 1; period <= n; period++) {
                if (n % period != 0) {
                    continue;
                }
                float[] full = random(n * 31L + period, n, -3, 3);
                float[] part = random(n * 37L + period, period, 0.5, 3);
                for (boolean partFirst : new boolean[] {false, true}) {
                    float[] a = partFirst ? part : full;
                    float[] b = partFirst ? full : part;
                    int aPeriod = partFirst ? period : n;
                    int bPeriod = partFirst ? n : period;
                    int[] ai = new int[n];
                    int[] bi = new int[n];
                    for (int i = 0; i < n; i++) {
                        ai[i] = i % aPeriod;
                        bi[i] = i % bPeriod;
                    }
                    double[] expected = new double[n];
                    ElementwiseReference.binaryIndexed(op, widen(a), ai, widen(b), bi, expected, n);
                    float[] fast = new float[n];
                    Elementwise.binaryPeriodic(op, a, aPeriod, b, bPeriod, fast, n);
                    assertNear(fast, expected, n, 1e-6, op + " period " + period + " partFirst " + partFirst);
                    float[] indexed = new float[n];
                    Elementwise.binaryIndexed(op, a, ai, b, bi, indexed, n);
                    assertNear(indexed, expected, n, 1e-6, op + " indexed");
                }
            }
        }
    }

    @Test
    void binaryCanWriteInPlace() {
        float[] a = random(1, 37, -1, 1);
        float[] expected = a.clone();
        float[] b = random(2, 37, -1, 1);
        for (int i = 0; i < 37; i++) {
            expected[i] += b[i];
        }
        Elementwise.binaryPeriodic(BinaryOp.ADD, a, 37, b, 37, a, 37);
        assertThat(a).containsExactly(expected);
    }

    @Test
    void axpyMatchesReference() {
        for (int n : SIZES) {
            float[] x = random(n, n, -3, 3);
            float[] y = random(n + 5, n, -3, 3);
            double[] expected = widen(y);
            ElementwiseReference.axpy(-0.75, widen(x), expected, n);
            Elementwise.axpy(-0.75f, x, y, n);
            assertNear(y, expected, n, 1e-6, "axpy");
        }
    }

    @Test
    void reluKeepsNaNAndMapsNegativeZeroToZero() {
        float[] x = {Float.NaN, -0f, -1f, 2f, Float.NaN, -0f, -1f, 2f, Float.NaN};
        float[] y = new float[x.length];
        Elementwise.unary(UnaryOp.RELU, x, y, x.length);
        assertThat(y).containsExactly(Float.NaN, 0f, 0f, 2f, Float.NaN, 0f, 0f, 2f, Float.NaN);
    }

    /** What {@code pass} leaves in its output on 1 and on 2 threads: both must be the same bits. */
    private static void assertSameBitsOnOneAndTwoThreads(String what, Supplier<float[]> pass) {
        float[][] out = new float[2][];
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.limitCurrentThread(threads);
                out[threads - 1] = pass.get();
            }
        } finally {
            Parallel.limitCurrentThread(null);
        }
        assertThat(out[1].length).isEqualTo(out[0].length);
        for (int i = 0; i < out[0].length; i++) {
            assertThat(Float.floatToRawIntBits(out[1][i])).as("%s[%d], 2 threads vs 1", what, i)
                    .isEqualTo(Float.floatToRawIntBits(out[0][i]));
        }
    }

    @Test
    void longPassesSplitOverTheTeamWithTheBitsOfOneThread() {
        // A layer's activations at batch 255 (255 x 301: rows are not whole vectors, the whole
        // has a 3-element scalar tail, and the rows split 127 / 128): long enough to be split.
        // exp, log, tanh and sigmoid differ between the vector lanes and the scalar tail, so a
        // split that moved an element from one to the other would change their bits; for the
        // other ops the comparison catches elements done twice or not at all.
        assumeTrue(VectorSupport.ENABLED, "vector lanes and a scalar tail need the Vector API kernels");
        int row = 301;
        int n = 255 * row;
        assertThat(n % VectorSupport.FLOAT_LANES).as("a scalar tail").isNotZero();
        try {
            Parallel.limitCurrentThread(2);
            assertThat(Elementwise.parts(n)).as("split on 2 threads").isEqualTo(2);
            Parallel.limitCurrentThread(1);
            assertThat(Elementwise.parts(n)).as("not split on 1").isEqualTo(1);
        } finally {
            Parallel.limitCurrentThread(null);
        }
        float[] x = random(71, n, 0.01, 4);
        float[] gy = random(72, n, -2, 2);
        float[] g0 = random(73, n, -1, 1);
        float[] bias = random(74, row, -1, 1);
        for (UnaryOp op : UnaryOp.values()) {
            assertSameBitsOnOneAndTwoThreads(op + " forward", () -> {
                float[] y = new float[n];
                Elementwise.unary(op, x, y, n);
                return y;
            });
            float[] y = new float[n];
            Elementwise.unary(op, x, y, n);
            assertSameBitsOnOneAndTwoThreads(op + " backward", () -> {
                float[] gx = g0.clone();
                Elementwise.unaryBackward(op, x, y, gy, gx, n);
                return gx;
            });
        }
        assertSameBitsOnOneAndTwoThreads("axpy", () -> {
            float[] out = g0.clone();
            Elementwise.axpy(0.3f, x, out, n);
            return out;
        });
        assertSameBitsOnOneAndTwoThreads("fill", () -> {
            float[] out = g0.clone();
            Elementwise.fill(out, -2.5f, n);
            return out;
        });
        for (BinaryOp op : BinaryOp.values()) {
            assertSameBitsOnOneAndTwoThreads(op + " with a bias row", () -> {
                float[] out = new float[n];
                Elementwise.binaryPeriodic(op, x, n, bias, row, out, n);
                return out;
            });
            assertSameBitsOnOneAndTwoThreads(op + " with a scalar", () -> {
                float[] out = new float[n];
                Elementwise.binaryPeriodic(op, new float[] {1.5f}, 1, x, n, out, n);
                return out;
            });
            assertSameBitsOnOneAndTwoThreads(op + " of two full operands", () -> {
                float[] out = new float[n];
                Elementwise.binaryPeriodic(op, x, n, gy, n, out, n);
                return out;
            });
        }
        // And the split pass is still the right one, not only the same on both counts.
        float[] out = new float[n];
        Elementwise.binaryPeriodic(BinaryOp.ADD, x, n, bias, row, out, n);
        for (int i = 0; i < n; i++) {
            assertThat(out[i]).as("x + bias at %d", i).isEqualTo(x[i] + bias[i % row]);
        }
        Elementwise.fill(out, 7f, n);
        assertThat(out).containsOnly(7f);
    }

    @Test
    void badLengthsAreNamed() {
        assertThatThrownBy(() -> Elementwise.unary(UnaryOp.EXP, new float[3], new float[2], 3))
                .hasMessageContaining("y has 2 elements, needs 3");
        assertThatThrownBy(() -> Elementwise.binaryPeriodic(BinaryOp.ADD, new float[6], 6, new float[4], 4, new float[6], 6))
                .hasMessageContaining("period 4 does not divide 6");
    }
}
