package dev.powerprop.nn.layers;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.Module;
import dev.powerprop.nn.init.Init;
import java.util.SplittableRandom;

/** 2-D convolution over NCHW input, weight [out, in, k, k], bias [out]; stride and zero padding. */
public final class Conv2d extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final int stride;
    private final int padding;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels, kernel, kernel));
        Init.varianceScaling(weight, inChannels * kernel * kernel, 1.0, new SplittableRandom(seed));
        bias = registerParameter("bias", Tensor.zeros(outChannels));
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return dev.powerprop.engine.ops.Conv2d.apply(x, weight, bias, stride, padding);
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    protected String describe() {
        return "Conv2d(" + weight.dim(1) + " -> " + weight.dim(0) + ", k=" + weight.dim(2) + ", stride=" + stride
                + ", pad=" + padding + ")";
    }
}
