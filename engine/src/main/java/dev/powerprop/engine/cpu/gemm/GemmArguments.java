package dev.powerprop.engine.cpu.gemm;

/** Argument checks shared by every GEMM entry point, so all of them fail with the same words. */
final class GemmArguments {
    private GemmArguments() {}

    /** Array lengths are passed as -1 for a null array. */
    static void check(boolean transA, boolean transB, int m, int n, int k,
                      int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                      int cLength, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "matrix dimensions must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        // As stored: A is m x k, or k x m when transposed; B is k x n, or n x k when transposed.
        checkMatrix("A", transA ? k : m, transA ? m : k, aLength, aOff, lda, "lda");
        checkMatrix("B", transB ? n : k, transB ? k : n, bLength, bOff, ldb, "ldb");
        checkMatrix("C", m, n, cLength, cOff, ldc, "ldc");
    }

    private static void checkMatrix(String name, int rows, int cols, int length, int off,
                                    int ld, String ldName) {
        if (length < 0) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(ldName + " must be >= max(1, " + cols
                    + ") for " + name + " stored as " + rows + " x " + cols + ", got " + ldName + "=" + ld);
        }
        if (off < 0) {
            throw new IllegalArgumentException(name + " offset must be >= 0, got " + off);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (end > length) {
            throw new IllegalArgumentException(name + " is too short: stored as " + rows + " x " + cols
                    + " with offset " + off + " and " + ldName + "=" + ld + " it needs " + end
                    + " elements, but the array has " + length);
        }
    }
}
