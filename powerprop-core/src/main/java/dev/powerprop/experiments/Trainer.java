package dev.powerprop.experiments;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.ops.SoftmaxCrossEntropy;
import dev.powerprop.nn.Module;
import dev.powerprop.nn.data.Batch;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.ImageDataset;
import dev.powerprop.nn.optim.Optimizer;

/**
 * The training loop of the paper's notebook: one fresh mini-batch per step, softmax
 * cross-entropy, backward, one optimiser step; validation every {@code evalEvery} steps.
 */
public final class Trainer {
    /** Told about progress; may draw a progress bar. */
    public interface Listener {
        /** After step {@code step} (0-based); {@code validationAccuracy} is NaN between evaluations. */
        void onStep(int step, int lastStep, double loss, double validationAccuracy);
    }

    private Trainer() {}

    /**
     * Runs steps {@code 0..lastStep} inclusive (the notebook's {@code range(lastStep + 1)}) over
     * batches drawn from {@code batches}; returns the last validation accuracy.
     */
    public static double train(Module model, Optimizer optimizer, BatchIterator batches, int lastStep,
                               ImageDataset validation, int evalEvery, Listener listener) {
        if (lastStep < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + lastStep);
        }
        double validationAccuracy = Double.NaN;
        Backend device = model.backend();
        model.train(true);
        for (int step = 0; step <= lastStep; step++) {
            Batch b = batches.next();
            optimizer.zeroGrad();
            // On a device backend the batch goes up; only the loss comes back (loss.item()).
            Tensor loss = SoftmaxCrossEntropy.apply(model.forward(b.x().to(device)), b.labels());
            loss.backward();
            optimizer.step();
            double acc = Double.NaN;
            if (validation != null && validation.size() > 0 && (step % evalEvery == 0 || step == lastStep)) {
                model.eval();
                acc = Evaluation.score(model, validation).accuracy();
                validationAccuracy = acc;
                model.train(true);
            }
            double lossValue = loss.item();
            if (!Double.isFinite(lossValue)) {
                throw new TrainingDivergedException(step, lossValue);
            }
            if (listener != null) {
                listener.onStep(step, lastStep, lossValue, acc);
            }
        }
        model.eval();
        return validationAccuracy;
    }
}
