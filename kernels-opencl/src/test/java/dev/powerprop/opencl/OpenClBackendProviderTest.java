package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.backend.Backends;
import org.junit.jupiter.api.Test;

/** The engine finds the OpenCL devices through ServiceLoader, by family name. */
class OpenClBackendProviderTest {
    @Test
    void serviceLoaderFindsTheOpenClFamily() {
        assertThat(Backends.families()).contains("opencl");
        OpenClBackend cl = TestBackend.backend();
        assertThat(Backends.device("opencl")).isSameAs(cl);
        assertThat(Backends.provider("opencl").describeDevices()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("\\d+: .+ \\((CPU|GPU), \\d+ compute units, .*global mem \\d+ MiB\\)"));
        int index = Integer.parseInt(cl.name().substring("opencl:".length(), cl.name().indexOf(' ')));
        assertThat(Backends.device("opencl:" + index)).as("one backend per device").isSameAs(cl);
    }

    @Test
    void aMissingDeviceIsAClearError() {
        TestBackend.backend();
        assertThatThrownBy(() -> Backends.device("opencl:99"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opencl:99").hasMessageContaining("out of range");
    }
}
