package dev.powerprop.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.nn.data.MnistFolder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same numbers: a cold run (kernels still interpreted or partly
 * compiled), a warm run, and runs with another split of alphas over threads all agree to the
 * bit. (Lane-wise EXP and float lane reductions of the Vector API once made them differ.)
 */
class DeterminismTest {
    @Test
    void theSameSeedGivesTheSameResultsColdWarmAndOnAnyNumberOfThreads() throws Exception {
        var data = MnistFolder.shippedSubset().splits(1000);
        var config = new Figure1.Config(new double[] {1, 2.5}, 300, 60, 0.1, 0, 1000, new int[] {784, 64, 10});
        List<Figure1.AlphaResult> cold = Figure1.run(config, data, 1, 2, null);
        List<Figure1.AlphaResult> warm = Figure1.run(config, data, 1, 2, null);
        List<Figure1.AlphaResult> sideBySide = Figure1.run(config, data, 2, 1, null);
        for (int a = 0; a < 2; a++) {
            assertThat(warm.get(a).testAccuracy()).containsExactly(cold.get(a).testAccuracy());
            assertThat(sideBySide.get(a).testAccuracy()).containsExactly(cold.get(a).testAccuracy());
            assertThat(warm.get(a).stats()).isEqualTo(cold.get(a).stats());
            assertThat(warm.get(a).finalWeights().get(0).data()).containsExactly(cold.get(a).finalWeights().get(0).data());
            assertThat(sideBySide.get(a).finalWeights().get(1).data())
                    .containsExactly(cold.get(a).finalWeights().get(1).data());
        }
    }
}
