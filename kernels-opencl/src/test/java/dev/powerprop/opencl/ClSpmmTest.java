package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClSpmmTest {
    @Test
    void spmmMatchesDenseOnRaggedRows() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(5);
        // n: a single column, less than a vector, not a multiple of a work-item block, several blocks.
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {31, 37, 29}, {64, 70, 100}, {3, 200, 17}, {0, 4, 4}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] dense = new float[m * k];
            List<Integer> cols = new ArrayList<>();
            List<Float> vals = new ArrayList<>();
            int[] rowPtr = new int[m + 1];
            for (int r = 0; r < m; r++) {
                // Ragged: some rows empty, some full.
                double density = r % 5 == 0 ? 0 : r % 5 == 1 ? 1 : 0.3;
                for (int c = 0; c < k; c++) {
                    if (rnd.nextDouble() < density) {
                        float v = rnd.nextFloat() * 2 - 1;
                        dense[r * k + c] = v;
                        cols.add(c);
                        vals.add(v);
                    }
                }
                rowPtr[r + 1] = cols.size();
            }
            int[] colIdx = cols.stream().mapToInt(Integer::intValue).toArray();
            float[] values = new float[vals.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = vals.get(i);
            }
            float[] b = TestDevice.random(rnd, k * n, 10);
            float[] c = ClSpmm.spmm(cx, m, n, k, rowPtr, colIdx, values, b);
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < n; j++) {
                    double expected = 0;
                    for (int p = 0; p < k; p++) {
                        expected += (double) dense[r * k + p] * b[p * n + j];
                    }
                    assertThat((double) c[r * n + j]).as("%dx%dx%d at (%d, %d)", m, n, k, r, j)
                            .isCloseTo(expected, within(1e-4 * k + 1e-6));
                }
            }
        }
    }
}
