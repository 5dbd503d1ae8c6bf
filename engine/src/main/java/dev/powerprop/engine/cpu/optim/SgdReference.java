package dev.powerprop.engine.cpu.optim;

/** {@link SgdKernel} in double precision as a plain loop: the oracle, and the engine's float64 path. */
public final class SgdReference {
    private SgdReference() {}

    /** One SGD step, PyTorch semantics (dampening 0); velocity may be null when momentum is 0. */
    public static void step(double[] param, double[] grad, double[] velocity, int n, double lr, double momentum,
                            double weightDecay, boolean nesterov) {
        SgdKernel.checkArguments(param.length, grad.length, velocity == null ? -1 : velocity.length, n,
                lr, momentum, weightDecay, nesterov);
        for (int i = 0; i < n; i++) {
            double g = grad[i] + weightDecay * param[i];
            if (momentum != 0) {
                velocity[i] = momentum * velocity[i] + g;
                g = nesterov ? g + momentum * velocity[i] : velocity[i];
            }
            param[i] -= lr * g;
        }
    }
}
