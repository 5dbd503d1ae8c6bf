package dev.powerprop.nn.layers;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.MatMul;
import dev.powerprop.nn.Module;
import dev.powerprop.nn.init.Init;
import java.util.SplittableRandom;

/**
 * y = x W^T + b, with W [out, in] (rows are output units, as PyTorch stores it) and b [out].
 * The transpose is a GEMM flag, not a copy. W starts from variance scaling on fan-in, b at 0.
 */
public final class Linear extends Module {
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int in, int out, long seed) {
        weight = registerParameter("weight", Tensor.zeros(out, in));
        Init.varianceScaling(weight, in, 1.0, new SplittableRandom(seed));
        bias = registerParameter("bias", Tensor.zeros(out));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("Linear(" + weight.dim(1) + " -> " + weight.dim(0)
                    + ") needs input [batch, " + weight.dim(1) + "], got " + x.shape());
        }
        return MatMul.apply(x, weight, false, true).add(bias);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected String describe() {
        return "Linear(" + weight.dim(1) + " -> " + weight.dim(0) + ")";
    }
}
