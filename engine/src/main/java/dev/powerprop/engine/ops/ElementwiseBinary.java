package dev.powerprop.engine.ops;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.Broadcast;

/**
 * out = a op b for add, sub, mul, div with numpy broadcasting (a scalar, or a row over a
 * matrix, and so on).
 *
 * <p>Backward, with g = dL/dout:
 * <pre>
 *   add: da = g          db = g
 *   sub: da = g          db = -g
 *   mul: da = g * b      db = g * a
 *   div: da = g / b      db = -g * a / b^2 = -(g / b) * out
 * </pre>
 * An operand that was broadcast received the same value in many places, so its gradient is
 * the sum over those places ({@link #sumToShape}).
 */
public final class ElementwiseBinary extends Op {
    private final BinaryOp op;
    private final Tensor out;

    private ElementwiseBinary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        super(a, b);
        this.op = op;
        this.out = op == BinaryOp.DIV ? out : null;
    }

    public static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        Tensor.requireSameBackend(op.name().toLowerCase(java.util.Locale.ROOT), a, b);
        Shape shape = Broadcast.shape(a.shape(), b.shape());
        Tensor out = a.backend().uninitialized(shape); // every element is written
        a.backend().binary(op, a, b, out);
        return Op.record(out, new ElementwiseBinary(op, a, b, out));
    }

    @Override
    public void backward(Tensor g) {
        Tensor a = inputs()[0];
        Tensor b = inputs()[1];
        Backend be = g.backend();
        switch (op) {
            case ADD, SUB -> {
                if (needsGrad(0)) {
                    be.axpy(1, sumToShape(g, a.shape()), a.gradBuffer());
                }
                if (needsGrad(1)) {
                    be.axpy(op == BinaryOp.ADD ? 1 : -1, sumToShape(g, b.shape()), b.gradBuffer());
                }
            }
            case MUL -> {
                if (needsGrad(0)) {
                    be.axpy(1, sumToShape(combine(BinaryOp.MUL, g, b), a.shape()), a.gradBuffer());
                }
                if (needsGrad(1)) {
                    be.axpy(1, sumToShape(combine(BinaryOp.MUL, g, a), b.shape()), b.gradBuffer());
                }
            }
            case DIV -> {
                Tensor gOverB = combine(BinaryOp.DIV, g, b);
                if (needsGrad(0)) {
                    be.axpy(1, sumToShape(gOverB, a.shape()), a.gradBuffer());
                }
                if (needsGrad(1)) {
                    be.axpy(-1, sumToShape(combine(BinaryOp.MUL, gOverB, out), b.shape()), b.gradBuffer());
                }
            }
        }
    }

    /** x op y with broadcasting, as a plain computation (backward builds no graph). */
    private static Tensor combine(BinaryOp op, Tensor x, Tensor y) {
        Tensor r = x.backend().zeros(Broadcast.shape(x.shape(), y.shape()));
        x.backend().binary(op, x, y, r);
        return r;
    }

    /**
     * Sums {@code t} over the axes along which an operand of shape {@code target} was
     * broadcast, so the result has shape {@code target}.
     */
    static Tensor sumToShape(Tensor t, Shape target) {
        if (t.shape().equals(target)) {
            return t;
        }
        int rank = t.rank();
        int lead = rank - target.rank();
        Tensor cur = t;
        for (int axis = 0; axis < rank; axis++) {
            int targetDim = axis < lead ? 1 : target.dim(axis - lead);
            if (targetDim == 1 && cur.dim(axis) != 1) {
                Shape s = cur.shape();
                Tensor summed = t.backend().zeros(s.withOne(axis));
                t.backend().sumAxis(cur, s.product(0, axis), s.dim(axis), s.product(axis + 1, rank), summed);
                cur = summed;
            }
        }
        return cur.view(target);
    }

    @Override
    public String name() {
        return op.name().toLowerCase(java.util.Locale.ROOT);
    }
}
