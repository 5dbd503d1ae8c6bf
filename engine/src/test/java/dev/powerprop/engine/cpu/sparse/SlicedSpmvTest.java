package dev.powerprop.engine.cpu.sparse;

import static dev.powerprop.engine.cpu.sparse.CsrTestMatrices.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.cpu.sparse.CsrTestMatrices.Pattern;
import dev.powerprop.engine.sparse.CsrMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sliced SpMV layout and kernel against the double-precision oracle. */
class SlicedSpmvTest {
    /** Small test matrices pad far more than the built-in limit allows; the kernel must still be right. */
    private static final long ANY_PADDING = Integer.MAX_VALUE;

    @BeforeEach
    void needsTheSlicedKernel() {
        assumeTrue(CsrSpmv.KERNEL == CsrSpmv.Kernel.SLICED, "the sliced SpMV kernel needs 512-bit vectors");
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        // Rows around a vector of 16 and a slice of 32, columns around a block of 63.
        int[][] shapes = {{1, 1}, {1, 63}, {15, 62}, {16, 64}, {17, 126}, {31, 127}, {32, 200}, {33, 130}, {70, 64}};
        long seed = 1;
        for (Pattern pattern : Pattern.values()) {
            for (int[] shape : shapes) {
                out.add(Arguments.of(pattern, shape[0], shape[1], 0.3, seed++));
            }
        }
        out.add(Arguments.of(Pattern.RANDOM, 300, 784, 0.05, 99L));
        out.add(Arguments.of(Pattern.RAGGED, 300, 784, 0.1, 98L));
        out.add(Arguments.of(Pattern.EMPTY_ROWS, 257, 300, 0.5, 97L));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void matchesOracleWithBiasAccumulateAndTwoThreads(Pattern pattern, int rows, int cols, double density, long seed) {
        CsrMatrix a = CsrTestMatrices.make(pattern, rows, cols, density, seed);
        SlicedEll layout = SlicedEll.of(rows, cols, a.rowPtr(), a.colIdx(), a.values(), ANY_PADDING);
        assertThat(layout).isNotNull();
        float[] x = random(cols, seed, 1);
        float[] bias = random(rows, seed + 1, 1);
        float[] y0 = random(rows, seed + 2, 1);
        for (int variant = 0; variant < 4; variant++) {
            boolean accumulate = (variant & 1) != 0;
            float[] biasOrNull = (variant & 2) != 0 ? bias : null;
            float[] one = y0.clone();
            float[] two = y0.clone();
            float[] split = y0.clone();
            spmv(a, layout, x, one, biasOrNull, accumulate, 1);
            spmv(a, layout, x, two, biasOrNull, accumulate, 2);
            // Slices in any order and any split give the same bits: a slice writes only its rows.
            float[] xSlots = layout.blockSlots(x);
            int half = layout.slices / 2;
            CsrSpmvSliced.slices(half, layout.slices, layout, xSlots, split, biasOrNull, accumulate);
            CsrSpmvSliced.slices(0, half, layout, xSlots, split, biasOrNull, accumulate);
            String what = "sliced SpMV " + pattern + " " + rows + "x" + cols + " accumulate=" + accumulate
                    + " bias=" + (biasOrNull != null);
            check(what, a, x, y0, one, biasOrNull, accumulate);
            assertThat(two).as(what + ": two threads give the same bits as one").isEqualTo(one);
            assertThat(split).as(what + ": the second half of the slices first").isEqualTo(one);
        }
    }

    @Test
    void twoThreadsSplitALargeMatrixIntoTheSameBits() {
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 1024, 1024, 0.1, 5);
        SlicedEll layout = SlicedEll.of(1024, 1024, a.rowPtr(), a.colIdx(), a.values());
        assertThat(layout).isNotNull();
        float[] x = random(1024, 6, 1);
        float[] one = new float[1024];
        float[] two = new float[1024];
        spmv(a, layout, x, one, null, false, 1);
        spmv(a, layout, x, two, null, false, 2);
        check("1024 x 1024", a, x, new float[1024], one, null, false);
        assertThat(two).isEqualTo(one);
    }

