package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.cpu.loss.LogSoftmax;
import dev.powerprop.engine.cpu.loss.SoftmaxCrossEntropy;
import dev.powerprop.engine.cpu.optim.SgdKernel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loss and the optimiser step: what one training step runs after the layers. */
class ClTrainingKernelsTest {
    @Test
    void softmaxCrossEntropyIsTheCpusBitForBitEvenForHugeLogits() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(4);
        // Rows shorter than a vector, exactly one, with tails (10 classes: 8 lanes + 2), and long.
        for (int[] s : new int[][] {{1, 1}, {5, 3}, {4, 8}, {7, 10}, {64, 10}, {6, 17}, {3, 1001}}) {
            int rows = s[0], classes = s[1];
            float[] logits = TestDevice.random(rnd, rows * classes, 10);
            logits[0] = 1e4f; // log-sum-exp must not overflow
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = rnd.nextInt(classes);
            }
            String what = rows + "x" + classes;
            float[] expectedProbs = new float[rows * classes];
            double expectedLoss = SoftmaxCrossEntropy.forward(logits, rows, classes, labels, expectedProbs);
            float[] probs = new float[rows * classes];
            double loss = ClSoftmaxCrossEntropy.forward(cx, logits, rows, classes, labels, probs);
            TestDevice.assertSameBits(what + " probs", probs, expectedProbs);
            // The CPU backend hands the loss on as a float, as the device does.
            assertThat((float) loss).as(what + " loss").isEqualTo((float) expectedLoss);

            float[] grad = TestDevice.random(rnd, rows * classes, 1);
            float[] expectedGrad = grad.clone();
            SoftmaxCrossEntropy.backward(expectedProbs, rows, classes, labels, 2f, expectedGrad);
            try (DeviceBuffer dp = cx.upload(expectedProbs); DeviceBuffer dl = cx.upload(labels);
                 DeviceBuffer dg = cx.upload(grad)) {
                ClSoftmaxCrossEntropy.backward(cx, dp, dl, rows, classes, 2f, dg);
                dg.read(grad);
            }
            TestDevice.assertSameBits(what + " backward", grad, expectedGrad);
        }
    }

    @Test
    void logSoftmaxIsTheCpusBitForBit() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(8);
        for (int[] s : new int[][] {{0, 4}, {3, 0}, {1, 1}, {5, 3}, {4, 8}, {7, 10}, {6, 17}, {2, 1001}}) {
            int rows = s[0], cols = s[1], n = rows * cols;
            String what = rows + "x" + cols;
            float[] x = TestDevice.random(rnd, n, 30);
            float[] expectedY = new float[n];
            LogSoftmax.forward(x, rows, cols, expectedY);
            float[] gradY = TestDevice.random(rnd, n, 1);
            float[] gradX = TestDevice.random(rnd, n, 1);
            float[] expectedGradX = gradX.clone();
            LogSoftmax.backward(expectedY, gradY, rows, cols, expectedGradX);
            float[] y = new float[n];
            try (DeviceBuffer dx = cx.floats(Math.max(1, n)); DeviceBuffer dy = cx.floats(Math.max(1, n));
                 DeviceBuffer dgy = cx.floats(Math.max(1, n)); DeviceBuffer dgx = cx.floats(Math.max(1, n))) {
                dx.write(x);
                dgy.write(gradY);
                dgx.write(gradX);
                ClLogSoftmax.forward(cx, dx, rows, cols, dy);
                ClLogSoftmax.backward(cx, dy, dgy, rows, cols, dgx);
                dy.read(0, y, 0, n);
                dgx.read(0, gradX, 0, n);
            }
            TestDevice.assertSameBits(what + " log-softmax", y, expectedY);
            TestDevice.assertSameBits(what + " log-softmax backward", gradX, expectedGradX);
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
