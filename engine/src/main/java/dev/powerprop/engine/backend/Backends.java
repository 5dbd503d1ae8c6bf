package dev.powerprop.engine.backend;

import dev.powerprop.engine.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Where a tensor's kernels come from: one place decides, and says what it chose and why
 * (once per device), never falling back silently.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger("dev.powerprop.engine");
    private static final Map<String, Backend> OPENED = new LinkedHashMap<>();

    private Backends() {}

    /** The host backend for tensors of {@code dtype}. */
    public static Backend of(DType dtype) {
        return dtype == DType.F32 ? CpuBackend.INSTANCE : ReferenceBackend.INSTANCE;
    }

    /** The float32 CPU backend. */
    public static Backend cpu() {
        return CpuBackend.INSTANCE;
    }

    /**
     * The backend for a device spec: {@code cpu}, or {@code FAMILY} / {@code FAMILY:N} of a
     * plugged-in provider (e.g. {@code opencl}, {@code opencl:1}). The same spec gives the same
     * backend instance. A spec that no provider answers, or a device that cannot be opened, is
     * an {@link IllegalArgumentException} that says why.
     */
    public static synchronized Backend device(String spec) {
        if (spec == null || spec.equals("cpu")) {
            return cpu();
        }
        Backend known = OPENED.get(spec);
        if (known != null) {
            return known;
        }
        String family = spec;
        Integer index = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            family = spec.substring(0, colon);
            try {
                index = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + spec + "': expected " + family + ":N with a number N");
            }
        }
        BackendProvider provider = provider(family);
        Backend backend;
        try {
            backend = provider.open(index);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("device '" + spec + "' is not available: " + e.getMessage(), e);
        }
        LOG.info("device " + spec + ": " + backend.name());
        OPENED.put(spec, backend);
        return backend;
    }

    /** Every plugged-in provider's device family, e.g. ["opencl"]. */
    public static List<String> families() {
        List<String> out = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            out.add(p.family());
        }
        return out;
    }

    /** The provider of {@code family}, or an error listing the families there are. */
    public static BackendProvider provider(String family) {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.family().equals(family)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown device '" + family + "': devices here are cpu"
                + (families().isEmpty() ? " (no device plug-in is on the class path)" : ", " + String.join(", ", families())));
    }
}
