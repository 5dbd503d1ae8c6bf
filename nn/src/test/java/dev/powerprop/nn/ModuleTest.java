package dev.powerprop.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.layers.Conv2d;
import dev.powerprop.nn.layers.Flatten;
import dev.powerprop.nn.layers.Linear;
import dev.powerprop.nn.layers.MaxPool2d;
import dev.powerprop.nn.layers.ReLU;
import dev.powerprop.nn.layers.Sequential;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

    private static Sequential mlp(long seed) {
        return new Sequential()
                .add("fc1", new Linear(6, 4, seed))
                .add("relu1", new ReLU())
                .add("fc2", new Linear(4, 3, seed + 1));
    }

    @Test
    void parametersHaveStableDottedNames() {
        assertThat(mlp(1).namedParameters().keySet())
                .containsExactly("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
    }

    @Test
    void aConvNetRunsForwardAndBackward() {
        Sequential net = new Sequential()
                .add("conv1", new Conv2d(1, 4, 3, 1, 1, 1))
                .add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(2, 2))
                .add("flatten", new Flatten())
                .add("fc", new Linear(4 * 4 * 4, 10, 2));
        Tensor logits = net.forward(Tensor.randn(3, 2, 1, 8, 8));
        assertThat(logits.shape().dims()).containsExactly(2, 10);
        logits.sum().backward();
        net.parameters().forEach(p -> assertThat(p.grad()).isNotNull());
    }

    @Test
    void stateDictRoundTripsIntoAnotherModule() {
        Sequential a = mlp(1);
        Sequential b = mlp(99);
        b.loadStateDict(a.stateDict());
        Tensor x = Tensor.randn(5, 2, 6);
        assertThat(b.forward(x).data()).containsExactly(a.forward(x).data());
    }

    @Test
    void loadingAMismatchedCheckpointNamesTheTensor() {
        Map<String, Tensor> state = new HashMap<>(mlp(1).stateDict());
        state.put("fc2.weight", Tensor.zeros(3, 5));
        assertThatThrownBy(() -> mlp(2).loadStateDict(state))
                .hasMessageContaining("fc2.weight").hasMessageContaining("[3, 5]").hasMessageContaining("[3, 4]");
        Map<String, Tensor> missing = new HashMap<>(mlp(1).stateDict());
        missing.remove("fc1.bias");
        assertThatThrownBy(() -> mlp(2).loadStateDict(missing)).hasMessageContaining("fc1.bias");
        Map<String, Tensor> extra = new HashMap<>(mlp(1).stateDict());
        extra.put("fc3.weight", Tensor.zeros(1));
        assertThatThrownBy(() -> mlp(2).loadStateDict(extra)).hasMessageContaining("fc3.weight");
    }

    @Test
    void linearRefusesAWrongInputWidth() {
        assertThatThrownBy(() -> new Linear(6, 4, 1).forward(Tensor.zeros(2, 5)))
                .hasMessageContaining("[batch, 6]").hasMessageContaining("[2, 5]");
    }
}
