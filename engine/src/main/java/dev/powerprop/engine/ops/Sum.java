package dev.powerprop.engine.ops;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.backend.BinaryOp;

/**
 * Sum of all elements, or along one axis. Backward: every summed element contributed with
 * weight 1, so dL/dx is dL/dsum copied (broadcast) back over the summed axis. Saves nothing
 * but shapes.
 */
public final class Sum extends Op {
    private final Shape keptShape;

    private Sum(Tensor x, Shape keptShape) {
        super(x);
        this.keptShape = keptShape;
    }

    /** The sum of all elements, as a rank-0 tensor. */
    public static Tensor all(Tensor x) {
        Tensor out = x.backend().zeros(Shape.of());
        x.backend().sum(x, out);
        return Op.record(out, new Sum(x, Shape.of()));
    }

    /** The sum along {@code axis}; the axis is dropped unless {@code keepDims}. */
    public static Tensor axis(Tensor x, int axis, boolean keepDims) {
        Shape s = x.shape();
        int a = s.normalizeAxis(axis);
        Shape kept = s.withOne(a);
        Tensor out = x.backend().zeros(kept);
        x.backend().sumAxis(x, s.product(0, a), s.dim(a), s.product(a + 1, s.rank()), out);
        Tensor result = keepDims ? out : out.view(s.without(a));
        return Op.record(result, new Sum(x, kept));
    }

    @Override
    public void backward(Tensor g) {
        Tensor x = inputs()[0];
        Tensor gx = x.gradBuffer();
        // gx += g, with g seen in the kept-dims shape so it broadcasts along the summed axis.
        x.backend().binary(BinaryOp.ADD, gx, g.view(keptShape), gx);
    }
}
