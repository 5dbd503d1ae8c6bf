package dev.powerprop.nn.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Fashion-MNIST subset in data/fashion-mnist-subset is what its README says it is. */
class ShippedSubsetTest {
    private static DataSplits data;

    @BeforeAll
    static void load() throws IOException {
        data = MnistFolder.shippedSubset().splits(1_000);
    }

    @Test
    void holdsTenThousandTrainingAndTwoThousandTestImagesOf28By28() {
        assertThat(data.train().size() + data.validation().size()).isEqualTo(10_000);
        assertThat(data.validation().size()).isEqualTo(1_000);
        assertThat(data.test().size()).isEqualTo(2_000);
        assertThat(data.train().rows()).isEqualTo(28);
        assertThat(data.train().cols()).isEqualTo(28);
    }

    @Test
    void pixelsLieInZeroToOneAndUseTheWholeRange() {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : data.test().images().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void everyClassIsWellRepresented() {
        for (ImageDataset split : new ImageDataset[] {data.train(), data.test()}) {
            int[] counts = split.classCounts();
            assertThat(counts).hasSize(10);
            double even = split.size() / 10.0;
            for (int c : counts) {
                assertThat(c).isBetween((int) (0.85 * even), (int) (1.15 * even));
            }
        }
    }

    @Test
    void firstLabelsMatchFashionMnist() {
        // The first training labels of Fashion-MNIST: ankle boot, T-shirt, T-shirt, dress, T-shirt.
        assertThat(data.train().slice(0, 5).labels()).containsExactly(9, 0, 0, 3, 0);
        // The first test labels: ankle boot, pullover, trouser, trouser, shirt.
        assertThat(data.test().slice(0, 5).labels()).containsExactly(9, 2, 1, 1, 6);
    }
}
