package dev.powerprop.engine.cpu.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tiled transpose against its oracle on shapes around and across the tile size. */
class TransposeTest {
    @Test
    void transposeMatchesTheReferenceOnOddShapes() {
        int[] sizes = {0, 1, 2, 7, 31, 32, 33, 64, 65, 100};
        SplittableRandom rng = new SplittableRandom(5);
        for (int rows : sizes) {
            for (int cols : sizes) {
                float[] x = new float[rows * cols];
                double[] xd = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rng.nextDouble(-1e6, 1e6);
                    xd[i] = x[i];
                }
                float[] y = new float[x.length];
                double[] expected = new double[x.length];
                Transpose.transpose(x, rows, cols, y);
                Transpose.transposeReference(xd, rows, cols, expected);
                for (int i = 0; i < y.length; i++) {
                    assertThat((double) y[i]).as("%dx%d at %d", rows, cols, i).isEqualTo(expected[i]);
                }
            }
        }
    }
}
