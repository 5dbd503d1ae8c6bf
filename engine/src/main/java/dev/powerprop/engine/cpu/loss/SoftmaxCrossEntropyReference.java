package dev.powerprop.engine.cpu.loss;

import static dev.powerprop.engine.cpu.loss.SoftmaxCrossEntropy.checkLabels;
import static dev.powerprop.engine.cpu.loss.SoftmaxCrossEntropy.checkShape;

/** {@link SoftmaxCrossEntropy} in double precision as plain loops: the oracle, and the engine's float64 path. */
public final class SoftmaxCrossEntropyReference {
    private SoftmaxCrossEntropyReference() {}

    /** Mean over rows of {@code -log softmax(logits)[label]}; writes the softmax into probs. */
    public static double forward(double[] logits, int rows, int classes, int[] labels, double[] probs) {
        checkShape("logits", logits.length, rows, classes, labels);
        checkShape("probs", probs.length, rows, classes, labels);
        checkLabels(labels, rows, classes);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[off + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                probs[off + k] = Math.exp(logits[off + k] - max);
                sum += probs[off + k];
            }
            for (int k = 0; k < classes; k++) {
                probs[off + k] /= sum;
            }
            total += Math.log(sum) - (logits[off + labels[r]] - max);
        }
        return total / rows;
    }

    /** {@code gradLogits += gradLoss / rows * (probs - onehot(labels))}. */
    public static void backward(double[] probs, int rows, int classes, int[] labels, double gradLoss,
                                double[] gradLogits) {
        checkShape("probs", probs.length, rows, classes, labels);
        checkShape("gradLogits", gradLogits.length, rows, classes, labels);
        checkLabels(labels, rows, classes);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < classes; k++) {
                double onehot = k == labels[r] ? 1 : 0;
                gradLogits[r * classes + k] += gradLoss / rows * (probs[r * classes + k] - onehot);
            }
        }
    }
}
