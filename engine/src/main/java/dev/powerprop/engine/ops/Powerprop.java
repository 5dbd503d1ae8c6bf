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
        Tensor w = v.backend().zeros(v.shape());
        v.backend().powerprop(alpha, v, mask, w);
        return Op.record(w, new Powerprop(v, alpha, mask));
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
    }
}
