package dev.powerprop.engine.cpu.pool;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * 2-D max-pooling over NCHW float32 tensors, forward and backward.
 *
 * <p>Contract (shared with {@link MaxPool2dReference}, the oracle): a square {@code k x k} window
 * moves by {@code stride} over each plane padded by {@code pad}; {@code outH} and {@code outW}
 * follow {@link dev.powerprop.engine.cpu.conv.ConvGeometry}. Padding counts as minus infinity and
 * is never chosen (pad must be smaller than {@code k}, so every window holds a real element).
 * {@code argmax} records the flat index into {@code x} of the chosen element, which is all that
 * backward needs: the derivative of a maximum is 1 at the element chosen and 0 elsewhere.
 *
 * <p>Ties and NaN: the first maximum in row-major window order is chosen. A NaN anywhere in a
 * window makes the output NaN (as PyTorch does: a NaN should surface, not be pooled away), and
 * argmax points at the first NaN in window order, so the gradient goes to the element that
 * produced the output.
 *
 * <p>Speed: planes ({@code batch * channels}) are split across {@link Parallel} threads. Within a
 * plane, the output columns whose window lies wholly inside the input are computed one vector
 * of columns at a time by {@link MaxPool2dVector} when {@link VectorSupport#ENABLED}; the border
 * columns, where windows are clipped by the padding, run the scalar loop below. (On AVX2 the
 * vector path measured 3-5x the scalar loop, also for stride 2, whose loads are gathers.)
 */
public final class MaxPool2dKernel {
    /** Below this many window reads, handing work to other threads costs more than it saves. */
    private static final long PARALLEL_MIN_READS = 1 << 16;

    private MaxPool2dKernel() {}

    /**
     * {@code y[n,c,oy,ox]} = the maximum of the {@code k x k} window, and {@code argmax} the flat
     * index into {@code x} of the element chosen (the first maximum in row-major window order; the
     * first NaN if the window holds one). {@code x} is {@code [batch, channels, height, width]}
     * from index 0; {@code y} and {@code argmax} are {@code [batch, channels, outH, outW]}.
     *
     * @throws IllegalArgumentException if the geometry is invalid or an array is too short
     */
    public static void forward(float[] x, int batch, int channels, int height, int width,
            int k, int stride, int pad, float[] y, int[] argmax) {
        forward(x, batch, channels, height, width, k, stride, pad, y, argmax, VectorSupport.ENABLED);
    }

    /** As above, choosing the path explicitly so that tests cover the scalar one on every machine. */
    static void forward(float[] x, int batch, int channels, int height, int width,
            int k, int stride, int pad, float[] y, int[] argmax, boolean vectorized) {
        PoolGeometry g = PoolGeometry.of(batch, channels, height, width, k, stride, pad);
        g.checkArrays(x.length, y.length, argmax.length);
        int planes = g.planes();
        long reads = (long) g.outputSize() * k * k;
        int parts = reads < PARALLEL_MIN_READS ? 1 : Math.min(Parallel.threads(), planes);
        Parallel.run(parts, part -> {
            int end = Parallel.splitStart(planes, parts, part + 1);
            for (int p = Parallel.splitStart(planes, parts, part); p < end; p++) {
                forwardPlane(x, p, g, y, argmax, vectorized);
            }
        });
    }

    /**
     * {@code gradX[argmax[i]] += gradY[i]} for {@code i < count}: each output gradient goes to the
     * input element that was the maximum. Accumulates, so overlapping windows (stride < k) that
     * chose the same element add up, and {@code gradX} may already hold other gradients.
     *
     * @throws IllegalArgumentException if {@code gradY} or {@code argmax} is shorter than count
     */
    public static void backward(float[] gradY, int[] argmax, int count, float[] gradX) {
        checkBackward(gradY.length, argmax.length, count);
        // Serial on purpose: with overlapping windows two outputs may route to one element, and
        // this is one cheap pass over count elements.
        for (int i = 0; i < count; i++) {
            gradX[argmax[i]] += gradY[i];
        }
    }

    static void checkBackward(int gradYLength, int argmaxLength, int count) {
        if (count < 0 || count > gradYLength || count > argmaxLength) {
            throw new IllegalArgumentException("count " + count + " must be in [0, min(gradY length "
                    + gradYLength + ", argmax length " + argmaxLength + ")]");
        }
    }

    private static void forwardPlane(float[] x, int p, PoolGeometry g, float[] y, int[] argmax,
            boolean vectorized) {
        int height = g.image().height();
        int width = g.image().width();
        int k = g.image().kh();
        int stride = g.image().stride();
        int pad = g.image().pad();
        int outW = g.outW();
        int plane = p * height * width;
        // Columns whose whole window is inside the input: no clipping, so all lanes of a vector
        // read the same taps. oxEnd(k - 1) is where the last tap leaves the input.
        int interiorBegin = g.image().oxBegin(0);
        int interiorEnd = Math.max(interiorBegin, g.image().oxEnd(k - 1));
        for (int oy = 0; oy < g.outH(); oy++) {
            int top = oy * stride - pad;
            int iBegin = Math.max(0, -top);
            int iEnd = Math.min(k, height - top);
            int out = (p * g.outH() + oy) * outW;
            int rowStart = plane + top * width;
            scalarWindows(x, rowStart, width, iBegin, iEnd, k, stride, pad, 0, interiorBegin, y, argmax, out);
            if (vectorized) {
                MaxPool2dVector.windows(x, rowStart, width, iBegin, iEnd, k, stride, pad,
                        interiorBegin, interiorEnd, y, argmax, out);
            } else {
                scalarWindows(x, rowStart, width, iBegin, iEnd, k, stride, pad, interiorBegin, interiorEnd,
                        y, argmax, out);
            }
            scalarWindows(x, rowStart, width, iBegin, iEnd, k, stride, pad, interiorEnd, outW, y, argmax, out);
        }
    }

    /**
     * Output columns {@code [oxFrom, oxTo)} of one output row; {@code rowStart} is the flat index
     * of the window's top row (it may point into the padding above the plane) and window rows
     * {@code [iBegin, iEnd)} are the real ones.
     */
    private static void scalarWindows(float[] x, int rowStart, int width, int iBegin, int iEnd,
            int k, int stride, int pad, int oxFrom, int oxTo, float[] y, int[] argmax, int out) {
        for (int ox = oxFrom; ox < oxTo; ox++) {
            int left = ox * stride - pad;
            int jBegin = Math.max(0, -left);
            int jEnd = Math.min(k, width - left);
            int bestIndex = rowStart + iBegin * width + left + jBegin;
            float best = x[bestIndex];
            for (int i = iBegin; i < iEnd; i++) {
                int row = rowStart + i * width + left;
                for (int j = jBegin; j < jEnd; j++) {
                    float v = x[row + j];
                    // Taken when v > best or v is NaN, unless best is already NaN: strictly
                    // greater keeps the first maximum, and the first NaN sticks.
                    if (best == best && !(v <= best)) {
                        best = v;
                        bestIndex = row + j;
                    }
                }
            }
            y[out + ox] = best;
            argmax[out + ox] = bestIndex;
        }
    }
}
