package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.elementwise.Elementwise;
import dev.powerprop.engine.cpu.reduce.Reductions;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The elementwise kernels and the axis sum against the engine's CPU kernels, bit for bit. */
class ClElementwiseTest {
    /** Lengths with no vector part, exactly one vector, and vector parts with tails. */
    private static final int[] LENGTHS = {0, 1, 7, 8, 13, 1000, 1001};

    /** Values of scale {@code scale} with the awkward ones first: NaN, +-0, +-inf, tiny, subnormal, huge. */
    private static float[] values(Random rnd, int n, float scale) {
        float[] x = TestDevice.random(rnd, n, scale);
        float[] special = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-40f,
            90f, -90f, 0.6f, -0.65f, 1e30f};
        for (int i = 0; i < Math.min(n, special.length); i++) {
            // Spread over the vector part and the tail alike.
            x[(i * 7) % n] = special[i];
        }
        return x;
    }

    @Test
    void reluForwardAndBackwardMatchCpuBitForBitIncludingNanAndNegativeZero() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(1);
        for (int n : LENGTHS) {
            float[] x = values(rnd, n, 5);
            float[] gy = TestDevice.random(rnd, n, 1);
            // -0 in gradX: the CPU's vector lanes keep it where y <= 0, its tail turns it into +0.
            float[] gx = values(rnd, n, 1);
            for (int i = 0; i < n; i += 3) {
                gx[i] = -0f;
            }
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
            TestDevice.assertSameBits("relu n=" + n, y, expectedY);
            TestDevice.assertSameBits("relu backward n=" + n, gx, expectedGx);
        }
    }

    @Test
    void everyUnaryOpAndItsBackwardMatchCpuBitForBitInVectorLanesAndTails() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(5);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : LENGTHS) {
                float[] x = values(rnd, n, 4);
                if (op == UnaryOp.LOG) {
                    for (int i = 0; i < n; i++) {
                        x[i] = i % 5 == 4 ? x[i] : Math.abs(x[i]) * 10; // mostly positive, some negative and NaN
                    }
                }
                float[] expectedY = new float[n];
                Elementwise.unary(op, x, expectedY, n);
                float[] gy = TestDevice.random(rnd, n, 2);
                float[] gx = TestDevice.random(rnd, n, 2);
                float[] expectedGx = gx.clone();
                Elementwise.unaryBackward(op, x, expectedY, gy, expectedGx, n);
                float[] y = new float[n];
                try (DeviceBuffer dx = cx.upload(x); DeviceBuffer dy = cx.floats(n); DeviceBuffer dgy = cx.upload(gy);
                     DeviceBuffer dgx = cx.upload(gx)) {
                    ClElementwise.unary(cx, op, dx, dy, n);
                    ClElementwise.unaryBackward(cx, op, dx, dy, dgy, dgx, n);
                    dy.read(y);
                    dgx.read(gx);
                }
                TestDevice.assertSameBits(op + " n=" + n, y, expectedY);
                TestDevice.assertSameBits(op + " backward n=" + n, gx, expectedGx);
            }
        }
    }

    @Test
    void addRowBiasAndAxpyMatchCpuBitForBit() {
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
            TestDevice.assertSameBits("bias", out.read(new float[x.length]), expected);
            // Both fuse the multiply-add (one rounding).
            TestDevice.assertSameBits("axpy", dy.read(new float[x.length]), expectedAxpy);
        }
    }

    @Test
    void sumAxisGivesTheCpuBiasGradientsBitForBitAndRowSumsClosely() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(3);
        // inner > 1 (bias gradients: column sums over the batch) is bit for bit; inner = 1 (row
        // sums) adds in another order than the CPU's Reductions.sum, so only closely.
        int[][] shapes = {{1, 60, 300}, {1, 60, 100}, {1, 60, 10}, {3, 5, 11}, {2, 7, 33}, {1, 1, 1}, {2, 0, 3},
            {45, 7, 1}};
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
            String what = String.format("[%d,%d,%d]", outer, len, inner);
            if (inner > 1 || len <= 1) {
                TestDevice.assertSameBits(what, actual, expected);
            } else {
                for (int i = 0; i < actual.length; i++) {
                    assertThat(Math.abs(actual[i] - expected[i])).as("%s output %d", what, i)
                            .isLessThanOrEqualTo(1e-5f * 100 * Math.max(1, len));
                }
            }
        }
    }
}
