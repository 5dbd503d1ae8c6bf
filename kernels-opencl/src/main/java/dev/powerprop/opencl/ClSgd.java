package dev.powerprop.opencl;

/**
 * One SGD step on the device ({@code sgd.cl}) with PyTorch's semantics, the same operations in
 * the same order as the engine's {@code cpu/optim/SgdKernel}: weight decay as L2, momentum with
 * dampening 0, Nesterov as {@code g + momentum * velocity}.
 */
public final class ClSgd {
    private ClSgd() {}

    /**
     * Updates {@code param} (and {@code velocity}) in place over n elements.
     *
     * @param velocity zero-initialised momentum buffer; may be null when momentum is 0
     */
    public static void step(OpenClContext cx, DeviceBuffer param, DeviceBuffer grad, DeviceBuffer velocity, int n,
                            float lr, float momentum, float weightDecay, boolean nesterov) {
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("lr, momentum and weightDecay must be >= 0, got " + lr + ", "
                    + momentum + ", " + weightDecay);
        }
        if (momentum != 0 && velocity == null) {
            throw new IllegalArgumentException("velocity is null but momentum is " + momentum
                    + "; pass a zero-initialised buffer of n floats");
        }
        if (momentum == 0 && nesterov) {
            throw new IllegalArgumentException("nesterov momentum requires momentum > 0, got momentum 0");
        }
        ClChecks.lengths(n, "param", param, "grad", grad, "velocity", velocity);
        cx.runOwned("sgd_step", n, n, param, grad, velocity, lr, momentum, weightDecay, nesterov ? 1 : 0);
    }
}
