package dev.powerprop.engine.backend;

import java.util.List;

/**
 * A plug-in that offers device backends (OpenCL, ...), found through
 * {@link java.util.ServiceLoader}: a jar on the class path that lists its implementation in
 * {@code META-INF/services/dev.powerprop.engine.backend.BackendProvider} adds its devices, and
 * the engine itself never names them.
 */
public interface BackendProvider {
    /** The device family this provider answers to in a device spec, e.g. "opencl". */
    String family();

    /**
     * One line per device it can open, index first (e.g. "0: pthread-haswell (CPU, 2 compute
     * units)"); empty if the platform is present but has no device.
     *
     * @throws IllegalStateException with the reason when the platform cannot be used at all
     *     (no driver, no library)
     */
    List<String> describeDevices();

    /**
     * Opens device {@code index} (null: the provider's own choice, which it says in the log).
     *
     * @throws IllegalStateException with the reason when it cannot be opened
     */
    Backend open(Integer index);
}
