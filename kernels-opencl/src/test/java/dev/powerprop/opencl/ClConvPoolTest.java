package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.cpu.conv.ConvGeometry;
import dev.powerprop.engine.cpu.conv.Im2col;
import dev.powerprop.engine.cpu.pool.MaxPool2dKernel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClConvPoolTest {
    /** channels, height, width, kh, kw, stride, pad: 1x1, padding wider than the image, stride 2, odd sizes. */
    private static final int[][] GEOMETRIES = {
        {1, 1, 1, 1, 1, 1, 0}, {3, 7, 5, 3, 3, 1, 1}, {2, 9, 8, 3, 2, 2, 1}, {1, 2, 3, 3, 3, 1, 2}, {4, 11, 13, 5, 5, 3, 2},
    };

    @Test
    void im2colAndCol2imMatchCpuWithOffsets() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(8);
        for (int[] s : GEOMETRIES) {
            ConvGeometry g = new ConvGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
            int xOff = 3;
            int inputSize = (int) g.inputSize();
            int colsSize = (int) g.colsSize();
            float[] x = TestDevice.random(rnd, xOff + inputSize, 2);
            float[] expectedCols = new float[colsSize];
            Im2col.im2col(x, xOff, s[0], s[1], s[2], s[3], s[4], s[5], s[6], expectedCols, 0);
            float[] cols = TestDevice.random(rnd, colsSize, 1);
            float[] gradX = TestDevice.random(rnd, xOff + inputSize, 1);
            float[] expectedGradX = gradX.clone();
            Im2col.col2im(cols, 0, s[0], s[1], s[2], s[3], s[4], s[5], s[6], expectedGradX, xOff);
            try (DeviceBuffer dx = cx.upload(x); DeviceBuffer dcols = cx.floats(colsSize);
                 DeviceBuffer dsrc = cx.upload(cols); DeviceBuffer dgx = cx.upload(gradX)) {
                ClConv.im2col(cx, dx, xOff, g, dcols, 0);
                ClConv.col2im(cx, dsrc, 0, g, dgx, xOff);
                assertThat(dcols.read(new float[colsSize])).as("im2col %s", g).containsExactly(expectedCols);
                float[] actualGradX = dgx.read(new float[gradX.length]);
                for (int i = 0; i < actualGradX.length; i++) {
                    assertThat(actualGradX[i]).as("col2im %s at %d", g, i)
                            .isCloseTo(expectedGradX[i], org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
        }
    }

    @Test
    void maxPoolForwardAndBackwardMatchCpuWithOverlapTiesAndNan() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(9);
        // batch, channels, height, width, k, stride, pad: overlapping windows (stride < k), padding, odd sizes.
        int[][] shapes = {{1, 1, 1, 1, 1, 1, 0}, {2, 3, 8, 8, 2, 2, 0}, {2, 2, 7, 9, 3, 1, 1}, {1, 3, 10, 11, 3, 2, 1}};
        for (int[] s : shapes) {
            int batch = s[0], channels = s[1], h = s[2], w = s[3], k = s[4], stride = s[5], pad = s[6];
            ConvGeometry g = new ConvGeometry(channels, h, w, k, k, stride, pad);
            int inputs = batch * channels * h * w;
            int outputs = batch * channels * g.outH() * g.outW();
            float[] x = TestDevice.random(rnd, inputs, 3);
            for (int i = 0; i < inputs; i += 7) {
                x[i] = Math.round(x[i]); // ties
            }
            if (inputs > 10) {
                x[10] = Float.NaN;
            }
            float[] expectedY = new float[outputs];
            int[] expectedArgmax = new int[outputs];
            MaxPool2dKernel.forward(x, batch, channels, h, w, k, stride, pad, expectedY, expectedArgmax);
            float[] gradY = TestDevice.random(rnd, outputs, 1);
            float[] gradX = TestDevice.random(rnd, inputs, 1);
            float[] expectedGradX = gradX.clone();
            MaxPool2dKernel.backward(gradY, expectedArgmax, outputs, expectedGradX);
            try (DeviceBuffer dx = cx.upload(x); DeviceBuffer dy = cx.floats(outputs); DeviceBuffer da = cx.ints(outputs);
                 DeviceBuffer dgy = cx.upload(gradY); DeviceBuffer dgx = cx.upload(gradX)) {
                ClMaxPool2d.forward(cx, dx, batch, channels, h, w, k, stride, pad, dy, da);
                ClMaxPool2d.backward(cx, dgy, da, batch, channels, h, w, k, stride, pad, dgx);
                assertThat(dy.read(new float[outputs])).containsExactly(expectedY);
                assertThat(da.read(new int[outputs])).containsExactly(expectedArgmax);
                assertThat(dgx.read(new float[inputs])).containsExactly(expectedGradX);
            }
        }
    }
}
