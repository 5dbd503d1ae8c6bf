package dev.powerprop.opencl;

/**
 * Softmax cross-entropy on the device ({@code loss.cl}), with the bits of the engine's
 * {@code cpu/loss/SoftmaxCrossEntropy}: forward writes the softmax and each row's loss (in
 * double where the device has doubles, as the CPU computes it); the mean loss ({@link #mean})
 * is summed on the device into a one-element buffer, read when the caller wants it. Labels are
 * an int buffer on the device.
 */
public final class ClSoftmaxCrossEntropy {
    private ClSoftmaxCrossEntropy() {}

    /** Floats of the buffer that holds {@code rows} row losses (two per row where they are doubles). */
    public static int rowLossLength(OpenClContext cx, int rows) {
        return cx.parity().fp64() ? 2 * rows : rows;
    }

    /**
     * {@code probs = softmax(logits)} row-wise and {@code rowLoss[r] = -log probs[r, labels[r]]};
     * rowLoss holds {@link #rowLossLength} floats.
     */
    public static void forward(OpenClContext cx, DeviceBuffer logits, DeviceBuffer labels, int rows, int classes,
                               DeviceBuffer probs, DeviceBuffer rowLoss) {
        checkShape(rows, classes);
        ClChecks.lengths(rows * classes, "logits", logits, "probs", probs);
        ClChecks.lengths(rows, "labels", labels);
        ClChecks.lengths(rowLossLength(cx, rows), "rowLoss", rowLoss);
        cx.runOwned("softmax_xent_forward", rows, rows, classes, logits, labels, probs, rowLoss);
    }

    /** {@code loss[0] = mean(rowLoss[0..rows))}: the mean loss, left on the device. */
    public static void mean(OpenClContext cx, DeviceBuffer rowLoss, int rows, DeviceBuffer loss) {
        checkShape(rows, 1);
        ClChecks.lengths(rowLossLength(cx, rows), "rowLoss", rowLoss);
        ClChecks.lengths(1, "loss", loss);
        cx.runOwned("softmax_xent_mean", 1, rows, rowLoss, loss);
    }

    /**
     * {@code gradLogits += gradLoss[0] / rows * (probs - onehot(labels))}; gradLoss is a
     * one-element buffer (dL/dloss as backward computed it), read by the kernel, not the host.
     */
    public static void backward(OpenClContext cx, DeviceBuffer probs, DeviceBuffer labels, int rows, int classes,
                                DeviceBuffer gradLoss, DeviceBuffer gradLogits) {
        checkShape(rows, classes);
        ClChecks.lengths(rows * classes, "probs", probs, "gradLogits", gradLogits);
        ClChecks.lengths(rows, "labels", labels);
        ClChecks.lengths(1, "gradLoss", gradLoss);
        cx.runOwned("softmax_xent_backward", rows * classes, rows, classes, gradLoss, probs, labels, gradLogits);
    }

    /** {@link #backward} with dL/dloss given on the host (uploads one float). */
    public static void backward(OpenClContext cx, DeviceBuffer probs, DeviceBuffer labels, int rows, int classes,
                                float gradLoss, DeviceBuffer gradLogits) {
        try (DeviceBuffer g = cx.upload(new float[] {gradLoss})) {
            backward(cx, probs, labels, rows, classes, g, gradLogits);
        }
    }

    /**
     * The mean loss on host arrays, for tests: writes probs, returns the mean of the row losses
     * (summed on the device, one float read back). Labels must be in {@code [0, classes)}: the
     * kernel does not check them.
     */
    public static double forward(OpenClContext cx, float[] logits, int rows, int classes, int[] labels, float[] probs) {
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("label out of range in row " + r + ": got " + labels[r]
                        + ", expected 0 <= label < " + classes);
            }
        }
        try (DeviceBuffer dx = cx.upload(logits); DeviceBuffer dl = cx.upload(labels);
             DeviceBuffer dp = cx.floats(rows * classes); DeviceBuffer loss = cx.floats(rowLossLength(cx, rows));
             DeviceBuffer total = cx.floats(1)) {
            forward(cx, dx, dl, rows, classes, dp, loss);
            mean(cx, loss, rows, total);
            dp.read(probs);
            return total.read(new float[1])[0];
        }
    }

    private static void checkShape(int rows, int classes) {
        if (rows < 1 || classes < 1) {
            throw new IllegalArgumentException("rows and classes must be >= 1, got " + rows + " x " + classes);
        }
    }
}
