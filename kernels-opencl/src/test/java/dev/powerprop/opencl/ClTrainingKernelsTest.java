package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.powerprop.engine.cpu.loss.SoftmaxCrossEntropy;
import dev.powerprop.engine.cpu.optim.SgdKernel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loss and the optimiser step: what one training step runs after the layers. */
class ClTrainingKernelsTest {
    @Test
    void softmaxCrossEntropyMatchesCpuEvenForHugeLogits() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(4);
        for (int[] s : new int[][] {{1, 1}, {7, 10}, {64, 10}, {3, 1001}}) {
            int rows = s[0], classes = s[1];
            float[] logits = TestDevice.random(rnd, rows * classes, 10);
            logits[0] = 1e4f; // log-sum-exp must not overflow
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = rnd.nextInt(classes);
            }
            float[] expectedProbs = new float[rows * classes];
            double expectedLoss = SoftmaxCrossEntropy.forward(logits, rows, classes, labels, expectedProbs);
            float[] probs = new float[rows * classes];
            double loss = ClSoftmaxCrossEntropy.forward(cx, logits, rows, classes, labels, probs);
            assertThat(loss).as("%dx%d", rows, classes).isCloseTo(expectedLoss, within(1e-4 * (1 + Math.abs(expectedLoss))));
            for (int i = 0; i < probs.length; i++) {
                assertThat(probs[i]).isNotNaN().isCloseTo(expectedProbs[i], within(1e-6f));
            }

            float[] grad = TestDevice.random(rnd, rows * classes, 1);
            float[] expectedGrad = grad.clone();
            SoftmaxCrossEntropy.backward(expectedProbs, rows, classes, labels, 2f, expectedGrad);
            try (DeviceBuffer dp = cx.upload(expectedProbs); DeviceBuffer dl = cx.upload(labels);
                 DeviceBuffer dg = cx.upload(grad)) {
                ClSoftmaxCrossEntropy.backward(cx, dp, dl, rows, classes, 2f, dg);
                dg.read(grad);
            }
            for (int i = 0; i < grad.length; i++) {
                assertThat(grad[i]).isCloseTo(expectedGrad[i], within(1e-6f));
            }
        }
    }

    @Test
    void sgdStepMatchesCpuBitForBitInEveryMode() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(6);
        int n = 1001;
        float[][] modes = {{0, 0, 0}, {0.9f, 0, 0}, {0.9f, 1e-2f, 0}, {0.9f, 1e-2f, 1}, {0, 5e-4f, 0}};
        for (float[] mode : modes) {
            float momentum = mode[0], decay = mode[1];
            boolean nesterov = mode[2] == 1;
            float[] param = TestDevice.random(rnd, n, 1);
            float[] grad = TestDevice.random(rnd, n, 1);
            float[] expectedParam = param.clone();
            float[] expectedVelocity = new float[n];
            float[] velocity = new float[n];
            try (DeviceBuffer dp = cx.upload(param); DeviceBuffer dg = cx.upload(grad);
                 DeviceBuffer dv = momentum == 0 ? null : cx.floats(n)) {
                for (int step = 0; step < 3; step++) {
                    SgdKernel.step(expectedParam, grad, momentum == 0 ? null : expectedVelocity, n, 0.1f, momentum,
                            decay, nesterov);
                    ClSgd.step(cx, dp, dg, dv, n, 0.1f, momentum, decay, nesterov);
                }
                dp.read(param);
                if (dv != null) {
                    dv.read(velocity);
                    assertThat(velocity).containsExactly(expectedVelocity);
                }
            }
            assertThat(param).as("momentum %s decay %s nesterov %s", momentum, decay, nesterov)
                    .containsExactly(expectedParam);
        }
    }
}
