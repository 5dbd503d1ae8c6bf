package dev.powerprop.nn.data;

import dev.powerprop.engine.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Labelled images held in memory: each image is a row of {@code rows * cols} float32 pixels
 * with values {@code byte / 255} in [0, 1] (no mean/std normalisation, as the paper's notebook
 * does), and each label is an int in {@code [0, classes)}.
 *
 * <p>Immutable. {@link #slice} is a view that shares the storage, so the paper's split (the
 * last 5,000 training images for validation, the first 55,000 for training) costs nothing.
 *
 * <pre>{@code
 * ImageDataset all = ImageDataset.fromIdx(imagesPath, labelsPath, 10);
 * ImageDataset train = all.slice(0, 55_000);
 * ImageDataset validation = all.slice(55_000, 60_000);
 * }</pre>
 */
public final class ImageDataset {
    private final float[] pixels;
    private final int[] labels;
    private final int first;
    private final int size;
    private final int rows;
    private final int cols;
    private final int classes;

    private ImageDataset(float[] pixels, int[] labels, int first, int size, int rows, int cols,
            int classes) {
        this.pixels = pixels;
        this.labels = labels;
        this.first = first;
        this.size = size;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
    }

    /**
     * A data set over the given pixels (row-major {@code [n, rows * cols]}) and labels; the
     * arrays are taken over, not copied, and must not be modified afterwards.
     *
     * @throws IllegalArgumentException if the lengths disagree or a label is outside
     *     {@code [0, classes)}
     */
    public static ImageDataset of(float[] pixels, int[] labels, int rows, int cols, int classes) {
        if (rows <= 0 || cols <= 0 || classes <= 0) {
            throw new IllegalArgumentException("rows, cols and classes must be positive, got "
                    + rows + ", " + cols + ", " + classes);
        }
        long features = (long) rows * cols;
        if (pixels.length != labels.length * features) {
            throw new IllegalArgumentException(labels.length + " labels need " + labels.length
                    + " x " + features + " = " + labels.length * features + " pixels, got "
                    + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i]
                        + "; expected 0.." + (classes - 1));
            }
        }
        return new ImageDataset(pixels, labels, 0, labels.length, rows, cols, classes);
    }

    /**
     * Reads an images file (rank 3: {@code [n, rows, cols]}) and a labels file (rank 1:
     * {@code [n]}) in the IDX format, gzip or raw.
     *
     * @param classes the number of classes; every label must lie in {@code [0, classes)}
     * @throws IOException if a file is malformed, the ranks are wrong, the counts differ or a
     *     label is out of range; the message names the file(s)
     */
    public static ImageDataset fromIdx(Path imagesFile, Path labelsFile, int classes)
            throws IOException {
        IdxFile images = IdxFile.read(imagesFile);
        IdxFile labels = IdxFile.read(labelsFile);
        if (images.rank() != 3) {
            throw new IdxFormatException(imagesFile, 3, "rank " + images.rank()
                    + " (dims " + Arrays.toString(images.dims()) + "); expected an images file of rank 3,"
                    + " [count, rows, cols]");
        }
        if (labels.rank() != 1) {
            throw new IdxFormatException(labelsFile, 3, "rank " + labels.rank()
                    + " (dims " + Arrays.toString(labels.dims()) + "); expected a labels file of rank 1,"
                    + " [count]");
        }
        int n = images.dim(0);
        if (labels.dim(0) != n) {
            throw new IOException("image and label counts differ: " + imagesFile + " holds " + n
                    + " images but " + labelsFile + " holds " + labels.dim(0) + " labels");
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.unsignedByte(i);
            if (y[i] >= classes) {
                throw new IdxFormatException(labelsFile, 8 + i, "label " + i + " is " + y[i]
                        + "; expected 0.." + (classes - 1) + " (" + classes + " classes; images in "
                        + imagesFile + ")");
            }
        }
        byte[] raw = images.bytes();
        float[] x = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            // A float32 division of an exact integer, as the notebook's tf.cast(x, float32) / 255.
            x[i] = (raw[i] & 0xFF) / 255f;
        }
        return new ImageDataset(x, y, 0, n, images.dim(1), images.dim(2), classes);
    }

    /** The number of examples. */
    public int size() {
        return size;
    }

    /** Pixels per image, {@code rows * cols}: the width of a batch's {@code x}. */
    public int features() {
        return rows * cols;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The number of classes; labels lie in {@code [0, classes)}. */
    public int classes() {
        return classes;
    }

    /** The label of example {@code i}. */
    public int label(int i) {
        return labels[first + checkIndex(i)];
    }

    /** Pixel {@code j} (row-major within the image) of example {@code i}, in [0, 1]. */
    public float pixel(int i, int j) {
        checkIndex(i);
        if (j < 0 || j >= features()) {
            throw new IndexOutOfBoundsException("pixel " + j + " of an image with " + features());
        }
        return pixels[(first + i) * features() + j];
    }

    /** Copies the pixels of example {@code i} into {@code dst} from {@code dstOffset}. */
    public void copyImage(int i, float[] dst, int dstOffset) {
        int f = features();
        System.arraycopy(pixels, (first + checkIndex(i)) * f, dst, dstOffset, f);
    }

    /** All labels, a copy. */
    public int[] labels() {
        return Arrays.copyOfRange(labels, first, first + size);
    }

    /** All images as a float32 tensor {@code [size, features]} (a copy of this range). */
    public Tensor images() {
        return Tensor.of(Arrays.copyOfRange(pixels, first * features(), (first + size) * features()),
                size, features());
    }

    /** The number of examples of each class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int i = 0; i < size; i++) {
            counts[labels[first + i]]++;
        }
        return counts;
    }

    /** Examples {@code [from, to)} as a view sharing this data set's storage. */
    public ImageDataset slice(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to
                    + ") of a data set of " + size + " examples");
        }
        return new ImageDataset(pixels, labels, first + from, to - from, rows, cols, classes);
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("example " + i + " of a data set of " + size);
        }
        return i;
    }

    @Override
    public String toString() {
        return "ImageDataset[" + size + " images " + rows + "x" + cols + ", " + classes + " classes]";
    }
}
