package dev.powerprop.engine.ops;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;

/**
 * y = x^T for a 2-D tensor, as a copy (prefer {@link MatMul}'s transpose flags, which copy
 * nothing). Backward: dL/dx = (dL/dy)^T.
 */
public final class Transpose extends Op {
    private Transpose(Tensor x) {
        super(x);
    }

    public static Tensor apply(Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("transpose needs a 2-D tensor, got " + x.shape());
        }
        Tensor y = x.backend().zeros(Shape.of(x.dim(1), x.dim(0)));
        x.backend().transpose(x, y);
        return Op.record(y, new Transpose(x));
    }

    @Override
    public void backward(Tensor g) {
        Tensor x = inputs()[0];
        Tensor gt = g.backend().zeros(x.shape());
        x.backend().transpose(g, gt);
        x.backend().axpy(1, gt, x.gradBuffer());
    }
}
