package dev.powerprop.opencl;

import dev.powerprop.engine.cpu.gemm.Gemm;

/**
 * Single-precision GEMM on the device, {@code C = alpha * op(A) * op(B) + beta * C}, with the
 * engine's conventions ({@code cpu/gemm/Gemm}): row-major, {@code op(A)} is m x k and
 * {@code op(B)} is k x n; A is stored k x m when {@code transA}, B is stored n x k when
 * {@code transB}; {@code lda, ldb, ldc} are the row strides as stored; {@code beta = 0}
 * overwrites C (NaN already in C is ignored, as BLAS does). The kernel is {@code gemm.cl}.
 *
 * <p>The result is the CPU's bit for bit: K is summed in the blocks of
 * {@link Gemm#kBlockDepth} (an fma chain per block, blocks added to C in order), the order the
 * CPU GEMM uses whatever its tiling and thread count.
 */
public final class ClGemm {
    private ClGemm() {}

    /**
     * Enqueues the product on device buffers (returns before it finishes; see
     * {@link OpenClContext#finish()}). C must not overlap A or B.
     *
     * @throws IllegalArgumentException naming the argument when a size, stride or offset is wrong
     */
    public static void gemm(OpenClContext cx, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            DeviceBuffer a, int aOff, int lda, DeviceBuffer b, int bOff, int ldb,
                            float beta, DeviceBuffer c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("C", m, n, ldc, cOff, c);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            // op(A) * op(B) contributes nothing; as in BLAS, A and B are not read.
            cx.runOwned("gemm_scale", m * n, m, n, beta, c, cOff, ldc);
            return;
        }
        checkMatrix("A", transA ? k : m, transA ? m : k, lda, aOff, a);
        checkMatrix("B", transB ? n : k, transB ? k : n, ldb, bOff, b);
        if (a == c || b == c) {
            throw new IllegalArgumentException("C must be a different buffer from A and B");
        }
        TileConfig t = cx.config();
        int kBlock = Gemm.kBlockDepth(k);
        if (!t.accumulatesAcrossKTiles() && kBlock > t.tsK()) {
            throw new IllegalStateException("K tiles of depth " + t.tsK() + " cannot hold a K block of " + kBlock
                    + " with this tile configuration");
        }
        // op(X)(i, p) = x[off + i*rowStride + p*colStride]: the transposes are strides.
        int aRowStride = transA ? 1 : lda;
        int aColStride = transA ? lda : 1;
        int bRowStride = transB ? 1 : ldb;
        int bColStride = transB ? ldb : 1;
        long groupsN = (n + t.tsN() - 1) / t.tsN();
        long groupsM = (m + t.tsM() - 1) / t.tsM();
        cx.run("gemm", new long[] {groupsN * t.wx(), groupsM * t.wy()}, new long[] {t.wx(), t.wy()},
                m, n, k, kBlock, alpha, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                beta, c, cOff, ldc);
    }

    /**
     * The product on host arrays, for tests: uploads A, B and C, runs {@link #gemm}, reads C back.
     */
    public static void gemm(OpenClContext cx, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        try (DeviceBuffer da = cx.upload(a); DeviceBuffer db = cx.upload(b); DeviceBuffer dc = cx.upload(c)) {
            gemm(cx, transA, transB, m, n, k, alpha, da, 0, lda, db, 0, ldb, beta, dc, 0, ldc);
            dc.read(c);
        }
    }

    private static void checkMatrix(String name, int rows, int cols, int ld, int off, DeviceBuffer x) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("ld" + name.toLowerCase() + " = " + ld + " is smaller than the "
                    + cols + " columns " + name + " has as stored");
        }
        long needed = rows == 0 || cols == 0 ? 0 : off + (long) (rows - 1) * ld + cols;
        if (off < 0 || needed > x.length()) {
            throw new IllegalArgumentException(name + " (" + rows + " x " + cols + ", ld " + ld + ", offset " + off
                    + ") needs " + needed + " elements, the buffer has " + x.length());
        }
        if (needed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is too large for the kernel's 32-bit indices");
        }
    }
}
