package dev.powerprop.engine.backend;

import dev.powerprop.engine.DType;
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

    /** A recycled float32 buffer of the right length when this thread has one, else zeros. */
    @Override
    public final Tensor uninitialized(Shape shape) {
        float[] recycled = dtype() == DType.F32 ? RecycledBuffers.take(shape.numel()) : null;
        return recycled != null ? Tensor.of(recycled, shape.dims()) : zeros(shape);
    }

    @Override
    public final void recycle(Tensor unreferenced) {
        if (unreferenced.dtype() == DType.F32) {
            RecycledBuffers.give(unreferenced.data());
        }
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
