package dev.powerprop.engine.cpu.layout;

/**
 * 2-D transpose, {@code y[j, i] = x[i, j]}, in square tiles so that both the rows read and the
 * rows written stay in cache (a naive loop strides through memory on one side).
 */
public final class Transpose {
    private static final int TILE = 32;

    private Transpose() {}

    /** x is rows x cols, y is cols x rows. */
    public static void transpose(float[] x, int rows, int cols, float[] y) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        y[j * rows + i] = x[i * cols + j];
                    }
                }
            }
        }
    }

    /** The float64 oracle: the obvious loop. */
    public static void transposeReference(double[] x, int rows, int cols, double[] y) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                y[j * rows + i] = x[i * cols + j];
            }
        }
    }
}
