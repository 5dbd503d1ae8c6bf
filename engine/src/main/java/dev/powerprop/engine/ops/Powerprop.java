package dev.powerprop.engine.ops;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.cpu.powerprop.PowerpropKernel;

/**
 * The Powerpropagation reparameterisation (Schwarz et al. 2021), fused: the effective weight
 * is {@code w = mask * v * |v|^(alpha-1)} (= mask * sign(v) |v|^alpha), and its backward is
 * <pre>
 *   dL/dv = mask * alpha * |v|^(alpha-1) * dL/dw        (Eq. 2 of the paper)
 * </pre>
 * written by hand rather than through the product rule of a generic autograd, which would
 * give 0 * inf = NaN at v = 0 for 1 < alpha < 2. Small |v| get small updates: "the rich get
 * richer". alpha = 1 is exactly a plain weight. The mask is a constant beside v, never written
 * into it, so a pruned weight keeps its value and could come back.
 */
public final class Powerprop extends Op {
    private final double alpha;
    private final Tensor mask;
    private boolean backpropagated;

    private Powerprop(Tensor v, double alpha, Tensor mask) {
        super(v);
        this.alpha = alpha;
        this.mask = mask;
    }

    /** w = mask * v * |v|^(alpha-1); {@code mask} may be null (keep everything). */
    public static Tensor apply(Tensor v, double alpha, Tensor mask) {
        checkAlpha(alpha);
        if (mask != null) {
            Tensor.requireSameShape("powerprop mask", v, mask);
            Tensor.requireSameBackend("powerprop mask", v, mask);
        }
        return applyInto(v, alpha, mask, v.backend().uninitialized(v.shape()));
    }

    /**
     * As {@link #apply}, writing w into the storage of {@code out} (same shape and backend as
     * v, no history) and marking that storage modified. A layer keeps w's storage between
     * training steps this way instead of allocating 300 x 784 floats each step; a graph that
     * still held the old values then refuses to backpropagate (see {@link Op#checkInputsUnchanged}).
     */
    public static Tensor applyInto(Tensor v, double alpha, Tensor mask, Tensor out) {
        checkAlpha(alpha);
        if (mask != null) {
            Tensor.requireSameShape("powerprop mask", v, mask);
            Tensor.requireSameBackend("powerprop mask", v, mask);
        }
        Tensor.requireSameShape("powerprop output", v, out);
        Tensor.requireSameBackend("powerprop output", v, out);
        if (out.creator() != null) {
            throw new IllegalArgumentException("powerprop output must be a fresh tensor without history");
        }
        v.backend().powerprop(alpha, v, mask, out);
        out.markModified();
        return Op.record(out, new Powerprop(v, alpha, mask));
    }

    /** Refuses an alpha below 1 (dL/dv would be infinite at v = 0), NaN or infinite. */
    public static void checkAlpha(double alpha) {
        PowerpropKernel.checkAlpha(alpha);
    }

    @Override
    public void backward(Tensor g) {
        Tensor v = inputs()[0];
        boolean accumulate = v.hasGrad(); // the first contribution is written, not added to zeros
        v.backend().powerpropBackward(alpha, v, mask, g, v.gradStorage(), accumulate);
        backpropagated = true;
    }

    /**
     * True once backward has run through this op. Every op that read w runs its backward before
     * this one (reverse topological order), so from then on no part of this graph reads w again.
     */
    public boolean backpropagated() {
        return backpropagated;
    }
}
