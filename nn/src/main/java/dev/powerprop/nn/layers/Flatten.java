package dev.powerprop.nn.layers;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.Module;

/** [N, d1, d2, ...] to [N, d1*d2*...]: a free view. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.reshape(x.dim(0), x.numel() / Math.max(1, x.dim(0)));
    }
}
