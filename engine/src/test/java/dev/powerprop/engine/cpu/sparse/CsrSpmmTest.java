package dev.powerprop.engine.cpu.sparse;

import static dev.powerprop.engine.cpu.sparse.CsrTestMatrices.abs;
import static dev.powerprop.engine.cpu.sparse.CsrTestMatrices.assertClose;
import static dev.powerprop.engine.cpu.sparse.CsrTestMatrices.random;
import static dev.powerprop.engine.cpu.sparse.CsrTestMatrices.toDouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.cpu.sparse.CsrTestMatrices.Pattern;
import dev.powerprop.engine.sparse.CsrMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast SpMM, SpMV, transposed SpMM and SDDMM kernels against the double-precision oracles. */
class CsrSpmmTest {
    private static final int[] NS = {0, 1, 7, 8, 9, 16, 33, 64, 100, 256};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{1, 1}, {1, 37}, {37, 1}, {5, 3}, {19, 41}, {64, 70}};
        long seed = 1;
        for (Pattern pattern : Pattern.values()) {
            for (int[] shape : shapes) {
                for (int threads = 1; threads <= 2; threads++) {
                    out.add(Arguments.of(pattern, shape[0], shape[1], 0.3, threads, seed++));
                }
            }
        }
        // Big enough that two threads really split the rows.
        out.add(Arguments.of(Pattern.RANDOM, 300, 784, 0.1, 2, 99L));
        out.add(Arguments.of(Pattern.RAGGED, 300, 784, 0.1, 2, 98L));
        out.add(Arguments.of(Pattern.EMPTY_ROWS, 257, 300, 0.5, 2, 97L));
        out.add(Arguments.of(Pattern.ROWS_IN_FOURS, 302, 784, 0.1, 2, 96L));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2} threads={4}")
    @MethodSource("cases")
    void spmmMatchesOracleForEveryNWithBiasAndAccumulate(Pattern pattern, int rows, int cols, double density,
                                                         int threads, long seed) {
        CsrMatrix a = CsrTestMatrices.make(pattern, rows, cols, density, seed);
        for (int n : NS) {
            if ((long) rows * cols * n > 2_000_000 && n != 256 && n != 9 && n != 1) {
                continue; // the big shapes need only a few n to exercise the split
            }
            float[] b = random(cols * n, seed + n, 1);
            float[] bias = random(rows, seed + 7, 1);
            float[] c0 = random(rows * n, seed + 11, 1);
            for (int variant = 0; variant < 4; variant++) {
                boolean accumulate = (variant & 1) != 0;
                float[] biasOrNull = (variant & 2) != 0 ? bias : null;
                float[] c = c0.clone();
                a.multiply(b, n, c, biasOrNull, accumulate, threads);
                String what = pattern + " " + rows + "x" + cols + " n=" + n + " threads=" + threads
                        + " accumulate=" + accumulate + " bias=" + (biasOrNull != null);
                checkSpmm(what, a, b, n, c0, c, biasOrNull, accumulate);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} threads={4}")
    @MethodSource("cases")
    void scalarKernelsMatchOracle(Pattern pattern, int rows, int cols, double density, int threads, long seed) {
        CsrMatrix a = CsrTestMatrices.make(pattern, rows, cols, density, seed);
        for (int n : new int[] {1, 9, 33}) {
            float[] b = random(cols * n, seed + n, 1);
            float[] bias = random(rows, seed + 7, 1);
            float[] c = new float[rows * n];
            CsrSpmmScalar.rows(0, rows, a.rowPtr(), a.colIdx(), a.values(), b, n, c, bias, false, 0, n);
            checkSpmm("scalar SpMM n=" + n, a, b, n, new float[rows * n], c, bias, false);
        }
        float[] x = random(cols, seed, 1);
        float[] y = new float[rows];
        CsrSpmv.rowsScalar(0, rows, a.rowPtr(), a.colIdx(), a.values(), x, y, null, false);
        checkSpmm("scalar SpMV", a, x, 1, new float[rows], y, null, false);
    }

    @ParameterizedTest(name = "{0} {1}x{2} threads={4}")
    @MethodSource("cases")
    void gatherSpmvMatchesOracle(Pattern pattern, int rows, int cols, double density, int threads, long seed) {
        if (!dev.powerprop.engine.cpu.VectorSupport.ENABLED) {
            return; // the gather kernel needs the Vector API; the scalar one is tested above
        }
        CsrMatrix a = CsrTestMatrices.make(pattern, rows, cols, density, seed);
        float[] x = random(cols, seed, 1);
        float[] bias = random(rows, seed + 1, 1);
        float[] y0 = random(rows, seed + 2, 1);
        for (int variant = 0; variant < 4; variant++) {
            boolean accumulate = (variant & 1) != 0;
            float[] biasOrNull = (variant & 2) != 0 ? bias : null;
            float[] y = y0.clone();
            CsrSpmvVector.rows(0, rows, a.rowPtr(), a.colIdx(), a.values(), x, y, biasOrNull, accumulate);
            checkSpmm("gather SpMV " + pattern + " accumulate=" + accumulate + " bias=" + (biasOrNull != null),
                    a, x, 1, y0, y, biasOrNull, accumulate);
        }
    }

    @Test
    void largeMagnitudesStayWithinRoundingOfTheOracle() {
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 40, 300, 0.2, 5);
        CsrMatrix big = a.withValues(scale(a.values(), 1e18f));
        for (int n : new int[] {1, 8, 37, 64}) {
            float[] b = random(300 * n, 6, 1e17);
            float[] c = new float[40 * n];
            big.multiply(b, n, c, null, false, 2);
            checkSpmm("large n=" + n, big, b, n, new float[40 * n], c, null, false);
        }
    }

    @Test
    void packedPanelsMatchOracleForRaggedWidthsBiasAndAccumulate() {
        // cols > 512 and >= 4 nonzeros per column of B: the vector kernel copies each panel of B
        // into a contiguous buffer. n = 100 and 203 make panels of 64, 32 + 16 + 8 and a tail.
        for (Pattern pattern : new Pattern[] {Pattern.RANDOM, Pattern.RAGGED, Pattern.EMPTY_ROWS,
                Pattern.ROWS_IN_FOURS}) {
            CsrMatrix a = CsrTestMatrices.make(pattern, 120, 700, 0.2, 21);
            for (int n : new int[] {72, 100, 203, 256}) {
                float[] b = random(700 * n, 22 + n, 1);
                float[] bias = random(120, 23, 1);
                float[] c0 = random(120 * n, 24 + n, 1);
                for (int threads = 1; threads <= 2; threads++) {
                    for (int variant = 0; variant < 4; variant++) {
                        boolean accumulate = (variant & 1) != 0;
                        float[] biasOrNull = (variant & 2) != 0 ? bias : null;
                        float[] c = c0.clone();
                        a.multiply(b, n, c, biasOrNull, accumulate, threads);
                        checkSpmm("packed " + pattern + " n=" + n + " threads=" + threads + " accumulate="
                                + accumulate + " bias=" + (biasOrNull != null), a, b, n, c0, c, biasOrNull, accumulate);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} threads={4}")
    @MethodSource("cases")
    void transposedBMatchesOracleAndIsBitwiseTheProductOnB(Pattern pattern, int rows, int cols, double density,
                                                           int threads, long seed) {
        CsrMatrix a = CsrTestMatrices.make(pattern, rows, cols, density, seed);
        for (int n : NS) {
            if ((long) rows * cols * n > 2_000_000 && n != 256 && n != 9 && n != 1) {
                continue;
            }
            checkTransposedB(pattern + " " + rows + "x" + cols + " threads=" + threads, a, n, threads, seed);
        }
    }

    @Test
    void transposedBPacksRaggedPanelsOfTallInputs() {
        // cols > 512 as for the first layer of an MLP; n = 100 and 203 leave panels of 36 and 11
        // columns (a 32/8-wide vector part and a scalar tail inside the packed panel).
        for (Pattern pattern : new Pattern[] {Pattern.RANDOM, Pattern.RAGGED, Pattern.EMPTY_ROWS,
                Pattern.SINGLE_NONZERO, Pattern.ALL_ZERO, Pattern.ROWS_IN_FOURS}) {
            CsrMatrix a = CsrTestMatrices.make(pattern, 123, 700, 0.2, 31);
            for (int n : new int[] {2, 5, 63, 65, 100, 203, 256}) {
                for (int threads = 1; threads <= 2; threads++) {
                    checkTransposedB("tall " + pattern + " threads=" + threads, a, n, threads, 32 + n);
                }
            }
        }
    }

    @Test
    void packTransposedCopiesEveryColumnOfThePanel() {
        int cols = 13;
        int n = 29;
        float[] bt = random(n * cols, 5, 1);
        for (int j0 : new int[] {0, 3, 16}) {
            for (int w : new int[] {1, 7, 8, 9, 13}) {
                int start = 6;
                float[] buf = new float[start + cols * w];
                CsrSpmmVector.packTransposed(bt, cols, j0, w, buf, start);
                for (int k = 0; k < cols; k++) {
                    for (int t = 0; t < w; t++) {
                        assertThat(buf[start + k * w + t]).as("j0=%d w=%d k=%d t=%d", j0, w, k, t)
                                .isEqualTo(bt[(j0 + t) * cols + k]);
                    }
                }
            }
        }
    }

    private static void checkTransposedB(String what, CsrMatrix a, int n, int threads, long seed) {
        int rows = a.rows();
        int cols = a.cols();
        float[] bt = random(n * cols, seed + n, 1);
        float[] b = new float[cols * n];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < cols; k++) {
                b[k * n + j] = bt[j * cols + k];
            }
        }
        float[] bias = random(rows, seed + 7, 1);
        float[] c0 = random(rows * n, seed + 11, 1);
        for (int variant = 0; variant < 4; variant++) {
            boolean accumulate = (variant & 1) != 0;
            float[] biasOrNull = (variant & 2) != 0 ? bias : null;
            float[] c = c0.clone();
            a.multiplyTransposedB(bt, n, c, biasOrNull, accumulate, threads);
            String full = "B^T " + what + " n=" + n + " accumulate=" + accumulate + " bias=" + (biasOrNull != null);
            checkSpmm(full, a, b, n, c0, c, biasOrNull, accumulate);
            float[] viaB = c0.clone();
            a.multiply(b, n, viaB, biasOrNull, accumulate, threads);
            assertThat(c).as(full + ": bitwise the product on B").containsExactly(viaB);
        }
    }

    @Test
    void rowsInFoursAreFoundOnlyWhereEveryGroupOfFourSharesItsColumns() {
        CsrMatrix fours = CsrTestMatrices.make(Pattern.ROWS_IN_FOURS, 42, 50, 0.3, 41);
        assertThat(CsrSpmm.rowsInFours(42, fours.rowPtr(), fours.colIdx())).isTrue();
        assertThat(CsrSpmm.structureIndex(42, 50, fours.rowPtr(), fours.colIdx()).rowsInFours())
                .isEqualTo(dev.powerprop.engine.cpu.VectorSupport.ENABLED && CsrSpmmVector.ROWS_IN_FOURS);
        CsrMatrix random = CsrTestMatrices.make(Pattern.RANDOM, 42, 50, 0.3, 41);
        assertThat(CsrSpmm.rowsInFours(42, random.rowPtr(), random.colIdx())).isFalse();
        assertThat(CsrSpmm.rowsInFours(3, new int[] {0, 0, 0, 0}, new int[0])).as("fewer than 4 rows").isFalse();
        assertThat(CsrSpmm.rowsInFours(4, new int[] {0, 0, 0, 0, 0}, new int[0])).as("4 empty rows").isTrue();
        // Rows 0-3 share {1, 3} and rows 4-7 share {0, 2}; row 8 is past the last whole group.
        int[] rowPtr = {0, 2, 4, 6, 8, 10, 12, 14, 16, 17};
        int[] shared = {1, 3, 1, 3, 1, 3, 1, 3, 0, 2, 0, 2, 0, 2, 0, 2, 5};
        assertThat(CsrSpmm.rowsInFours(9, rowPtr, shared)).isTrue();
        int[] oneColumnMoved = shared.clone();
        oneColumnMoved[15] = 3; // row 7: {0, 3}
        assertThat(CsrSpmm.rowsInFours(9, rowPtr, oneColumnMoved)).as("same length, other column").isFalse();
        int[] longerRow = {0, 2, 4, 6, 8, 10, 12, 14, 17, 18};
        int[] withExtra = {1, 3, 1, 3, 1, 3, 1, 3, 0, 2, 0, 2, 0, 2, 0, 2, 4, 5};
        assertThat(CsrSpmm.rowsInFours(9, longerRow, withExtra)).as("row 7 one longer").isFalse();
        // An index made for another matrix is refused, not trusted.
        CsrSpmm.StructureIndex index = CsrSpmm.structureIndex(42, 50, fours.rowPtr(), fours.colIdx());
        float[] values = new float[shared.length];
        assertThatThrownBy(() -> CsrSpmm.spmm(9, 50, rowPtr, shared, values, new float[50 * 16], 16,
                new float[9 * 16], null, false, 1, index)).hasMessageContaining("made for a matrix of 42 rows");
    }

    @Test
    void rowsInFoursGiveTheBitsOfTheRowLoops() {
        // The four-row kernel must do every output's multiply-adds in the row loop's order: run
        // both on the same A (the index says which) for packed and unpacked B, B^T, 8-vector
        // blocks and the narrower last columns, bias, accumulate, and 1 to 3 threads.
        assumeTrue(dev.powerprop.engine.cpu.VectorSupport.ENABLED, "the Vector API kernels are off");
        for (int[] shape : new int[][] {{64, 70}, {123, 700}, {302, 784}}) {
            int rows = shape[0];
            int cols = shape[1];
            CsrMatrix a = CsrTestMatrices.make(Pattern.ROWS_IN_FOURS, rows, cols, 0.15, rows);
            assertThat(CsrSpmm.rowsInFours(rows, a.rowPtr(), a.colIdx())).isTrue();
            for (int n : new int[] {2, 100, 300}) {
                float[] b = random(cols * n, n, 1);
                float[] bt = random(n * cols, n + 1, 1);
                float[] bias = random(rows, 7, 1);
                float[] c0 = random(rows * n, 11, 1);
                for (int threads = 1; threads <= 3; threads++) {
                    for (int variant = 0; variant < 4; variant++) {
                        boolean accumulate = (variant & 1) != 0;
                        float[] biasOrNull = (variant & 2) != 0 ? bias : null;
                        String what = rows + "x" + cols + " n=" + n + " threads=" + threads + " accumulate="
                                + accumulate + " bias=" + (biasOrNull != null);
                        float[] inFours = c0.clone();
                        float[] byRows = c0.clone();
                        CsrSpmm.spmm(rows, cols, a.rowPtr(), a.colIdx(), a.values(), b, n, inFours, biasOrNull,
                                accumulate, threads, new CsrSpmm.StructureIndex(rows, a.nnz(), null, true));
                        CsrSpmm.spmm(rows, cols, a.rowPtr(), a.colIdx(), a.values(), b, n, byRows, biasOrNull,
                                accumulate, threads, new CsrSpmm.StructureIndex(rows, a.nnz(), null, false));
                        assertThat(inFours).as(what).containsExactly(byRows);
                        if (threads == 1) { // the thread count changes no bit (tested above)
                            checkSpmm("in fours " + what, a, b, n, c0, inFours, biasOrNull, accumulate);
                        }
                        CsrSpmm.spmmTransposedB(rows, cols, a.rowPtr(), a.colIdx(), a.values(), bt, n, inFours,
                                biasOrNull, accumulate, threads, new CsrSpmm.StructureIndex(rows, a.nnz(), null, true));
                        CsrSpmm.spmmTransposedB(rows, cols, a.rowPtr(), a.colIdx(), a.values(), bt, n, byRows,
                                biasOrNull, accumulate, threads, new CsrSpmm.StructureIndex(rows, a.nnz(), null, false));
                        assertThat(inFours).as("B^T " + what).containsExactly(byRows);
                    }
                }
            }
        }
    }

    @Test
    void resultsAreBitwiseRepeatableForAThreadCount() {
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 300, 784, 0.1, 3);
        float[] b = random(784 * 64, 4, 1);
        float[] c1 = new float[300 * 64];
        float[] c2 = new float[300 * 64];
        a.multiply(b, 64, c1, null, false, 2);
        a.multiply(b, 64, c2, null, false, 2);
        assertThat(c2).containsExactly(c1);
    }

    @Test
    void resultsAreTheSameBitsForOneAndTwoThreads() {
        // Each output element is summed by the same loop in the same order whichever thread owns
        // its row, so the thread count must not change a bit: SpMM (packed panels), the
        // transposed-B SpMM and SpMV. Three threads cut the rows into other chunks than two do.
        CsrMatrix a = CsrTestMatrices.make(Pattern.RAGGED, 300, 784, 0.1, 13);
        for (int n : new int[] {1, 100, 256}) {
            float[] b = random(784 * n, 14 + n, 1);
            float[] bias = random(300, 15, 1);
            float[] one = new float[300 * n];
            float[] two = new float[300 * n];
            a.multiply(b, n, one, bias, false, 1);
            a.multiply(b, n, two, bias, false, 2);
            assertThat(two).as("B n=%d", n).containsExactly(one);
            a.multiply(b, n, two, bias, false, 3);
            assertThat(two).as("B n=%d, 3 threads", n).containsExactly(one);
            a.multiplyTransposedB(b, n, one, bias, false, 1);
            a.multiplyTransposedB(b, n, two, bias, false, 2);
            assertThat(two).as("B^T n=%d", n).containsExactly(one);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} threads={4}")
    @MethodSource("cases")
    void transposedProductMatchesTheScatterOracle(Pattern pattern, int rows, int cols, double density,
                                                  int threads, long seed) {
        CsrMatrix a = CsrTestMatrices.make(pattern, rows, cols, density, seed);
        for (int n : new int[] {0, 1, 7, 9, 33, 64}) {
            float[] dy = random(rows * n, seed + n, 1);
            float[] c0 = random(cols * n, seed + 3, 1);
            float[] c = c0.clone();
            CsrSpmmTransposed.spmmTransposed(rows, cols, a.rowPtr(), a.colIdx(), a.values(), dy, n, c, threads);
            double[] expected = toDouble(c0);
            CsrSpmmReference.spmmTransposed(rows, a.rowPtr(), a.colIdx(), toDouble(a.values()), toDouble(dy), n,
                    expected);
            double[] magnitude = abs(toDouble(c0));
            CsrSpmmReference.spmmTransposed(rows, a.rowPtr(), a.colIdx(), abs(toDouble(a.values())),
                    abs(toDouble(dy)), n, magnitude);
            assertClose("A^T B " + pattern + " n=" + n, c, expected, magnitude, rows + 1);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} threads={4}")
    @MethodSource("cases")
    void sampledProductMatchesOracle(Pattern pattern, int rows, int cols, double density, int threads, long seed) {
        CsrMatrix a = CsrTestMatrices.make(pattern, rows, cols, density, seed);
        for (int n : new int[] {0, 1, 7, 8, 9, 17, 33, 64}) {
            float[] x = random(rows * n, seed + n, 1);
            float[] y = random(cols * n, seed + 2 * n, 1);
            float[] out0 = random(a.nnz(), seed, 1);
            float[] out = out0.clone();
            CsrSddmm.sddmm(rows, cols, a.rowPtr(), a.colIdx(), x, y, n, out, threads);
            double[] expected = toDouble(out0);
            CsrSpmmReference.sddmm(rows, a.rowPtr(), a.colIdx(), toDouble(x), toDouble(y), n, expected);
            double[] magnitude = abs(toDouble(out0));
            CsrSpmmReference.sddmm(rows, a.rowPtr(), a.colIdx(), abs(toDouble(x)), abs(toDouble(y)), n, magnitude);
            assertClose("SDDMM " + pattern + " n=" + n, out, expected, magnitude, n + 1);

            float[] scalar = out0.clone();
            CsrSddmm.rowsScalar(0, rows, a.rowPtr(), a.colIdx(), x, y, n, scalar);
            assertClose("scalar SDDMM n=" + n, scalar, expected, magnitude, n + 1);
        }
    }

    @Test
    void kBlockedPanelsGiveTheSameBitsAsUnblocked() {
        // K-blocking is part of the vector kernel; CsrMatrix runs the scalar one without the Vector API.
        assumeTrue(dev.powerprop.engine.cpu.VectorSupport.ENABLED, "needs the Vector API kernels");
        // K-blocking cuts each row's nonzeros into consecutive slices that resume from the C the
        // slice before stored: the same multiply-adds in the same order, so the same bits. 70 rows
        // make two full row blocks and a short one; n = 2 PANEL + 8 adds a narrow panel that stays
        // unblocked; K blocks of 1, 7, 64 and cols - 1 rows, and one block of all of them. At
        // density 0.4 the product's own choice (CsrMatrix.multiply) K-blocks RANDOM, not the others.
        for (Pattern pattern : new Pattern[] {Pattern.RANDOM, Pattern.EMPTY_ROWS, Pattern.RAGGED, Pattern.SINGLE_NONZERO}) {
            CsrMatrix a = CsrTestMatrices.make(pattern, 70, 700, 0.4, 51);
            if (pattern == Pattern.RANDOM) {
                assertThat(CsrSpmmVector.kBlockFor(70, 700, a.nnz())).as("RANDOM at 0.4 is K-blocked").isPositive();
            }
            for (int n : new int[] {2 * CsrSpmmVector.PANEL, 2 * CsrSpmmVector.PANEL + 8}) {
                float[] b = random(700 * n, 52 + n, 1);
                float[] bias = random(70, 53, 1);
                float[] c0 = random(70 * n, 54 + n, 1);
                for (int variant = 0; variant < 8; variant++) {
                    boolean accumulate = (variant & 1) != 0;
                    float[] biasOrNull = (variant & 2) != 0 ? bias : null;
                    boolean transposedB = (variant & 4) != 0;
                    float[] bOrBt = transposedB ? transpose(b, 700, n) : b;
                    float[] unblocked = c0.clone();
                    CsrSpmmVector.multiplyWithKBlock(70, 700, a.rowPtr(), a.colIdx(), a.values(), bOrBt, transposedB, n,
                            unblocked, biasOrNull, accumulate, 1, 0);
                    String what = pattern + " n=" + n + " accumulate=" + accumulate + " bias=" + (biasOrNull != null)
                            + " transposedB=" + transposedB;
                    checkSpmm(what, a, b, n, c0, unblocked, biasOrNull, accumulate);
                    float[] chosen = c0.clone();
                    if (transposedB) {
                        a.multiplyTransposedB(bOrBt, n, chosen, biasOrNull, accumulate, 2);
                    } else {
                        a.multiply(b, n, chosen, biasOrNull, accumulate, 2);
                    }
                    assertThat(chosen).as("%s, K block chosen by the product", what).containsExactly(unblocked);
                    for (int kBlock : new int[] {1, 7, 64, 699, 700}) {
                        for (int threads = 1; threads <= 2; threads++) {
                            float[] c = c0.clone();
                            CsrSpmmVector.multiplyWithKBlock(70, 700, a.rowPtr(), a.colIdx(), a.values(), bOrBt,
                                    transposedB, n, c, biasOrNull, accumulate, threads, kBlock);
                            assertThat(c).as("%s kBlock=%d threads=%d", what, kBlock, threads).containsExactly(unblocked);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aMatrixKeepsItsKBlockIndexAcrossProductsAndNewValues() {
        // K-blocking is part of the vector kernel; CsrMatrix runs the scalar one without the Vector API.
        assumeTrue(dev.powerprop.engine.cpu.VectorSupport.ENABLED, "needs the Vector API kernels");
        // CsrMatrix finds the slice ends once and withValues shares them (same structure): every
        // product must still be bitwise the unblocked one, also for the new values.
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 90, 800, 0.5, 71);
        assertThat(CsrSpmmVector.kBlockFor(90, 800, a.nnz())).as("K-blocked").isPositive();
        int n = 2 * CsrSpmmVector.PANEL;
        float[] b = random(800 * n, 72, 1);
        for (CsrMatrix m : new CsrMatrix[] {a, a, a.withValues(random(a.nnz(), 73, 1))}) {
            float[] unblocked = new float[90 * n];
            CsrSpmmVector.multiplyWithKBlock(90, 800, m.rowPtr(), m.colIdx(), m.values(), b, false, n, unblocked, null,
                    false, 2, 0);
            float[] c = new float[90 * n];
            m.multiply(b, n, c, null, false, 2);
            assertThat(c).containsExactly(unblocked);
            m.multiplyTransposedB(transpose(b, 800, n), n, c, null, false, 1);
            assertThat(c).containsExactly(unblocked);
        }
        assertThat(CsrSpmm.structureIndex(90, 800, a.rowPtr(), a.colIdx()).kBlockEnds()).isNotNull();
        CsrMatrix sparse = CsrTestMatrices.make(Pattern.RANDOM, 90, 800, 0.05, 74);
        assertThat(CsrSpmm.structureIndex(90, 800, sparse.rowPtr(), sparse.colIdx()).kBlockEnds()).as("too sparse to block").isNull();
    }

    @Test
    void sparserMatricesGetWideKBlocksWhileTheAverageRowHasTheNonzerosForThem() {
        assumeTrue(dev.powerprop.engine.cpu.VectorSupport.ENABLED, "needs the Vector API kernels");
        int perPair = CsrSpmmVector.WIDE_K_BLOCK_NONZEROS;
        // 1024 x 1024: 60% sparsity keeps the L1 block (96 rows with 512-bit vectors, 192 with
        // 256-bit ones); 85% and 90% are below its density on both and get 3 and 2 wide blocks
        // (3 x 352 rows and 2 x 512, about 50 nonzeros a pair); at 95% a row has too few for two.
        assertThat(CsrSpmmVector.kBlockFor(1024, 1024, 419430)).isEqualTo(CsrSpmmVector.K_BLOCK);
        assertThat(CsrSpmmVector.kBlockFor(1024, 1024, 157286)).isEqualTo(352);
        assertThat(CsrSpmmVector.kBlockFor(1024, 1024, 104858)).isEqualTo(512);
        assertThat(CsrSpmmVector.kBlockFor(1024, 1024, 52429)).isZero();
        // Blocks split cols evenly, rounded up to 16 rows: 4 blocks of 1500 rows are 384 rows.
        assertThat(CsrSpmmVector.kBlockFor(10, 1500, 10 * 4 * perPair)).isEqualTo(384);
        // A block longer than the cap is not made: 2 blocks of 4096 rows.
        assertThat(CsrSpmmVector.kBlockFor(10, 8192, 10 * 2 * perPair)).isZero();
        assertThat(CsrSpmmVector.kBlockFor(0, 1024, 0)).isZero();

        // The wide blocks give the unblocked bits, through a matrix that keeps their index. The
        // product's plan must really pack and block (the bits alone cannot show that it does).
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 100, 1024, 0.1, 81);
        int kBlock = CsrSpmmVector.kBlockFor(100, 1024, a.nnz());
        assertThat(kBlock).as("wide blocks").isEqualTo(512);
        int n = 2 * CsrSpmmVector.PANEL + 8;
        for (int threads = 1; threads <= 2; threads++) {
            for (boolean transposedB : new boolean[] {false, true}) {
                CsrSpmmVector.Plan plan = CsrSpmmVector.plan(1024, a.nnz(), n, transposedB, threads, kBlock);
                assertThat(plan.pack()).as("packed, threads=%d, B^T=%s", threads, transposedB).isTrue();
                assertThat(plan.kBlock()).as("blocked, threads=%d, B^T=%s", threads, transposedB).isEqualTo(512);
            }
        }
        float[] b = random(1024 * n, 82, 1);
        float[] bias = random(100, 83, 1);
        float[] unblocked = new float[100 * n];
        CsrSpmmVector.multiplyWithKBlock(100, 1024, a.rowPtr(), a.colIdx(), a.values(), b, false, n, unblocked, bias,
                false, 1, 0);
        checkSpmm("wide K blocks, unblocked", a, b, n, new float[100 * n], unblocked, bias, false);
        for (int threads = 1; threads <= 2; threads++) {
            float[] c = new float[100 * n];
            a.multiply(b, n, c, bias, false, threads);
            assertThat(c).as("threads=%d", threads).containsExactly(unblocked);
            a.multiplyTransposedB(transpose(b, 1024, n), n, c, bias, false, threads);
            assertThat(c).as("B^T, threads=%d", threads).containsExactly(unblocked);
        }
    }

    @Test
    void kBlockedPanelsKeepNegativeZerosAndUnsortedColumns() {
        // A slice that leaves -0 in C must resume from -0 (adding 0 to it would make +0), and the
        // slices must cover every nonzero once even when a row's columns are out of order, which
        // CsrMatrix forbids but the raw kernel accepts: the last K block takes what remains.
        int rows = 3;
        int cols = 600;
        int n = CsrSpmmVector.PANEL;
        int[] rowPtr = {0, 3, 6, 9};
        int[] colIdx = {599, 2, 300, 5, 4, 3, 1, 590, 2};
        float[] values = {-1f, -2f, -3f, 4f, 5f, 6f, 7f, 8f, 9f};
        float[] b = new float[cols * n];
        float[] bias = {-0f, 1f, 2f};
        float[] zeros = new float[rows * n];
        CsrSpmmVector.multiplyWithKBlock(rows, cols, rowPtr, colIdx, values, b, true, n, zeros, bias, false, 1, 64);
        for (int j = 0; j < n; j++) {
            assertThat(Float.floatToRawIntBits(zeros[j])).as("C[0, %d] = -0", j).isEqualTo(Float.floatToRawIntBits(-0f));
        }
        b = random(cols * n, 61, 1);
        float[] unblocked = new float[rows * n];
        CsrSpmmVector.multiplyWithKBlock(rows, cols, rowPtr, colIdx, values, b, true, n, unblocked, bias, false, 1, 0);
        for (int kBlock : new int[] {1, 64}) {
            float[] blocked = new float[rows * n];
            CsrSpmmVector.multiplyWithKBlock(rows, cols, rowPtr, colIdx, values, b, true, n, blocked, bias, false, 1,
                    kBlock);
            assertThat(blocked).as("kBlock %d", kBlock).containsExactly(unblocked);
        }
    }

    private static float[] transpose(float[] b, int rows, int cols) {
        float[] t = new float[b.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = b[i * cols + j];
            }
        }
        return t;
    }

    @Test
    void packedPanelsGiveTheSameBitsFromEveryStartInTheirBuffer() {
        // Where the packed panel starts in its buffer is chosen by timing (CsrSpmmVector.PanelBuffer):
        // it must change where B is read, never a bit of C. Two full panels and a narrow one.
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 64, 700, 0.2, 41);
        assertThat(a.nnz()).as("enough nonzeros per row of B to pack").isGreaterThanOrEqualTo(4 * 700);
        int n = 2 * CsrSpmmVector.PANEL + 8;
        float[] b = random(700 * n, 42, 1);
        float[] first = new float[64 * n];
        CsrSpmmVector.multiply(64, 700, a.rowPtr(), a.colIdx(), a.values(), b, n, first, null, false, 1);
        checkSpmm("packed", a, b, n, new float[64 * n], first, null, false);
        CsrSpmmVector.PanelBuffer buffer = CsrSpmmVector.PanelBuffer.take(700 * CsrSpmmVector.PANEL);
        for (int start = 0; start < 16; start += 2) {
            buffer.start = start;
            float[] c = new float[64 * n];
            CsrSpmmVector.multiply(64, 700, a.rowPtr(), a.colIdx(), a.values(), b, n, c, null, false, 1);
            assertThat(c).as("start %d", start).containsExactly(first);
        }
        // A choice falls due once every CALLS_BETWEEN_CHOICES products, and lands on one of the 8 starts.
        int choices = buffer.choices;
        for (int i = 0; i < CsrSpmmVector.PanelBuffer.CALLS_BETWEEN_CHOICES; i++) {
            CsrSpmmVector.multiply(64, 700, a.rowPtr(), a.colIdx(), a.values(), b, n, new float[64 * n], null, false, 1);
        }
        assertThat(buffer.choices).isEqualTo(choices + 1);
        assertThat(buffer.start).isBetween(0, 14);
        assertThat(buffer.start % 2).isZero();
    }

    @Test
    void choosingThePanelStartStaysInsideABufferNarrowerThanAPanel() throws Exception {
        // A transposed B (a row-major batch) is packed even when the batch is narrower than a
        // panel, so the thread's buffer holds cols x n floats, not cols x PANEL: the timing probe
        // must read only rows that lie in it. A new thread, so that the buffer is this product's.
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 32, 700, 0.2, 43);
        int n = CsrSpmmVector.PANEL / 2 - 3;
        float[] bt = random(n * 700, 44, 1);
        float[] b = new float[700 * n];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < 700; k++) {
                b[k * n + j] = bt[j * 700 + k];
            }
        }
        float[][] results = new float[CsrSpmmVector.PanelBuffer.CALLS_BEFORE_CHOOSING + 2][];
        Thread worker = new Thread(() -> {
            for (int call = 0; call < results.length; call++) {
                results[call] = new float[32 * n];
                CsrSpmmVector.multiply(32, 700, a.rowPtr(), a.colIdx(), a.values(), bt, true, n, results[call],
                        null, false, 1);
            }
        });
        Throwable[] failure = new Throwable[1];
        worker.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        worker.start();
        worker.join();
        assertThat(failure[0]).as("a product with a start choice due").isNull();
        checkSpmm("transposed, narrow", a, b, n, new float[32 * n], results[0], null, false);
        for (float[] result : results) {
            assertThat(result).containsExactly(results[0]);
        }
    }

    @Test
    void everyPanelAndRowChunkRunsExactlyOnceWhateverTheThreadCount() {
        // Threads start on different panels and move on round the panels when theirs has no row
        // chunks left; no pair may be skipped or run twice (more threads than panels, fewer, one
        // row chunk, more panels than row chunks), spread or in order.
        for (boolean spread : new boolean[] {true, false}) {
            for (int threads = 1; threads <= 4; threads++) {
                for (int panels = 1; panels <= 5; panels++) {
                    for (int rowChunks = 1; rowChunks <= 9; rowChunks++) {
                        AtomicIntegerArray runs = new AtomicIntegerArray(panels * rowChunks);
                        int chunks = rowChunks;
                        CsrSpmmVector.forEachChunk(threads, panels, rowChunks, spread,
                                (panel, q) -> runs.incrementAndGet(panel * chunks + q));
                        for (int i = 0; i < runs.length(); i++) {
                            assertThat(runs.get(i)).as("spread=%s threads=%d panels=%d rowChunks=%d: panel %d chunk %d",
                                    spread, threads, panels, rowChunks, i / rowChunks, i % rowChunks).isEqualTo(1);
                        }
                    }
                }
            }
        }
        assertThatThrownBy(() -> CsrSpmmVector.forEachChunk(0, 2, 2, true, (panel, q) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partsStartOnSpreadPanelsAndTakeRowChunksInARotatedOrder() {
        // Two parts on two panels start one on each; two on eight start on panels 0 and 4; any
        // number of parts on one panel all start on it.
        assertThat(CsrSpmmVector.firstPanel(0, 2, 2)).isZero();
        assertThat(CsrSpmmVector.firstPanel(1, 2, 2)).isEqualTo(1);
        assertThat(CsrSpmmVector.firstPanel(1, 2, 8)).isEqualTo(4);
        assertThat(CsrSpmmVector.firstPanel(2, 3, 1)).isZero();
        // Panel 1 of 2 takes its 8 row chunks from the middle on, panel 0 from the first; every
        // panel's order is a permutation of its row chunks.
        assertThat(CsrSpmmVector.rowChunkAt(0, 2, 8, 0)).isZero();
        assertThat(CsrSpmmVector.rowChunkAt(1, 2, 8, 0)).isEqualTo(4);
        assertThat(CsrSpmmVector.rowChunkAt(1, 2, 8, 5)).isEqualTo(1);
        for (int panels = 1; panels <= 5; panels++) {
            for (int rowChunks = 1; rowChunks <= 9; rowChunks++) {
                for (int panel = 0; panel < panels; panel++) {
                    int[] order = new int[rowChunks];
                    for (int q = 0; q < rowChunks; q++) {
                        order[q] = CsrSpmmVector.rowChunkAt(panel, panels, rowChunks, q);
                    }
                    assertThat(order).as("panel %d of %d, %d row chunks", panel, panels, rowChunks)
                            .containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, rowChunks).toArray());
                }
            }
        }
    }

    @Test
    void rowPartitionBalancesNonzerosNotRows() {
        // Row 0 holds 1000 nonzeros, rows 1..999 one each: a row-count split would give thread 0
        // 1500 of the 2000 nonzeros.
        int rows = 1000;
        int[] rowPtr = new int[rows + 1];
        rowPtr[1] = 1000;
        for (int r = 2; r <= rows; r++) {
            rowPtr[r] = rowPtr[r - 1] + 1;
        }
        int[] bounds = RowPartition.split(rowPtr, rows, 2, 0);
        assertThat(bounds).containsExactly(0, 1, rows);
        int[] three = RowPartition.split(rowPtr, rows, 3, 1);
        assertThat(three[0]).isZero();
        assertThat(three[3]).isEqualTo(rows);
        assertThat(three).isSorted();
    }

    @Test
    void kernelsNameTheArgumentWhoseSizeIsWrong() {
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 4, 5, 0.5, 1);
        assertThatThrownBy(() -> a.multiply(new float[5 * 3 - 1], 3, new float[12], null, false, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B must hold 5 x 3");
        assertThatThrownBy(() -> a.multiply(new float[15], 3, new float[11], null, false, 1))
                .hasMessageContaining("C must hold 4 x 3");
        assertThatThrownBy(() -> a.multiply(new float[15], 3, new float[12], new float[3], false, 1))
                .hasMessageContaining("bias must have one value per row (4)");
        assertThatThrownBy(() -> a.multiply(new float[5], 1, new float[3], null, false, 1))
                .hasMessageContaining("y must hold 4 x 1");
        assertThatThrownBy(() -> a.multiply(new float[15], 3, new float[12], null, false, 0))
                .hasMessageContaining("threads must be >= 1");
        assertThatThrownBy(() -> a.multiplyTransposedB(new float[14], 3, new float[12], null, false, 1))
                .hasMessageContaining("B^T must hold 3 x 5");
    }

    private static void checkSpmm(String what, CsrMatrix a, float[] b, int n, float[] c0, float[] c,
                                  float[] bias, boolean accumulate) {
        CsrTestMatrices.checkProduct(what, a, b, n, c0, c, bias, accumulate);
    }

    private static float[] scale(float[] x, float s) {
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= s;
        }
        return y;
    }
}
