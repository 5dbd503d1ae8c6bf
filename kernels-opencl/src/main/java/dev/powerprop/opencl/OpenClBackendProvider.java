package dev.powerprop.opencl;

import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.BackendProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenCL device family ({@code opencl}, {@code opencl:N}) for the engine's
 * {@code Backends.device}, found through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services}). Device N is entry N of {@link OpenClDevices#list()}; without an
 * index, {@link OpenClDevices#choose} takes the first GPU, else the first device, and logs why.
 * One {@link OpenClBackend} (one context, one program build) per device, however it was asked for.
 */
public final class OpenClBackendProvider implements BackendProvider {
    private static final Map<Integer, OpenClBackend> OPENED = new HashMap<>();

    /** For ServiceLoader. */
    public OpenClBackendProvider() {}

    @Override
    public String family() {
        return "opencl";
    }

    @Override
    public List<String> describeDevices() {
        try {
            return OpenClDevices.list().stream().map(OpenClBackendProvider::describe).toList();
        } catch (OpenClUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** "0: pthread-haswell (CPU, 2 compute units, max work-group 4096, local mem 512 KiB, global mem 6234 MiB)". */
    static String describe(DeviceInfo d) {
        return String.format("%d: %s (%s, %d compute units, max work-group %d, local mem %d KiB, global mem %d MiB)",
                d.index(), d.name(), d.gpu() ? "GPU" : "CPU", d.computeUnits(), d.maxWorkGroupSize(),
                d.localMemBytes() >> 10, d.globalMemBytes() >> 20);
    }

    @Override
    public Backend open(Integer index) {
        try {
            DeviceInfo device = OpenClDevices.choose(index);
            synchronized (OPENED) {
                OpenClBackend backend = OPENED.get(device.index());
                if (backend == null) {
                    backend = new OpenClBackend(OpenClContext.create(device));
                    OPENED.put(device.index(), backend);
                }
                return backend;
            }
        } catch (OpenClUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
