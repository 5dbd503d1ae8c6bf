package dev.powerprop.opencl;

/**
 * Elementwise kernels on the device ({@code elementwise.cl}), the same operations in the same
 * order as the engine's {@code cpu/elementwise}, so results agree bit for bit.
 */
public final class ClElementwise {
    private ClElementwise() {}

    /** {@code y = max(x, 0)} over n elements, keeping NaN. */
    public static void relu(OpenClContext cx, DeviceBuffer x, DeviceBuffer y, int n) {
        ClChecks.lengths(n, "x", x, "y", y);
        cx.runOwned("relu_forward", n, n, x, y);
    }

    /** {@code gradX += gradY * [y > 0]}, from the saved output {@code y = relu(x)}. */
    public static void reluBackward(OpenClContext cx, DeviceBuffer y, DeviceBuffer gradY, DeviceBuffer gradX, int n) {
        ClChecks.lengths(n, "y", y, "gradY", gradY, "gradX", gradX);
        cx.runOwned("relu_backward", n, n, y, gradY, gradX);
    }

    /** {@code out[r, j] = x[r, j] + bias[j]} for a {@code rows x cols} x; out may be x. */
    public static void addRowBias(OpenClContext cx, DeviceBuffer x, DeviceBuffer bias, DeviceBuffer out,
                                  int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        ClChecks.lengths(rows * cols, "x", x, "out", out);
        ClChecks.lengths(cols, "bias", bias);
        cx.runOwned("add_row_bias", rows * cols, rows, cols, x, bias, out);
    }

    /** {@code y += alpha * x} over n elements. */
    public static void axpy(OpenClContext cx, float alpha, DeviceBuffer x, DeviceBuffer y, int n) {
        ClChecks.lengths(n, "x", x, "y", y);
        cx.runOwned("axpy", n, n, alpha, x, y);
    }
}
