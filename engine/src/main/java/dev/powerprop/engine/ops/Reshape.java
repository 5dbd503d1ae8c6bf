package dev.powerprop.engine.ops;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;

/**
 * The same row-major elements under another shape: a free view of the storage. Backward
 * reshapes the gradient back.
 */
public final class Reshape extends Op {
    private Reshape(Tensor x) {
        super(x);
    }

    public static Tensor apply(Tensor x, Shape shape) {
        return Op.record(x.view(shape), new Reshape(x));
    }

    @Override
    public void backward(Tensor g) {
        Tensor x = inputs()[0];
        x.backend().axpy(1, g.view(x.shape()), x.gradBuffer());
    }
}
