package dev.powerprop.layers;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.Conv2d;

/**
 * A convolution trained through Powerpropagation: it stores {@code v} [out, in, k, k] and
 * convolves with {@code w = mask * v * |v|^(alpha-1)}. Fan-in for the initialisation is
 * {@code k * k * in}.
 */
public final class PowerpropConv2d extends PowerpropLayer {
    private final int stride;
    private final int padding;

    public PowerpropConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, double alpha,
                           long seed) {
        super(Shape.of(outChannels, inChannels, kernel, kernel), inChannels * kernel * kernel, alpha, seed);
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv2d.apply(x, weightForward(), bias(), stride, padding);
    }

    @Override
    protected String describe() {
        Tensor v = v();
        return "PowerpropConv2d(" + v.dim(1) + " -> " + v.dim(0) + ", k=" + v.dim(2) + ", stride=" + stride
                + ", pad=" + padding + ", alpha=" + alpha() + ")";
    }
}
