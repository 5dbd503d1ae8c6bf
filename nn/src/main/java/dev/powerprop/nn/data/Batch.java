package dev.powerprop.nn.data;

import dev.powerprop.engine.Tensor;

/**
 * A mini-batch: inputs {@code x} of shape {@code [size, features]} and one class label per row.
 * Each batch has its own arrays, so it stays valid after the iterator moves on.
 *
 * @param x the images, float32 {@code [size, features]}
 * @param labels the label of each row of {@code x}
 * @param epoch the epoch (0-based) the batch was drawn in
 */
public record Batch(Tensor x, int[] labels, long epoch) {
    /** The number of examples in the batch. */
    public int size() {
        return labels.length;
    }
}
