package dev.powerprop.opencl;

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

    static float[] random(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return x;
    }

    static double[] widen(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
