package dev.powerprop.engine.ops;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.cpu.conv.ConvGeometry;

/**
 * Max over k x k windows of an NCHW batch. Backward (saves the index each output took):
 * the maximum is the only input an output depends on, so its gradient goes there alone.
 */
public final class MaxPool2d extends Op {
    private final Object argmax;

    private MaxPool2d(Tensor x, Object argmax) {
        super(x);
        this.argmax = argmax;
    }

    public static Tensor apply(Tensor x, int k, int stride, int pad) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("maxPool2d needs x [N, C, H, W], got " + x.shape());
        }
        ConvGeometry g = new ConvGeometry(x.dim(1), x.dim(2), x.dim(3), k, k, stride, pad);
        Tensor y = x.backend().zeros(Shape.of(x.dim(0), x.dim(1), g.outH(), g.outW()));
        Object argmax = x.backend().maxPool2d(x, k, stride, pad, y);
        return Op.record(y, new MaxPool2d(x, argmax));
    }

    @Override
    public void backward(Tensor g) {
        Tensor x = inputs()[0];
        x.backend().maxPool2dBackward(g, argmax, x.gradBuffer());
    }
}
