package dev.powerprop.opencl;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernels need to compute the engine's CPU backend bit for bit, and whether this
 * device gives it. IEEE add, multiply, fma and compare are correctly rounded on every OpenCL
 * device, so the same operations in the same order give the same bits; the rest is here:
 *
 * <ul>
 *   <li>{@code -cl-fp32-correctly-rounded-divide-sqrt}, where the device offers it: OpenCL's
 *       float division and sqrt may otherwise be 2.5 and 3 ulp off, Java's are exact (softmax
 *       normalisation, half-integer powerprop, Adam, elementwise division).
 *   <li>{@code CPU_LANES}: how many float lanes the CPU kernels' vector loops have
 *       ({@code FloatVector.SPECIES_PREFERRED} of this JVM), since they round their vector part
 *       and their scalar tail differently (polynomial exp against Java's double exp, lane sums);
 *       {@code CPU_ROW_LANES} the same for the softmax rows, which run
 *       {@link VectorSupport#ROW_LANES} lanes on every machine.
 *   <li>{@code HAVE_FP64}: the CPU's scalar tails compute exp, log, tanh and pow in double and
 *       round to float; a device without doubles uses its float functions there.
 * </ul>
 * Where the CPU kernels run scalar ({@link VectorSupport#ENABLED} false) the elementwise and
 * loss kernels follow their scalar loops, but the CPU's scalar GEMM does not fuse its
 * multiply-adds, so products differ from ours in the last bits.
 *
 * @param cpuLanes                   CPU_LANES (0 when the CPU kernels are scalar)
 * @param fp64                       whether the device has doubles
 * @param correctlyRoundedDivideSqrt whether float division and sqrt are built correctly rounded
 */
public record CpuParity(int cpuLanes, boolean fp64, boolean correctlyRoundedDivideSqrt) {

    /** What {@code device} offers, with the lane count of this JVM's CPU kernels. */
    public static CpuParity forDevice(DeviceInfo device) {
        return new CpuParity(VectorSupport.ENABLED ? Lanes.preferred() : 0, device.fp64(),
                device.correctlyRoundedDivideSqrt());
    }

    /** Whether the kernels compute the CPU backend's bits (up to the caveats of {@link #describe}). */
    public boolean bitwise() {
        return cpuLanes > 0 && fp64 && correctlyRoundedDivideSqrt;
    }

    /** One line for the log: bit for bit with the CPU, or what keeps the device from it. */
    public String describe() {
        if (bitwise()) {
            return "results are the CPU backend's bit for bit (its " + cpuLanes + "-lane kernels)";
        }
        List<String> why = new ArrayList<>();
        if (cpuLanes == 0) {
            why.add("the CPU kernels run scalar and the scalar GEMM does not fuse multiply-adds");
        }
        if (!fp64) {
            why.add("no doubles for the CPU's double-precision exp/log/pow tails");
        }
        if (!correctlyRoundedDivideSqrt) {
            why.add("float division and sqrt are not correctly rounded");
        }
        return "results may differ from the CPU backend's in the last bits: " + String.join("; ", why);
    }

    /** The defines and the option for clBuildProgram. */
    String buildOptions() {
        return "-DCPU_LANES=" + cpuLanes + " -DCPU_ROW_LANES=" + (cpuLanes > 0 ? VectorSupport.ROW_LANES : 0)
                + " -DHAVE_FP64=" + (fp64 ? 1 : 0)
                + (correctlyRoundedDivideSqrt ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");
    }

    /** Keeps {@code jdk.incubator.vector} unlinked unless VectorSupport found it usable. */
    private static final class Lanes {
        static int preferred() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }
    }
}
