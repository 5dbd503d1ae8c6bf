package dev.powerprop.engine.cpu.sparse;

/**
 * Argument checks shared by the CSR kernels, each naming what is wrong. The kernels trust the
 * CSR structure itself (monotone {@code rowPtr}, columns in range), which
 * {@link dev.powerprop.engine.sparse.CsrMatrix} validates on construction; here only the
 * O(1) facts are checked, and a structure broken past these still cannot read outside an array,
 * because Java checks every index.
 */
final class CsrArguments {
    private CsrArguments() {}

    static void checkCsr(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("CSR shape must be non-negative, got " + rows + " x " + cols);
        }
        if (rowPtr == null || rowPtr.length != rows + 1) {
            throw new IllegalArgumentException("rowPtr must have rows + 1 = " + (rows + 1) + " elements, got "
                    + (rowPtr == null ? "null" : rowPtr.length));
        }
        int nnz = rowPtr[rows];
        if (rowPtr[0] != 0 || colIdx == null || values == null || colIdx.length < nnz || values.length < nnz) {
            throw new IllegalArgumentException("CSR arrays disagree: rowPtr[0] = " + rowPtr[0] + ", rowPtr["
                    + rows + "] = " + nnz + ", colIdx length " + (colIdx == null ? "null" : colIdx.length)
                    + ", values length " + (values == null ? "null" : values.length));
        }
    }

    static void checkDense(String name, float[] a, long rows, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (a == null || a.length < rows * n) {
            throw new IllegalArgumentException(name + " must hold " + rows + " x " + n + " = " + rows * n
                    + " floats, got " + (a == null ? "null" : a.length));
        }
    }

    static void checkBias(float[] bias, int rows) {
        if (bias != null && bias.length != rows) {
            throw new IllegalArgumentException("bias must have one value per row (" + rows + "), got " + bias.length);
        }
    }

    static void checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }
}
