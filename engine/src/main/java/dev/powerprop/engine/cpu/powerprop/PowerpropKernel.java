package dev.powerprop.engine.cpu.powerprop;

import dev.powerprop.engine.cpu.ElementRanges;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * The fused Powerpropagation kernels (Schwarz et al., NeurIPS 2021): the effective weight
 * {@code w = mask * v * |v|^(alpha-1)} (= {@code mask * sign(v) * |v|^alpha}) and its
 * derivative {@code dL/dv = mask * alpha * |v|^(alpha-1) * dL/dw}, each in one pass over memory.
 *
 * <p>Why fused: autograd through the product {@code v * |v|^(alpha-1)} would form
 * {@code (alpha-1) * |v|^(alpha-2)}, infinite at {@code v = 0} for 1 < alpha < 2, and produce
 * {@code 0 * inf = NaN}. Written by hand the factor is exactly 0 at {@code v = 0} for alpha > 1
 * (zero is absorbing) and exactly 1 for alpha = 1. How {@code |v|^(alpha-1)} is computed
 * (multiply chain, square root or {@code pow}) is decided by {@link MagnitudePower}.
 *
 * <p>The Vector API path ({@link PowerpropVector}) is used when {@link VectorSupport#ENABLED};
 * otherwise the scalar float loops here. Long arrays (layer 1's 235,200 weights) are split over
 * the {@link Parallel} team at whole vectors ({@link ElementRanges}), which keeps the bits of one
 * thread. {@link PowerpropReference} is the float64 twin.
 * Masks hold 0 or 1 and live beside {@code v}; they are never written into {@code v}.
 */
public final class PowerpropKernel {
    /**
     * Below this many elements a chain or sqrt pass takes less time on one thread than with a
     * hand-off to the team (ElementwiseSplitBench, alpha 2, forward + backward, best samples on
     * 2 cores: 16,384 elements 3.3 us alone against 3.6 us split, 235,200 elements 59 against
     * 31 us). Of the MLP's layers only layer 1 is split.
     */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 15;
    /** The same for the exp/log lanes of a general alpha, about 30 times dearer an element (2,048 elements: 16 us alone, 9 us split). */
    static final int PARALLEL_MIN_ELEMENTS_GENERAL = 1 << 11;

    private PowerpropKernel() {}

    /**
     * Rejects an alpha that the reparameterisation does not allow.
     *
     * @throws IllegalArgumentException unless alpha is finite and >= 1
     */
    public static void checkAlpha(double alpha) {
        if (!(alpha >= 1) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a finite number >= 1 "
                    + "(alpha < 1 makes dL/dv infinite at v = 0), got " + show(alpha));
        }
    }

    /** A float alpha widened to double prints as the float the caller wrote (1.1, not 1.100000023841858). */
    private static String show(double value) {
        return (double) (float) value == value ? Float.toString((float) value) : Double.toString(value);
    }

    /**
     * {@code w[i] = mask[i] * v[i] * |v[i]|^(alpha-1)} for {@code i < n}, in one pass, on
     * {@link Parallel#threads()} threads.
     *
     * @param mask 0/1 per element, or null for no mask; with alpha = 1 and no mask, {@code w}
     *             is a bit-exact copy of {@code v}
     */
    public static void forward(float alpha, float[] v, float[] mask, float[] w, int n) {
        forward(alpha, v, mask, w, n, Parallel.threads());
    }

    /**
     * As {@link #forward(float, float[], float[], float[], int)} on up to {@code threads}
     * threads; the bits are the same for every thread count ({@link ElementRanges}).
     */
    public static void forward(float alpha, float[] v, float[] mask, float[] w, int n, int threads) {
        checkAlpha(alpha);
        checkCount(n);
        requireLength("v", v.length, n);
        requireLength("w", w.length, n);
        if (mask != null) {
            requireLength("mask", mask.length, n);
        }
        if (alpha == 1f) {
            ElementRanges.run(n, VectorSupport.FLOAT_LANES, PARALLEL_MIN_ELEMENTS, threads,
                    (from, to) -> forwardAlphaOne(v, mask, w, from, to));
            return;
        }
        MagnitudePower power = MagnitudePower.forAlpha(alpha);
        ElementRanges.Body body = VectorSupport.ENABLED
                ? (from, to) -> PowerpropVector.forward(power, v, mask, w, from, to)
                : (from, to) -> forwardScalar(power, v, mask, w, from, to);
        ElementRanges.run(n, VectorSupport.FLOAT_LANES, parallelMinElements(power), threads, body);
    }

    /**
     * {@code gradV[i] += mask[i] * alpha * |v[i]|^(alpha-1) * gradW[i]} for {@code i < n}, in one pass.
     * Accumulates, as autograd does when a parameter feeds several ops.
     */
    public static void backward(float alpha, float[] v, float[] mask, float[] gradW, float[] gradV, int n) {
        backward(alpha, v, mask, gradW, gradV, n, true);
    }

    /**
     * As {@link #backward(float, float[], float[], float[], float[], int)}; with {@code accumulate}
     * false gradV is written without being read (the first contribution of a backward pass).
     * Runs on {@link Parallel#threads()} threads.
     */
    public static void backward(float alpha, float[] v, float[] mask, float[] gradW, float[] gradV, int n,
                                boolean accumulate) {
        backward(alpha, v, mask, gradW, gradV, n, accumulate, Parallel.threads());
    }

    /** As {@link #backward(float, float[], float[], float[], float[], int, boolean)} on up to {@code threads} threads, with the same bits. */
    public static void backward(float alpha, float[] v, float[] mask, float[] gradW, float[] gradV, int n,
                                boolean accumulate, int threads) {
        checkAlpha(alpha);
        checkCount(n);
        requireLength("v", v.length, n);
        requireLength("gradW", gradW.length, n);
        requireLength("gradV", gradV.length, n);
        if (mask != null) {
            requireLength("mask", mask.length, n);
        }
        if (alpha == 1f) {
            ElementRanges.run(n, VectorSupport.FLOAT_LANES, PARALLEL_MIN_ELEMENTS, threads,
                    (from, to) -> backwardAlphaOne(mask, gradW, gradV, from, to, accumulate));
            return;
        }
        MagnitudePower power = MagnitudePower.forAlpha(alpha);
        ElementRanges.Body body = VectorSupport.ENABLED
                ? (from, to) -> PowerpropVector.backward(alpha, power, v, mask, gradW, gradV, from, to, accumulate)
                : (from, to) -> backwardScalar(alpha, power, v, mask, gradW, gradV, from, to, accumulate);
        ElementRanges.run(n, VectorSupport.FLOAT_LANES, parallelMinElements(power), threads, body);
    }

    /** exp and log cost far more per element than a multiply chain, so shorter arrays already pay for a hand-off. */
    private static int parallelMinElements(MagnitudePower power) {
        return power.general() ? PARALLEL_MIN_ELEMENTS_GENERAL : PARALLEL_MIN_ELEMENTS;
    }

    /** alpha = 1 is the plain layer: w = v bit for bit (masked: w = mask * v). C2 vectorises these loops itself. */
    static void forwardAlphaOne(float[] v, float[] mask, float[] w, int from, int to) {
        if (mask == null) {
            System.arraycopy(v, from, w, from, to - from);
        } else {
            for (int i = from; i < to; i++) {
                w[i] = v[i] * mask[i];
            }
        }
    }

    /** alpha = 1: dL/dv = dL/dw exactly (masked: mask * dL/dw). */
    static void backwardAlphaOne(float[] mask, float[] gradW, float[] gradV, int from, int to, boolean accumulate) {
        if (!accumulate) {
            if (mask == null) {
                System.arraycopy(gradW, from, gradV, from, to - from);
            } else {
                for (int i = from; i < to; i++) {
                    gradV[i] = gradW[i] * mask[i];
                }
            }
        } else if (mask == null) {
            for (int i = from; i < to; i++) {
                gradV[i] += gradW[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                gradV[i] += gradW[i] * mask[i];
            }
        }
    }

    /**
     * Scalar float forward over {@code [from, to)}: the fallback without the Vector API, and
     * the tail of the vector loop. Same operations in the same order as the vector lanes.
     */
    static void forwardScalar(MagnitudePower power, float[] v, float[] mask, float[] w, int from, int to) {
        for (int i = from; i < to; i++) {
            float y = v[i] * power.apply(Math.abs(v[i]));
            w[i] = mask == null ? y : y * mask[i];
        }
    }

    /** Scalar float backward over {@code [from, to)}; see {@link #forwardScalar}. */
    static void backwardScalar(float alpha, MagnitudePower power, float[] v, float[] mask,
                               float[] gradW, float[] gradV, int from, int to, boolean accumulate) {
        for (int i = from; i < to; i++) {
            // dL/dv = alpha * |v|^(alpha-1) * dL/dw (chain rule on sign(v)|v|^alpha)
            float g = alpha * power.apply(Math.abs(v[i])) * gradW[i];
            g = mask == null ? g : g * mask[i];
            gradV[i] = accumulate ? gradV[i] + g : g;
        }
    }

    static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
    }

    static void requireLength(String name, int length, int n) {
        if (length < n) {
            throw new IllegalArgumentException(name + " has " + length + " elements, fewer than n = " + n);
        }
    }
}
