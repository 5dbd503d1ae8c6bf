package dev.powerprop.engine.cpu.loss;

import static dev.powerprop.engine.cpu.loss.LogSoftmax.checkShape;

/** {@link LogSoftmax} in double precision as plain loops: the oracle, and the engine's float64 path. */
public final class LogSoftmaxReference {
    private LogSoftmaxReference() {}

    /** {@code y = x - logsumexp(x)} per row. */
    public static void forward(double[] x, int rows, int cols, double[] y) {
        checkShape(rows, cols, "x", x.length, "y", y.length);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                max = Math.max(max, x[off + k]);
            }
            double sum = 0;
            for (int k = 0; k < cols; k++) {
                sum += Math.exp(x[off + k] - max);
            }
            double logSum = Math.log(sum);
            for (int k = 0; k < cols; k++) {
                y[off + k] = (x[off + k] - max) - logSum;
            }
        }
    }

    /** {@code gradX += gradY - exp(y) * sum_row(gradY)}. */
    public static void backward(double[] y, double[] gradY, int rows, int cols, double[] gradX) {
        checkShape(rows, cols, "y", y.length, "gradY", gradY.length);
        checkShape(rows, cols, "y", y.length, "gradX", gradX.length);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double s = 0;
            for (int k = 0; k < cols; k++) {
                s += gradY[off + k];
            }
            for (int k = 0; k < cols; k++) {
                gradX[off + k] += gradY[off + k] - Math.exp(y[off + k]) * s;
            }
        }
    }
}
