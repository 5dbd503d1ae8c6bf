package dev.powerprop.opencl;

/**
 * Row-wise log-softmax on the device ({@code loss.cl}), with the bits of the engine's
 * {@code cpu/loss/LogSoftmax}: {@code y = (x - max) - log(sum exp(x - max))}, and backward
 * {@code gradX += gradY - exp(y) * rowsum(gradY)}. One work-item a row.
 */
public final class ClLogSoftmax {
    private ClLogSoftmax() {}

    /** {@code y = x - logsumexp(x)} per row of a {@code rows x cols} x; y may be x. */
    public static void forward(OpenClContext cx, DeviceBuffer x, int rows, int cols, DeviceBuffer y) {
        checkShape(rows, cols);
        ClChecks.lengths(rows * cols, "x", x, "y", y);
        if (cols > 0) {
            cx.runOwned("log_softmax_forward", rows, rows, cols, x, y);
        }
    }

    /** {@code gradX += gradY - exp(y) * rowsum(gradY)}. */
    public static void backward(OpenClContext cx, DeviceBuffer y, DeviceBuffer gradY, int rows, int cols,
                                DeviceBuffer gradX) {
        checkShape(rows, cols);
        ClChecks.lengths(rows * cols, "y", y, "gradY", gradY, "gradX", gradX);
        cx.runOwned("log_softmax_backward", rows, rows, cols, y, gradY, gradX);
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
        }
    }
}
