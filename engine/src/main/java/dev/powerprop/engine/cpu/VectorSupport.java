package dev.powerprop.engine.cpu;

import java.lang.management.ManagementFactory;
import java.util.logging.Logger;

/**
 * Decides once whether the JDK Vector API can be used, and says so once.
 *
 * <p>As Apache Lucene's {@code VectorizationProvider} does: the incubator module must be
 * readable (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the C2
 * compiler must be on, or vector code runs interpreted and is far slower than scalar code.
 * Nothing here touches a {@code jdk.incubator.vector} class unless the module is present, so
 * loading this class never fails. Kernels that use the Vector API live in classes that are
 * only loaded after {@link #ENABLED} said yes.
 *
 * <p>Set the system property {@code powerprop.vector=false} to force the scalar kernels.
 */
public final class VectorSupport {
    private static final Logger LOG = Logger.getLogger("dev.powerprop.engine");

    /** True when the Vector API kernels are used; false means the scalar kernels are. */
    public static final boolean ENABLED;

    /** One line that says which kernels were chosen and why. */
    public static final String REASON;

    /**
     * Floats per vector of the Vector API kernels ({@code SPECIES_PREFERRED}), 1 for the scalar
     * kernels: the unit in which work may be split without moving an element from a vector lane
     * to the scalar tail.
     */
    public static final int FLOAT_LANES;

    /**
     * Float lanes of the vector kernels whose order of arithmetic must not follow the machine's
     * vector width: the softmax over a row of logits and float sums run 8 lanes (256-bit) also
     * where 16 are preferred, so that training gives the same bits with AVX2 and with AVX-512.
     * Another backend that reproduces the CPU's bits needs this as well as {@link #FLOAT_LANES}.
     */
    public static final int ROW_LANES = 8;

    static {
        String reason;
        boolean enabled;
        if (!Boolean.parseBoolean(System.getProperty("powerprop.vector", "true"))) {
            enabled = false;
            reason = "scalar kernels: disabled by -Dpowerprop.vector=false";
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            enabled = false;
            reason = "scalar kernels: module jdk.incubator.vector is not readable; "
                    + "start java with --add-modules jdk.incubator.vector for the fast kernels";
        } else if (!c2Enabled()) {
            enabled = false;
            reason = "scalar kernels: the C2 compiler is off (-Xint or TieredStopAtLevel < 4), "
                    + "so Vector API code would run interpreted";
        } else {
            enabled = true;
            reason = "Vector API kernels: " + VectorShapeProbe.describe();
        }
        ENABLED = enabled;
        REASON = reason;
        FLOAT_LANES = enabled ? VectorShapeProbe.floatLanes() : 1;
        LOG.info(REASON);
    }

    private VectorSupport() {}

    private static boolean c2Enabled() {
        var args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String a : args) {
            if (a.equals("-Xint") || a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
                return false;
            }
            if (a.equals("-XX:-UseCompiler")) {
                return false;
            }
        }
        return true;
    }

    /** Isolated so that {@code jdk.incubator.vector} is only linked once the module is known present. */
    private static final class VectorShapeProbe {
        static int floatLanes() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }

        static String describe() {
            var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
            return species.length() + " floats per vector (" + species.vectorBitSize() + "-bit)";
        }
    }
}
