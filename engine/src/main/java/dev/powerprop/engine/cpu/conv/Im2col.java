package dev.powerprop.engine.cpu.conv;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im in float32: the data movement that turns a 2-D convolution into
 * one GEMM.
 *
 * <p>One image {@code x[channels, height, width]} (NCHW, row-major) becomes the row-major matrix
 * {@code cols[channels*kh*kw, outH*outW]}: row {@code (c*kh + i)*kw + j} holds, for every output
 * position {@code oy*outW + ox}, the input element that kernel tap {@code (c, i, j)} sees there,
 * or zero where it sees padding. A convolution of one image is then
 * {@code y[outC, outH*outW] = W[outC, channels*kh*kw] x cols}, and its input gradient is
 * {@code col2im(W^T x gradY)}.
 *
 * <p>Why this is fast without the Vector API: for a fixed tap {@code (i, j)} the output
 * positions that read real input form one rectangle {@code [oyBegin, oyEnd) x [oxBegin, oxEnd)}
 * (see {@link ConvGeometry#oyBegin}), so the bounds test leaves the inner loop; what remains is
 * a zero fill of the border and, for stride 1, one {@link System#arraycopy} per output row.
 *
 * <p>Both kernels handle one image on the calling thread; a caller splits a batch across
 * threads (each image's cols and gradient are disjoint). {@link Im2colReference} is the oracle.
 */
public final class Im2col {
    private Im2col() {}

    /**
     * Unfolds one image {@code [channels, height, width]} at {@code xOff} into the matrix
     * {@code [channels*kh*kw, outH*outW]} at {@code colsOff}; entries that read padding are zero.
     *
     * @throws IllegalArgumentException if the geometry is invalid or an array is too short
     */
    public static void im2col(float[] x, int xOff, int channels, int height, int width,
            int kh, int kw, int stride, int pad, float[] cols, int colsOff) {
        ConvGeometry g = new ConvGeometry(channels, height, width, kh, kw, stride, pad);
        ConvGeometry.checkRange("x", x.length, xOff, g.inputSize());
        ConvGeometry.checkRange("cols", cols.length, colsOff, g.colsSize());
        int outH = g.outH();
        int outW = g.outW();
        int rowLength = outH * outW;
        int dst = colsOff;
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * height * width;
            for (int i = 0; i < kh; i++) {
                int oyBegin = g.oyBegin(i);
                int oyEnd = g.oyEnd(i);
                for (int j = 0; j < kw; j++) {
                    int oxBegin = g.oxBegin(j);
                    int oxEnd = g.oxEnd(j);
                    // Output rows above and below the image read padding only.
                    Arrays.fill(cols, dst, dst + oyBegin * outW, 0f);
                    Arrays.fill(cols, dst + oyEnd * outW, dst + rowLength, 0f);
                    for (int oy = oyBegin; oy < oyEnd; oy++) {
                        int out = dst + oy * outW;
                        // Input element read by output column ox is src + ox*stride.
                        int src = plane + (oy * stride - pad + i) * width - pad + j;
                        Arrays.fill(cols, out, out + oxBegin, 0f);
                        if (stride == 1) {
                            // One contiguous run. The guard: a tap that reads only padding may
                            // point before the array, and arraycopy checks even a 0-length source.
                            if (oxEnd > oxBegin) {
                                System.arraycopy(x, src + oxBegin, cols, out + oxBegin, oxEnd - oxBegin);
                            }
                        } else {
                            for (int ox = oxBegin; ox < oxEnd; ox++) {
                                cols[out + ox] = x[src + ox * stride];
                            }
                        }
                        Arrays.fill(cols, out + oxEnd, out + outW, 0f);
                    }
                    dst += rowLength;
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds every cols entry into the input element it was read
     * from ({@code gradX += col2im(cols)}); entries that read padding have no input element and
     * are dropped. Accumulating lets a caller sum gradients from several uses of {@code x}.
     *
     * @throws IllegalArgumentException if the geometry is invalid or an array is too short
     */
    public static void col2im(float[] cols, int colsOff, int channels, int height, int width,
            int kh, int kw, int stride, int pad, float[] gradX, int gradXOff) {
        ConvGeometry g = new ConvGeometry(channels, height, width, kh, kw, stride, pad);
        ConvGeometry.checkRange("cols", cols.length, colsOff, g.colsSize());
        ConvGeometry.checkRange("gradX", gradX.length, gradXOff, g.inputSize());
        int outH = g.outH();
        int outW = g.outW();
        int rowLength = outH * outW;
        int src = colsOff;
        for (int c = 0; c < channels; c++) {
            int plane = gradXOff + c * height * width;
            for (int i = 0; i < kh; i++) {
                int oyEnd = g.oyEnd(i);
                for (int j = 0; j < kw; j++) {
                    int oxBegin = g.oxBegin(j);
                    int oxEnd = g.oxEnd(j);
                    for (int oy = g.oyBegin(i); oy < oyEnd; oy++) {
                        int in = src + oy * outW;
                        int dst = plane + (oy * stride - pad + i) * width - pad + j;
                        if (stride == 1) {
                            // Contiguous on both sides: C2 vectorises this loop by itself.
                            for (int ox = oxBegin; ox < oxEnd; ox++) {
                                gradX[dst + ox] += cols[in + ox];
                            }
                        } else {
                            for (int ox = oxBegin; ox < oxEnd; ox++) {
                                gradX[dst + ox * stride] += cols[in + ox];
                            }
                        }
                    }
                    src += rowLength;
                }
            }
        }
    }
}
