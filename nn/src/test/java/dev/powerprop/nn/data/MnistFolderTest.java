package dev.powerprop.nn.data;

import static dev.powerprop.nn.data.IdxTestFiles.gzip;
import static dev.powerprop.nn.data.IdxTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFolderTest {
    @TempDir
    Path dir;

    @Test
    void loadsAMixOfRawAndGzipFilesUnderTheStandardNames() throws IOException {
        writeFolder(dir, 12, 4);

        MnistFolder folder = MnistFolder.open(dir);

        assertThat(folder.train().size()).isEqualTo(12);
        assertThat(folder.test().size()).isEqualTo(4);
        assertThat(folder.train().features()).isEqualTo(9);
    }

    @Test
    void splitsTakeValidationFromTheEndOfTheTrainingFile() throws IOException {
        writeFolder(dir, 12, 4);
        ImageDataset all = MnistFolder.open(dir).train();

        DataSplits s = MnistFolder.open(dir).splits(5);

        assertThat(s.train().size()).isEqualTo(7);
        assertThat(s.validation().size()).isEqualTo(5);
        assertThat(s.test().size()).isEqualTo(4);
        assertThat(s.train().pixel(6, 0)).isEqualTo(all.pixel(6, 0));
        assertThat(s.validation().pixel(0, 0)).isEqualTo(all.pixel(7, 0));
        assertThat(s.validation().labels()).containsExactly(all.slice(7, 12).labels());
    }

    @Test
    void validationMustLeaveTrainingExamples() throws IOException {
        writeFolder(dir, 12, 4);
        MnistFolder folder = MnistFolder.open(dir);

        assertThatThrownBy(() -> folder.splits(12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation size 12 must be in [0, 12)")
                .hasMessageContaining("holds 12 training examples");
        assertThat(folder.splits(0).validation().size()).isZero();
    }

    @Test
    void aMissingFileListsWhatWasLookedForAndWhere() throws IOException {
        writeFolder(dir, 12, 4);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));

        assertThatThrownBy(() -> MnistFolder.open(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("missing t10k-labels-idx1-ubyte[.gz]")
                .hasMessageNotContaining("train-images");
    }

    @Test
    void aMissingFolderSaysSo() {
        Path nowhere = dir.resolve("nowhere");

        assertThatThrownBy(() -> MnistFolder.open(nowhere))
                .hasMessageContaining(nowhere.toString()).hasMessageContaining("no such folder")
                .hasMessageContaining("train-images-idx3-ubyte[.gz]");
    }

    @Test
    void theNameFashionMnistMeansTheDebianFolder() throws IOException {
        if (Files.isDirectory(MnistFolder.DEBIAN_FASHION_MNIST)) {
            assertThat(MnistFolder.open("fashion-mnist").folder())
                    .isEqualTo(MnistFolder.DEBIAN_FASHION_MNIST);
        } else {
            assertThatThrownBy(() -> MnistFolder.open("fashion-mnist"))
                    .hasMessageContaining("/usr/share/datasets/fashion-mnist")
                    .hasMessageContaining("apt-get install dataset-fashion-mnist");
        }
    }

    @Test
    void findsTheShippedSubsetByWalkingUpFromTheWorkingDirectory() throws IOException {
        assumeFalse(System.getProperty(MnistFolder.HOME_PROPERTY) != null, "powerprop.home is set");

        Path subset = MnistFolder.findShippedSubset();

        assertThat(subset).endsWith(Path.of("data", "fashion-mnist-subset"));
        assertThat(subset.resolve("train-images-idx3-ubyte.gz")).isRegularFile();
    }

    @Test
    void powerpropHomeOverridesTheSearch() throws IOException {
        String old = System.getProperty(MnistFolder.HOME_PROPERTY);
        Files.createDirectories(dir.resolve("data/fashion-mnist-subset"));
        try {
            System.setProperty(MnistFolder.HOME_PROPERTY, dir.toString());
            assertThat(MnistFolder.findShippedSubset()).isEqualTo(dir.resolve("data/fashion-mnist-subset"));
            System.setProperty(MnistFolder.HOME_PROPERTY, dir.resolve("elsewhere").toString());
            assertThatThrownBy(MnistFolder::findShippedSubset).hasMessageContaining("-Dpowerprop.home=");
        } finally {
            if (old == null) {
                System.clearProperty(MnistFolder.HOME_PROPERTY);
            } else {
                System.setProperty(MnistFolder.HOME_PROPERTY, old);
            }
        }
    }

    /** Train files raw, test files gzip: both must be accepted. */
    static void writeFolder(Path dir, int trainCount, int testCount) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.images(trainCount, 3, 3));
        write(dir.resolve("train-labels-idx1-ubyte"), IdxTestFiles.labels(trainCount, 10));
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(IdxTestFiles.images(testCount, 3, 3)));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(IdxTestFiles.labels(testCount, 10)));
    }
}
