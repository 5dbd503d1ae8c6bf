package dev.powerprop.cli;

import dev.powerprop.engine.backend.BackendProvider;
import dev.powerprop.engine.backend.Backends;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code powerprop devices}: what --device can name here, with each device's limits. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices --device can use: the CPU, and every OpenCL platform's devices with their limits.")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("cpu: " + Parallel.threads() + " thread(s), " + VectorSupport.REASON);
        boolean any = false;
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class)) {
            any = true;
            try {
                var devices = provider.describeDevices();
                if (devices.isEmpty()) {
                    out.println(provider.family() + ": the platform is present but has no device");
                }
                for (String d : devices) {
                    out.println(provider.family() + ":" + d);
                }
            } catch (IllegalStateException e) {
                out.println(provider.family() + ": unavailable: " + e.getMessage());
            }
        }
        if (!any) {
            out.println("no device plug-in on the class path (kernels-opencl adds OpenCL); known families: "
                    + Backends.families());
        }
        return 0;
    }
}
