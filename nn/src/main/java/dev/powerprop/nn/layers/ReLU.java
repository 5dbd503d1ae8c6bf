package dev.powerprop.nn.layers;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.Module;

/** max(x, 0) elementwise. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
