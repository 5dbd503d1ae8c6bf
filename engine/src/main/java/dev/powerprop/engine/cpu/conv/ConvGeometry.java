package dev.powerprop.engine.cpu.conv;

/**
 * The shape arithmetic of a 2-D sliding window (convolution or pooling) over one image
 * {@code [channels, height, width]}, validated once.
 *
 * <p>A window of {@code kh x kw} moves by {@code stride} over the input padded by {@code pad}
 * on every side; it is placed only where it fits entirely, so
 * {@code outH = (height + 2*pad - kh) / stride + 1} (floor division) and likewise {@code outW}.
 * Window {@code (oy, ox)} reads input row {@code oy*stride - pad + i} and column
 * {@code ox*stride - pad + j} for {@code 0 <= i < kh, 0 <= j < kw}.
 *
 * @param channels input channels, {@code >= 0}
 * @param height input height, {@code >= 1}
 * @param width input width, {@code >= 1}
 * @param kh window height, {@code >= 1} and at most {@code height + 2*pad}
 * @param kw window width, {@code >= 1} and at most {@code width + 2*pad}
 * @param stride step between windows, {@code >= 1}
 * @param pad implicit border on each side, {@code >= 0}
 */
public record ConvGeometry(int channels, int height, int width, int kh, int kw, int stride, int pad) {

    /** Validates; every message names the numbers so the caller can see what to change. */
    public ConvGeometry {
        if (channels < 0) {
            throw new IllegalArgumentException("channels must be >= 0, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "input must be at least 1x1, got height " + height + " x width " + width);
        }
        if (kh < 1 || kw < 1) {
            throw new IllegalArgumentException("kernel must be at least 1x1, got " + kh + "x" + kw);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        if (pad < 0) {
            throw new IllegalArgumentException("pad must be >= 0, got " + pad);
        }
        // long: height + 2*pad may overflow int for absurd pads, and must still be rejected clearly.
        long paddedH = height + 2L * pad;
        long paddedW = width + 2L * pad;
        if (kh > paddedH || kw > paddedW) {
            throw new IllegalArgumentException("kernel " + kh + "x" + kw
                    + " is larger than the padded input " + paddedH + "x" + paddedW
                    + " (input " + height + "x" + width + ", pad " + pad + ")");
        }
        long colsSize = (long) channels * kh * kw * outputSize(paddedH, kh, stride) * outputSize(paddedW, kw, stride);
        long inputSize = (long) channels * height * width;
        if (colsSize > Integer.MAX_VALUE || inputSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("geometry too large for one Java array: input "
                    + inputSize + " elements, cols " + colsSize + " elements");
        }
    }

    /** Output rows: {@code (height + 2*pad - kh) / stride + 1}. */
    public int outH() {
        return (int) outputSize(height + 2L * pad, kh, stride);
    }

    /** Output columns: {@code (width + 2*pad - kw) / stride + 1}. */
    public int outW() {
        return (int) outputSize(width + 2L * pad, kw, stride);
    }

    /** Elements of one input image: {@code channels * height * width}. */
    public int inputSize() {
        return channels * height * width;
    }

    /** Rows of the im2col matrix: one per (channel, kernel row, kernel column). */
    public int colsRows() {
        return channels * kh * kw;
    }

    /** Columns of the im2col matrix: one per output position. */
    public int colsCols() {
        return outH() * outW();
    }

    /** Elements of the im2col matrix: {@code colsRows() * colsCols()}. */
    public int colsSize() {
        return colsRows() * colsCols();
    }

    /**
     * Output rows {@code oy} in {@code [oyBegin(i), oyEnd(i))} read a real input row at kernel
     * row {@code i}; the rows outside that range read padding. Computing the range once replaces
     * a bounds test per element.
     */
    public int oyBegin(int i) {
        return firstInside(i, outH());
    }

    /** End (exclusive) of the output rows whose kernel row {@code i} reads a real input row. */
    public int oyEnd(int i) {
        return endInside(height, i, outH());
    }

    /** Like {@link #oyBegin}, for output columns and kernel column {@code j}. */
    public int oxBegin(int j) {
        return firstInside(j, outW());
    }

    /** Like {@link #oyEnd}, for output columns and kernel column {@code j}. */
    public int oxEnd(int j) {
        return endInside(width, j, outW());
    }

    /**
     * Checks that {@code array} holds {@code size} elements from {@code offset}, so that a kernel
     * fails before writing anything rather than halfway with an index error.
     */
    public static void checkRange(String name, int arrayLength, int offset, long size) {
        if (offset < 0 || offset + size > arrayLength) {
            throw new IllegalArgumentException(name + " needs " + size + " elements from offset " + offset
                    + " but has length " + arrayLength);
        }
    }

    // Smallest o >= 0 with o*stride - pad + tap >= 0, at most out (a tap may read only padding).
    private int firstInside(int tap, int out) {
        return tap >= pad ? 0 : Math.min(out, Math.ceilDiv(pad - tap, stride));
    }

    // One past the largest o < out with o*stride - pad + tap <= size - 1, never below firstInside.
    private int endInside(int size, int tap, int out) {
        int end = Math.floorDiv(size - 1 + pad - tap, stride) + 1;
        return Math.max(firstInside(tap, out), Math.min(out, end));
    }

    private static long outputSize(long padded, int k, int stride) {
        return (padded - k) / stride + 1;
    }
}
