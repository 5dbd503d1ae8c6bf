package dev.powerprop.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.checkpoint.SafeTensors;
import dev.powerprop.nn.checkpoint.TensorEntry;
import dev.powerprop.pruning.MagnitudePruning;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void aPrunedModelRoundTripsWithItsMasks() throws Exception {
        PowerpropMlp model = new PowerpropMlp(new int[] {12, 8, 5, 3}, 3.0, 4);
        MagnitudePruning.pruneLayerwise(model.layers(), 0.25, true);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(file, model);
        PowerpropMlp back = ModelFiles.load(file);
        assertThat(back.alpha()).isEqualTo(3.0);
        assertThat(back.sizes()).containsExactly(12, 8, 5, 3);
        assertThat(back.stateDict().keySet()).containsExactlyInAnyOrderElementsOf(model.stateDict().keySet());
        Tensor x = Tensor.randn(9, 4, 12);
        assertThat(back.forward(x).data()).containsExactly(model.forward(x).data());
        for (int l = 0; l < 3; l++) {
            assertThat(back.layers().get(l).mask().data()).containsExactly(model.layers().get(l).mask().data());
        }
    }

    @Test
    void aForeignSafetensorsFileIsRefusedByName() throws Exception {
        Path file = dir.resolve("other.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.of("weight", Tensor.zeros(2, 2))), Map.of("format", "pt"));
        assertThatThrownBy(() -> ModelFiles.load(file))
                .hasMessageContaining("other.safetensors").hasMessageContaining("not a powerprop MLP checkpoint");
    }
}
