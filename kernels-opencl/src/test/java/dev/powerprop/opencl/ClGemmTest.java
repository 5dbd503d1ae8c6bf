package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.cpu.gemm.Gemm;
import dev.powerprop.engine.cpu.gemm.GemmReference;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClGemmTest {
    /** m, n, k: empty, single elements, sizes that are not multiples of any tile, one bigger than a tile. */
    private static final int[][] SHAPES = {
        {0, 5, 3}, {4, 0, 3}, {1, 1, 1}, {1, 17, 1}, {7, 13, 5}, {6, 16, 128}, {97, 65, 129},
        {33, 200, 3}, {130, 70, 300}, {5, 300, 17},
    };

    @Test
    void gemmMatchesReferenceOnOddShapesInEveryLayout() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(7);
        for (int[] s : SHAPES) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    check(cx, rnd, transA, transB, s[0], s[1], s[2], 1.5f, 0f);
                    check(cx, rnd, transA, transB, s[0], s[1], s[2], -0.5f, 0.75f);
                }
            }
        }
    }

    /**
     * m, n, k for the bitwise comparison: empty and single elements, tails of every tile, k
     * of one, two and three K blocks (385 is two blocks of 193, 784 three of 262), and the
     * products one training step of the 784-300-100-10 MLP runs at batch 60.
     */
    private static final int[][] CPU_SHAPES = {
        {0, 5, 3}, {4, 0, 3}, {3, 4, 0}, {1, 1, 1}, {1, 17, 1}, {7, 13, 5}, {97, 65, 129},
        {5, 3, Gemm.MAX_K_BLOCK_DEPTH}, {9, 31, Gemm.MAX_K_BLOCK_DEPTH + 1}, {13, 70, 784}, {3, 19, 1201},
        {60, 300, 784}, {300, 784, 60}, {60, 100, 300}, {100, 300, 60}, {60, 300, 100}, {60, 10, 100},
    };

    @Test
    void gemmIsTheCpuGemmBitForBitOnOddShapesAcrossKBlocks() {
        OpenClContext cx = TestDevice.context();
        assertThat(cx.config().accumulatesAcrossKTiles() || cx.config().tsK() >= Gemm.MAX_K_BLOCK_DEPTH).isTrue();
        compareWithCpu(cx, new Random(17));
    }

    /**
     * The GPU shape of the kernel (one micro-tile a work-item, 16-deep K tiles, so a K block's
     * chain runs across many tiles in registers), built for this device: the same bits.
     */
    @Test
    void gemmInTheGpuShapeIsTheCpuGemmBitForBit() {
        OpenClContext gpuShaped = TestDevice.gpuShapedContext();
        assertThat(gpuShaped.config().accumulatesAcrossKTiles()).isTrue();
        assertThat(gpuShaped.config().tsK()).isLessThan(Gemm.kBlockDepth(300));
        compareWithCpu(gpuShaped, new Random(23));
    }

    @Test
    void gemmHonoursOffsetsAndStridesOnDeviceBuffers() {
        OpenClContext cx = TestDevice.context();
        Random rnd = new Random(3);
        int m = 19, n = 23, k = 11, lda = 15, ldb = 30, ldc = 29, aOff = 5, bOff = 7, cOff = 3;
        float[] a = TestDevice.random(rnd, aOff + m * lda, 1);
        float[] b = TestDevice.random(rnd, bOff + k * ldb, 1);
        float[] c = TestDevice.random(rnd, cOff + m * ldc, 1);
        double[] expected = TestDevice.widen(c);
        GemmReference.gemm(false, false, m, n, k, 2, TestDevice.widen(a), aOff, lda, TestDevice.widen(b), bOff, ldb,
                0.5, expected, cOff, ldc);
        try (DeviceBuffer da = cx.upload(a); DeviceBuffer db = cx.upload(b); DeviceBuffer dc = cx.upload(c)) {
            ClGemm.gemm(cx, false, false, m, n, k, 2f, da, aOff, lda, db, bOff, ldb, 0.5f, dc, cOff, ldc);
            dc.read(c);
        }
        // Elements outside the m x n block (the stride gap, before the offset) stay as they were.
        for (int i = 0; i < c.length; i++) {
            assertThat((double) c[i]).as("c[%d]", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void betaZeroIgnoresNanInCAndKZeroScalesC() {
        OpenClContext cx = TestDevice.context();
        float[] a = {1, 2, 3, 4};
        float[] b = {1, 0, 0, 1};
        float[] c = new float[4];
        Arrays.fill(c, Float.NaN);
        ClGemm.gemm(cx, false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
        assertThat(c).containsExactly(1, 2, 3, 4);
        ClGemm.gemm(cx, false, false, 2, 2, 0, 1f, a, 2, b, 2, 3f, c, 2);
        assertThat(c).containsExactly(3, 6, 9, 12);
    }

    @Test
    void gemmRejectsABufferTooSmallNamingIt() {
        OpenClContext cx = TestDevice.context();
        try (DeviceBuffer a = cx.floats(5); DeviceBuffer b = cx.floats(6); DeviceBuffer c = cx.floats(4)) {
            assertThatThrownBy(() -> ClGemm.gemm(cx, false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A (2 x 3");
        }
    }

    private static void check(OpenClContext cx, Random rnd, boolean transA, boolean transB, int m, int n, int k,
                              float alpha, float beta) {
        int lda = transA ? Math.max(1, m) : Math.max(1, k);
        int ldb = transB ? Math.max(1, k) : Math.max(1, n);
        int ldc = Math.max(1, n);
        // Large values too: the check is relative to the size of the terms.
        float[] a = TestDevice.random(rnd, Math.max(1, m * k), 100);
        float[] b = TestDevice.random(rnd, Math.max(1, k * n), 0.01f);
        float[] c = TestDevice.random(rnd, Math.max(1, m * n), 1);
        double[] expected = TestDevice.widen(c);
        GemmReference.gemm(transA, transB, m, n, k, alpha, TestDevice.widen(a), 0, lda, TestDevice.widen(b), 0, ldb,
                beta, expected, 0, ldc);
        ClGemm.gemm(cx, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        double tolerance = 1e-5 * Math.max(1, k) * Math.abs(alpha) + 1e-6;
        for (int i = 0; i < m * n; i++) {
            assertThat(Math.abs(c[i] - expected[i]))
                    .as("%s%s %dx%dx%d alpha %s beta %s element %d", transA ? "T" : "N", transB ? "T" : "N",
                            m, n, k, alpha, beta, i)
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    private static void compareWithCpu(OpenClContext cx, Random rnd) {
        // What MatMul runs (1, 0 and 1, 1), and general scalars through the other update path.
        float[][] scalars = {{1f, 0f}, {1f, 1f}, {1.5f, 0f}, {-0.5f, 0.75f}};
        for (int[] s : CPU_SHAPES) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float[] ab : scalars) {
                        int m = s[0], n = s[1], k = s[2];
                        int lda = Math.max(1, transA ? m : k);
                        int ldb = Math.max(1, transB ? k : n);
                        int ldc = Math.max(1, n);
                        float[] a = TestDevice.random(rnd, Math.max(1, m * k), 3);
                        float[] b = TestDevice.random(rnd, Math.max(1, k * n), 0.5f);
                        float[] c = TestDevice.random(rnd, Math.max(1, m * n), 1);
                        float[] expected = c.clone();
                        Gemm.gemm(transA, transB, m, n, k, ab[0], a, 0, lda, b, 0, ldb, ab[1], expected, 0, ldc);
                        ClGemm.gemm(cx, transA, transB, m, n, k, ab[0], a, lda, b, ldb, ab[1], c, ldc);
                        TestDevice.assertSameBits(String.format("%s%s %dx%dx%d alpha %s beta %s", transA ? "T" : "N",
                                transB ? "T" : "N", m, n, k, ab[0], ab[1]), c, expected);
                    }
                }
            }
        }
    }
}
