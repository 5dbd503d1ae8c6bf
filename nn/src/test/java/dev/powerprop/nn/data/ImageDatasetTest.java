package dev.powerprop.nn.data;

import static dev.powerprop.nn.data.IdxTestFiles.idx;
import static dev.powerprop.nn.data.IdxTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetTest {
    @TempDir
    Path dir;

    @Test
    void pixelsAreBytesOver255AsFloat32() throws IOException {
        byte[] pixels = {0, 1, 51, (byte) 127, (byte) 128, (byte) 255};
        Path images = write(dir.resolve("img"), idx(new int[] {1, 2, 3}, pixels));
        Path labels = write(dir.resolve("lbl"), idx(new int[] {1}, new byte[] {7}));

        ImageDataset d = ImageDataset.fromIdx(images, labels, 10);

        assertThat(d.size()).isEqualTo(1);
        assertThat(d.rows()).isEqualTo(2);
        assertThat(d.cols()).isEqualTo(3);
        assertThat(d.features()).isEqualTo(6);
        for (int j = 0; j < 6; j++) {
            assertThat(d.pixel(0, j)).isEqualTo((pixels[j] & 0xFF) / 255f);
        }
        assertThat(d.pixel(0, 5)).isEqualTo(1.0f);
        assertThat(d.label(0)).isEqualTo(7);
    }

    @Test
    void imagesTensorIsFlattenedNByFeatures() throws IOException {
        ImageDataset d = load(5, 3);

        Tensor x = d.images();

        assertThat(x.shape().dims()).containsExactly(5, 4 * 4);
        assertThat(x.data()[16 * 2 + 3]).isEqualTo(d.pixel(2, 3));
    }

    @Test
    void aLabelOutOfRangeNamesBothFilesAndTheLabel() throws IOException {
        Path images = write(dir.resolve("img"), IdxTestFiles.images(3, 2, 2));
        Path labels = write(dir.resolve("lbl"), idx(new int[] {3}, new byte[] {1, 10, 2}));

        assertThatThrownBy(() -> ImageDataset.fromIdx(images, labels, 10))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(labels.toString()).hasMessageContaining(images.toString())
                .hasMessageContaining("at byte 9").hasMessageContaining("label 1 is 10; expected 0..9");
    }

    @Test
    void differingCountsNameBothFilesAndBothCounts() throws IOException {
        Path images = write(dir.resolve("img"), IdxTestFiles.images(4, 2, 2));
        Path labels = write(dir.resolve("lbl"), IdxTestFiles.labels(3, 10));

        assertThatThrownBy(() -> ImageDataset.fromIdx(images, labels, 10))
                .hasMessageContaining(images + " holds 4 images")
                .hasMessageContaining(labels + " holds 3 labels");
    }

    @Test
    void wrongRanksAreRejected() throws IOException {
        Path images = write(dir.resolve("img"), IdxTestFiles.images(3, 2, 2));
        Path labels = write(dir.resolve("lbl"), IdxTestFiles.labels(3, 10));

        assertThatThrownBy(() -> ImageDataset.fromIdx(labels, labels, 10))
                .hasMessageContaining(labels.toString()).hasMessageContaining("expected an images file of rank 3");
        assertThatThrownBy(() -> ImageDataset.fromIdx(images, images, 10))
                .hasMessageContaining("expected a labels file of rank 1");
    }

    @Test
    void sliceIsAViewOfTheRange() throws IOException {
        ImageDataset d = load(10, 3);

        ImageDataset s = d.slice(6, 9);

        assertThat(s.size()).isEqualTo(3);
        assertThat(s.label(0)).isEqualTo(d.label(6));
        assertThat(s.pixel(2, 5)).isEqualTo(d.pixel(8, 5));
        assertThat(s.labels()).containsExactly(d.label(6), d.label(7), d.label(8));
        assertThat(s.slice(1, 2).label(0)).isEqualTo(d.label(7));
        assertThat(s.images().data()).containsExactly(d.slice(6, 9).images().data());
        assertThatThrownBy(() -> s.label(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> d.slice(5, 11)).hasMessageContaining("slice [5, 11) of a data set of 10");
    }

    @Test
    void classCountsCountEachLabel() throws IOException {
        assertThat(load(7, 3).classCounts()).containsExactly(3, 2, 2);
    }

    @Test
    void ofValidatesLengthsAndLabels() {
        assertThatThrownBy(() -> ImageDataset.of(new float[5], new int[] {0}, 2, 2, 3))
                .hasMessageContaining("1 labels need 1 x 4 = 4 pixels, got 5");
        assertThatThrownBy(() -> ImageDataset.of(new float[4], new int[] {3}, 2, 2, 3))
                .hasMessageContaining("label 0 is 3");
    }

    private ImageDataset load(int n, int classes) throws IOException {
        Path images = write(dir.resolve("img" + n), IdxTestFiles.images(n, 4, 4));
        Path labels = write(dir.resolve("lbl" + n), IdxTestFiles.labels(n, classes));
        return ImageDataset.fromIdx(images, labels, classes);
    }
}
