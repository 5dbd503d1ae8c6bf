package dev.powerprop.engine.cpu.optim;

import dev.powerprop.engine.cpu.ElementRanges;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * One Adam step (Kingma and Ba 2015, Algorithm 1) with PyTorch's {@code torch.optim.Adam}
 * semantics, in place:
 * <pre>
 *   g = grad + weightDecay * param                    (L2 decay added to the gradient; not AdamW)
 *   m = beta1 * m + (1 - beta1) * g                   (first moment)
 *   v = beta2 * v + (1 - beta2) * g * g               (second moment)
 *   param -= lr / (1 - beta1^step) * m / (sqrt(v) / sqrt(1 - beta2^step) + eps)
 * </pre>
 * The bias corrections are computed once per call in double, as PyTorch does in Python, and
 * eps is added after the bias-corrected square root, as PyTorch does. {@link AdamReference} is
 * the float64 twin. Long parameters are split over the {@link Parallel} team at whole vectors
 * ({@link ElementRanges}), with the bits of one thread.
 */
public final class AdamKernel {
    /**
     * Below this many elements one pass takes less time on one thread than with a hand-off to the
     * team; a step costs about twice an SGD step an element (ElementwiseSplitBench, best samples on
     * 2 cores: 8,192 elements 4.0 us alone against 3.6 us split, 16,384: 7.9 against 4.4 us).
     */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 14;

    private AdamKernel() {}

    /**
     * @param m    first-moment buffer, zero before step 1, updated in place
     * @param v    second-moment buffer, zero before step 1, updated in place
     * @param step the number of this step, counting from 1
     * @throws IllegalArgumentException for negative n, short arrays, step < 1, lr, eps or
     *         weightDecay NaN or negative, betas outside [0, 1)
     */
    public static void step(float[] param, float[] grad, float[] m, float[] v, int n, float lr, float beta1,
                            float beta2, float eps, float weightDecay, int step) {
        step(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, step, Parallel.threads());
    }

    /** As {@link #step(float[], float[], float[], float[], int, float, float, float, float, float, int)} on up to {@code threads} threads, with the same bits. */
    public static void step(float[] param, float[] grad, float[] m, float[] v, int n, float lr, float beta1,
                            float beta2, float eps, float weightDecay, int step, int threads) {
        checkArguments(param.length, grad.length, m.length, v.length, n, lr, beta1, beta2, eps, weightDecay, step);
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        ElementRanges.Body body = VectorSupport.ENABLED
                ? (from, to) -> AdamVector.step(param, grad, m, v, from, to, stepSize, beta1, beta2, bias2Sqrt, eps,
                        weightDecay)
                : (from, to) -> stepScalar(param, grad, m, v, from, to, stepSize, beta1, beta2, bias2Sqrt, eps,
                        weightDecay);
        ElementRanges.run(n, VectorSupport.FLOAT_LANES, PARALLEL_MIN_ELEMENTS, threads, body);
    }

    /**
     * Scalar float step over {@code [from, to)} with the bias corrections folded into
     * {@code stepSize = lr / (1 - beta1^t)} and {@code bias2Sqrt = sqrt(1 - beta2^t)}; the
     * fallback and the vector tail, the same operations in the same order.
     */
    static void stepScalar(float[] param, float[] grad, float[] m, float[] v, int from, int to, float stepSize,
                           float beta1, float beta2, float bias2Sqrt, float eps, float weightDecay) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float g = grad[i];
            if (weightDecay != 0f) {
                g = g + weightDecay * param[i];
            }
            float mi = beta1 * m[i] + oneMinusBeta1 * g;
            float vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
            param[i] = param[i] - stepSize * (mi / denom);
        }
    }

    /** Shared with {@link AdamReference}. */
    static void checkArguments(int paramLength, int gradLength, int mLength, int vLength, int n, double lr,
                               double beta1, double beta2, double eps, double weightDecay, int step) {
        OptimizerChecks.checkCount(n);
        OptimizerChecks.requireLength("param", paramLength, n);
        OptimizerChecks.requireLength("grad", gradLength, n);
        OptimizerChecks.requireLength("m", mLength, n);
        OptimizerChecks.requireLength("v", vLength, n);
        OptimizerChecks.requireNonNegative("lr", lr);
        OptimizerChecks.requireNonNegative("eps", eps);
        OptimizerChecks.requireNonNegative("weightDecay", weightDecay);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got beta1 " + OptimizerChecks.show(beta1)
                    + ", beta2 " + OptimizerChecks.show(beta2));
        }
        if (step < 1) {
            throw new IllegalArgumentException("step counts from 1 (it sets the bias corrections), got " + step);
        }
    }
}
