package dev.powerprop.layers;

import dev.powerprop.engine.Tensor;

/**
 * A layer whose weight can be pruned: it exposes its effective weight {@code w} (what the
 * magnitude ranking and every statistic use) and accepts a 0/1 mask of the same shape, held
 * beside the parameter and never written into it.
 */
public interface Prunable {
    /** The effective weight {@code w = mask * v * |v|^(alpha-1)}, computed now, without history. */
    Tensor effectiveWeight();

    /** The effective weight ignoring the mask (what was learned, before pruning). */
    Tensor unmaskedWeight();

    /** The current mask, or null when the layer is dense. */
    Tensor mask();

    /** Sets the 0/1 mask (same shape as the weight), or null to make the layer dense again. */
    void setMask(Tensor mask);
}
