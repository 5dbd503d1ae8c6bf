package dev.powerprop.engine.cpu.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Im2colTest {

    /** One im2col problem; the offsets put the image and the matrix inside larger arrays. */
    record Case(int channels, int height, int width, int kh, int kw, int stride, int pad, int xOff, int colsOff) {
        ConvGeometry geometry() {
            return new ConvGeometry(channels, height, width, kh, kw, stride, pad);
        }

        @Override
        public String toString() {
            return "C=" + channels + " H=" + height + " W=" + width + " kernel " + kh + "x" + kw
                    + " stride " + stride + " pad " + pad + " xOff " + xOff + " colsOff " + colsOff;
        }
    }

    /** Hand-picked edges, then seeded random shapes (kernels 1, 3, 5 and non-square; strides 1-3; pads 0-2). */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                new Case(1, 1, 1, 1, 1, 1, 0, 0, 0),      // everything 1
                new Case(1, 1, 1, 3, 3, 1, 1, 2, 3),      // 3x3 kernel exactly covers the padded 1x1 input
                new Case(2, 3, 4, 5, 6, 1, 1, 0, 0),      // kernel exactly covers padded input, non-square
                new Case(1, 1, 1, 5, 5, 2, 2, 1, 1),      // 5x5 over a 1x1 image that is mostly padding
                new Case(3, 7, 5, 3, 3, 1, 1, 5, 7),      // the usual "same" convolution
                new Case(2, 9, 8, 3, 3, 2, 1, 0, 0),      // stride 2
                new Case(2, 10, 11, 5, 5, 3, 2, 4, 9),    // stride 3, pad 2
                new Case(1, 6, 9, 1, 3, 1, 0, 0, 0),      // 1x3 kernel
                new Case(1, 9, 6, 3, 1, 2, 1, 0, 0),      // 3x1 kernel
                new Case(4, 5, 5, 1, 1, 3, 2, 1, 1),      // 1x1 kernel reading padding
                new Case(0, 4, 4, 3, 3, 1, 1, 0, 0)));    // no channels: nothing to do
        SplittableRandom random = new SplittableRandom(20240611);
        int[] kernelSizes = {1, 2, 3, 5};
        while (cases.size() < 300) {
            int kh = kernelSizes[random.nextInt(kernelSizes.length)];
            int kw = random.nextInt(4) == 0 ? kernelSizes[random.nextInt(kernelSizes.length)] : kh;
            int pad = random.nextInt(3);
            int height = 1 + random.nextInt(random.nextBoolean() ? 4 : 14);
            int width = 1 + random.nextInt(random.nextBoolean() ? 4 : 14);
            if (kh > height + 2 * pad || kw > width + 2 * pad) {
                continue;
            }
            cases.add(new Case(1 + random.nextInt(3), height, width, kh, kw, 1 + random.nextInt(3), pad,
                    random.nextInt(3) * 7, random.nextInt(3) * 5));
        }
        return cases;
    }

    @Test
    void im2colMatchesReferenceExactlyOnEdgeAndRandomShapes() {
        SplittableRandom random = new SplittableRandom(1);
        for (Case c : cases()) {
            ConvGeometry g = c.geometry();
            float[] x = randomFloats(random, c.xOff() + g.inputSize() + 3);
            // NaN in every slot first: an entry the kernel forgets to write shows up as a mismatch.
            float[] cols = new float[c.colsOff() + g.colsSize() + 4];
            Arrays.fill(cols, Float.NaN);
            double[] expected = new double[cols.length];
            Arrays.fill(expected, Double.NaN);

            Im2col.im2col(x, c.xOff(), c.channels(), c.height(), c.width(), c.kh(), c.kw(), c.stride(), c.pad(),
                    cols, c.colsOff());
            Im2colReference.im2col(toDoubles(x), c.xOff(), c.channels(), c.height(), c.width(), c.kh(), c.kw(),
                    c.stride(), c.pad(), expected, c.colsOff());

            // im2col only moves data, so the float result must equal the double oracle exactly.
            assertThat(toDoubles(cols)).as("%s", c).containsExactly(expected);
        }
    }

    @Test
    void col2imMatchesReferenceAndAccumulatesIntoExistingGradient() {
        SplittableRandom random = new SplittableRandom(2);
        for (Case c : cases()) {
            ConvGeometry g = c.geometry();
            float[] cols = randomFloats(random, c.colsOff() + g.colsSize() + 2);
            float[] gradX = randomFloats(random, c.xOff() + g.inputSize() + 3);
            double[] expected = toDoubles(gradX);

            Im2col.col2im(cols, c.colsOff(), c.channels(), c.height(), c.width(), c.kh(), c.kw(), c.stride(), c.pad(),
                    gradX, c.xOff());
            Im2colReference.col2im(toDoubles(cols), c.colsOff(), c.channels(), c.height(), c.width(), c.kh(), c.kw(),
                    c.stride(), c.pad(), expected, c.xOff());

            // At most kh*kw <= 25 float additions of values in [-1, 1] land on one element.
            for (int i = 0; i < gradX.length; i++) {
                assertThat((double) gradX[i]).as("%s, gradX[%d]", c, i).isCloseTo(expected[i], within(1e-5));
            }
        }
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        // <im2col(x), c> == <x, col2im(c)> for all x and c is what makes col2im the backward of im2col.
        SplittableRandom random = new SplittableRandom(3);
        for (Case c : cases()) {
            ConvGeometry g = c.geometry();
            double[] x = randomDoubles(random, g.inputSize());
            double[] cols = randomDoubles(random, g.colsSize());

            double[] unfolded = new double[g.colsSize()];
            Im2colReference.im2col(x, 0, c.channels(), c.height(), c.width(), c.kh(), c.kw(), c.stride(), c.pad(),
                    unfolded, 0);
            double[] folded = new double[g.inputSize()];
            Im2colReference.col2im(cols, 0, c.channels(), c.height(), c.width(), c.kh(), c.kw(), c.stride(), c.pad(),
                    folded, 0);
            assertThat(dot(unfolded, cols)).as("reference, %s", c).isCloseTo(dot(x, folded), within(1e-9));

            float[] xf = toFloats(x);
            float[] colsf = toFloats(cols);
            float[] unfoldedf = new float[g.colsSize()];
            Im2col.im2col(xf, 0, c.channels(), c.height(), c.width(), c.kh(), c.kw(), c.stride(), c.pad(),
                    unfoldedf, 0);
            float[] foldedf = new float[g.inputSize()];
            Im2col.col2im(colsf, 0, c.channels(), c.height(), c.width(), c.kh(), c.kw(), c.stride(), c.pad(),
                    foldedf, 0);
            assertThat(dot(toDoubles(unfoldedf), toDoubles(colsf))).as("fast, %s", c)
                    .isCloseTo(dot(toDoubles(xf), toDoubles(foldedf)), within(1e-3));
        }
    }

    @Test
    void im2colTimesWeightsIsTheDirectConvolution() {
        // The reason im2col exists: y[o, oy, ox] = sum_{c,i,j} w[o,c,i,j] * xpad[c, oy*s+i, ox*s+j] = (W x cols).
        SplittableRandom random = new SplittableRandom(4);
        int channels = 2, height = 6, width = 7, kh = 3, kw = 2, stride = 2, pad = 1, outC = 3;
        ConvGeometry g = new ConvGeometry(channels, height, width, kh, kw, stride, pad);
        double[] x = randomDoubles(random, g.inputSize());
        double[] w = randomDoubles(random, outC * g.colsRows());
        double[] cols = new double[g.colsSize()];
        Im2colReference.im2col(x, 0, channels, height, width, kh, kw, stride, pad, cols, 0);

        for (int o = 0; o < outC; o++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    double direct = 0;
                    double viaGemm = 0;
                    for (int c = 0; c < channels; c++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int row = (c * kh + i) * kw + j;
                                int iy = oy * stride - pad + i;
                                int ix = ox * stride - pad + j;
                                if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                                    direct += w[o * g.colsRows() + row] * x[(c * height + iy) * width + ix];
                                }
                                viaGemm += w[o * g.colsRows() + row] * cols[row * g.colsCols() + oy * g.outW() + ox];
                            }
                        }
                    }
                    assertThat(viaGemm).isCloseTo(direct, within(1e-12));
                }
            }
        }
    }

    @Test
    void oneByOneKernelWithStrideOneAndNoPaddingCopiesTheImage() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] cols = new float[x.length];
        Im2col.im2col(x, 0, 2, 2, 3, 1, 1, 1, 0, cols, 0);
        assertThat(cols).containsExactly(x);
    }

    @Test
    void tapsThatReadPaddingAreZero() {
        // x = [[1, 2], [3, 4]], 3x3 kernel, pad 1: four outputs, each window centred on one pixel.
        float[] x = {1, 2, 3, 4};
        float[] cols = new float[9 * 4];
        Im2col.im2col(x, 0, 1, 2, 2, 3, 3, 1, 1, cols, 0);
        assertThat(Arrays.copyOfRange(cols, 0, 4)).as("top-left tap").containsExactly(0, 0, 0, 1);
        assertThat(Arrays.copyOfRange(cols, 4 * 4, 5 * 4)).as("centre tap").containsExactly(1, 2, 3, 4);
        assertThat(Arrays.copyOfRange(cols, 8 * 4, 9 * 4)).as("bottom-right tap").containsExactly(4, 0, 0, 0);
    }

    @Test
    void col2imCountsEachPixelOncePerWindowThatReadsIt() {
        // col2im of all ones = how many windows read each pixel: 3x3 windows, pad 1, over 3x3.
        float[] ones = new float[9 * 9];
        Arrays.fill(ones, 1f);
        float[] counts = new float[9];
        Im2col.col2im(ones, 0, 1, 3, 3, 3, 3, 1, 1, counts, 0);
        assertThat(counts).containsExactly(4, 6, 4, 6, 9, 6, 4, 6, 4);
    }

    @Test
    void geometryComputesOutputSizeWithFloorDivision() {
        ConvGeometry g = new ConvGeometry(3, 10, 11, 3, 4, 3, 1);
        assertThat(g.outH()).isEqualTo((10 + 2 - 3) / 3 + 1);
        assertThat(g.outW()).isEqualTo((11 + 2 - 4) / 3 + 1);
        assertThat(g.colsRows()).isEqualTo(3 * 3 * 4);
        assertThat(new ConvGeometry(1, 1, 1, 3, 3, 1, 1).outH()).as("kernel covering padded input").isEqualTo(1);
    }

    @Test
    void kernelLargerThanThePaddedInputIsRejectedNamingTheSizes() {
        assertThatThrownBy(() -> Im2col.im2col(new float[4], 0, 1, 2, 2, 5, 3, 1, 1, new float[100], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 5x3 is larger than the padded input 4x4 (input 2x2, pad 1)");
    }

    @Test
    void strideBelowOneIsRejectedNamingTheStride() {
        assertThatThrownBy(() -> Im2col.im2col(new float[4], 0, 1, 2, 2, 1, 1, 0, 0, new float[4], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stride must be >= 1, got 0");
    }

    @Test
    void negativePadIsRejectedNamingThePad() {
        assertThatThrownBy(() -> Im2col.col2im(new float[4], 0, 1, 2, 2, 1, 1, 1, -1, new float[4], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pad must be >= 0, got -1");
    }

    @Test
    void emptyKernelIsRejected() {
        assertThatThrownBy(() -> new ConvGeometry(1, 2, 2, 0, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel must be at least 1x1, got 0x1");
    }

    @Test
    void tooShortArraysAreRejectedBeforeAnythingIsWritten() {
        float[] cols = new float[3 * 9];
        assertThatThrownBy(() -> Im2col.im2col(new float[9], 1, 1, 3, 3, 3, 3, 1, 1, cols, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x needs 9 elements from offset 1 but has length 9");
        assertThatThrownBy(() -> Im2col.im2col(new float[9], 0, 1, 3, 3, 3, 3, 1, 1, cols, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cols needs 81 elements from offset 0 but has length 27");
        assertThat(cols).containsOnly(0f);
    }

    @Test
    void referenceValidatesLikeTheFastKernel() {
        assertThatThrownBy(() -> Im2colReference.im2col(new double[4], 0, 1, 2, 2, 3, 3, 1, 0, new double[9], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 3x3 is larger than the padded input 2x2 (input 2x2, pad 0)");
    }

    static float[] randomFloats(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    static double[] randomDoubles(SplittableRandom random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble() * 2 - 1;
        }
        return a;
    }

    static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
