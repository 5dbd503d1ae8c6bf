package dev.powerprop.engine.cpu.pool;

/**
 * The plainest 2-D max-pooling, in double precision: the oracle that {@link MaxPool2dKernel} is
 * tested against, and the engine's float64 path. Same contract as {@link MaxPool2dKernel}.
 */
public final class MaxPool2dReference {
    private MaxPool2dReference() {}

    /**
     * {@code y[n,c,oy,ox]} = the maximum of the {@code k x k} window, and {@code argmax} the flat
     * index into {@code x} of the element chosen: the first maximum in row-major window order, or
     * the first NaN if the window holds one. Padding is never chosen.
     */
    public static void forward(double[] x, int batch, int channels, int height, int width,
            int k, int stride, int pad, double[] y, int[] argmax) {
        PoolGeometry g = PoolGeometry.of(batch, channels, height, width, k, stride, pad);
        g.checkArrays(x.length, y.length, argmax.length);
        int outH = g.outH();
        int outW = g.outW();
        int out = 0;
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int plane = (n * channels + c) * height * width;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int bestIndex = -1;
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < k; j++) {
                                int iy = oy * stride - pad + i;
                                int ix = ox * stride - pad + j;
                                if (iy < 0 || iy >= height || ix < 0 || ix >= width) {
                                    continue;
                                }
                                int index = plane + iy * width + ix;
                                double v = x[index];
                                // Strictly greater keeps the first maximum; a NaN wins once.
                                if (bestIndex < 0 || v > best || Double.isNaN(v) && !Double.isNaN(best)) {
                                    best = v;
                                    bestIndex = index;
                                }
                            }
                        }
                        y[out] = best;
                        argmax[out] = bestIndex;
                        out++;
                    }
                }
            }
        }
    }

    /** {@code gradX[argmax[i]] += gradY[i]} for {@code i < count}: each gradient goes to its maximum. */
    public static void backward(double[] gradY, int[] argmax, int count, double[] gradX) {
        MaxPool2dKernel.checkBackward(gradY.length, argmax.length, count);
        for (int i = 0; i < count; i++) {
            gradX[argmax[i]] += gradY[i];
        }
    }
}
