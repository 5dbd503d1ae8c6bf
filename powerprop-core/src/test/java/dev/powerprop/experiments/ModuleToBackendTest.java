package dev.powerprop.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.backend.Backends;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.MnistFolder;
import dev.powerprop.nn.optim.SGD;
import dev.powerprop.pruning.MagnitudePruning;
import org.junit.jupiter.api.Test;

/**
 * A model moved to another backend trains there with the same results: here the float64
 * reference backend stands in for a device, so the plumbing (Module.to, batches uploaded by
 * the trainer, masks following v, host copies for pruning and statistics) is checked on every
 * machine; the OpenCL module runs the same path on a real device.
 */
class ModuleToBackendTest {
    @Test
    void aModelMovedToAnotherBackendTrainsAndPrunesThereLikeOnTheCpu() throws Exception {
        var data = MnistFolder.shippedSubset().splits(1000);
        double[] accuracy = new double[2];
        double[] pruned = new double[2];
        for (int run = 0; run < 2; run++) {
            PowerpropMlp model = new PowerpropMlp(new int[] {784, 32, 10}, 2.0, 0);
            if (run == 1) {
                model.to(Backends.of(DType.F64));
                assertThat(model.backend()).isSameAs(Backends.of(DType.F64));
            }
            SGD sgd = new SGD(model.parameters(), 0.1);
            Trainer.train(model, sgd, BatchIterator.endless(data.train(), 60, 0, true), 100, null, 1000, null);
            accuracy[run] = Evaluation.score(model, data.test()).accuracy();
            MagnitudePruning.pruneLayerwise(model.layers(), 0.2, true);
            assertThat(model.layers().get(0).mask().backend()).isSameAs(model.backend());
            pruned[run] = Evaluation.score(model, data.test()).accuracy();
        }
        assertThat(accuracy[1]).isCloseTo(accuracy[0], within(0.01));
        assertThat(pruned[1]).isCloseTo(pruned[0], within(0.02));
    }
}
