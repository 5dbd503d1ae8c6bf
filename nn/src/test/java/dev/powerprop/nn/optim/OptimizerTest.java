package dev.powerprop.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.layers.Linear;
import dev.powerprop.nn.layers.ReLU;
import dev.powerprop.nn.layers.Sequential;
import dev.powerprop.engine.ops.SoftmaxCrossEntropy;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    /** One parameter p with loss p^2 / 2 (gradient p), stepped by hand in PyTorch's semantics. */
    @Test
    void sgdWithMomentumAndWeightDecayFollowsPyTorch() {
        Tensor p = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.1, 0.9, 0.01, false);
        double pv = 1;
        double buf = 0;
        for (int step = 0; step < 3; step++) {
            sgd.zeroGrad();
            p.mul(p).mul(0.5).sum().backward();
            sgd.step();
            double g = pv + 0.01 * pv;
            buf = step == 0 ? g : 0.9 * buf + g;
            pv -= 0.1 * buf;
            assertThat(p.get(0)).isCloseTo(pv, within(1e-6));
        }
    }

    @Test
    void adamFollowsPyTorch() {
        Tensor p = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        Adam adam = new Adam(List.of(p), 0.01);
        double pv = 1;
        double m = 0;
        double v = 0;
        for (int t = 1; t <= 3; t++) {
            adam.zeroGrad();
            p.mul(p).mul(0.5).sum().backward();
            adam.step();
            double g = pv;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double mHat = m / (1 - Math.pow(0.9, t));
            double vHat = v / (1 - Math.pow(0.999, t));
            pv -= 0.01 * mHat / (Math.sqrt(vHat) + 1e-8);
            assertThat(p.get(0)).isCloseTo(pv, within(1e-6));
        }
    }

    @Test
    void sgdTrainsASmallClassifier() {
        // Two Gaussian blobs per class in 8-D; a small MLP must fit them.
        int n = 64;
        Tensor x = Tensor.randn(1, n, 8);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x.set(i * 8 + labels[i], x.get(i * 8 + labels[i]) + 3);
        }
        Sequential net = new Sequential().add("fc1", new Linear(8, 16, 1)).add("relu", new ReLU())
                .add("fc2", new Linear(16, 3, 2));
        SGD sgd = new SGD(net.parameters(), 0.1, 0.9, 0, true);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 200; step++) {
            sgd.zeroGrad();
            Tensor loss = SoftmaxCrossEntropy.apply(net.forward(x), labels);
            loss.backward();
            sgd.step();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertThat(last).isLessThan(first * 0.1);
    }

    @Test
    void badHyperparametersAreNamed() {
        List<Tensor> ps = List.of(Tensor.zeros(1).requiresGrad(true));
        assertThatThrownBy(() -> new SGD(ps, Double.NaN)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> new SGD(ps, 0.1, -1, 0, false)).hasMessageContaining("momentum");
        assertThatThrownBy(() -> new Adam(ps, 0.1, 1.0, 0.9, 1e-8, 0)).hasMessageContaining("betas");
        // Finite or below 1 as doubles, not as the floats the kernels use.
        assertThatThrownBy(() -> new Adam(ps, 0.1, 0.9, 0.99999999, 1e-8, 0)).hasMessageContaining("betas");
        assertThatThrownBy(() -> new SGD(ps, 1e308)).hasMessageContaining("learning rate");
    }

    /**
     * A parameter that first has a gradient at step 11 gets Adam's first, bias-corrected step
     * then (about lr against the gradient's sign), as in PyTorch, where each parameter counts
     * its own steps: not the tenth-step correction of a shared count.
     */
    @Test
    void adamCountsStepsPerParameter() {
        Tensor early = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        Tensor late = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        Adam adam = new Adam(List.of(early, late), 0.1);
        for (int t = 1; t <= 10; t++) {
            adam.zeroGrad();
            early.mul(early).mul(0.5).sum().backward();
            adam.step();
        }
        assertThat(late.get(0)).as("no gradient, no step").isEqualTo(1.0);
        adam.zeroGrad();
        early.mul(early).mul(0.5).sum().add(late.mul(late).mul(0.5).sum()).backward();
        adam.step();
        // m = 0.1 g, v = 0.001 g^2; corrected by 1 - 0.9 and 1 - 0.999: the step is lr g / (|g| + eps).
        assertThat(late.get(0)).isCloseTo(1 - 0.1 / (1 + 1e-8), within(1e-6));
    }
}
