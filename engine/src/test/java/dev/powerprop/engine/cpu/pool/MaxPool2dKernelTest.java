package dev.powerprop.engine.cpu.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaxPool2dKernelTest {

    record Case(int batch, int channels, int height, int width, int k, int stride, int pad) {
        PoolGeometry geometry() {
            return PoolGeometry.of(batch, channels, height, width, k, stride, pad);
        }

        @Override
        public String toString() {
            return "N=" + batch + " C=" + channels + " H=" + height + " W=" + width + " k=" + k
                    + " stride " + stride + " pad " + pad;
        }
    }

    /** Hand-picked edges, then seeded random shapes; some rows are wide enough to fill vectors. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                new Case(1, 1, 1, 1, 1, 1, 0),
                new Case(1, 1, 1, 1, 3, 1, 1),     // window exactly covers the padded 1x1 input
                new Case(2, 3, 4, 4, 2, 2, 0),     // the classic 2x2 / 2
                new Case(1, 2, 7, 40, 3, 1, 1),    // stride 1, rows of full vectors plus tails
                new Case(1, 2, 9, 53, 3, 2, 1),    // stride 2, the usual overlapping pool
                new Case(2, 1, 11, 67, 5, 3, 2),   // stride 3, pad 2
                new Case(1, 1, 3, 100, 5, 1, 2),   // window taller than most rows: clipped top and bottom
                new Case(0, 3, 4, 4, 2, 2, 0)));   // empty batch
        SplittableRandom random = new SplittableRandom(20240611);
        int[] windows = {1, 2, 3, 5};
        while (cases.size() < 300) {
            int k = windows[random.nextInt(windows.length)];
            int pad = random.nextInt(Math.min(k, 3));
            int height = 1 + random.nextInt(random.nextBoolean() ? 5 : 14);
            int width = 1 + random.nextInt(random.nextBoolean() ? 5 : 45);
            if (k > height + 2 * pad || k > width + 2 * pad) {
                continue;
            }
            cases.add(new Case(1 + random.nextInt(2), 1 + random.nextInt(3), height, width, k,
                    1 + random.nextInt(3), pad));
        }
        return cases;
    }

    @Test
    void scalarForwardMatchesReferenceIncludingTies() {
        forwardMatchesReference(false);
    }

    @Test
    void vectorForwardMatchesReferenceIncludingTies() {
        assumeTrue(VectorSupport.ENABLED, VectorSupport.REASON);
        forwardMatchesReference(true);
    }

    private static void forwardMatchesReference(boolean vectorized) {
        SplittableRandom random = new SplittableRandom(1);
        for (Case c : cases()) {
            PoolGeometry g = c.geometry();
            // Few distinct levels, so most windows hold ties and the first-maximum rule is tested.
            float[] x = new float[g.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(4) - 2;
            }
            assertForwardMatchesReference(c, x, vectorized);
        }
    }

    @Test
    void forwardMatchesReferenceOnLargeAndInfiniteValues() {
        SplittableRandom random = new SplittableRandom(2);
        float[] specials = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -0f, 0f, 1e30f};
        for (Case c : cases()) {
            float[] x = new float[c.geometry().inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = specials[random.nextInt(specials.length)];
            }
            assertForwardMatchesReference(c, x, false);
            if (VectorSupport.ENABLED) {
                assertForwardMatchesReference(c, x, true);
            }
        }
    }

    @Test
    void nanAnywhereInAWindowMakesTheOutputNanAndArgmaxThatNan() {
        SplittableRandom random = new SplittableRandom(3);
        for (Case c : cases()) {
            float[] x = new float[c.geometry().inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
            }
            assertForwardMatchesReference(c, x, false);
            if (VectorSupport.ENABLED) {
                assertForwardMatchesReference(c, x, true);
            }
        }
        // Spelled out: a 2x4 image, 2x2 windows with stride 1. The NaN wins every window that sees
        // it, also after a larger number (7), and of two NaN the first in row-major order wins.
        float[] x = {
            5, Float.NaN, 7, Float.NaN,
            0, 0, Float.NaN, 0};
        float[] y = new float[3];
        int[] argmax = new int[3];
        MaxPool2dKernel.forward(x, 1, 1, 2, 4, 2, 1, 0, y, argmax);
        assertThat(y).containsExactly(Float.NaN, Float.NaN, Float.NaN);
        assertThat(argmax).containsExactly(1, 1, 3);
    }

    @Test
    void forwardSplitsManyPlanesAcrossThreadsWithTheSameResult() {
        // Big enough to pass the parallel threshold: 8 x 16 planes of 32x32.
        Case c = new Case(8, 16, 32, 32, 3, 2, 1);
        SplittableRandom random = new SplittableRandom(4);
        float[] x = new float[c.geometry().inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        assertForwardMatchesReference(c, x, false);
        assertForwardMatchesReference(c, x, VectorSupport.ENABLED);
    }

    @Test
    void tiesChooseTheFirstMaximumInRowMajorWindowOrder() {
        // 3x3 of equal values, 2x2 windows, stride 1: each window picks its top-left element.
        float[] x = new float[9];
        Arrays.fill(x, 1f);
        float[] y = new float[4];
        int[] argmax = new int[4];
        MaxPool2dKernel.forward(x, 1, 1, 3, 3, 2, 1, 0, y, argmax);
        assertThat(argmax).containsExactly(0, 1, 3, 4);
        // A tie between a later row and a later column: row-major order means (0,1) beats (1,0).
        float[] z = {0, 9, 9, 0};
        MaxPool2dKernel.forward(z, 1, 1, 2, 2, 2, 1, 0, y, argmax);
        assertThat(argmax[0]).isEqualTo(1);
    }

    @Test
    void paddingIsNeverChosenEvenWhenEveryInputIsBelowZeroOrMinusInfinity() {
        for (float value : new float[] {-5f, Float.NEGATIVE_INFINITY}) {
            float[] x = new float[2 * 3 * 3];
            Arrays.fill(x, value);
            float[] y = new float[2 * 2 * 2];
            int[] argmax = new int[y.length];
            MaxPool2dKernel.forward(x, 1, 2, 3, 3, 2, 2, 1, y, argmax);
            assertThat(y).containsOnly(value);
            // Each window's first real element: (0,0) and (0,1)... in channel 0, then channel 1.
            assertThat(argmax).containsExactly(0, 1, 3, 4, 9, 10, 12, 13);
        }
    }

    @Test
    void backwardMatchesReferenceAndAccumulates() {
        SplittableRandom random = new SplittableRandom(5);
        for (Case c : cases()) {
            PoolGeometry g = c.geometry();
            float[] x = new float[g.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(4);
            }
            float[] y = new float[g.outputSize()];
            int[] argmax = new int[y.length];
            MaxPool2dKernel.forward(x, c.batch(), c.channels(), c.height(), c.width(), c.k(), c.stride(), c.pad(),
                    y, argmax);
            float[] gradY = new float[y.length];
            for (int i = 0; i < gradY.length; i++) {
                gradY[i] = random.nextInt(7) - 3;
            }
            float[] gradX = new float[x.length];
            for (int i = 0; i < gradX.length; i++) {
                gradX[i] = random.nextInt(5);
            }
            double[] expected = toDoubles(gradX);
            MaxPool2dKernel.backward(gradY, argmax, gradY.length, gradX);
            MaxPool2dReference.backward(toDoubles(gradY), argmax, gradY.length, expected);
            // Small integers add exactly in float.
            assertThat(toDoubles(gradX)).as("%s", c).containsExactly(expected);
        }
    }

    @Test
    void backwardRoutesEachGradientToItsWindowsMaximumOnly() {
        // Non-overlapping 2x2 windows over 4x4: each gradient lands on its window's maximum.
        float[] x = {
            1, 2, 0, 0,
            3, 0, 0, 9,
            0, 0, 5, 6,
            7, 0, 8, 0};
        float[] y = new float[4];
        int[] argmax = new int[4];
        MaxPool2dKernel.forward(x, 1, 1, 4, 4, 2, 2, 0, y, argmax);
        assertThat(y).containsExactly(3, 9, 7, 8);
        assertThat(argmax).containsExactly(4, 7, 12, 14);

        float[] gradX = new float[16];
        MaxPool2dKernel.backward(new float[] {10, 20, 30, 40}, argmax, 4, gradX);
        float[] expected = new float[16];
        expected[4] = 10;
        expected[7] = 20;
        expected[12] = 30;
        expected[14] = 40;
        assertThat(gradX).containsExactly(expected);
    }

    @Test
    void backwardAddsUpWhenOverlappingWindowsShareAMaximum() {
        // 2x3 image, 2x2 windows with stride 1: the 9 is the maximum of both windows.
        float[] x = {
            1, 9, 2,
            0, 0, 0};
        float[] y = new float[2];
        int[] argmax = new int[2];
        MaxPool2dKernel.forward(x, 1, 1, 2, 3, 2, 1, 0, y, argmax);
        assertThat(argmax).containsExactly(1, 1);
        float[] gradX = {0, 100, 0, 0, 0, 0};
        MaxPool2dKernel.backward(new float[] {1, 2}, argmax, 2, gradX);
        assertThat(gradX).containsExactly(0, 103, 0, 0, 0, 0);
    }

    @Test
    void referenceBackwardIsTheDerivativeOfReferenceForward() {
        // Central differences of L = <gradY, maxpool(x)> in double, with distinct inputs so that
        // the maximum is unique and the function is differentiable at x.
        Case c = new Case(2, 2, 5, 6, 3, 2, 1);
        PoolGeometry g = c.geometry();
        SplittableRandom random = new SplittableRandom(6);
        double[] x = new double[g.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.37 % 1.0 + random.nextDouble() * 1e-3;
        }
        double[] gradY = new double[g.outputSize()];
        for (int i = 0; i < gradY.length; i++) {
            gradY[i] = random.nextDouble() * 2 - 1;
        }
        int[] argmax = new int[gradY.length];
        double[] y = new double[gradY.length];
        MaxPool2dReference.forward(x, c.batch(), c.channels(), c.height(), c.width(), c.k(), c.stride(), c.pad(),
                y, argmax);
        double[] gradX = new double[x.length];
        MaxPool2dReference.backward(gradY, argmax, gradY.length, gradX);

        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double saved = x[i];
            x[i] = saved + h;
            double plus = loss(c, x, gradY);
            x[i] = saved - h;
            double minus = loss(c, x, gradY);
            x[i] = saved;
            assertThat(gradX[i]).as("dL/dx[%d]", i).isCloseTo((plus - minus) / (2 * h), within(1e-6));
        }
    }

    @Test
    void padNotSmallerThanTheWindowIsRejectedBecauseAWindowCouldHoldOnlyPadding() {
        assertThatThrownBy(() -> MaxPool2dKernel.forward(new float[16], 1, 1, 4, 4, 2, 1, 2, new float[100],
                new int[100]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pad must be smaller than the pooling window, got pad 2 with window 2x2");
    }

    @Test
    void invalidGeometryIsRejectedNamingTheNumbers() {
        assertThatThrownBy(() -> MaxPool2dKernel.forward(new float[4], 1, 1, 2, 2, 3, 1, 0, new float[1],
                new int[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 3x3 is larger than the padded input 2x2 (input 2x2, pad 0)");
        assertThatThrownBy(() -> MaxPool2dReference.forward(new double[4], 1, 1, 2, 2, 2, 0, 0, new double[1],
                new int[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stride must be >= 1, got 0");
        assertThatThrownBy(() -> MaxPool2dKernel.forward(new float[4], 1, 1, 2, 2, 2, 1, -1, new float[1],
                new int[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pad must be >= 0, got -1");
    }

    @Test
    void tooShortArraysAndBadCountsAreRejected() {
        assertThatThrownBy(() -> MaxPool2dKernel.forward(new float[16], 1, 1, 4, 4, 2, 2, 0, new float[4],
                new int[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argmax needs 4 elements from offset 0 but has length 3");
        assertThatThrownBy(() -> MaxPool2dKernel.backward(new float[2], new int[3], 3, new float[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count 3 must be in [0, min(gradY length 2, argmax length 3)]");
    }

    private static double loss(Case c, double[] x, double[] gradY) {
        double[] y = new double[gradY.length];
        MaxPool2dReference.forward(x, c.batch(), c.channels(), c.height(), c.width(), c.k(), c.stride(), c.pad(),
                y, new int[y.length]);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += gradY[i] * y[i];
        }
        return sum;
    }

    private static void assertForwardMatchesReference(Case c, float[] x, boolean vectorized) {
        PoolGeometry g = c.geometry();
        float[] y = new float[g.outputSize()];
        int[] argmax = new int[y.length];
        Arrays.fill(argmax, -7);
        MaxPool2dKernel.forward(x, c.batch(), c.channels(), c.height(), c.width(), c.k(), c.stride(), c.pad(),
                y, argmax, vectorized);
        double[] expectedY = new double[y.length];
        int[] expectedArgmax = new int[y.length];
        MaxPool2dReference.forward(toDoubles(x), c.batch(), c.channels(), c.height(), c.width(), c.k(), c.stride(),
                c.pad(), expectedY, expectedArgmax);
        // A maximum is one of the inputs: exact equality, and the same element chosen.
        assertThat(argmax).as("argmax, %s, vectorized %s", c, vectorized).containsExactly(expectedArgmax);
        assertThat(toDoubles(y)).as("y, %s, vectorized %s", c, vectorized).containsExactly(expectedY);
    }

    private static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

}
