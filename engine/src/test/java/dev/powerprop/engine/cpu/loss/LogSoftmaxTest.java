package dev.powerprop.engine.cpu.loss;

import static dev.powerprop.engine.testing.TestArrays.assertClose;
import static dev.powerprop.engine.testing.TestArrays.toDouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogSoftmaxTest {
    private static boolean[] paths() {
        return VectorSupport.ENABLED ? new boolean[] {true, false} : new boolean[] {false};
    }

    @Test
    void forwardAndBackwardMatchTheDoubleOracleOnOddShapes() {
        Random random = new Random(23);
        for (int rows : new int[] {0, 1, 3, 17}) {
            for (int cols : new int[] {1, 7, 8, 9, 10, 16, 33, 1000}) {
                int n = rows * cols;
                float[] x = new float[n];
                float[] gradY = new float[n];
                float[] gradX0 = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) random.nextGaussian() * 4;
                    gradY[i] = (float) random.nextGaussian();
                    gradX0[i] = (float) random.nextGaussian();
                }
                double[] y = new double[n];
                LogSoftmaxReference.forward(toDouble(x), rows, cols, y);
                double[] gradX = toDouble(gradX0);
                LogSoftmaxReference.backward(y, toDouble(gradY), rows, cols, gradX);
                double[] yScale = new double[n];
                double[] gScale = new double[n];
                for (int i = 0; i < n; i++) {
                    yScale[i] = 1 + Math.abs(y[i]) + Math.abs(x[i]);
                    gScale[i] = 1 + Math.abs(gradX0[i]) + Math.abs(gradY[i]) + Math.abs(gradX[i] - gradX0[i]);
                }
                for (boolean useVector : paths()) {
                    String what = (useVector ? "vector " : "scalar ") + rows + "x" + cols;
                    float[] yf = new float[n];
                    LogSoftmax.forward(x, rows, cols, yf, useVector);
                    assertClose(what + " y", yf, y, yScale, 1e-6 * (1 + Math.log(cols)), 0);
                    float[] gx = gradX0.clone();
                    LogSoftmax.backward(yf, gradY, rows, cols, gx, useVector);
                    assertClose(what + " gradX", gx, gradX, gScale, 1e-5, 0);
                }
            }
        }
    }

    @Test
    void stableForLogitsOfTenThousandAndExactForTheShift() {
        float[] x = {1e4f, 1e4f - 1, -1e4f};
        float[] y = new float[3];
        for (boolean useVector : paths()) {
            LogSoftmax.forward(x, 1, 3, y, useVector);
            double logSum = Math.log(1 + Math.exp(-1));
            assertThat(y[0]).isCloseTo((float) -logSum, offset(1e-6f));
            assertThat(y[1]).isCloseTo((float) (-1 - logSum), offset(1e-6f));
            assertThat(Float.isFinite(y[2])).isTrue();
        }
    }

    @Test
    void backwardIsTheDerivativeOfForwardByCentralDifferences() {
        Random random = new Random(4);
        int rows = 2;
        int cols = 5;
        double[] x = new double[rows * cols];
        double[] gradY = new double[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
            gradY[i] = random.nextGaussian();
        }
        double[] y = new double[x.length];
        LogSoftmaxReference.forward(x, rows, cols, y);
        double[] gradX = new double[x.length];
        LogSoftmaxReference.backward(y, gradY, rows, cols, gradX);
        double h = 1e-6;
        for (int k = 0; k < x.length; k++) {
            // L = sum_i gradY[i] * y[i]
            double[] xp = x.clone();
            double[] xm = x.clone();
            xp[k] += h;
            xm[k] -= h;
            double[] yp = new double[x.length];
            double[] ym = new double[x.length];
            LogSoftmaxReference.forward(xp, rows, cols, yp);
            LogSoftmaxReference.forward(xm, rows, cols, ym);
            double numeric = 0;
            for (int i = 0; i < x.length; i++) {
                numeric += gradY[i] * (yp[i] - ym[i]) / (2 * h);
            }
            assertThat(gradX[k]).as("dL/dx[" + k + "]").isCloseTo(numeric, offset(1e-6));
        }
    }

    @Test
    void forwardMayWriteOverItsInput() {
        float[] x = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, -1f};
        float[] y = new float[x.length];
        LogSoftmax.forward(x, 1, x.length, y);
        LogSoftmax.forward(x, 1, x.length, x);
        assertThat(x).containsExactly(y);
    }

    @Test
    void shortArraysAreRejected() {
        assertThatThrownBy(() -> LogSoftmax.forward(new float[6], 2, 3, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("y has 5 elements, fewer than rows * cols = 2 * 3");
    }
}
