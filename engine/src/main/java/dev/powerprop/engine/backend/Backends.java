package dev.powerprop.engine.backend;

import dev.powerprop.engine.DType;

/** Where a tensor's kernels come from: one place decides, and the choice is logged once. */
public final class Backends {
    private Backends() {}

    /** The backend for tensors of {@code dtype} on the CPU. */
    public static Backend of(DType dtype) {
        return dtype == DType.F32 ? CpuBackend.INSTANCE : ReferenceBackend.INSTANCE;
    }
}
