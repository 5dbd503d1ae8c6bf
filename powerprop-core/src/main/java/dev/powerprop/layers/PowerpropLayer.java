package dev.powerprop.layers;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.Module;

/**
 * What the powerprop layers share: the parameter {@code v} of a given shape with the paper's
 * initialisation, an ordinary bias (zero at start, never pruned), and the mask held beside
 * {@code v} as the buffer {@code mask}, which checkpoints save and restore.
 */
public abstract class PowerpropLayer extends Module implements Prunable {
    private final PowerpropWeight weight;
    private final Tensor bias;

    protected PowerpropLayer(Shape vShape, int fanIn, double alpha, long seed) {
        Tensor v = registerParameter("v", Tensor.zeros(vShape.dims()));
        weight = new PowerpropWeight(v, alpha);
        PowerpropInit.init(v, fanIn, alpha, seed);
        bias = registerParameter("bias", Tensor.zeros(vShape.dim(0)));
    }

    /** w = mask * v * |v|^(alpha-1), recorded for backward: what forward uses. */
    protected final Tensor weightForward() {
        return weight.forward();
    }

    public final double alpha() {
        return weight.alpha();
    }

    public final Tensor v() {
        return weight.v();
    }

    public final Tensor bias() {
        return bias;
    }

    @Override
    public final Tensor effectiveWeight() {
        return weight.effective(true);
    }

    @Override
    public final Tensor unmaskedWeight() {
        return weight.effective(false);
    }

    @Override
    public final Tensor mask() {
        return weight.mask();
    }

    @Override
    public final void setMask(Tensor mask) {
        weight.setMask(mask, describe());
        setBuffer("mask", weight.mask());
    }

    @Override
    protected final boolean loadBuffer(String name, Tensor value) {
        if (!name.equals("mask")) {
            return false;
        }
        setMask(value);
        return true;
    }
}
