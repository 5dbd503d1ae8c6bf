package dev.powerprop.engine.cpu.loss;

import dev.powerprop.engine.cpu.VectorSupport;

/**
 * Log-softmax over the last axis, stable: {@code y = (x - m) - log(sum_j exp(x_j - m))} with
 * {@code m = max_j x_j} per row. Backward: since {@code dy_i/dx_k = delta_ik - softmax_k} and
 * {@code softmax = exp(y)}, {@code dL/dx = dL/dy - exp(y) * sum_row(dL/dy)}; it keeps only y.
 * {@link LogSoftmaxReference} is the float64 twin.
 */
public final class LogSoftmax {
    private LogSoftmax() {}

    /** {@code y = x - logsumexp(x)} per row of the {@code rows x cols} matrix x; y may be x. */
    public static void forward(float[] x, int rows, int cols, float[] y) {
        forward(x, rows, cols, y, VectorSupport.ENABLED);
    }

    /** {@code gradX += gradY - exp(y) * sum_row(gradY)}. */
    public static void backward(float[] y, float[] gradY, int rows, int cols, float[] gradX) {
        backward(y, gradY, rows, cols, gradX, VectorSupport.ENABLED);
    }

    static void forward(float[] x, int rows, int cols, float[] y, boolean useVector) {
        checkShape(rows, cols, "x", x.length, "y", y.length);
        for (int r = 0; r < rows && cols > 0; r++) {
            int off = r * cols;
            float max = useVector ? SoftmaxRowsVector.max(x, off, cols) : SoftmaxRows.max(x, off, cols);
            float sum = useVector ? SoftmaxRowsVector.expSum(x, off, cols, max, null)
                    : SoftmaxRows.expSum(x, off, cols, max, null);
            float logSum = (float) Math.log(sum);
            if (useVector) {
                SoftmaxRowsVector.logSoftmax(x, off, cols, max, logSum, y);
            } else {
                SoftmaxRows.logSoftmax(x, off, cols, max, logSum, y);
            }
        }
    }

    static void backward(float[] y, float[] gradY, int rows, int cols, float[] gradX, boolean useVector) {
        checkShape(rows, cols, "y", y.length, "gradY", gradY.length);
        checkShape(rows, cols, "y", y.length, "gradX", gradX.length);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            if (useVector) {
                float s = SoftmaxRowsVector.sum(gradY, off, cols);
                SoftmaxRowsVector.logSoftmaxBackward(y, gradY, off, cols, s, gradX);
            } else {
                float s = SoftmaxRows.sum(gradY, off, cols);
                SoftmaxRows.logSoftmaxBackward(y, gradY, off, cols, s, gradX);
            }
        }
    }

    static void checkShape(int rows, int cols, String a, int aLength, String b, int bLength) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        long n = (long) rows * cols;
        if (aLength < n || bLength < n) {
            String name = aLength < n ? a : b;
            throw new IllegalArgumentException(name + " has " + Math.min(aLength, bLength)
                    + " elements, fewer than rows * cols = " + rows + " * " + cols);
        }
    }
}
