package dev.powerprop.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder holding the four files of MNIST or Fashion-MNIST under their standard names
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}), each raw or with
 * {@code .gz}.
 *
 * <pre>{@code
 * DataSplits data = MnistFolder.open("fashion-mnist").splits(5_000);   // the paper's split
 * DataSplits small = MnistFolder.shippedSubset().splits(1_000);       // in the repository
 * }</pre>
 */
public final class MnistFolder {
    /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The name {@link #open(String)} maps to {@link #DEBIAN_FASHION_MNIST}. */
    public static final String FASHION_MNIST = "fashion-mnist";

    /** The shipped subset's folder, relative to the repository root. */
    public static final String SUBSET_RELATIVE_PATH = "data/fashion-mnist-subset";

    /** The system property naming the repository root, used to find the shipped subset. */
    public static final String HOME_PROPERTY = "powerprop.home";

    /** The number of classes in MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private final Path folder;
    private final Path trainImages;
    private final Path trainLabels;
    private final Path testImages;
    private final Path testLabels;

    private MnistFolder(Path folder, Path trainImages, Path trainLabels, Path testImages,
            Path testLabels) {
        this.folder = folder;
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.testImages = testImages;
        this.testLabels = testLabels;
    }

    /**
     * The folder {@code folder}, which must hold the four standard files (each raw or gzip).
     *
     * @throws NoSuchFileException naming every file looked for and the folder, if any is missing
     */
    public static MnistFolder open(Path folder) throws IOException {
        return open(folder, "");
    }

    /**
     * The folder named {@code nameOrPath}: {@value #FASHION_MNIST} means
     * {@link #DEBIAN_FASHION_MNIST}; anything else is a path.
     */
    public static MnistFolder open(String nameOrPath) throws IOException {
        if (nameOrPath.equals(FASHION_MNIST)) {
            return open(DEBIAN_FASHION_MNIST, "; Fashion-MNIST is installed there on Debian by:"
                    + " apt-get install dataset-fashion-mnist");
        }
        return open(Path.of(nameOrPath));
    }

    /** The Fashion-MNIST subset shipped in the repository ({@link #findShippedSubset()}). */
    public static MnistFolder shippedSubset() throws IOException {
        return open(findShippedSubset());
    }

    /**
     * The folder {@value #SUBSET_RELATIVE_PATH}: under the system property
     * {@value #HOME_PROPERTY} if it is set, else in the working directory or the nearest of its
     * parents that has it (so it is found from the repository root and from a module folder,
     * where Maven runs tests).
     *
     * @throws NoSuchFileException saying where it looked
     */
    public static Path findShippedSubset() throws NoSuchFileException {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            Path candidate = Path.of(home).resolve(SUBSET_RELATIVE_PATH).toAbsolutePath();
            if (!Files.isDirectory(candidate)) {
                throw new NoSuchFileException(candidate.toString(), null, "not a folder (from -D"
                        + HOME_PROPERTY + "=" + home + "); the shipped Fashion-MNIST subset lives in "
                        + SUBSET_RELATIVE_PATH + " of the repository");
            }
            return candidate;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SUBSET_RELATIVE_PATH);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new NoSuchFileException(SUBSET_RELATIVE_PATH, null, "not found in " + start
                + " or any parent folder; run from inside the repository or set -D" + HOME_PROPERTY
                + "=<repository root>");
    }

    private static MnistFolder open(Path folder, String hint) throws IOException {
        List<String> missing = new ArrayList<>();
        Path[] files = new Path[4];
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        for (int i = 0; i < names.length; i++) {
            files[i] = find(folder, names[i]);
            if (files[i] == null) {
                missing.add(names[i] + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            String what = Files.isDirectory(folder) ? "missing " + String.join(", ", missing)
                    : "no such folder; expected it to hold " + String.join(", ", missing);
            throw new NoSuchFileException(folder.toAbsolutePath().toString(), null,
                    what + " (the four MNIST-format files, each raw or gzip)" + hint);
        }
        return new MnistFolder(folder, files[0], files[1], files[2], files[3]);
    }

    /** The file {@code name} or, failing that, {@code name.gz} in {@code folder}; null if neither. */
    private static Path find(Path folder, String name) {
        for (Path candidate : List.of(folder.resolve(name), folder.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The folder. */
    public Path folder() {
        return folder;
    }

    /** The whole training file. */
    public ImageDataset train() throws IOException {
        return ImageDataset.fromIdx(trainImages, trainLabels, CLASSES);
    }

    /** The whole test file. */
    public ImageDataset test() throws IOException {
        return ImageDataset.fromIdx(testImages, testLabels, CLASSES);
    }

    /**
     * Train, validation and test sets: the last {@code validationSize} training examples are the
     * validation set and the ones before them the training set, as in the paper (55,000 and
     * 5,000 of MNIST's 60,000). The slices share one copy of the training images.
     *
     * @throws IllegalArgumentException if {@code validationSize} is negative or not smaller than
     *     the number of training examples
     */
    public DataSplits splits(int validationSize) throws IOException {
        ImageDataset all = train();
        if (validationSize < 0 || validationSize >= all.size()) {
            throw new IllegalArgumentException("validation size " + validationSize
                    + " must be in [0, " + all.size() + "): " + trainImages + " holds " + all.size()
                    + " training examples and at least one must remain for training");
        }
        ImageDataset test = test();
        if (test.rows() != all.rows() || test.cols() != all.cols()) {
            throw new IllegalArgumentException(testImages + " holds " + test.rows() + " x " + test.cols()
                    + " images but " + trainImages + " holds " + all.rows() + " x " + all.cols()
                    + ": a model trained on one cannot be tested on the other");
        }
        int cut = all.size() - validationSize;
        return new DataSplits(all.slice(0, cut), all.slice(cut, all.size()), test);
    }

    @Override
    public String toString() {
        return "MnistFolder[" + folder + "]";
    }
}
