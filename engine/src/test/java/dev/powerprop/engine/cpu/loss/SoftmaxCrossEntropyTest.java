package dev.powerprop.engine.cpu.loss;

import static dev.powerprop.engine.testing.TestArrays.assertClose;
import static dev.powerprop.engine.testing.TestArrays.toDouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    private static final int[] ROWS = {1, 2, 7, 60};
    private static final int[] CLASSES = {1, 2, 7, 8, 9, 10, 17, 33, 1000};

    private static boolean[] paths() {
        return VectorSupport.ENABLED ? new boolean[] {true, false} : new boolean[] {false};
    }

    private static float[] logits(Random random, int n, float spread) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian() * spread;
        }
        return x;
    }

    private static int[] labels(Random random, int rows, int classes) {
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(classes);
        }
        return labels;
    }

    @Test
    void forwardAndBackwardMatchTheDoubleOracleOnOddShapes() {
        Random random = new Random(17);
        for (int rows : ROWS) {
            for (int classes : CLASSES) {
                float[] x = logits(random, rows * classes, 3f);
                int[] labels = labels(random, rows, classes);
                double[] probs = new double[rows * classes];
                double loss = SoftmaxCrossEntropyReference.forward(toDouble(x), rows, classes, labels, probs);
                float[] grad0 = logits(random, rows * classes, 0.01f);
                double[] grad = toDouble(grad0);
                SoftmaxCrossEntropyReference.backward(probs, rows, classes, labels, 0.5, grad);
                double[] ones = new double[probs.length];
                java.util.Arrays.fill(ones, 1);
                for (boolean useVector : paths()) {
                    String what = (useVector ? "vector" : "scalar") + " " + rows + "x" + classes;
                    float[] p = new float[rows * classes];
                    double l = SoftmaxCrossEntropy.forward(x, rows, classes, labels, p, useVector);
                    assertThat(l).as(what + " loss").isCloseTo(loss, offset(1e-5 * (1 + loss)));
                    // probabilities to a few float ulps of 1
                    assertClose(what + " probs", p, probs, ones, 1e-6 * (1 + Math.log(classes)), 0);
                    float[] g = grad0.clone();
                    SoftmaxCrossEntropy.backward(p, rows, classes, labels, 0.5f, g, useVector);
                    assertClose(what + " grad", g, grad, ones, 1e-6, 0);
                }
            }
        }
    }

    @Test
    void lossMatchesTheNaiveFormulaOnSmallLogits() {
        float[] x = {1f, 2f, 3f, -1f, 0f, 0.5f};
        int[] labels = {2, 0};
        double row0 = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
        double row1 = -Math.log(Math.exp(-1) / (Math.exp(-1) + Math.exp(0) + Math.exp(0.5)));
        double loss = SoftmaxCrossEntropy.forward(x, 2, 3, labels, new float[6]);
        assertThat(loss).isCloseTo((row0 + row1) / 2, offset(1e-6));
    }

    @Test
    void stableForLogitsOfTenThousand() {
        // Naively exp(1e4) = inf and the loss would be NaN; shifted by the max it is log(1 + e^-1 + e^-2) etc.
        float[] x = {1e4f, 1e4f - 1, 1e4f - 2, -1e4f, 1e4f, 0f};
        int[] labels = {1, 1};
        float[] p = new float[6];
        for (boolean useVector : paths()) {
            double loss = SoftmaxCrossEntropy.forward(x, 2, 3, labels, p, useVector);
            double row0 = Math.log(1 + Math.exp(-1) + Math.exp(-2)) + 1;
            double row1 = 0; // the label holds the max; e^-2e4 and e^-1e4 vanish
            assertThat(loss).isCloseTo((row0 + row1) / 2, offset(1e-6));
            for (float pi : p) {
                assertThat(Float.isFinite(pi)).isTrue();
            }
            assertThat(p[4]).isEqualTo(1f);
        }
    }

    @Test
    void probsMayBeWrittenOverTheLogits() {
        Random random = new Random(2);
        float[] x = logits(random, 3 * 11, 2f);
        int[] labels = {0, 5, 10};
        float[] probs = new float[x.length];
        double loss = SoftmaxCrossEntropy.forward(x, 3, 11, labels, probs);
        assertThat(SoftmaxCrossEntropy.forward(x, 3, 11, labels, x)).isEqualTo(loss);
        assertThat(x).containsExactly(probs);
    }

    @Test
    void backwardAccumulatesProbsMinusOneHotOverRows() {
        float[] probs = {0.25f, 0.75f, 0.5f, 0.5f};
        float[] grad = {1f, 1f, 1f, 1f};
        SoftmaxCrossEntropy.backward(probs, 2, 2, new int[] {1, 0}, 2f, grad);
        // gradLoss / rows = 1: row 0 -> (0.25, -0.25), row 1 -> (-0.5, 0.5), added to ones
        assertThat(grad).containsExactly(1.25f, 0.75f, 0.5f, 1.5f);
    }

    @Test
    void badLabelNamesTheRowAndTheLabel() {
        float[] x = new float[6];
        assertThatThrownBy(() -> SoftmaxCrossEntropy.forward(x, 2, 3, new int[] {0, 3}, new float[6]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label out of range in row 1: got 3, expected 0 <= label < 3");
        assertThatThrownBy(() -> SoftmaxCrossEntropy.backward(x, 2, 3, new int[] {-1, 0}, 1f, new float[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0: got -1");
    }

    @Test
    void zeroRowsAndShortArraysAreRejected() {
        assertThatThrownBy(() -> SoftmaxCrossEntropy.forward(new float[0], 0, 3, new int[0], new float[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rows must be >= 1 (the mean loss over zero rows is undefined), got 0");
        assertThatThrownBy(() -> SoftmaxCrossEntropy.forward(new float[5], 2, 3, new int[2], new float[6]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logits has 5 elements, fewer than rows * classes = 2 * 3");
        assertThatThrownBy(() -> SoftmaxCrossEntropy.forward(new float[6], 2, 3, new int[1], new float[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("labels has 1 entries, fewer than rows = 2");
    }
}
