package dev.powerprop.opencl;

/**
 * One Adam step on the device ({@code adam.cl}) with PyTorch's {@code torch.optim.Adam}
 * semantics (L2 weight decay added to the gradient), the same operations in the same order as
 * the engine's {@code cpu/optim/AdamKernel}: the bias corrections are computed once per call in
 * double on the host, as PyTorch does in Python.
 */
public final class ClAdam {
    private ClAdam() {}

    /**
     * Updates {@code param}, {@code m} and {@code v} in place over n elements.
     *
     * @param step the number of this step, counting from 1 (it sets the bias corrections)
     */
    public static void step(OpenClContext cx, DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v,
                            int n, float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
        if (!(lr >= 0) || !(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("lr, eps and weightDecay must be >= 0, got " + lr + ", " + eps
                    + ", " + weightDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got beta1 " + beta1 + ", beta2 " + beta2);
        }
        if (step < 1) {
            throw new IllegalArgumentException("step counts from 1 (it sets the bias corrections), got " + step);
        }
        ClChecks.lengths(n, "param", param, "grad", grad, "m", m, "v", v);
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        cx.runOwned("adam_step", n, n, param, grad, m, v, stepSize, beta1, beta2, bias2Sqrt, eps, weightDecay);
    }
}
