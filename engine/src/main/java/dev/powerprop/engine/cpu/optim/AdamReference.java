package dev.powerprop.engine.cpu.optim;

/** {@link AdamKernel} in double precision as a plain loop: the oracle, and the engine's float64 path. */
public final class AdamReference {
    private AdamReference() {}

    /** One Adam step, PyTorch semantics; step counts from 1. */
    public static void step(double[] param, double[] grad, double[] m, double[] v, int n, double lr, double beta1,
                            double beta2, double eps, double weightDecay, int step) {
        AdamKernel.checkArguments(param.length, grad.length, m.length, v.length, n, lr, beta1, beta2, eps,
                weightDecay, step);
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < n; i++) {
            double g = grad[i] + weightDecay * param[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            param[i] -= lr / bias1 * m[i] / (Math.sqrt(v[i] / bias2) + eps);
        }
    }
}
