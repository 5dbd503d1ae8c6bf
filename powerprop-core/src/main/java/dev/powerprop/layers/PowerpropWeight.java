package dev.powerprop.layers;

import dev.powerprop.engine.NoGrad;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.Powerprop;

/**
 * The reparameterised weight shared by the powerprop layers: the parameter {@code v}, the
 * exponent {@code alpha}, and an optional 0/1 mask kept beside {@code v}.
 */
final class PowerpropWeight {
    private final double alpha;
    private final Tensor v;
    private Tensor mask;

    PowerpropWeight(Tensor v, double alpha) {
        Powerprop.checkAlpha(alpha);
        this.v = v;
        this.alpha = alpha;
    }

    /** w = mask * v * |v|^(alpha-1), recorded for backward. */
    Tensor forward() {
        return Powerprop.apply(v, alpha, mask);
    }

    Tensor effective(boolean masked) {
        try (var scope = NoGrad.enter()) {
            return Powerprop.apply(v, alpha, masked ? mask : null);
        }
    }

    double alpha() {
        return alpha;
    }

    Tensor v() {
        return v;
    }

    Tensor mask() {
        return mask;
    }

    /**
     * Installs a mask after checking that it fits {@code v} and holds only 0 and 1; a mask given
     * on the host is copied to wherever {@code v} lives.
     */
    void setMask(Tensor newMask, String owner) {
        if (newMask != null) {
            Tensor.requireSameShape("mask of " + owner, v, newMask);
            Tensor host = newMask.toHost();
            for (int i = 0; i < host.numel(); i++) {
                double m = host.get(i);
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("mask of " + owner + " must hold only 0 and 1, found " + m
                            + " at index " + i);
                }
            }
            newMask = newMask.to(v.backend());
        }
        this.mask = newMask;
    }
}
