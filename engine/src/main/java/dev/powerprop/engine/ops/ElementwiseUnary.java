package dev.powerprop.engine.ops;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.backend.UnaryOp;

/**
 * y = f(x) elementwise for the functions of {@link UnaryOp} (neg, relu, exp, log, tanh,
 * sigmoid). Backward: dL/dx = dL/dy * f'(x), where f' is written with y when that is cheaper
 * (relu, exp, tanh, sigmoid save y) and with x otherwise (log saves x); neg saves nothing.
 */
public final class ElementwiseUnary extends Op {
    private final UnaryOp op;
    private final Tensor savedX;
    private final Tensor savedY;

    private ElementwiseUnary(UnaryOp op, Tensor x, Tensor y) {
        super(x);
        this.op = op;
        this.savedX = op.savesInput() ? x : null;
        this.savedY = op.savesOutput() ? y : null;
    }

    public static Tensor apply(UnaryOp op, Tensor x) {
        Tensor y = x.backend().uninitialized(x.shape()); // every element is written
        x.backend().unary(op, x, y);
        return Op.record(y, new ElementwiseUnary(op, x, y));
    }

    @Override
    public void backward(Tensor gradY) {
        Tensor x = inputs()[0];
        x.backend().unaryBackward(op, savedX, savedY, gradY, x.gradBuffer());
    }

    @Override
    public String name() {
        return op.name().toLowerCase(java.util.Locale.ROOT);
    }
}
