package dev.powerprop.engine.cpu.conv;

/**
 * The plainest im2col and col2im, in double precision: the oracle that {@link Im2col} is tested
 * against, and the engine's float64 path.
 *
 * <p>See {@link Im2col} for the layout. Every entry is visited by one obvious loop nest, with
 * the padding test written out for each element.
 */
public final class Im2colReference {
    private Im2colReference() {}

    /**
     * Unfolds one image {@code [channels, height, width]} at {@code xOff} into the matrix
     * {@code [channels*kh*kw, outH*outW]} at {@code colsOff}; entries that read padding are zero.
     */
    public static void im2col(double[] x, int xOff, int channels, int height, int width,
            int kh, int kw, int stride, int pad, double[] cols, int colsOff) {
        ConvGeometry g = new ConvGeometry(channels, height, width, kh, kw, stride, pad);
        ConvGeometry.checkRange("x", x.length, xOff, g.inputSize());
        ConvGeometry.checkRange("cols", cols.length, colsOff, g.colsSize());
        int outH = g.outH();
        int outW = g.outW();
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = (c * kh + i) * kw + j;
                    for (int oy = 0; oy < outH; oy++) {
                        for (int ox = 0; ox < outW; ox++) {
                            int iy = oy * stride - pad + i;
                            int ix = ox * stride - pad + j;
                            boolean inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                            cols[colsOff + row * outH * outW + oy * outW + ox] =
                                    inside ? x[xOff + (c * height + iy) * width + ix] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds every cols entry into the input element it was read
     * from ({@code +=}); entries that read padding have no input element and are dropped.
     */
    public static void col2im(double[] cols, int colsOff, int channels, int height, int width,
            int kh, int kw, int stride, int pad, double[] gradX, int gradXOff) {
        ConvGeometry g = new ConvGeometry(channels, height, width, kh, kw, stride, pad);
        ConvGeometry.checkRange("cols", cols.length, colsOff, g.colsSize());
        ConvGeometry.checkRange("gradX", gradX.length, gradXOff, g.inputSize());
        int outH = g.outH();
        int outW = g.outW();
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = (c * kh + i) * kw + j;
                    for (int oy = 0; oy < outH; oy++) {
                        for (int ox = 0; ox < outW; ox++) {
                            int iy = oy * stride - pad + i;
                            int ix = ox * stride - pad + j;
                            if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                                gradX[gradXOff + (c * height + iy) * width + ix] +=
                                        cols[colsOff + row * outH * outW + oy * outW + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
