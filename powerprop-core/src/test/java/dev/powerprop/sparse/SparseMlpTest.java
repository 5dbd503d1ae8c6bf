package dev.powerprop.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.NoGrad;
import dev.powerprop.engine.Tensor;
import dev.powerprop.experiments.ModelFiles;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.nn.checkpoint.SafeTensors;
import dev.powerprop.nn.checkpoint.TensorEntry;
import dev.powerprop.pruning.MagnitudePruning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparseMlpTest {
    @TempDir
    Path dir;

    private static PowerpropMlp pruned(double keep) {
        PowerpropMlp model = new PowerpropMlp(new int[] {37, 29, 17, 10}, 3.0, 5);
        MagnitudePruning.pruneLayerwise(model.layers(), keep, true);
        return model;
    }

    private static void assertSameLogits(PowerpropMlp model, SparseMlp sparse, int batch) {
        Tensor x = Tensor.rand(3, 0, 1, batch, model.sizes()[0]);
        float[] dense;
        try (var scope = NoGrad.enter()) {
            dense = model.forward(x).data();
        }
        float[] s = sparse.logits(x.data(), batch, 2);
        assertThat(s).hasSize(dense.length);
        for (int i = 0; i < dense.length; i++) {
            assertThat((double) s[i]).isCloseTo(dense[i], org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(dense[i]))));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 33, 256})
    void logitsEqualTheMaskedDenseModelsAtEveryBatchSize(int batch) {
        PowerpropMlp model = pruned(0.1);
        assertSameLogits(model, SparseMlp.of(model), batch);
    }

    @Test
    void anUnprunedModelExportsDense() {
        PowerpropMlp model = new PowerpropMlp(new int[] {12, 6, 3}, 1.0, 1);
        SparseMlp sparse = SparseMlp.of(model);
        assertThat(sparse.sparsity()).isZero();
        assertSameLogits(model, sparse, 5);
    }

    @Test
    void theFileRoundTripsAndStoresThreeTensorsPerLayer() throws Exception {
        PowerpropMlp model = pruned(0.05);
        SparseMlp sparse = SparseMlp.of(model);
        Path file = dir.resolve("s.safetensors");
        sparse.save(file);
        assertThat(SafeTensors.read(file).names()).contains("fc1.values", "fc1.col_idx", "fc1.row_ptr", "fc1.bias",
                "fc3.row_ptr");
        SparseMlp back = SparseMlp.load(file);
        assertThat(back.nnz()).isEqualTo(sparse.nnz());
        assertSameLogits(model, back, 9);
    }

    @Test
    void aDenseCheckpointIsNotASparseModel() throws Exception {
        Path file = dir.resolve("dense.safetensors");
        ModelFiles.save(file, pruned(0.5));
        assertThatThrownBy(() -> SparseMlp.load(file)).hasMessageContaining("dense.safetensors")
                .hasMessageContaining("not a sparse model");
    }

    @Test
    void aCorruptStructureIsNamed() throws Exception {
        Path good = dir.resolve("good.safetensors");
        SparseMlp.of(pruned(0.2)).save(good);
        var f = SafeTensors.read(good);
        List<TensorEntry> entries = new ArrayList<>();
        for (TensorEntry e : f.entries()) {
            if (e.name().equals("fc2.col_idx")) {
                int[] idx = e.ints().clone();
                idx[0] = 999; // out of range for 37 or 29 inputs
                entries.add(TensorEntry.ofInts(e.name(), idx, e.shape()));
            } else {
                entries.add(e);
            }
        }
        Path bad = dir.resolve("bad.safetensors");
        SafeTensors.write(bad, entries, Map.copyOf(f.metadata()));
        assertThatThrownBy(() -> SparseMlp.load(bad)).hasMessageContaining("bad.safetensors").hasMessageContaining("fc2");
    }

    @Test
    void oneModelServesManyThreads() throws Exception {
        PowerpropMlp model = pruned(0.1);
        SparseMlp sparse = SparseMlp.of(model);
        Tensor x = Tensor.rand(4, 0, 1, 16, 37);
        float[] expected = sparse.logits(x.data(), 16, 1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> sparse.logits(x.data(), 16, 1)));
            }
            for (var r : results) {
                assertThat(r.get()).containsExactly(expected);
            }
        } finally {
            pool.shutdown();
        }
    }
}
