package dev.powerprop.opencl;

/**
 * Softmax cross-entropy on the device ({@code loss.cl}), as the engine's
 * {@code cpu/loss/SoftmaxCrossEntropy}: forward writes the softmax and each row's loss;
 * the mean loss is {@link ClReductions#sumAxis} over the row losses divided by rows, read when
 * the caller wants it. Labels are an int buffer on the device.
 */
public final class ClSoftmaxCrossEntropy {
    private ClSoftmaxCrossEntropy() {}

    /** {@code probs = softmax(logits)} row-wise and {@code rowLoss[r] = -log probs[r, labels[r]]}. */
    public static void forward(OpenClContext cx, DeviceBuffer logits, DeviceBuffer labels, int rows, int classes,
                               DeviceBuffer probs, DeviceBuffer rowLoss) {
        checkShape(rows, classes);
        ClChecks.lengths(rows * classes, "logits", logits, "probs", probs);
        ClChecks.lengths(rows, "labels", labels, "rowLoss", rowLoss);
        cx.runOwned("softmax_xent_forward", rows, rows, classes, logits, labels, probs, rowLoss);
    }

    /** {@code gradLogits += gradLoss / rows * (probs - onehot(labels))}. */
    public static void backward(OpenClContext cx, DeviceBuffer probs, DeviceBuffer labels, int rows, int classes,
                                float gradLoss, DeviceBuffer gradLogits) {
        checkShape(rows, classes);
        ClChecks.lengths(rows * classes, "probs", probs, "gradLogits", gradLogits);
        ClChecks.lengths(rows, "labels", labels);
        cx.runOwned("softmax_xent_backward", rows * classes, rows, classes, gradLoss / rows, probs, labels, gradLogits);
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
             DeviceBuffer dp = cx.floats(rows * classes); DeviceBuffer loss = cx.floats(rows);
             DeviceBuffer total = cx.floats(1)) {
            forward(cx, dx, dl, rows, classes, dp, loss);
            ClReductions.sumAxis(cx, loss, 1, rows, 1, total);
            dp.read(probs);
            return total.read(new float[1])[0] / (double) rows;
        }
    }

    private static void checkShape(int rows, int classes) {
        if (rows < 1 || classes < 1) {
            throw new IllegalArgumentException("rows and classes must be >= 1, got " + rows + " x " + classes);
        }
    }
}
