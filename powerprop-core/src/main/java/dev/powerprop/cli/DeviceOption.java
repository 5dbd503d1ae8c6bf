package dev.powerprop.cli;

import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.Backends;
import picocli.CommandLine.Option;

/** The {@code --device} option: where tensors live and kernels run. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu",
            description = "cpu (default), opencl (the first GPU, else the first OpenCL device), or opencl:N; "
                    + "'powerprop devices' lists them.")
    String spec = "cpu";

    /** The backend, or a one-line error that says why the device cannot be used. */
    Backend open() {
        return Backends.device(spec);
    }
}
