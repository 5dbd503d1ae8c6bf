package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenClDevicesTest {
    @Test
    void listsDevicesWithTheirLimitsAndRejectsABadIndex() {
        OpenClContext cx = TestDevice.context();
        assertThat(OpenClDevices.list()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.maxWorkGroupSize()).isPositive();
            assertThat(d.localMemBytes()).isPositive();
            assertThat(d.describe()).contains(d.name());
        });
        assertThat(cx.config().tsK()).isPositive();
        assertThatThrownBy(() -> OpenClDevices.choose(99))
                .isInstanceOf(OpenClUnavailableException.class).hasMessageContaining("out of range");
    }

    @Test
    void buffersRoundTripAndCloseTwiceSafely() {
        OpenClContext cx = TestDevice.context();
        DeviceBuffer b = cx.upload(new float[] {1, 2, 3});
        assertThat(b.read(new float[3])).containsExactly(1, 2, 3);
        b.close();
        b.close();
        try (DeviceBuffer empty = cx.floats(0)) {
            assertThat(empty.length()).isZero();
        }
        try (DeviceBuffer small = cx.floats(2)) {
            assertThatThrownBy(() -> small.write(new float[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside this buffer");
        }
    }
}
