package dev.powerprop.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.Tensor;
import dev.powerprop.layers.PowerpropLinear;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MagnitudePruningTest {

    /** PAPER.md section 3: the kept-weight counts of the 784-300-100-10 MLP. */
    @ParameterizedTest
    @CsvSource({
        "0,  2352,   300,   20",
        "7,  12831,  1636,  109",
        "9,  20835,  2657,  177",
        "12, 43111,  5498,  366",
        "16, 113670, 14498, 966",
        "19, 235200, 30000, 1000"})
    void keptCountsMatchThePapersTable(int level, int layer1, int layer2, int output) {
        double p = MagnitudePruning.geomspace(0.01, 1, 20)[level];
        assertThat(MagnitudePruning.keptCount(p, 784 * 300)).isEqualTo(layer1);
        assertThat(MagnitudePruning.keptCount(p, 300 * 100)).isEqualTo(layer2);
        assertThat(MagnitudePruning.keptCount(Math.min(1, 2 * p), 100 * 10)).isEqualTo(output);
    }

    @Test
    void geomspaceMatchesNumpy() {
        double[] p = MagnitudePruning.geomspace(0.01, 1, 20);
        assertThat(p).hasSize(20);
        assertThat(p[0]).isEqualTo(0.01);
        assertThat(p[19]).isEqualTo(1.0);
        // numpy.geomspace(0.01, 1, 20)[[7, 9, 12, 16]], printed by numpy 1.24
        assertThat(p[7]).isCloseTo(0.0545559478116852, org.assertj.core.data.Offset.offset(1e-16));
        assertThat(p[9]).isCloseTo(0.08858667904100823, org.assertj.core.data.Offset.offset(1e-16));
        assertThat(p[12]).isCloseTo(0.18329807108324356, org.assertj.core.data.Offset.offset(1e-16));
        assertThat(p[16]).isCloseTo(0.4832930238571752, org.assertj.core.data.Offset.offset(1e-16));
    }

    @Test
    void topKKeepsExactlyKLargestMagnitudesAndBreaksTiesByIndex() {
        Tensor w = Tensor.of(new float[] {0.5f, -3f, 0.5f, 2f, -0.5f, 0f}, 6);
        assertThat(MagnitudePruning.topKMask(w, 2).data()).containsExactly(0, 1, 0, 1, 0, 0);
        assertThat(MagnitudePruning.topKMask(w, 3).data()).containsExactly(1, 1, 0, 1, 0, 0);
        assertThat(MagnitudePruning.topKMask(w, 0).data()).containsOnly(0f);
        assertThat(MagnitudePruning.topKMask(w, 6).data()).containsOnly(1f);
    }

    @Test
    void aRankingMadeOnceGivesTheMasksOfPruningFromScratchAtEveryLevel() {
        List<PowerpropLinear> layers = List.of(new PowerpropLinear(37, 11, 3.0, 4), new PowerpropLinear(11, 3, 3.0, 5));
        MagnitudePruning.LayerwiseRanking ranking = MagnitudePruning.rankLayerwise(layers);
        for (double p : MagnitudePruning.geomspace(0.01, 1, 20)) {
            MagnitudePruning.pruneLayerwise(layers, p, true);
            float[][] fromScratch = {layers.get(0).mask().data().clone(), layers.get(1).mask().data().clone()};
            ranking.prune(p, true);
            assertThat(layers.get(0).mask().data()).containsExactly(fromScratch[0]);
            assertThat(layers.get(1).mask().data()).containsExactly(fromScratch[1]);
            assertThat(sum(layers.get(0).mask())).isEqualTo(MagnitudePruning.keptCount(p, 37 * 11));
        }
        assertThatThrownBy(() -> ranking.prune(0, true)).hasMessageContaining("keep fraction must be in (0, 1]");
    }

    @Test
    void layerwisePruningDoublesTheOutputLayerAndRanksTheLearnedWeights() {
        PowerpropLinear fc1 = new PowerpropLinear(20, 10, 2.0, 1);
        PowerpropLinear fc2 = new PowerpropLinear(10, 5, 2.0, 2);
        List<PowerpropLinear> layers = List.of(fc1, fc2);
        MagnitudePruning.pruneLayerwise(layers, 0.1, true);
        assertThat(sum(fc1.mask())).isEqualTo(20);
        assertThat(sum(fc2.mask())).isEqualTo(10);
        // Pruning again at a larger fraction ranks the unmasked weights, so it keeps more.
        MagnitudePruning.pruneLayerwise(layers, 0.5, true);
        assertThat(sum(fc1.mask())).isEqualTo(100);
        assertThat(sum(fc2.mask())).isEqualTo(50);
        // The kept weights are the largest: every kept |w| >= every pruned |w|.
        Tensor w = fc1.unmaskedWeight();
        double minKept = Double.MAX_VALUE;
        double maxPruned = 0;
        for (int i = 0; i < w.numel(); i++) {
            if (fc1.mask().get(i) == 1) {
                minKept = Math.min(minKept, Math.abs(w.get(i)));
            } else {
                maxPruned = Math.max(maxPruned, Math.abs(w.get(i)));
            }
        }
        assertThat(minKept).isGreaterThanOrEqualTo(maxPruned);
        // Masks multiply w; v itself is untouched.
        Tensor masked = fc1.effectiveWeight();
        for (int i = 0; i < w.numel(); i++) {
            assertThat(masked.get(i)).isEqualTo(fc1.mask().get(i) == 1 ? w.get(i) : 0.0);
        }
    }

    @Test
    void globalPruningKeepsOneFractionOverAllLayers() {
        PowerpropLinear fc1 = new PowerpropLinear(20, 10, 3.0, 1);
        PowerpropLinear fc2 = new PowerpropLinear(10, 5, 3.0, 2);
        MagnitudePruning.pruneGlobal(List.of(fc1, fc2), 0.2);
        assertThat(sum(fc1.mask()) + sum(fc2.mask())).isEqualTo(50);
    }

    @Test
    void blockMasksKeepWholeBlocksOfOutputRowsRankedByTheirRootMeanSquare() {
        // 5 output rows x 3 inputs, blocks of 2 rows: rows {0,1}, {2,3} and the short block {4}.
        Tensor w = Tensor.of(new float[] {
            1, 0, 0,
            1, 0, 9,
            3, 2, 0,
            -3, 2, 0,
            0, 0, 2.5f}, 5, 3);
        assertThat(MagnitudePruning.blockCount(w, 2)).isEqualTo(9);
        // Root mean squares by (block row, column): {1, 0, 6.36}, {3, 2, 0}, {0, 0, 2.5}.
        assertThat(MagnitudePruning.topKBlockMask(w, 2, 1).data()).containsExactly(
                0, 0, 1,
                0, 0, 1,
                0, 0, 0,
                0, 0, 0,
                0, 0, 0);
        // The short last block competes by its mean: 2.5 ranks above the pair at 2.
        assertThat(MagnitudePruning.topKBlockMask(w, 2, 3).data()).containsExactly(
                0, 0, 1,
                0, 0, 1,
                1, 0, 0,
                1, 0, 0,
                0, 0, 1);
        assertThat(MagnitudePruning.topKBlockMask(w, 2, 0).data()).containsOnly(0f);
        assertThat(MagnitudePruning.topKBlockMask(w, 2, 9).data()).containsOnly(1f);
        assertThatThrownBy(() -> MagnitudePruning.topKBlockMask(w, 2, 10)).hasMessageContaining("cannot keep 10 of 9 blocks");
        assertThatThrownBy(() -> MagnitudePruning.blockCount(w, 0)).hasMessageContaining("block rows must be at least 1");
    }

    @Test
    void blocksOfOneRowAreUnstructuredPruningMaskForMask() {
        List<PowerpropLinear> layers = List.of(new PowerpropLinear(37, 11, 2.0, 4), new PowerpropLinear(11, 3, 2.0, 5));
        for (double p : new double[] {0.05, 0.1, 0.5}) {
            MagnitudePruning.pruneLayerwise(layers, p, true);
            float[][] unstructured = {layers.get(0).mask().data().clone(), layers.get(1).mask().data().clone()};
            MagnitudePruning.pruneLayerwiseBlocks(layers, p, true, 1);
            assertThat(layers.get(0).mask().data()).containsExactly(unstructured[0]);
            assertThat(layers.get(1).mask().data()).containsExactly(unstructured[1]);
        }
    }

    @Test
    void blocksOfOneRowBreakTiesAsTopKDoes() {
        // Ties, signed zeros and equal magnitudes of both signs: the same mask for every k.
        Tensor w = Tensor.of(new float[] {0.5f, -0.5f, 0f, -0f, 2f, 0.5f, -2f, 1e-30f, -1e-30f, 0f, 0.25f, 0.5f}, 4, 3);
        for (int k = 0; k <= 12; k++) {
            assertThat(MagnitudePruning.topKBlockMask(w, 1, k).data()).as("k=%d", k)
                    .containsExactly(MagnitudePruning.topKMask(w, k).data());
        }
    }

    @Test
    void layerwiseBlockPruningKeepsAFractionOfEachLayersBlocksAndDoublesTheOutputLayer() {
        PowerpropLinear fc1 = new PowerpropLinear(20, 12, 2.0, 1); // 12 outputs x 20 inputs: 60 blocks of 4
        PowerpropLinear fc2 = new PowerpropLinear(12, 10, 2.0, 2); // 10 outputs: blocks of 4, 4 and 2
        MagnitudePruning.pruneLayerwiseBlocks(List.of(fc1, fc2), 0.1, true, 4);
        assertThat(sum(fc1.mask())).isEqualTo(6 * 4);
        // floor(0.2 * 36) = 7 blocks of fc2, each of 4 weights or, in the last block row, 2.
        int blocksKept = 0;
        for (int rb = 0; rb < 3; rb++) {
            for (int col = 0; col < 12; col++) {
                int r0 = 4 * rb;
                int r1 = Math.min(10, r0 + 4);
                float first = fc2.mask().get(r0 * 12 + col) == 1 ? 1 : 0;
                for (int r = r0; r < r1; r++) {
                    assertThat(fc2.mask().get(r * 12 + col)).as("block (%d, %d) row %d", rb, col, r).isEqualTo(first);
                }
                blocksKept += (int) first;
            }
        }
        assertThat(blocksKept).isEqualTo(7);
    }

    @Test
    void keepFractionsOutsideTheUnitIntervalAreRefused() {
        for (double p : new double[] {0, -0.5, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> MagnitudePruning.keptCount(p, 10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keep fraction must be in (0, 1]");
        }
    }

    private static int sum(Tensor t) {
        int s = 0;
        for (int i = 0; i < t.numel(); i++) {
            s += (int) t.get(i);
        }
        return s;
    }
}
