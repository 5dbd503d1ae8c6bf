package dev.powerprop.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.Tensor;
import org.junit.jupiter.api.Test;

class PowerpropLayerTest {

    @Test
    void initialEffectiveWeightsAreTheSameForEveryAlpha() {
        Tensor base = new PowerpropLinear(784, 300, 1.0, 7).effectiveWeight();
        for (double alpha : new double[] {2, 3, 4, 5, 1.5}) {
            Tensor w = new PowerpropLinear(784, 300, alpha, 7).effectiveWeight();
            for (int i = 0; i < w.numel(); i++) {
                assertThat(w.get(i)).isCloseTo(base.get(i), org.assertj.core.data.Offset.offset(2e-6 * Math.abs(base.get(i)) + 1e-9));
            }
        }
    }

    @Test
    void initialWeightsHaveTheTruncatedNormalsStd() {
        Tensor w = new PowerpropLinear(784, 300, 2.0, 0).effectiveWeight();
        double sum2 = 0;
        double max = 0;
        for (int i = 0; i < w.numel(); i++) {
            sum2 += w.get(i) * w.get(i);
            max = Math.max(max, Math.abs(w.get(i)));
        }
        double std = Math.sqrt(sum2 / w.numel());
        assertThat(std).isCloseTo(Math.sqrt(1.0 / 784), org.assertj.core.data.Offset.offset(0.01 / Math.sqrt(784)));
        // Truncated at two sigma, sigma = sqrt(1/784) / 0.8796...
        assertThat(max).isLessThanOrEqualTo(2 * Math.sqrt(1.0 / 784) / 0.87962566103423978 + 1e-7);
    }

    @Test
    void alphaOneIsAPlainLinearLayer() {
        PowerpropLinear layer = new PowerpropLinear(5, 3, 1.0, 3);
        assertThat(layer.effectiveWeight().data()).containsExactly(layer.v().data());
    }

    @Test
    void alphaBelowOneIsRefused() {
        assertThatThrownBy(() -> new PowerpropLinear(5, 3, 0.5, 3)).hasMessageContaining("alpha must be a finite number >= 1");
        assertThatThrownBy(() -> new PowerpropLinear(5, 3, Double.NaN, 3)).hasMessageContaining("NaN");
    }

    @Test
    void masksMustFitAndHoldOnlyZerosAndOnes() {
        PowerpropLinear layer = new PowerpropLinear(5, 3, 2.0, 3);
        assertThatThrownBy(() -> layer.setMask(Tensor.zeros(5, 3))).hasMessageContaining("[3, 5]").hasMessageContaining("[5, 3]");
        assertThatThrownBy(() -> layer.setMask(Tensor.full(0.5f, 3, 5))).hasMessageContaining("only 0 and 1");
    }

    @Test
    void maskedWeightsGetNoGradientAndTheirVIsKept() {
        PowerpropLinear layer = new PowerpropLinear(4, 2, 2.0, 3);
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, 2, 4);
        layer.setMask(mask);
        float[] vBefore = layer.v().data().clone();
        layer.forward(Tensor.randn(1, 3, 4)).sum().backward();
        for (int i = 0; i < mask.numel(); i++) {
            if (mask.get(i) == 0) {
                assertThat(layer.v().grad().get(i)).isZero();
            } else {
                assertThat(layer.v().grad().get(i)).isNotZero();
            }
        }
        assertThat(layer.v().data()).containsExactly(vBefore);
        assertThat(layer.stateDict()).containsKeys("v", "bias", "mask");
    }

    @Test
    void wKeepsItsStorageAcrossTrainingSteps() {
        Tensor v = Tensor.randn(5, 3, 4).requiresGrad(true);
        PowerpropWeight weight = new PowerpropWeight(v, 2.0);
        Tensor w1 = weight.forward();
        w1.sum().backward();
        Tensor w2 = weight.forward();
        assertThat(w2.data()).isSameAs(w1.data());
        assertThat(w2.data()).containsExactly(weight.effective(false).data());
    }

    @Test
    void aSecondForwardBeforeBackwardGetsFreshStorageAndBothGraphsStayValid() {
        Tensor v = Tensor.randn(6, 3, 4).requiresGrad(true);
        PowerpropWeight weight = new PowerpropWeight(v, 3.0);
        weight.forward().sum().backward();
        float[] once = v.grad().data().clone();
        v.zeroGrad();

        Tensor first = weight.forward();
        Tensor second = weight.forward();
        assertThat(second.data()).isNotSameAs(first.data());
        Tensor evaluated;
        try (var scope = dev.powerprop.engine.NoGrad.enter()) {
            evaluated = weight.forward(); // an evaluation between forward and backward
        }
        assertThat(evaluated.data()).isNotSameAs(first.data()).isNotSameAs(second.data());
        first.add(second).sum().backward();
        for (int i = 0; i < once.length; i++) {
            assertThat(v.grad().get(i)).isEqualTo(2.0 * once[i], org.assertj.core.data.Offset.offset(1e-6 * Math.abs(once[i])));
        }
    }

    @Test
    void aGraphFromBeforeAnOptimiserStepCannotBeBackpropagated() {
        Tensor v = Tensor.randn(7, 3, 4).requiresGrad(true);
        PowerpropWeight weight = new PowerpropWeight(v, 2.0);
        Tensor x = Tensor.randn(8, 2, 4);
        Tensor oldLoss = dev.powerprop.engine.ops.MatMul.apply(x, weight.forward(), false, true).sum();
        oldLoss.backward();
        new dev.powerprop.nn.optim.SGD(java.util.List.of(v), 0.1).step();
        dev.powerprop.engine.ops.MatMul.apply(x, weight.forward(), false, true).sum().backward();
        assertThatThrownBy(oldLoss::backward).hasMessageContaining("was changed in place after the forward pass");
    }
}
