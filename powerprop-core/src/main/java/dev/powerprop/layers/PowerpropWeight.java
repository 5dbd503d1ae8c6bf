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
    /** w's storage, kept between forward passes (w is as large as v: 940 KB for 300 x 784). */
    private Tensor wStorage;
    /** The recorded op that last wrote {@link #wStorage}, while a graph may still read it; else null. */
    private Powerprop wReader;

    PowerpropWeight(Tensor v, double alpha) {
        Powerprop.checkAlpha(alpha);
        this.v = v;
        this.alpha = alpha;
    }

    /**
     * w = mask * v * |v|^(alpha-1), recorded for backward. w is recomputed on every call (v, the
     * mask, or a user's write through {@code v.data()} may have changed it), into storage kept
     * from the last call when no graph can still read the old values: none was recorded, or
     * backward has run through it. A training step (forward, backward, step) therefore reuses
     * the storage; a second forward before backward gets fresh storage, so both graphs stay
     * valid.
     */
    Tensor forward() {
        if (NoGrad.isGradEnabled() && !v.requiresGrad()) {
            // w would be a constant that a recorded product may save without our knowing.
            return Powerprop.apply(v, alpha, mask);
        }
        boolean inUse = wReader != null && !wReader.backpropagated();
        if (wStorage == null || inUse || wStorage.backend() != v.backend()) {
            wStorage = v.backend().uninitialized(v.shape());
        }
        Tensor w = Powerprop.applyInto(v, alpha, mask, wStorage.view(v.shape()));
        wReader = w.creator() instanceof Powerprop op ? op : null;
        return w;
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
