package dev.powerprop.engine.cpu.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gemm (float, packed, threaded) against GemmReference (double, plain loops). */
class GemmTest {
    private static final boolean[] BOOLEANS = {false, true};

    /** One product to check: shapes, layout, scalars and how the operands sit in their arrays. */
    private record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        int aOff, int aPad, int bOff, int bPad, int cOff, int cPad, float scale) {
        static Case plain(boolean transA, boolean transB, int m, int n, int k) {
            return new Case(transA, transB, m, n, k, 1f, 0f, 0, 0, 0, 0, 0, 0, 1f);
        }

        static Case random(Random rnd, boolean transA, boolean transB, int m, int n, int k) {
            float[] alphas = {1f, -0.5f, 2.25f};
            float[] betas = {0f, 1f, -1.5f, 0.5f};
            return new Case(transA, transB, m, n, k,
                    alphas[rnd.nextInt(alphas.length)], betas[rnd.nextInt(betas.length)],
                    rnd.nextInt(5), rnd.nextInt(4), rnd.nextInt(5), rnd.nextInt(4),
                    rnd.nextInt(5), rnd.nextInt(4), 1f);
        }

        int lda() { return Math.max(1, transA ? m : k) + aPad; }
        int ldb() { return Math.max(1, transB ? k : n) + bPad; }
        int ldc() { return Math.max(1, n) + cPad; }
        int aLength() { return aOff + (transA ? k : m) * lda(); }
        int bLength() { return bOff + (transB ? n : k) * ldb(); }
        int cLength() { return cOff + m * ldc(); }
    }

    @Test
    void gemmMatchesReferenceOnRandomShapes() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 120; trial++) {
            Case c = Case.random(rnd, rnd.nextBoolean(), rnd.nextBoolean(),
                    rnd.nextInt(70), rnd.nextInt(70), rnd.nextInt(70));
            for (int threads = 1; threads <= 2; threads++) {
                check(c, threads, trial);
            }
        }
    }

    @Test
    void gemmMatchesReferenceOnTailShapes() {
        // Around the tile (4 x 16) and vector (8) sizes, and the degenerate 0 and 1.
        int[] sizes = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31};
        Random rnd = new Random(7);
        for (boolean transA : BOOLEANS) {
            for (boolean transB : BOOLEANS) {
                for (int m : sizes) {
                    for (int n : sizes) {
                        int k = sizes[rnd.nextInt(sizes.length)];
                        check(Case.random(rnd, transA, transB, m, n, k), 1 + rnd.nextInt(2), m * 100 + n);
                    }
                }
            }
        }
    }

    @Test
    void gemmMatchesReferenceAcrossBlockBoundaries() {
        Random rnd = new Random(11);
        int kc = PackedGemm.KC;
        int mc = PackedGemm.MC;
        int nc = PackedGemm.NC;
        int[][] shapes = {
            {9, 20, kc + 1}, {5, 17, 2 * kc + 3}, {mc + 1, 33, 19}, {2 * mc + 5, 18, kc + 7},
            {3, nc + 5, 9}, {mc + 3, 40, kc - 1},
        };
        for (boolean transA : BOOLEANS) {
            for (boolean transB : BOOLEANS) {
                for (int[] s : shapes) {
                    for (int threads = 1; threads <= 2; threads++) {
                        check(Case.random(rnd, transA, transB, s[0], s[1], s[2]), threads, s[2]);
                    }
                }
            }
        }
    }

    @Test
    void gemmMatchesReferenceOnMlpShapes() {
        Random rnd = new Random(3);
        int[][] shapes = {{60, 300, 784}, {784, 300, 60}, {60, 784, 300}, {256, 300, 100}};
        for (int[] s : shapes) {
            for (boolean transA : BOOLEANS) {
                for (boolean transB : BOOLEANS) {
                    check(Case.random(rnd, transA, transB, s[0], s[1], s[2]), 2, s[0]);
                }
            }
        }
    }

    @Test
    void betaZeroOverwritesNaNInC() {
        for (boolean transA : BOOLEANS) {
            for (boolean transB : BOOLEANS) {
                int m = 9, n = 21, k = 13;
                Case c = Case.plain(transA, transB, m, n, k);
                float[] a = random(c.aLength(), 1, 1f);
                float[] b = random(c.bLength(), 2, 1f);
                float[] out = new float[c.cLength()];
                Arrays.fill(out, Float.NaN);
                Gemm.gemm(transA, transB, m, n, k, 1f, a, 0, c.lda(), b, 0, c.ldb(), 0f, out, 0, c.ldc(), 1);
                assertThat(out).doesNotContain(Float.NaN);
            }
        }
    }

    @Test
    void zeroDepthScalesCByBetaWithoutReadingAOrB() {
        float[] out = {1f, 2f, 3f, 4f, 5f, 6f};
        Gemm.gemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 2f, out, 0, 3);
        assertThat(out).containsExactly(2f, 4f, 6f, 8f, 10f, 12f);
        float[] nan = {Float.NaN, Float.NaN};
        Gemm.gemm(false, false, 1, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, nan, 0, 2);
        assertThat(nan).containsExactly(0f, 0f);
    }

    @Test
    void emptyOutputLeavesArraysUntouched() {
        float[] out = {7f};
        Gemm.gemm(false, false, 0, 1, 5, 1f, new float[0], 0, 5, new float[5], 0, 1, 0f, out, 0, 1);
        Gemm.gemm(true, true, 1, 0, 5, 1f, new float[5], 0, 1, new float[0], 0, 5, 0f, out, 0, 1);
        assertThat(out).containsExactly(7f);
    }

    @Test
    void gemmMatchesReferenceOnLargeValues() {
        Random rnd = new Random(5);
        for (boolean transA : BOOLEANS) {
            for (boolean transB : BOOLEANS) {
                Case c = Case.random(rnd, transA, transB, 13, 35, 50);
                // Products near 1e30 and sums near 1e31: far from float overflow (3.4e38) but
                // large enough that an absolute tolerance would be meaningless.
                check(new Case(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), c.beta(),
                        c.aOff(), c.aPad(), c.bOff(), c.bPad(), c.cOff(), c.cPad(), 1e15f), 2, 0);
            }
        }
    }

    @Test
    void gemmIsBitwiseIdenticalForAnyThreadCount() {
        // Each element of C is summed in the same order whatever rectangle its thread owns.
        int m = 70, n = 90, k = 300;
        float[] a = random(m * k, 1, 1f);
        float[] b = random(k * n, 2, 1f);
        float[] one = new float[m * n];
        float[] two = new float[m * n];
        float[] three = new float[m * n];
        Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, one, 0, n, 1);
        Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, two, 0, n, 2);
        Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, three, 0, n, 3);
        assertThat(two).containsExactly(one);
        assertThat(three).containsExactly(one);
    }

    @Test
    void gemmIsBitwiseIdenticalForAnyThreadCountInEveryLayout() {
        // Odd sizes so that edge tiles and the k tail (k % 8 != 0) are on every path. The last two
        // are long enough for several chunks per thread, so a thread reuses the operand it packed
        // for its first chunk, over 3 K blocks, split by rows and by columns.
        int[][] shapes = {{70, 90, 300}, {61, 301, 785}, {7, 13, 11}, {257, 35, 100}, {130, 301, 785},
            {301, 130, 785}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transA : BOOLEANS) {
                for (boolean transB : BOOLEANS) {
                    float[] a = random(m * k, 1, 1f);
                    float[] b = random(k * n, 2, 1f);
                    int lda = transA ? m : k;
                    int ldb = transB ? k : n;
                    float[] one = new float[m * n];
                    Gemm.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, one, 0, n, 1);
                    for (int threads = 2; threads <= 3; threads++) {
                        float[] other = new float[m * n];
                        Gemm.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, other, 0, n, threads);
                        assertThat(other).as("%dx%dx%d %s%s threads=%d", m, n, k, transA ? "T" : "N",
                                transB ? "T" : "N", threads).containsExactly(one);
                    }
                }
            }
        }
    }

    @Test
    void scalarKernelPathMatchesReference() {
        // The path used when the Vector API is unavailable: the same loop nest, plain kernel.
        PackedGemm scalar = new PackedGemm(new ScalarKernel4x16());
        Random rnd = new Random(9);
        for (int trial = 0; trial < 40; trial++) {
            Case c = Case.random(rnd, rnd.nextBoolean(), rnd.nextBoolean(),
                    1 + rnd.nextInt(40), 1 + rnd.nextInt(40), 1 + rnd.nextInt(PackedGemm.KC + 40));
            float[] a = random(c.aLength(), trial, c.scale());
            float[] b = random(c.bLength(), trial + 1000, c.scale());
            float[] out = random(c.cLength(), trial + 2000, c.scale());
            double[] expected = reference(c, a, b, out);
            scalar.compute(c.transA(), c.transB(), 0, c.m(), 0, c.n(), c.k(), c.alpha(),
                    a, c.aOff(), c.lda(), b, c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc());
            assertClose(c, a, b, out, expected, trial);
        }
    }

    /**
     * The 256-bit (4 x 16) and 512-bit (6 x 32) kernels, whichever one this machine's Gemm uses:
     * each matches the reference, and they give the same bits, since every element of C is the
     * same FMA chain in either (the tile only decides which elements share a register). Sizes
     * around both tiles, and depths across K blocks.
     */
    @Test
    void vectorKernelsMatchReferenceAndEachOtherBitForBit() {
        assumeTrue(VectorSupport.ENABLED, VectorSupport.REASON);
        PackedGemm[] drivers = {new PackedGemm(new Gemm4x16()), new PackedGemm(new Gemm6x32())};
        int[] sizes = {1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 65};
        int[] depths = {1, 7, 300, PackedGemm.KC + 5};
        Random rnd = new Random(13);
        for (int trial = 0; trial < 160; trial++) {
            Case c = Case.random(rnd, rnd.nextBoolean(), rnd.nextBoolean(), sizes[rnd.nextInt(sizes.length)],
                    sizes[rnd.nextInt(sizes.length)], depths[rnd.nextInt(depths.length)]);
            float[] a = random(c.aLength(), trial, c.scale());
            float[] b = random(c.bLength(), trial + 1000, c.scale());
            float[] cInit = random(c.cLength(), trial + 2000, c.scale());
            double[] expected = reference(c, a, b, cInit.clone());
            float[][] results = new float[drivers.length][];
            for (int d = 0; d < drivers.length; d++) {
                float[] out = cInit.clone();
                drivers[d].compute(c.transA(), c.transB(), 0, c.m(), 0, c.n(), c.k(), c.alpha(),
                        a, c.aOff(), c.lda(), b, c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc());
                assertClose(c, a, b, out, expected, trial);
                results[d] = out;
            }
            assertThat(results[1]).as("6x32 against 4x16, trial %d: %s", trial, c).containsExactly(results[0]);
        }
    }

    @Test
    void referenceComputesKnownProducts() {
        // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]; transposing both operands' storage is the same product.
        double[] a = {1, 2, 3, 4};
        double[] b = {5, 6, 7, 8};
        double[] c = new double[4];
        GemmReference.gemm(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2);
        assertThat(c).containsExactly(19, 22, 43, 50);
        double[] at = {1, 3, 2, 4};
        double[] bt = {5, 7, 6, 8};
        double[] ct = {1, 1, 1, 1};
        GemmReference.gemm(true, true, 2, 2, 2, 2, at, 0, 2, bt, 0, 2, -1, ct, 0, 2);
        assertThat(ct).containsExactly(37, 43, 85, 99);
    }

    @Test
    void kBlocksAreEqualAndAtMostTheMaximumDepth() {
        assertThat(Gemm.kBlockDepth(1)).isEqualTo(1);
        assertThat(Gemm.kBlockDepth(300)).isEqualTo(300);
        assertThat(Gemm.kBlockDepth(Gemm.MAX_K_BLOCK_DEPTH)).isEqualTo(Gemm.MAX_K_BLOCK_DEPTH);
        assertThat(Gemm.kBlockDepth(Gemm.MAX_K_BLOCK_DEPTH + 1)).isEqualTo(Gemm.MAX_K_BLOCK_DEPTH / 2 + 1);
        assertThat(Gemm.kBlockDepth(784)).isEqualTo(262);
        assertThatThrownBy(() -> Gemm.kBlockDepth(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The order kBlockDepth documents, written out: one FMA chain per block, blocks added to C in
     * order. In every layout, for the scaled and the direct (alpha 1, beta 0 or 1) write-back,
     * and for x W^T with fewer rows than columns, which Gemm computes as (W x^T)^T.
     */
    @Test
    void gemmSumsKInTheDocumentedBlockOrderBitForBitInEveryLayout() {
        int k = 2 * Gemm.MAX_K_BLOCK_DEPTH + 37;
        int depth = Gemm.kBlockDepth(k);
        // The last five have one row or column of C (Gemv in the layouts it serves, the packed
        // path in the others); the two large ones split over threads.
        int[][] shapes = {{7, 19}, {19, 7}, {5, 37}, {16, 48}, {1, 1}, {1, 37}, {29, 1}, {1, 400}, {400, 1}};
        float[][] scalings = {{1.5f, -0.75f}, {1f, 0f}, {1f, 1f}};
        int seed = 9;
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float[] scaling : scalings) {
                        float alpha = scaling[0], beta = scaling[1];
                        float[] a = random(m * k, seed++, 1f);
                        float[] b = random(k * n, seed++, 1f);
                        float[] c = random(m * n, seed++, 1f);
                        float[] expected = c.clone();
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                float cij = c[i * n + j];
                                for (int start = 0; start < k; start += depth) {
                                    float block = 0f;
                                    for (int p = start; p < Math.min(k, start + depth); p++) {
                                        float aip = transA ? a[p * m + i] : a[i * k + p];
                                        float bpj = transB ? b[j * k + p] : b[p * n + j];
                                        block = Math.fma(aip, bpj, block);
                                    }
                                    if (start > 0) {
                                        cij = cij + alpha * block;
                                    } else {
                                        cij = beta == 0 ? alpha * block : alpha * block + beta * cij;
                                    }
                                }
                                expected[i * n + j] = cij;
                            }
                        }
                        Gemm.gemm(transA, transB, m, n, k, alpha, a, 0, transA ? m : k, b, 0, transB ? k : n,
                                beta, c, 0, n);
                        assertThat(c).as("%dx%d transA=%s transB=%s alpha=%s beta=%s", m, n, transA, transB,
                                alpha, beta).containsExactly(expected);
                    }
                }
            }
        }
    }

    @Test
    void rejectsNegativeDimensions() {
        assertThatThrownBy(() -> Gemm.gemm(false, false, -1, 2, 2, 1f, new float[4], 0, 2,
                new float[4], 0, 2, 0f, new float[4], 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("matrix dimensions must be >= 0, got m=-1, n=2, k=2");
    }

    @Test
    void rejectsStrideShorterThanRow() {
        // A is stored k x m = 3 x 5 when transposed, so lda must be at least 5.
        assertThatThrownBy(() -> Gemm.gemm(true, false, 5, 2, 3, 1f, new float[15], 0, 3,
                new float[6], 0, 2, 0f, new float[10], 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lda must be >= max(1, 5) for A stored as 3 x 5, got lda=3");
        assertThatThrownBy(() -> Gemm.gemm(false, false, 2, 4, 3, 1f, new float[6], 0, 3,
                new float[12], 0, 4, 0f, new float[8], 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ldc must be >= max(1, 4) for C stored as 2 x 4, got ldc=3");
    }

    @Test
    void rejectsArrayTooShortForOffsetAndStride() {
        assertThatThrownBy(() -> Gemm.gemm(false, true, 2, 3, 4, 1f, new float[8], 0, 4,
                new float[12], 1, 4, 0f, new float[6], 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("B is too short: stored as 3 x 4 with offset 1 and ldb=4 it needs 13"
                        + " elements, but the array has 12");
    }

    @Test
    void rejectsNegativeOffsetNullArrayAndBadThreadCount() {
        assertThatThrownBy(() -> Gemm.gemm(false, false, 1, 1, 1, 1f, new float[1], 0, 1,
                new float[1], 0, 1, 0f, new float[1], -1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("C offset must be >= 0, got -1");
        assertThatThrownBy(() -> Gemm.gemm(false, false, 1, 1, 1, 1f, null, 0, 1,
                new float[1], 0, 1, 0f, new float[1], 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A is null");
        assertThatThrownBy(() -> Gemm.gemm(false, false, 1, 1, 1, 1f, new float[1], 0, 1,
                new float[1], 0, 1, 0f, new float[1], 0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 1, got 0");
        assertThatThrownBy(() -> GemmReference.gemm(false, false, 1, 1, 1, 1, new double[1], 0, 1,
                new double[1], 0, 1, 0, new double[1], 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ldc must be >= max(1, 1) for C stored as 1 x 1, got ldc=0");
    }

    private static void check(Case c, int threads, int seed) {
        float[] a = random(c.aLength(), seed, c.scale());
        float[] b = random(c.bLength(), seed + 1000, c.scale());
        float[] out = random(c.cLength(), seed + 2000, c.scale());
        if (c.beta() == 0) {
            fillCWithNaN(c, out);
        }
        float[] before = out.clone();
        double[] expected = reference(c, a, b, out);
        Gemm.gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), a, c.aOff(), c.lda(),
                b, c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc(), threads);
        assertClose(c, a, b, out, expected, seed);
        assertPaddingUntouched(c, before, out);
    }

    /** The reference on the same float inputs, widened to double. */
    private static double[] reference(Case c, float[] a, float[] b, float[] out) {
        double[] expected = toDouble(out);
        GemmReference.gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(),
                toDouble(a), c.aOff(), c.lda(), toDouble(b), c.bOff(), c.ldb(), c.beta(),
                expected, c.cOff(), c.ldc());
        return expected;
    }

    /**
     * Float summation of k products errs by at most about k * 2^-24 of sum |a| |b| (the classic
     * gamma_k bound), so the tolerance scales with that sum, not with the result, which may
     * cancel to near zero.
     */
    private static void assertClose(Case c, float[] a, float[] b, float[] out, double[] expected, int seed) {
        double eps = (c.k() + 4) * 0x1p-24;
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                double magnitude = 0;
                for (int p = 0; p < c.k(); p++) {
                    double aip = c.transA() ? a[c.aOff() + p * c.lda() + i] : a[c.aOff() + i * c.lda() + p];
                    double bpj = c.transB() ? b[c.bOff() + j * c.ldb() + p] : b[c.bOff() + p * c.ldb() + j];
                    magnitude += Math.abs(aip * bpj);
                }
                int ij = c.cOff() + i * c.ldc() + j;
                double cMagnitude = c.beta() == 0 ? 0 : Math.abs(c.beta() * expected[ij]);
                double tolerance = eps * (Math.abs(c.alpha()) * magnitude + cMagnitude) + Float.MIN_NORMAL;
                double error = Math.abs(out[ij] - expected[ij]);
                if (!(error <= tolerance)) {
                    throw new AssertionError(c + " threads-seed " + seed + ": C[" + i + "][" + j + "] = "
                            + out[ij] + ", expected " + expected[ij] + " within " + tolerance);
                }
            }
        }
    }

    /** Elements of the C array outside the m x n window (offset, row padding) must not change. */
    private static void assertPaddingUntouched(Case c, float[] before, float[] after) {
        for (int idx = 0; idx < after.length; idx++) {
            int rel = idx - c.cOff();
            boolean inside = rel >= 0 && rel / c.ldc() < c.m() && rel % c.ldc() < c.n();
            if (!inside) {
                assertThat(Float.floatToRawIntBits(after[idx]))
                        .as("C[%d] outside the output window", idx)
                        .isEqualTo(Float.floatToRawIntBits(before[idx]));
            }
        }
    }

    private static void fillCWithNaN(Case c, float[] out) {
        for (int i = 0; i < c.m(); i++) {
            Arrays.fill(out, c.cOff() + i * c.ldc(), c.cOff() + i * c.ldc() + c.n(), Float.NaN);
        }
    }

    @Test
    void aBatchOfOneGivesTheBitsOfTheSameRowInABatchOfThree() {
        // One row of C against row 0 of a three-row product (the packed path), and one column
        // against column 0 of three, in every layout (Gemv serves x B and A^T x), with strides
        // and offsets, across K blocks and over threads.
        int seed = 31;
        for (int k : new int[] {1, 7, 300, 2 * Gemm.MAX_K_BLOCK_DEPTH + 37}) {
            for (int len : new int[] {1, 9, 45, 700}) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        for (float[] ab : new float[][] {{1f, 0f}, {1f, 1f}, {1.5f, -0.75f}}) {
                            String what = "k=" + k + " len=" + len + " transA=" + transA + " transB=" + transB
                                    + " alpha=" + ab[0] + " beta=" + ab[1];
                            // Row case: C is rows x len, op(A) rows x k, op(B) k x len.
                            float[] b = random(k * len + 3, seed++, 1f);
                            float[] a3 = random(3 * k + 2, seed++, 1f);
                            int ldb = transB ? k : len;
                            int lda3 = transA ? 3 : k;
                            float[] c3 = random(3 * (len + 2) + 1, seed++, 1f);
                            float[] c1 = java.util.Arrays.copyOf(c3, len + 1);
                            float[] a1 = new float[k + 2];
                            for (int p = 0; p < k; p++) {
                                a1[1 + p] = transA ? a3[2 + p * lda3] : a3[2 + p];
                            }
                            Gemm.gemm(transA, transB, 3, len, k, ab[0], a3, 2, lda3, b, 3, ldb, ab[1], c3, 1, len + 2);
                            Gemm.gemm(transA, transB, 1, len, k, ab[0], a1, 1, transA ? 1 : k, b, 3, ldb, ab[1], c1, 1,
                                    len);
                            assertThat(java.util.Arrays.copyOfRange(c1, 1, 1 + len)).as("row " + what)
                                    .containsExactly(java.util.Arrays.copyOfRange(c3, 1, 1 + len));
                            // Column case: C is len x cols (stride 4), op(A) len x k, op(B) k x cols.
                            float[] a = random(len * k + 1, seed++, 1f);
                            int lda = transA ? len : k;
                            float[] b3 = random(3 * k, seed++, 1f);
                            int ldb3 = transB ? k : 3;
                            float[] b1 = new float[k];
                            for (int p = 0; p < k; p++) {
                                b1[p] = transB ? b3[p] : b3[p * 3];
                            }
                            float[] cc3 = random(len * 4, seed++, 1f);
                            float[] before = cc3.clone();
                            float[] cc1 = cc3.clone();
                            Gemm.gemm(transA, transB, len, 3, k, ab[0], a, 1, lda, b3, 0, ldb3, ab[1], cc3, 0, 4);
                            Gemm.gemm(transA, transB, len, 1, k, ab[0], a, 1, lda, b1, 0, transB ? k : 1, ab[1], cc1,
                                    0, 4);
                            for (int i = 0; i < len; i++) {
                                assertThat(cc1[i * 4]).as("column " + what + " i=" + i).isEqualTo(cc3[i * 4]);
                                for (int j = 1; j < 4; j++) {
                                    assertThat(cc1[i * 4 + j]).as("column " + what + ": column " + j + " untouched")
                                            .isEqualTo(before[i * 4 + j]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static float[] random(int length, long seed, float scale) {
        Random rnd = new Random(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return x;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
