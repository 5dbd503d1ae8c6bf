package dev.powerprop.nn.layers;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.Module;

/** Max over k x k windows of NCHW input. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;

    public MaxPool2d(int kernel, int stride) {
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return dev.powerprop.engine.ops.MaxPool2d.apply(x, kernel, stride, 0);
    }

    @Override
    protected String describe() {
        return "MaxPool2d(k=" + kernel + ", stride=" + stride + ")";
    }
}
