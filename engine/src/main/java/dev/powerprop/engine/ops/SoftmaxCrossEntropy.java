package dev.powerprop.engine.ops;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;

/**
 * The mean over rows of -log softmax(logits)[label], fused: one stable pass gives the loss
 * and the softmax probabilities, which are all that backward needs, because
 * d loss / d logits = (softmax(logits) - onehot(label)) / rows.
 */
public final class SoftmaxCrossEntropy extends Op {
    private final Tensor probs;
    private final int[] labels;

    private SoftmaxCrossEntropy(Tensor logits, Tensor probs, int[] labels) {
        super(logits);
        this.probs = probs;
        this.labels = labels;
    }

    /** Mean cross-entropy of [rows, classes] logits against integer labels in [0, classes). */
    public static Tensor apply(Tensor logits, int[] labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("cross-entropy needs [rows, classes] logits, got " + logits.shape());
        }
        if (labels.length != logits.dim(0)) {
            throw new IllegalArgumentException("cross-entropy: " + labels.length + " labels for " + logits.dim(0)
                    + " rows of logits " + logits.shape());
        }
        Tensor probs = logits.backend().zeros(logits.shape());
        Tensor out = logits.backend().zeros(Shape.of());
        logits.backend().softmaxCrossEntropy(logits, labels, probs, out);
        return Op.record(out, new SoftmaxCrossEntropy(logits, probs, labels.clone()));
    }

    @Override
    public void backward(Tensor g) {
        Tensor logits = inputs()[0];
        logits.backend().softmaxCrossEntropyBackward(probs, labels, g, logits.gradBuffer());
    }
}
