package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

/**
 * One OpenCL context for the whole test run: PoCL compiles each kernel on first use, which
 * costs seconds, so every test class shares the program. Tests skip (not fail) with the reason
 * where no OpenCL platform exists.
 */
final class TestDevice {
    private static OpenClContext context;
    private static String unavailable;

    private TestDevice() {}

    /** The shared context, or a skipped test with the reason OpenCL is unavailable. */
    static synchronized OpenClContext context() {
        if (context == null && unavailable == null) {
            try {
                context = OpenClContext.createDefault();
                Runtime.getRuntime().addShutdownHook(new Thread(context::close));
            } catch (OpenClUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        assumeTrue(context != null, () -> "OpenCL tests skipped: " + unavailable);
        return context;
    }

    private static OpenClContext gpuShaped;

    /**
     * A second context on the same device with the kernels in their GPU shape (4 x 4 work-items
     * a group, one GEMM micro-tile each, 16-deep K tiles, grid-stride elementwise loops): this
     * device runs any shape, so the GPU code paths are tested here too.
     */
    static synchronized OpenClContext gpuShapedContext() {
        DeviceInfo device = context().device();
        if (gpuShaped == null) {
            gpuShaped = OpenClContext.create(device, TileConfig.gpu(4, device));
            Runtime.getRuntime().addShutdownHook(new Thread(gpuShaped::close));
        }
        return gpuShaped;
    }

    static float[] random(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return x;
    }

    /**
     * Asserts that {@code actual} has the CPU's bits: Float.equals element by element (-0 is not
     * +0; NaN equals NaN whatever its payload), naming how many differ and the first one.
     */
    static void assertSameBits(String what, float[] actual, float[] expected) {
        requireCpuParity(context());
        assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        int differ = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                differ++;
                first = first < 0 ? i : first;
            }
        }
        if (differ > 0) {
            assertThat(differ).as("%s: %d of %d elements differ from the CPU's, the first at %d: %s (0x%08x), CPU %s (0x%08x)",
                    what, differ, expected.length, first, actual[first], Float.floatToRawIntBits(actual[first]),
                    expected[first], Float.floatToRawIntBits(expected[first])).isZero();
        }
    }

    /**
     * Skips the rest of a test, with the reason, on a device that cannot compute the CPU's bits
     * (no doubles, or division and sqrt not correctly rounded: see {@link CpuParity}); those
     * devices are right to within rounding, which the tolerance tests check.
     */
    static void requireCpuParity(OpenClContext cx) {
        CpuParity parity = cx.parity();
        assumeTrue(parity.bitwise(), () -> "bitwise check skipped on " + cx.device().name() + ": "
                + parity.describe());
    }

    static double[] widen(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
