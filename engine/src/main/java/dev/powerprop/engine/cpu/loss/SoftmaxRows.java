package dev.powerprop.engine.cpu.loss;

/**
 * The row primitives that softmax cross-entropy and log-softmax are built from, as scalar
 * float loops: the fallback without the Vector API, and the tails of {@link SoftmaxRowsVector}
 * (which has the same methods). Every exponent is taken of {@code x - max(x) <= 0}, so
 * {@code exp} never overflows (the log-sum-exp trick).
 */
final class SoftmaxRows {
    private SoftmaxRows() {}

    /** {@code max(x[off .. off+n))}, n >= 1. */
    static float max(float[] x, int off, int n) {
        float m = x[off];
        for (int i = off + 1; i < off + n; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    /** {@code sum_i exp(x[i] - shift)}; also stores each term in {@code out[i]} unless out is null. */
    static float expSum(float[] x, int off, int n, float shift, float[] out) {
        float s = 0f;
        for (int i = off; i < off + n; i++) {
            float e = (float) Math.exp(x[i] - shift);
            if (out != null) {
                out[i] = e;
            }
            s += e;
        }
        return s;
    }

    /** {@code x[i] *= factor}. */
    static void scale(float[] x, int off, int n, float factor) {
        for (int i = off; i < off + n; i++) {
            x[i] *= factor;
        }
    }

    /** {@code y[i] = (x[i] - max) - logSum}: subtracting the max first keeps y exact for large logits. */
    static void logSoftmax(float[] x, int off, int n, float max, float logSum, float[] y) {
        for (int i = off; i < off + n; i++) {
            y[i] = (x[i] - max) - logSum;
        }
    }

    /** {@code y[i] += a * x[i]}. */
    static void addScaled(float[] y, int off, int n, float a, float[] x) {
        for (int i = off; i < off + n; i++) {
            y[i] += a * x[i];
        }
    }

    /** {@code gradX[i] += gradY[i] - exp(y[i]) * sumGradY}: the log-softmax backward of one row. */
    static void logSoftmaxBackward(float[] y, float[] gradY, int off, int n, float sumGradY, float[] gradX) {
        for (int i = off; i < off + n; i++) {
            gradX[i] += gradY[i] - (float) Math.exp(y[i]) * sumGradY;
        }
    }

    /** {@code sum_i x[i]} in float, sequentially (rows are class-sized). */
    static float sum(float[] x, int off, int n) {
        float s = 0f;
        for (int i = off; i < off + n; i++) {
            s += x[i];
        }
        return s;
    }
}
