package dev.powerprop.opencl;

import static dev.powerprop.opencl.TestBackend.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.Backends;
import dev.powerprop.engine.ops.MatMul;
import dev.powerprop.engine.ops.Powerprop;
import dev.powerprop.engine.ops.SoftmaxCrossEntropy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps of a small powerprop MLP, written with the engine's ops, on the OpenCL
 * backend and on the CPU from the same initial parameters: the losses and the updated
 * parameters agree within float rounding (1e-5 relative: the GEMMs sum in another order and
 * exp/log are the device's own).
 */
class OpenClTrainingStepTest {
    private static final double ALPHA = 2.0;
    private static final int BATCH = 13;
    private static final int IN = 21;
    private static final int HIDDEN = 33;
    private static final int CLASSES = 10;

    /** v1 [HIDDEN, IN] (powerprop, masked), b1 [HIDDEN], v2 [CLASSES, HIDDEN] (powerprop), b2 [CLASSES]. */
    private record Mlp(Tensor v1, Tensor mask1, Tensor b1, Tensor v2, Tensor b2, List<Tensor> velocities) {
        static Mlp on(Backend backend, Mlp host) {
            List<Tensor> velocities = new ArrayList<>();
            for (Tensor p : host.params()) {
                velocities.add(backend.zeros(p.shape()));
            }
            return new Mlp(param(host.v1, backend), host.mask1.to(backend), param(host.b1, backend),
                    param(host.v2, backend), param(host.b2, backend), velocities);
        }

        private static Tensor param(Tensor host, Backend backend) {
            Tensor p = host.copy();
            p.moveTo(backend);
            return p.requiresGrad(true);
        }

        List<Tensor> params() {
            return List.of(v1, b1, v2, b2);
        }

        /** Forward, backward, one SGD step (momentum, weight decay); returns the loss tensor. */
        Tensor step(Tensor x, int[] labels) {
            Tensor w1 = Powerprop.apply(v1, ALPHA, mask1);
            Tensor h = MatMul.apply(x, w1, false, true).add(b1).relu();
            Tensor w2 = Powerprop.apply(v2, ALPHA, null);
            Tensor logits = MatMul.apply(h, w2, false, true).add(b2);
            Tensor loss = SoftmaxCrossEntropy.apply(logits, labels);
            loss.backward();
            List<Tensor> ps = params();
            for (int i = 0; i < ps.size(); i++) {
                Tensor p = ps.get(i);
                p.backend().sgdStep(p, p.grad(), velocities.get(i), 0.05, 0.9, 1e-4, false);
                p.zeroGrad();
            }
            return loss;
        }
    }

    @Test
    void threeTrainingStepsMatchTheCpu() {
        OpenClBackend cl = TestBackend.backend();
        Tensor mask = Tensor.zeros(HIDDEN, IN);
        for (int i = 0; i < mask.numel(); i++) {
            mask.set(i, i % 4 == 0 ? 0 : 1);
        }
        Mlp host = new Mlp(Tensor.rand(1, -0.6f, 0.6f, HIDDEN, IN), mask, Tensor.rand(2, -0.1f, 0.1f, HIDDEN),
                Tensor.rand(3, -0.5f, 0.5f, CLASSES, HIDDEN), Tensor.rand(4, -0.1f, 0.1f, CLASSES), List.of());
        Mlp cpu = Mlp.on(Backends.cpu(), host);
        Mlp device = Mlp.on(cl, host);
        assertThat(device.v1().isHost()).isFalse();

        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.randn(100 + step, BATCH, IN);
            int[] labels = new int[BATCH];
            for (int r = 0; r < BATCH; r++) {
                labels[r] = (r * 7 + step) % CLASSES;
            }
            double cpuLoss = cpu.step(x, labels).item();
            Tensor deviceLoss = device.step(x.to(cl), labels);
            assertThat(deviceLoss.isHost()).isFalse();
            assertThat(deviceLoss.item()).as("loss of step %d", step).isCloseTo(cpuLoss, within(1e-5 * cpuLoss));
        }
        for (int i = 0; i < 4; i++) {
            assertClose("parameter " + i + " after 3 steps", device.params().get(i), cpu.params().get(i), 1e-5);
            assertClose("velocity " + i + " after 3 steps", device.velocities().get(i), cpu.velocities().get(i), 1e-5);
        }
    }
}
