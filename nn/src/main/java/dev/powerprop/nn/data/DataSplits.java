package dev.powerprop.nn.data;

/**
 * The three disjoint parts of an experiment's data: train on {@code train}, choose
 * hyper-parameters and pruning levels on {@code validation}, report {@code test} once at the end.
 *
 * @param train the examples trained on
 * @param validation held-out training examples (the last ones of the training file)
 * @param test the test file, used only after training
 */
public record DataSplits(ImageDataset train, ImageDataset validation, ImageDataset test) {
}
