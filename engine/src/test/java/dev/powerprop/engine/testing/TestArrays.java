package dev.powerprop.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Seeded inputs with the awkward values kernels get wrong (exact zeros, large magnitudes) and an oracle comparison. */
public final class TestArrays {
    /** Lengths around the vector width (8 or 16 floats) and its tails, plus two long runs. */
    public static final int[] SIZES = {0, 1, 7, 8, 9, 15, 16, 17, 33, 1000, 4099};

    /**
     * Element counts for a kernel split over threads at whole vectors from {@code minElements}
     * on: the {@link #SIZES}-like tails, both sides of the threshold, and layer 1 of the MLP
     * (300 x 784) with and without a tail.
     */
    public static int[] splitSizes(int minElements) {
        int lanes = dev.powerprop.engine.cpu.VectorSupport.FLOAT_LANES;
        return new int[] {0, 1, 7, 8, 9, 17, 4099, minElements - 1, minElements, minElements + 5 * lanes + 3,
            235_200, 235_205};
    }

    private TestArrays() {}

    /** Gaussian values times {@code scale}; about one in eight is an exact 0 and one in sixteen is large. */
    public static float[] awkward(Random random, int n, float scale, float large) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(16);
            x[i] = kind < 2 ? 0f : kind == 2 ? (random.nextBoolean() ? large : -large) * (1 + random.nextFloat())
                    : (float) random.nextGaussian() * scale;
        }
        return x;
    }

    /** A 0/1 mask with about a third zeros. */
    public static float[] mask(Random random, int n) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = random.nextInt(3) == 0 ? 0f : 1f;
        }
        return m;
    }

    public static double[] toDouble(float[] x) {
        if (x == null) {
            return null;
        }
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** Fails unless {@code |actual - expected| <= rel * scale[i] + abs} everywhere and nothing is NaN. */
    public static void assertClose(String what, float[] actual, double[] expected, double[] scale, double rel, double abs) {
        for (int i = 0; i < expected.length; i++) {
            double tolerance = rel * scale[i] + abs;
            if (Float.isNaN(actual[i]) || !(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                fail(what + ": element " + i + " of " + expected.length + " is " + actual[i]
                        + ", the double oracle says " + expected[i] + " (tolerance " + tolerance + ")");
            }
        }
    }

    public static void assertSameBits(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected exactly " + expected[i]);
            }
        }
    }
}
