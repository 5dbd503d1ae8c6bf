package dev.powerprop.nn.data;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches over an {@link ImageDataset}, in three modes:
 *
 * <ul>
 *   <li>{@link #sequential}: one pass in order, the last batch possibly smaller (evaluation);</li>
 *   <li>{@link #shuffled}: a fixed number of epochs, each in a new random order;</li>
 *   <li>{@link #endless}: epochs one after another forever, for a loop that asks for one batch
 *       per training step (the paper: 50,001 steps of batch 60).</li>
 * </ul>
 *
 * <p>Shuffling draws each epoch's permutation from one generator seeded once, so epochs differ
 * from each other and the same seed gives the same batches in the same order. With
 * {@code dropLast} an epoch yields only full batches and skips the {@code size % batchSize}
 * examples its permutation put last (different ones each epoch); otherwise the last batch of an
 * epoch is smaller. Batches never span two epochs.
 *
 * <pre>{@code
 * BatchIterator batches = BatchIterator.endless(train, 60, 0L, true);
 * for (int step = 0; step <= 50_000; step++) {
 *     Batch b = batches.next();
 *     ... loss(model.forward(b.x()), b.labels()) ...
 * }
 * }</pre>
 */
public final class BatchIterator implements Iterator<Batch> {
    private final ImageDataset data;
    private final int batchSize;
    private final boolean dropLast;
    private final long epochs;
    /** Null for a sequential pass. */
    private final SplittableRandom rng;
    private final int[] order;
    private final int batchesPerEpoch;

    private long epoch;
    private int batchInEpoch;
    /** See {@link #reusingStorage()}. */
    private boolean reuseStorage;
    private Tensor lastImages;

    private BatchIterator(ImageDataset data, int batchSize, boolean dropLast, long epochs,
            SplittableRandom rng) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.epochs = epochs;
        this.rng = rng;
        this.order = new int[data.size()];
        this.batchesPerEpoch = dropLast ? data.size() / batchSize
                : (data.size() + batchSize - 1) / batchSize;
        if (epochs > 1 && batchesPerEpoch == 0) {
            throw new IllegalArgumentException("every epoch would be empty: " + data.size()
                    + " examples, batch size " + batchSize + ", dropLast " + dropLast);
        }
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (rng != null) {
            shuffle();
        }
    }

    /** One pass over {@code data} in order; the last batch holds the remainder. */
    public static BatchIterator sequential(ImageDataset data, int batchSize) {
        return new BatchIterator(data, batchSize, false, 1, null);
    }

    /** {@code epochs} passes, each in a fresh random order drawn from {@code seed}. */
    public static BatchIterator shuffled(ImageDataset data, int batchSize, long seed,
            boolean dropLast, long epochs) {
        return new BatchIterator(data, batchSize, dropLast, epochs, new SplittableRandom(seed));
    }

    /** Shuffled epochs without end: {@link #hasNext()} is always true. */
    public static BatchIterator endless(ImageDataset data, int batchSize, long seed,
            boolean dropLast) {
        return new BatchIterator(data, batchSize, dropLast, Long.MAX_VALUE,
                new SplittableRandom(seed));
    }

    /**
     * From now on each batch's images overwrite the previous batch's storage instead of taking
     * a fresh array (188 KB at 60 x 784, every training step). Only for a loop that is done with
     * a batch when it asks for the next one, as a training step or an evaluation pass is: a
     * graph that saved the previous batch can then no longer be backpropagated (the storage's
     * {@link Tensor#version()} moves), and a kept reference sees the new images. Returns this.
     */
    public BatchIterator reusingStorage() {
        reuseStorage = true;
        return this;
    }

    /** The number of batches in one epoch. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    @Override
    public boolean hasNext() {
        advanceEpochIfDone();
        return epoch < epochs && batchInEpoch < batchesPerEpoch;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no batches left after " + epochs + " epoch(s)");
        }
        int start = batchInEpoch * batchSize;
        int size = Math.min(batchSize, data.size() - start);
        int features = data.features();
        // A fresh buffer per batch lets a caller keep a batch; a reused one changes under it.
        Tensor images;
        if (reuseStorage && lastImages != null && lastImages.numel() == size * features) {
            images = lastImages.view(Shape.of(size, features));
            images.markModified();
        } else {
            images = Tensor.zeros(size, features);
        }
        lastImages = reuseStorage ? images : null;
        float[] x = images.data();
        int[] labels = new int[size];
        for (int r = 0; r < size; r++) {
            int example = order[start + r];
            data.copyImage(example, x, r * features);
            labels[r] = data.label(example);
        }
        batchInEpoch++;
        return new Batch(images, labels, epoch);
    }

    private void advanceEpochIfDone() {
        if (batchInEpoch == batchesPerEpoch && epoch < epochs) {
            epoch++;
            batchInEpoch = 0;
            if (rng != null && epoch < epochs) {
                shuffle();
            }
        }
    }

    /** Fisher-Yates on the previous order; uniform, and deterministic given the generator. */
    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
