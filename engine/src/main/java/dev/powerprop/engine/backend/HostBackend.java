package dev.powerprop.engine.backend;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;

/** What the CPU backends share: their tensors are heap arrays, so the host is where they already are. */
abstract class HostBackend implements Backend {
    @Override
    public final boolean isHost() {
        return true;
    }

    @Override
    public final Tensor zeros(Shape shape) {
        return Tensor.zeros(dtype(), shape);
    }

    @Override
    public final Tensor fromHost(Tensor host) {
        if (host.dtype() != dtype()) {
            throw new IllegalArgumentException(name() + " stores " + dtype() + ", got a " + host.dtype() + " tensor");
        }
        return host.copy();
    }

    @Override
    public final Tensor toHost(Tensor t) {
        return t;
    }
}
