package dev.powerprop.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Tensor;
import org.junit.jupiter.api.Test;

class BackendsTest {
    @Test
    void cpuIsTheDefaultDevice() {
        assertThat(Backends.device("cpu")).isSameAs(Backends.cpu());
        assertThat(Backends.device(null)).isSameAs(Backends.cpu());
    }

    @Test
    void anUnknownDeviceSaysWhichDevicesThereAre() {
        assertThatThrownBy(() -> Backends.device("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown device 'tpu'").hasMessageContaining("cpu");
        assertThatThrownBy(() -> Backends.device("tpu:x")).hasMessageContaining("tpu:N");
    }

    @Test
    void aLeafMovesInPlaceAndKeepsItsIdentity() {
        Tensor t = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        t.mul(t).sum().backward();
        Tensor f64 = t.to(Backends.of(DType.F64));
        assertThat(f64.dtype()).isEqualTo(DType.F64);
        t.moveTo(Backends.of(DType.F64));
        assertThat(t.dtype()).isEqualTo(DType.F64);
        assertThat(t.doubles()).containsExactly(1, 2, 3);
        assertThat(t.grad()).as("a moved tensor's gradient is dropped").isNull();
    }

    @Test
    void operandsOnDifferentBackendsAreRefusedByName() {
        Tensor a = Tensor.zeros(2);
        Tensor b = Tensor.zeros(2).to(Backends.of(DType.F64));
        assertThatThrownBy(() -> a.add(b)).hasMessageContaining("F32").hasMessageContaining("F64");
    }

    @Test
    void computedTensorsCannotBeMoved() {
        Tensor x = Tensor.zeros(2).requiresGrad(true);
        Tensor y = x.mul(2.0);
        assertThatThrownBy(() -> y.moveTo(Backends.of(DType.F64))).hasMessageContaining("only leaves");
    }
}
