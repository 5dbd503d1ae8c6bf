package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backends;

/**
 * The OpenCL backend as the engine finds it ({@code Backends.device("opencl")}), shared by the
 * test run (one program build), or a skipped test with the reason where OpenCL is unavailable.
 */
final class TestBackend {
    private static OpenClBackend backend;
    private static String unavailable;

    private TestBackend() {}

    static synchronized OpenClBackend backend() {
        if (backend == null && unavailable == null) {
            try {
                backend = (OpenClBackend) Backends.device("opencl");
            } catch (IllegalArgumentException e) {
                unavailable = e.getMessage();
            }
        }
        assumeTrue(backend != null, () -> "OpenCL backend tests skipped: " + unavailable);
        return backend;
    }

    /** Asserts that a device tensor has the bits of a host one (see {@link TestDevice#assertSameBits}). */
    static void assertSameBits(String what, Tensor device, Tensor host) {
        assertThat(device.isHost()).as(what + " stays on the device").isFalse();
        assertThat(device.shape()).as(what).isEqualTo(host.shape());
        TestDevice.assertSameBits(what, device.toHost().data(), host.data());
    }

    /** Asserts that a device tensor equals a host one elementwise within {@code tol * (1 + |expected|)}. */
    static void assertClose(String what, Tensor device, Tensor host, double tol) {
        assertThat(device.isHost()).as(what + " stays on the device").isFalse();
        assertThat(device.shape()).as(what).isEqualTo(host.shape());
        float[] got = device.toHost().data();
        float[] want = host.data();
        for (int i = 0; i < want.length; i++) {
            double bound = tol * (1 + Math.abs(want[i]));
            assertThat((double) got[i]).as("%s[%d]", what, i).isCloseTo(want[i],
                    org.assertj.core.api.Assertions.within(bound));
        }
    }
}
