package dev.powerprop.layers;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.MatMul;

/**
 * A dense layer trained through Powerpropagation: it stores {@code v} [out, in] and computes
 * {@code y = x w^T + bias} with {@code w = mask * v * |v|^(alpha-1)} from the fused op.
 * {@code alpha = 1} is a plain linear layer.
 */
public final class PowerpropLinear extends PowerpropLayer {
    /** A layer of {@code in -> out} units with the paper's initialisation from {@code seed}. */
    public PowerpropLinear(int in, int out, double alpha, long seed) {
        super(Shape.of(out, in), in, alpha, seed);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != in()) {
            throw new IllegalArgumentException(describe() + " needs input [batch, " + in() + "], got " + x.shape());
        }
        return MatMul.apply(x, weightForward(), false, true).add(bias());
    }

    public int in() {
        return v().dim(1);
    }

    public int out() {
        return v().dim(0);
    }

    @Override
    protected String describe() {
        return "PowerpropLinear(" + in() + " -> " + out() + ", alpha=" + alpha() + ")";
    }
}