    @Test
    void layoutPutsEachRowsNonzerosOfABlockInItsLaneAndPadsTheRest() {
        // Blocks of 63 columns: [0, 63), [63, 126), [126, 130).
        int[] rowPtr = {0, 3, 7};
        int[] colIdx = {0, 5, 70, 62, 63, 64, 129};
        float[] values = {1, 2, 3, 4, 5, 6, 7};
        SlicedEll layout = SlicedEll.of(2, 130, rowPtr, colIdx, values, ANY_PADDING);

        assertThat(layout.blocks).isEqualTo(3);
        // Block 0: row 0 has two, row 1 one; block 1: row 0 one, row 1 two; block 2: row 1 one.
        assertThat(layout.stepStart).containsExactly(0, 2, 4, 5);
        assertThat(layout.lanes()).isEqualTo(5 * SlicedEll.SLICE_ROWS);
        assertLane(layout, 0, 0, 1, 0);
        assertLane(layout, 1, 0, 2, 5);
        assertLane(layout, 0, 1, 4, 62);
        assertLane(layout, 1, 1, -0f, SlicedEll.PADDING_SLOT);
        assertLane(layout, 2, 0, 3, 70 - 63);
        assertLane(layout, 3, 0, -0f, SlicedEll.PADDING_SLOT);
        assertLane(layout, 2, 1, 5, 0);
        assertLane(layout, 3, 1, 6, 1);
        assertLane(layout, 4, 1, 7, 129 - 126);
        for (int lane = 2; lane < SlicedEll.SLICE_ROWS; lane++) {
            assertLane(layout, 0, lane, -0f, SlicedEll.PADDING_SLOT); // rows past the matrix
        }

        float[] y = new float[2];
        float[] x = new float[130];
        for (int c = 0; c < 130; c++) {
            x[c] = c + 1;
        }
        CsrSpmv.spmv(2, 130, rowPtr, colIdx, values, x, y, null, false, 1, layout);
        assertThat(y).containsExactly(1 * 1 + 2 * 6 + 3 * 71, 4 * 63 + 5 * 64 + 6 * 65 + 7 * 130);
    }

    @Test
    void anInfiniteOrNanEntryOfXReachesOnlyTheRowsThatUseItsColumn() {
        // Row 1 uses column 4 alone; rows 0 and 2 have more nonzeros in the same block, so row 1's
        // lane is padding in their steps. With every other entry of x infinite (or NaN), padding
        // that read any of them would make row 1 NaN.
        int[] rowPtr = {0, 2, 3, 5};
        int[] colIdx = {3, 10, 4, 0, 10};
        float[] values = {1, 2, 3, 1, -1};
        SlicedEll layout = SlicedEll.of(3, 20, rowPtr, colIdx, values, ANY_PADDING);
        for (float poison : new float[] {Float.POSITIVE_INFINITY, Float.NaN}) {
            float[] x = new float[20];
            java.util.Arrays.fill(x, poison);
            x[4] = 2;
            x[3] = 1;
            float[] y = new float[3];
            CsrSpmv.spmv(3, 20, rowPtr, colIdx, values, x, y, null, false, 1, layout);
            assertThat(y[1]).as("row 1 with x elsewhere " + poison).isEqualTo(6f);
            if (Float.isNaN(poison)) {
                assertThat(y[0]).isNaN();
                assertThat(y[2]).isNaN();
            } else {
                assertThat(y[0]).isEqualTo(Float.POSITIVE_INFINITY); // 1 * 1 + 2 * inf
                assertThat(y[2]).isNaN(); // 1 * inf - 1 * inf
            }
        }
    }

    @Test
    void csrMatrixBuildsTheLayoutOnlyWhereRowsAverageANonzeroPerBlock() {
        // 64 x 630: ten blocks, so 640 nonzeros is one per row and block.
        CsrMatrix sparse = CsrTestMatrices.make(Pattern.RANDOM, 64, 630, 0.005, 3);
        CsrMatrix denser = CsrTestMatrices.make(Pattern.RANDOM, 64, 630, 0.1, 3);
        assertThat(sparse.nnz()).isLessThan(640);
        assertThat(denser.nnz()).isGreaterThan(640);
        assertThat(CsrSpmv.slicedLayout(64, 630, sparse.rowPtr(), sparse.colIdx(), sparse.values())).isNull();
        assertThat(CsrSpmv.slicedLayout(64, 630, denser.rowPtr(), denser.colIdx(), denser.values())).isNotNull();
    }

