package dev.powerprop.opencl;

/**
 * CSR sparse times dense on the device ({@code spmm.cl}): {@code C[m x n] = A[m x k] * B[k x n]}
 * with A as {@code rowPtr} (m + 1 ints), {@code colIdx} and {@code values} (nnz each); B and C
 * row-major with n the contiguous dimension. Rows of A are output units, as in the engine's CSR.
 */
public final class ClSpmm {
    private ClSpmm() {}

    /**
     * Enqueues the product (overwrites C). The CSR arrays are trusted to be valid (as built and
     * validated on the host); {@code colIdx} entries must be in {@code [0, k)}.
     */
    public static void spmm(OpenClContext cx, int m, int n, int k, DeviceBuffer rowPtr, DeviceBuffer colIdx,
                            DeviceBuffer values, DeviceBuffer b, int bOff, int ldb, DeviceBuffer c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        if (ldb < n || ldc < n) {
            throw new IllegalArgumentException("ldb " + ldb + " and ldc " + ldc + " must be >= n = " + n);
        }
        ClChecks.lengths(m + 1, "rowPtr", rowPtr);
        ClChecks.lengths(colIdx.length(), "values", values);
        ClChecks.range("B", b, bOff, k == 0 ? 0 : (long) (k - 1) * ldb + n);
        ClChecks.range("C", c, cOff, m == 0 ? 0 : (long) (m - 1) * ldc + n);
        TileConfig t = cx.config();
        long block = (long) t.spmmNv() * t.vw();
        long[] global = {(n + block - 1) / block, m};
        // CPU-like devices: one work-item a group (PoCL serialises larger groups); GPUs: the driver chooses.
        long[] local = t.wx() == 1 ? new long[] {1, 1} : null;
        cx.run("csr_spmm", global, local, m, n, rowPtr, colIdx, values, b, bOff, ldb, c, cOff, ldc);
    }

    /** {@link #spmm} on host arrays, for tests: returns C as a new m x n array. */
    public static float[] spmm(OpenClContext cx, int m, int n, int k, int[] rowPtr, int[] colIdx, float[] values,
                               float[] b) {
        float[] c = new float[m * n];
        try (DeviceBuffer dr = cx.upload(rowPtr); DeviceBuffer dci = cx.upload(colIdx);
             DeviceBuffer dv = cx.upload(values); DeviceBuffer db = cx.upload(b); DeviceBuffer dc = cx.floats(c.length)) {
            spmm(cx, m, n, k, dr, dci, dv, db, 0, n, dc, 0, n);
            dc.read(c);
        }
        return c;
    }
}
