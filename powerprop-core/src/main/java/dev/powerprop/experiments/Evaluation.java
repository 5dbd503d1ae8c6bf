package dev.powerprop.experiments;

import dev.powerprop.engine.NoGrad;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.SoftmaxCrossEntropy;
import dev.powerprop.nn.Module;
import dev.powerprop.nn.data.Batch;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.ImageDataset;

/** Accuracy and loss of a classifier over a whole data set, without building a graph. */
public final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() {}

    /** Mean loss and accuracy over {@code data}. */
    public record Score(double loss, double accuracy, int count) {}

    public static Score score(Module model, ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot evaluate on an empty data set");
        }
        double lossSum = 0;
        long correct = 0;
        try (var scope = NoGrad.enter()) {
            BatchIterator it = BatchIterator.sequential(data, BATCH).reusingStorage(); // each batch is done with before the next
            while (it.hasNext()) {
                Batch b = it.next();
                Tensor logits = model.forward(b.x().to(model.backend()));
                lossSum += SoftmaxCrossEntropy.apply(logits, b.labels()).item() * b.size();
                correct += countCorrect(logits.toHost(), b.labels());
            }
        }
        return new Score(lossSum / data.size(), (double) correct / data.size(), data.size());
    }

    /** How many rows of {@code logits} have their largest value at the label (first on ties). */
    public static int countCorrect(Tensor logits, int[] labels) {
        int classes = logits.dim(1);
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            int best = 0;
            double bestValue = logits.get(r * classes);
            for (int c = 1; c < classes; c++) {
                double v = logits.get(r * classes + c);
                if (v > bestValue) {
                    bestValue = v;
                    best = c;
                }
            }
            if (best == labels[r]) {
                correct++;
            }
        }
        return correct;
    }
}
