package dev.powerprop.engine.cpu.optim;

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
 * created buffer does. {@link SgdReference} is the float64 twin.
 */
public final class SgdKernel {
    private SgdKernel() {}

    /**
     * @param velocity the momentum buffer, updated in place; may be null when momentum is 0
     * @throws IllegalArgumentException for negative n, short arrays, or lr, momentum or
     *         weightDecay that are NaN or negative, or nesterov without momentum
     */
    public static void step(float[] param, float[] grad, float[] velocity, int n, float lr, float momentum,
                            float weightDecay, boolean nesterov) {
        checkArguments(param.length, grad.length, velocity == null ? -1 : velocity.length, n,
                lr, momentum, weightDecay, nesterov);
        if (VectorSupport.ENABLED) {
            SgdVector.step(param, grad, velocity, n, lr, momentum, weightDecay, nesterov);
        } else {
            stepScalar(param, grad, velocity, 0, n, lr, momentum, weightDecay, nesterov);
        }
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