    @Test
    void aCsrMatrixKeepsItsLayoutAndNewValuesGetTheirOwn() {
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 100, 300, 0.2, 8);
        assertThat(CsrSpmv.slicedLayout(100, 300, a.rowPtr(), a.colIdx(), a.values())).as("sliced").isNotNull();
        float[] x = random(300, 10, 1);
        checkCsrMatrixSpmv(a, x); // builds a's layout
        checkCsrMatrixSpmv(a, x); // uses it
        CsrMatrix b = a.withValues(random(a.nnz(), 9, 1)); // made after a's layout: must not take it
        checkCsrMatrixSpmv(b, x);
        checkCsrMatrixSpmv(b, x);
        checkCsrMatrixSpmv(a, x);
    }

    private static void checkCsrMatrixSpmv(CsrMatrix m, float[] x) {
        float[] y = new float[m.rows()];
        m.multiply(x, 1, y, null, false, 1);
        check("CsrMatrix SpMV", m, x, new float[m.rows()], y, null, false);
    }

    @Test
    void aLayoutThatWouldPadMoreThanSixLanesANonzeroIsNotBuilt() {
        // One dense row in every slice of 32: a row and block average 2 nonzeros, but the layout
        // would hold 32 lanes per nonzero.
        int rows = 96;
        int cols = 630;
        float[] dense = random(rows * cols, 11, 1);
        float[] mask = new float[rows * cols];
        for (int r = 0; r < rows; r += SlicedEll.SLICE_ROWS) {
            java.util.Arrays.fill(mask, r * cols, (r + 1) * cols, 1f);
        }
        CsrMatrix a = CsrMatrix.fromDense(dense, mask, rows, cols);
        assertThat(a.nnz()).isGreaterThanOrEqualTo(rows * SlicedEll.blocks(cols));
        assertThat(CsrSpmv.slicedLayout(rows, cols, a.rowPtr(), a.colIdx(), a.values())).isNull();
        assertThat(SlicedEll.of(rows, cols, a.rowPtr(), a.colIdx(), a.values(), ANY_PADDING).lanes())
                .isEqualTo(SlicedEll.SLICE_ROWS * a.nnz());
        checkCsrMatrixSpmv(a, random(cols, 12, 1)); // the row loop runs it
    }

    @Test
    void aLayoutOfAnotherShapeIsRefused() {
        CsrMatrix a = CsrTestMatrices.make(Pattern.RANDOM, 20, 30, 0.5, 4);
        SlicedEll layout = SlicedEll.of(20, 30, a.rowPtr(), a.colIdx(), a.values(), ANY_PADDING);
        CsrMatrix b = CsrTestMatrices.make(Pattern.RANDOM, 20, 31, 0.5, 4);
        assertThatThrownBy(() -> CsrSpmv.spmv(20, 31, b.rowPtr(), b.colIdx(), b.values(), new float[31],
                new float[20], null, false, 1, layout))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 x 30 matrix with " + a.nnz() + " nonzeros, not of this 20 x 31");
    }

    private static void assertLane(SlicedEll layout, int step, int lane, float value, int slot) {
        int at = step * SlicedEll.SLICE_ROWS + lane;
        assertThat(layout.laneValues[at]).as("value of step %d lane %d", step, lane).isEqualTo(value);
        assertThat(Float.floatToRawIntBits(layout.laneValues[at]))
                .as("bits of step %d lane %d", step, lane).isEqualTo(Float.floatToRawIntBits(value));
        assertThat((int) layout.laneSlots[at]).as("slot of step %d lane %d", step, lane).isEqualTo(slot);
    }

    private static void spmv(CsrMatrix a, SlicedEll layout, float[] x, float[] y, float[] bias, boolean accumulate,
                             int threads) {
        CsrSpmv.spmv(a.rows(), a.cols(), a.rowPtr(), a.colIdx(), a.values(), x, y, bias, accumulate, threads, layout);
    }

    private static void check(String what, CsrMatrix a, float[] x, float[] y0, float[] y, float[] bias,
                              boolean accumulate) {
        CsrTestMatrices.checkProduct(what, a, x, 1, y0, y, bias, accumulate);
    }
}
