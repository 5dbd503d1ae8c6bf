package dev.powerprop.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.ops.SoftmaxCrossEntropy;
import dev.powerprop.nn.data.Batch;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.MnistFolder;
import dev.powerprop.nn.optim.SGD;
import dev.powerprop.pruning.MagnitudePruning;
import org.junit.jupiter.api.Test;

/** The README's ten lines, as written there (fewer steps), so they keep compiling and working. */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleTrainsAndPrunes() throws Exception {
        var model = new PowerpropMlp(new int[] {784, 300, 100, 10}, 2.0, /* seed */ 0);
        var data = MnistFolder.shippedSubset().splits(1000);
        var sgd = new SGD(model.parameters(), 0.1);
        var batches = BatchIterator.endless(data.train(), 60, /* seed */ 0, true);
        for (int step = 0; step < 300; step++) {
            Batch b = batches.next();
            sgd.zeroGrad();
            SoftmaxCrossEntropy.apply(model.forward(b.x()), b.labels()).backward();
            sgd.step();
        }
        double dense = Evaluation.score(model, data.test()).accuracy();
        MagnitudePruning.pruneLayerwise(model.layers(), 0.05, true);
        double pruned = Evaluation.score(model, data.test()).accuracy();
        assertThat(dense).isGreaterThan(0.7);
        assertThat(pruned).isGreaterThan(0.1).isLessThanOrEqualTo(dense + 0.05);
    }
}
