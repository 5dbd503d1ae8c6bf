package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Training steps of the paper's 784-300-100-10 powerprop MLP, written with the engine's ops as
 * {@code PowerpropMlp} composes them (powerprop weight, x w^T + b, ReLU between layers), on the
 * OpenCL backend and on the CPU from the same initial parameters and batches: every loss and
 * every parameter after training has the CPU's bits, so the two runs are the same run.
 * (powerprop-core's OnOpenClDeviceTest does the same with PowerpropMlp, SGD and real data.)
 */
class OpenClTrainingStepTest {
    private static final int[] SIZES = {784, 300, 100, 10};
    private static final int BATCH = 60;
    private static final int STEPS = 30;

    /** One powerprop layer: v [out, in], an optional mask, bias [out], and SGD velocities for v and bias. */
    private record Layer(Tensor v, Tensor mask, Tensor bias, Tensor vVelocity, Tensor biasVelocity) {}

    /** The MLP's parameters on one backend, and one SGD step with momentum and weight decay per call. */
    private record Mlp(double alpha, List<Layer> layers) {
        static Mlp on(Backend backend, double alpha, List<Layer> host) {
            List<Layer> layers = new ArrayList<>();
            for (Layer l : host) {
                layers.add(new Layer(param(l.v(), backend), l.mask() == null ? null : l.mask().to(backend),
                        param(l.bias(), backend), backend.zeros(l.v().shape()), backend.zeros(l.bias().shape())));
            }
            return new Mlp(alpha, layers);
        }

        private static Tensor param(Tensor host, Backend backend) {
            Tensor p = host.copy();
            p.moveTo(backend);
            return p.requiresGrad(true);
        }

        /** Forward, backward, one SGD step (momentum 0.9, weight decay 1e-4); returns the loss. */
        double step(Tensor x, int[] labels) {
            Tensor h = x;
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layers.get(i);
                Tensor w = Powerprop.apply(l.v(), alpha, l.mask());
                h = MatMul.apply(h, w, false, true).add(l.bias());
                if (i + 1 < layers.size()) {
                    h = h.relu();
                }
            }
            Tensor loss = SoftmaxCrossEntropy.apply(h, labels);
            loss.backward();
            for (Layer l : layers) {
                update(l.v(), l.vVelocity());
                update(l.bias(), l.biasVelocity());
            }
            return loss.item();
        }

        private static void update(Tensor p, Tensor velocity) {
            p.backend().sgdStep(p, p.grad(), velocity, 0.1, 0.9, 1e-4, false);
            p.zeroGrad();
        }
    }

    /** The paper's initial parameters (uniform, scaled by fan-in), with every fourth weight of fc1 masked when asked. */
    private static List<Layer> initial(boolean maskFirstLayer) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < SIZES.length; i++) {
            int in = SIZES[i], out = SIZES[i + 1];
            float bound = (float) (1 / Math.sqrt(in));
            Tensor mask = null;
            if (maskFirstLayer && i == 0) {
                mask = Tensor.zeros(out, in);
                for (int j = 0; j < mask.numel(); j++) {
                    mask.set(j, j % 4 == 0 ? 0 : 1);
                }
            }
            layers.add(new Layer(Tensor.rand(10 + i, -bound, bound, out, in), mask,
                    Tensor.rand(20 + i, -bound, bound, out), null, null));
        }
        return layers;
    }

    @Test
    void thirtyStepsAtAlphaOneWithAMaskAreTheCpusBitForBit() {
        trainAndCompare(1.0, true);
    }

    @Test
    void thirtyStepsAtAlphaThreeAreTheCpusBitForBit() {
        trainAndCompare(3.0, false);
    }

    /** The kernels in their GPU shape (TestDevice.gpuShapedContext): the same run too. */
    @Test
    void tenStepsInTheGpuShapeAtAlphaThreeWithAMaskAreTheCpusBitForBit() {
        trainAndCompare(new OpenClBackend(TestDevice.gpuShapedContext()), 3.0, true, 10);
    }

    private static void trainAndCompare(double alpha, boolean masked) {
        trainAndCompare(TestBackend.backend(), alpha, masked, STEPS);
    }

    private static void trainAndCompare(OpenClBackend cl, double alpha, boolean masked, int steps) {
        TestDevice.requireCpuParity(cl.context());
        List<Layer> host = initial(masked);
        Mlp cpu = Mlp.on(Backends.cpu(), alpha, host);
        Mlp device = Mlp.on(cl, alpha, host);
        for (int step = 0; step < steps; step++) {
            Tensor x = Tensor.rand(100 + step, 0, 1, BATCH, SIZES[0]);
            int[] labels = new int[BATCH];
            for (int r = 0; r < BATCH; r++) {
                labels[r] = (r * 7 + step) % SIZES[SIZES.length - 1];
            }
            double cpuLoss = cpu.step(x, labels);
            double deviceLoss = device.step(x.to(cl), labels);
            assertThat(deviceLoss).as("alpha %s loss of step %d", alpha, step).isEqualTo(cpuLoss);
        }
        for (int i = 0; i < host.size(); i++) {
            Layer c = cpu.layers().get(i);
            Layer d = device.layers().get(i);
            String layer = "alpha " + alpha + " fc" + (i + 1);
            TestBackend.assertSameBits(layer + ".v after " + steps + " steps", d.v(), c.v());
            TestBackend.assertSameBits(layer + ".bias after " + steps + " steps", d.bias(), c.bias());
            TestBackend.assertSameBits(layer + ".v velocity", d.vVelocity(), c.vVelocity());
            TestBackend.assertSameBits(layer + ".bias velocity", d.biasVelocity(), c.biasVelocity());
        }
    }
}
