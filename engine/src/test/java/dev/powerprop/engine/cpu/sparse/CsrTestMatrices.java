package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.sparse.CsrMatrix;
import java.util.SplittableRandom;

/** Seeded CSR test matrices with the structures that break sparse kernels. */
final class CsrTestMatrices {
    private CsrTestMatrices() {}

    /** The structures: each must give the same product as the oracle. */
    enum Pattern { RANDOM, EMPTY_ROWS, ALL_ZERO, SINGLE_NONZERO, RAGGED, DENSE, ROWS_IN_FOURS }

    static CsrMatrix make(Pattern pattern, int rows, int cols, double density, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] dense = new float[rows * cols];
        float[] mask = new float[rows * cols];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        switch (pattern) {
            case RANDOM -> fill(mask, rng, density, 0, rows * cols);
            case EMPTY_ROWS -> {
                // Every other row (and the last) empty; the rest random.
                for (int r = 0; r < rows; r++) {
                    if (r % 2 == 0 && r != rows - 1) {
                        fill(mask, rng, density, r * cols, (r + 1) * cols);
                    }
                }
            }
            case ALL_ZERO -> { }
            case SINGLE_NONZERO -> {
                if (rows * cols > 0) {
                    mask[rng.nextInt(rows * cols)] = 1;
                }
            }
            case RAGGED -> {
                // One full row among empty ones: the partition must not give it to both threads.
                if (rows > 0) {
                    int r = rows / 2;
                    java.util.Arrays.fill(mask, r * cols, (r + 1) * cols, 1f);
                }
            }
            case DENSE -> java.util.Arrays.fill(mask, 1f);
            case ROWS_IN_FOURS -> {
                // Block pruning's mask: each column kept or not for 4 rows at once; the last
                // rows % 4 rows random.
                for (int r = 0; r + 3 < rows; r += 4) {
                    for (int col = 0; col < cols; col++) {
                        float keep = rng.nextDouble() < density ? 1f : 0f;
                        for (int i = 0; i < 4; i++) {
                            mask[(r + i) * cols + col] = keep;
                        }
                    }
                }
                fill(mask, rng, density, rows / 4 * 4 * cols, rows * cols);
            }
        }
        return CsrMatrix.fromDense(dense, mask, rows, cols);
    }

    private static void fill(float[] mask, SplittableRandom rng, double density, int from, int to) {
        for (int i = from; i < to; i++) {
            mask[i] = rng.nextDouble() < density ? 1f : 0f;
        }
    }

    static float[] random(int length, long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    static double[] abs(double[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = Math.abs(x[i]);
        }
        return d;
    }

    /**
     * Asserts |actual - expected| <= (terms + 2) * 2^-23 * magnitude elementwise, where
     * magnitude is the same sum over absolute values: the float rounding bound of a sum of
     * {@code terms} products.
     */
    static void assertClose(String what, float[] actual, double[] expected, double[] magnitude, int terms) {
        for (int i = 0; i < expected.length; i++) {
            double tol = (terms + 2) * 0x1p-23 * magnitude[i] + 1e-30;
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", oracle " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    /**
     * Asserts that {@code c} is {@code A * B (+ bias) (+ c0 if accumulate)} within the rounding
     * bound of {@link #assertClose}, against the double-precision oracle.
     */
    static void checkProduct(String what, CsrMatrix a, float[] b, int n, float[] c0, float[] c, float[] bias,
                             boolean accumulate) {
        int rows = a.rows();
        double[] expected = toDouble(c0);
        double[] biasD = bias == null ? null : toDouble(bias);
        CsrSpmmReference.spmm(rows, a.rowPtr(), a.colIdx(), toDouble(a.values()), toDouble(b), n, expected, biasD,
                accumulate);
        double[] magnitude = abs(toDouble(c0));
        CsrSpmmReference.spmm(rows, a.rowPtr(), a.colIdx(), abs(toDouble(a.values())), abs(toDouble(b)), n,
                magnitude, biasD == null ? null : abs(biasD), accumulate);
        assertClose(what, java.util.Arrays.copyOf(c, rows * n), expected, magnitude, a.cols() + 2);
    }
}
