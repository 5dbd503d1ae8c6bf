package dev.powerprop.engine.cpu.optim;

import dev.powerprop.engine.cpu.ElementRanges;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * One step of stochastic gradient descent with PyTorch's {@code torch.optim.SGD} semantics
 * (dampening 0), in place:
 * <pre>
 *   g = grad + weightDecay * param                       (L2 weight decay)
 *   if momentum != 0:  velocity = momentum * velocity + g
 *                      g = nesterov ? g + momentum * velocity : velocity
 *   param -= lr * g
 * </pre>
 * A zero-initialised velocity makes the first step's velocity equal g, as PyTorch's lazily
 * created buffer does. Long parameters are split over the {@link Parallel} team at whole
 * vectors ({@link ElementRanges}), with the bits of one thread. {@link SgdReference} is the
 * float64 twin.
 */
public final class SgdKernel {
    /**
     * Below this many elements one pass takes less time on one thread than with a hand-off to the
     * team (ElementwiseSplitBench, momentum 0.9, best samples on 2 cores: 8,192 elements 1.6 us
     * alone against 1.7 us split, 235,200 elements 37 us either way on a busy machine, 46 against
     * 38 us at the median). Of the MLP's layers only layer 1 is split.
     */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 15;

    private SgdKernel() {}

    /**
     * @param velocity the momentum buffer, updated in place; may be null when momentum is 0
     * @throws IllegalArgumentException for negative n, short arrays, or lr, momentum or
     *         weightDecay that are NaN or negative, or nesterov without momentum
     */
    public static void step(float[] param, float[] grad, float[] velocity, int n, float lr, float momentum,
                            float weightDecay, boolean nesterov) {
        step(param, grad, velocity, n, lr, momentum, weightDecay, nesterov, Parallel.threads());
    }

    /** As {@link #step(float[], float[], float[], int, float, float, float, boolean)} on up to {@code threads} threads, with the same bits. */
    public static void step(float[] param, float[] grad, float[] velocity, int n, float lr, float momentum,
                            float weightDecay, boolean nesterov, int threads) {
        checkArguments(param.length, grad.length, velocity == null ? -1 : velocity.length, n,
                lr, momentum, weightDecay, nesterov);
        ElementRanges.Body body = VectorSupport.ENABLED
                ? (from, to) -> SgdVector.step(param, grad, velocity, from, to, lr, momentum, weightDecay, nesterov)
                : (from, to) -> stepScalar(param, grad, velocity, from, to, lr, momentum, weightDecay, nesterov);
        ElementRanges.run(n, VectorSupport.FLOAT_LANES, PARALLEL_MIN_ELEMENTS, threads, body);
    }

    /** Scalar float step over {@code [from, to)}: the fallback and the vector tail, the same operations in the same order. */
    static void stepScalar(float[] param, float[] grad, float[] velocity, int from, int to, float lr, float momentum,
                           float weightDecay, boolean nesterov) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            if (weightDecay != 0f) {
                g = g + weightDecay * param[i];
            }
            if (momentum != 0f) {
                float buf = momentum * velocity[i] + g;
                velocity[i] = buf;
                g = nesterov ? g + momentum * buf : buf;
            }
            param[i] = param[i] - lr * g;
        }
    }

    /** Shared with {@link SgdReference}; {@code velocityLength} is -1 for a null velocity. */
    static void checkArguments(int paramLength, int gradLength, int velocityLength, int n, double lr,
                               double momentum, double weightDecay, boolean nesterov) {
        OptimizerChecks.checkCount(n);
        OptimizerChecks.requireLength("param", paramLength, n);
        OptimizerChecks.requireLength("grad", gradLength, n);
        OptimizerChecks.requireNonNegative("lr", lr);
        OptimizerChecks.requireNonNegative("momentum", momentum);
        OptimizerChecks.requireNonNegative("weightDecay", weightDecay);
        if (momentum != 0) {
            if (velocityLength < 0) {
                throw new IllegalArgumentException("velocity is null but momentum is " + OptimizerChecks.show(momentum)
                        + "; pass a zero-initialised buffer of n floats");
            }
            OptimizerChecks.requireLength("velocity", velocityLength, n);
        } else if (nesterov) {
            throw new IllegalArgumentException("nesterov momentum requires momentum > 0, got momentum 0");
        }
    }
}
