package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.elementwise.Elementwise;
import dev.powerprop.engine.cpu.reduce.Reductions;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClElementwiseTest {
    @Test
    void reluForwardAndBackwardMatchCpuBitForBitIncludingNan() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(1);
        for (int n : new int[] {0, 1, 13, 1000}) {
            float[] x = TestDevice.random(rnd, n, 5);
            if (n > 1) {
                x[0] = Float.NaN;
                x[1] = 0f;
            }
            float[] gy = TestDevice.random(rnd, n, 1);
            float[] gx = TestDevice.random(rnd, n, 1);
            float[] y = new float[n];
            float[] expectedY = new float[n];
            float[] expectedGx = gx.clone();
            Elementwise.unary(UnaryOp.RELU, x, expectedY, n);
            Elementwise.unaryBackward(UnaryOp.RELU, x, expectedY, gy, expectedGx, n);
            try (DeviceBuffer dx = cx.upload(x); DeviceBuffer dy = cx.floats(n); DeviceBuffer dgy = cx.upload(gy);
                 DeviceBuffer dgx = cx.upload(gx)) {
                ClElementwise.relu(cx, dx, dy, n);
                ClElementwise.reluBackward(cx, dy, dgy, dgx, n);
                dy.read(y);
                dgx.read(gx);
            }
            assertThat(y).containsExactly(expectedY);
            assertThat(gx).containsExactly(expectedGx);
        }
    }

    @Test
    void addRowBiasAndAxpyMatchCpu() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(2);
        int rows = 17, cols = 33;
        float[] x = TestDevice.random(rnd, rows * cols, 4);
        float[] bias = TestDevice.random(rnd, cols, 4);
        float[] y = TestDevice.random(rnd, rows * cols, 4);
        float[] expected = new float[rows * cols];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = x[i] + bias[i % cols];
        }
        float[] expectedAxpy = y.clone();
        Elementwise.axpy(-0.3f, x, expectedAxpy, x.length);
        try (DeviceBuffer dx = cx.upload(x); DeviceBuffer db = cx.upload(bias); DeviceBuffer dy = cx.upload(y);
             DeviceBuffer out = cx.floats(x.length)) {
            ClElementwise.addRowBias(cx, dx, db, out, rows, cols);
            ClElementwise.axpy(cx, -0.3f, dx, dy, x.length);
            assertThat(out.read(new float[x.length])).containsExactly(expected);
            // Both fuse the multiply-add (one rounding): bit for bit.
            assertThat(dy.read(new float[x.length])).containsExactly(expectedAxpy);
        }
    }

    @Test
    void sumAxisGivesBiasGradientsAndRowSums() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(3);
        int[][] shapes = {{1, 60, 300}, {45, 7, 1}, {3, 5, 11}, {1, 1, 1}, {2, 0, 3}};
        for (int[] s : shapes) {
            int outer = s[0], len = s[1], inner = s[2];
            float[] x = TestDevice.random(rnd, outer * len * inner, 100);
            float[] expected = new float[outer * inner];
            Reductions.sumAxis(x, outer, len, inner, expected);
            float[] actual = new float[outer * inner];
            try (DeviceBuffer dx = cx.upload(x); DeviceBuffer out = cx.floats(actual.length)) {
                ClReductions.sumAxis(cx, dx, outer, len, inner, out);
                out.read(actual);
            }
            for (int i = 0; i < actual.length; i++) {
                assertThat(Math.abs(actual[i] - expected[i])).as("[%d,%d,%d] output %d", outer, len, inner, i)
                        .isLessThanOrEqualTo(1e-5f * 100 * Math.max(1, len));
            }
        }
    }
}
