package dev.powerprop.nn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {
    /** 10 images of 2x2 whose first pixel encodes the example index, labels i % 3. */
    private static final ImageDataset DATA = dataset(10);

    private static ImageDataset dataset(int n) {
        float[] pixels = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i * 4] = i;
            pixels[i * 4 + 3] = -i;
            labels[i] = i % 3;
        }
        return ImageDataset.of(pixels, labels, 2, 2, 3);
    }

    /** The example index of each row, read back from the first pixel. */
    private static int[] indices(Batch b) {
        int[] idx = new int[b.size()];
        for (int r = 0; r < b.size(); r++) {
            idx[r] = (int) b.x().data()[r * 4];
        }
        return idx;
    }

    @Test
    void sequentialVisitsEveryExampleInOrderWithAPartialLastBatch() {
        BatchIterator it = BatchIterator.sequential(DATA, 4);
        List<int[]> seen = new ArrayList<>();
        it.forEachRemaining(b -> seen.add(indices(b)));

        assertThat(seen).containsExactly(new int[] {0, 1, 2, 3}, new int[] {4, 5, 6, 7}, new int[] {8, 9});
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void batchesCarryTheRightPixelsLabelsAndShape() {
        Batch b = BatchIterator.shuffled(DATA, 3, 42L, false, 1).next();

        assertThat(b.x().shape().dims()).containsExactly(3, 4);
        for (int r = 0; r < 3; r++) {
            int i = indices(b)[r];
            assertThat(b.labels()[r]).isEqualTo(DATA.label(i));
            assertThat(b.x().data()[r * 4 + 3]).isEqualTo(DATA.pixel(i, 3));
        }
    }

    @Test
    void aShuffledEpochIsAPermutation() {
        int[] all = collect(BatchIterator.shuffled(DATA, 3, 7L, false, 1));

        assertThat(all).hasSize(10);
        assertThat(all).isNotEqualTo(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThat(Arrays.stream(all).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndAnotherSeedDifferentOnes() {
        assertThat(collect(BatchIterator.shuffled(DATA, 4, 1L, false, 3)))
                .isEqualTo(collect(BatchIterator.shuffled(DATA, 4, 1L, false, 3)))
                .isNotEqualTo(collect(BatchIterator.shuffled(DATA, 4, 2L, false, 3)));
    }

    @Test
    void eachEpochHasANewOrder() {
        int[] three = collect(BatchIterator.shuffled(DATA, 5, 3L, false, 3));

        int[] e0 = Arrays.copyOfRange(three, 0, 10);
        int[] e1 = Arrays.copyOfRange(three, 10, 20);
        int[] e2 = Arrays.copyOfRange(three, 20, 30);
        assertThat(e0).isNotEqualTo(e1);
        assertThat(e1).isNotEqualTo(e2);
        for (int[] e : List.of(e0, e1, e2)) {
            assertThat(Arrays.stream(e).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void dropLastYieldsOnlyFullBatches() {
        BatchIterator it = BatchIterator.shuffled(DATA, 4, 0L, true, 2);
        List<Batch> batches = new ArrayList<>();
        it.forEachRemaining(batches::add);

        assertThat(it.batchesPerEpoch()).isEqualTo(2);
        assertThat(batches).hasSize(4).allSatisfy(b -> assertThat(b.size()).isEqualTo(4));
        assertThat(batches).extracting(Batch::epoch).containsExactly(0L, 0L, 1L, 1L);
    }

    @Test
    void endlessRunsAcrossEpochsAsTheFiniteVersionDoes() {
        BatchIterator endless = BatchIterator.endless(DATA, 4, 5L, false);
        int[] finite = collect(BatchIterator.shuffled(DATA, 4, 5L, false, 4));
        List<Integer> stepped = new ArrayList<>();
        for (int step = 0; step < 12; step++) {
            assertThat(endless.hasNext()).isTrue();
            for (int i : indices(endless.next())) {
                stepped.add(i);
            }
        }

        assertThat(stepped).containsExactly(Arrays.stream(finite).boxed().toArray(Integer[]::new));
        assertThat(endless.next().epoch()).isEqualTo(4L);
    }

    @Test
    void batchesStayValidAfterTheIteratorMovesOn() {
        BatchIterator it = BatchIterator.sequential(DATA, 2);
        Batch first = it.next();
        it.next();

        assertThat(indices(first)).containsExactly(0, 1);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> BatchIterator.sequential(DATA, 0)).hasMessageContaining("batch size must be positive");
        assertThatThrownBy(() -> BatchIterator.endless(DATA, 11, 0L, true))
                .hasMessageContaining("every epoch would be empty");
    }

    private static int[] collect(BatchIterator it) {
        List<Integer> out = new ArrayList<>();
        it.forEachRemaining(b -> Arrays.stream(indices(b)).forEach(out::add));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void reusingStorageGivesTheSameBatchesInOneBufferAndRetiresTheOldGraph() {
        BatchIterator fresh = BatchIterator.shuffled(DATA, 3, 5, false, 2);
        BatchIterator reusing = BatchIterator.shuffled(DATA, 3, 5, false, 2).reusingStorage();
        float[] previousStorage = null;
        dev.powerprop.engine.Tensor oldLoss = null;
        while (fresh.hasNext()) {
            Batch expected = fresh.next();
            assertThat(reusing.hasNext()).isTrue();
            if (oldLoss != null) {
                oldLoss.backward(); // the previous batch is still intact until next()
            }
            Batch b = reusing.next();
            assertThat(b.x().shape()).isEqualTo(expected.x().shape());
            assertThat(b.x().data()).containsExactly(expected.x().data());
            assertThat(b.labels()).containsExactly(expected.labels());
            if (previousStorage != null && previousStorage.length == b.x().numel()) {
                assertThat(b.x().data()).isSameAs(previousStorage); // a batch of the previous size reuses its storage
            }
            previousStorage = b.x().data();
            dev.powerprop.engine.Tensor w = dev.powerprop.engine.Tensor.full(1f, 4, 2).requiresGrad(true);
            oldLoss = b.x().matmul(w).sum();
        }
        assertThat(reusing.hasNext()).isFalse();
        // A graph over a batch whose storage the next batch overwrote is refused, not wrong.
        BatchIterator again = BatchIterator.sequential(DATA, 5).reusingStorage();
        dev.powerprop.engine.Tensor w = dev.powerprop.engine.Tensor.full(1f, 4, 2).requiresGrad(true);
        dev.powerprop.engine.Tensor stale = again.next().x().matmul(w).sum();
        again.next();
        assertThatThrownBy(stale::backward).hasMessageContaining("was changed in place after the forward pass");
    }
}
