package dev.powerprop.nn.layers;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.Module;

/** Modules applied one after another; each is named, so parameters read {@code fc1.weight}. */
public final class Sequential extends Module {
    /** Appends {@code module} under {@code name}; returns this for chaining. */
    public Sequential add(String name, Module module) {
        registerModule(name, module);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Module m : children().values()) {
            h = m.forward(h);
        }
        return h;
    }
}
