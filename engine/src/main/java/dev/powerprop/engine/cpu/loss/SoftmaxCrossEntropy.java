package dev.powerprop.engine.cpu.loss;

import dev.powerprop.engine.cpu.VectorSupport;

/**
 * Softmax cross-entropy on logits, fused and numerically stable.
 *
 * <p>Forward, per row with {@code m = max_k x_k}: {@code p_k = exp(x_k - m) / sum_j exp(x_j - m)}
 * and {@code -log p_label = log(sum_j exp(x_j - m)) - (x_label - m)} (log-sum-exp: no exponent
 * is positive, so nothing overflows even for logits of 1e4). The loss is the mean over rows.
 * Backward: {@code dL/dx = gradLoss / rows * (p - onehot(label))}, so the probabilities are all
 * it keeps. {@link SoftmaxCrossEntropyReference} is the float64 twin.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /**
     * Mean over rows of {@code -log softmax(logits)[label]}; writes the softmax into {@code probs}.
     *
     * @param logits {@code rows x classes}, row-major
     * @param labels one class index in {@code [0, classes)} per row
     * @param probs  receives {@code rows x classes} probabilities, what {@link #backward} needs;
     *               may be logits itself
     * @throws IllegalArgumentException when rows < 1, a label is out of range or an array is too short
     */
    public static double forward(float[] logits, int rows, int classes, int[] labels, float[] probs) {
        return forward(logits, rows, classes, labels, probs, VectorSupport.ENABLED);
    }

    /** {@code gradLogits += gradLoss / rows * (probs - onehot(labels))}. */
    public static void backward(float[] probs, int rows, int classes, int[] labels, float gradLoss, float[] gradLogits) {
        backward(probs, rows, classes, labels, gradLoss, gradLogits, VectorSupport.ENABLED);
    }

    /** {@link #forward} on the vector ({@code useVector}) or the scalar float row primitives. */
    static double forward(float[] logits, int rows, int classes, int[] labels, float[] probs, boolean useVector) {
        checkShape("logits", logits.length, rows, classes, labels);
        checkShape("probs", probs.length, rows, classes, labels);
        checkLabels(labels, rows, classes);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            float labelLogit = logits[off + labels[r]]; // read first: probs may be written over logits
            float max = useVector ? SoftmaxRowsVector.max(logits, off, classes) : SoftmaxRows.max(logits, off, classes);
            float sum = useVector ? SoftmaxRowsVector.expSum(logits, off, classes, max, probs)
                    : SoftmaxRows.expSum(logits, off, classes, max, probs);
            // sum >= 1 (the max term is exp(0)), so 1/sum is safe
            if (useVector) {
                SoftmaxRowsVector.scale(probs, off, classes, 1f / sum);
            } else {
                SoftmaxRows.scale(probs, off, classes, 1f / sum);
            }
            total += Math.log(sum) - ((double) labelLogit - max);
        }
        return total / rows;
    }

    static void backward(float[] probs, int rows, int classes, int[] labels, float gradLoss, float[] gradLogits,
                         boolean useVector) {
        checkShape("probs", probs.length, rows, classes, labels);
        checkShape("gradLogits", gradLogits.length, rows, classes, labels);
        checkLabels(labels, rows, classes);
        float scale = gradLoss / rows; // d(mean)/d(row loss) = 1/rows
        // The -onehot term first, then one pass of gradLogits += scale * probs over the whole
        // rows x classes block (contiguous, so no per-row vector tails for 10 classes).
        for (int r = 0; r < rows; r++) {
            gradLogits[r * classes + labels[r]] -= scale;
        }
        int n = rows * classes;
        if (useVector) {
            SoftmaxRowsVector.addScaled(gradLogits, 0, n, scale, probs);
        } else {
            SoftmaxRows.addScaled(gradLogits, 0, n, scale, probs);
        }
    }

    static void checkShape(String name, int length, int rows, int classes, int[] labels) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1 (the mean loss over zero rows is undefined), got "
                    + rows);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if ((long) rows * classes > length) {
            throw new IllegalArgumentException(name + " has " + length + " elements, fewer than rows * classes = "
                    + rows + " * " + classes);
        }
        if (labels.length < rows) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, fewer than rows = " + rows);
        }
    }

    static void checkLabels(int[] labels, int rows, int classes) {
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("label out of range in row " + r + ": got " + labels[r]
                        + ", expected 0 <= label < " + classes);
            }
        }
    }
}
