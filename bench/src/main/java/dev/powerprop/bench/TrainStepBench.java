package dev.powerprop.bench;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.SoftmaxCrossEntropy;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.nn.optim.SGD;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step of the paper's 784-300-100-10 powerprop MLP: forward, softmax
 * cross-entropy, backward, SGD update (lr 0.1). One op = one step; samples/s = batch * ops/s.
 * bench/torch_train_step.py times PyTorch doing the same step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainStepBench {
    @Param({"1", "2"})
    public double alpha;

    @Param({"60", "256"})
    public int batch;

    private PowerpropMlp model;
    private SGD sgd;
    private Tensor x;
    private int[] labels;

    @Setup
    public void setup() {
        model = new PowerpropMlp(PowerpropMlp.PAPER_SIZES, alpha, 0);
        sgd = new SGD(model.parameters(), 0.1);
        SplittableRandom rng = new SplittableRandom(1);
        float[] pixels = new float[batch * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        x = Tensor.of(pixels, batch, 784);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(10);
        }
        // The step must learn: a few steps on one batch lower its loss.
        double first = step();
        double later = first;
        for (int i = 0; i < 20; i++) {
            later = step();
        }
        if (!(later < first)) {
            throw new IllegalStateException("training step does not reduce the loss: " + first + " -> " + later);
        }
    }

    @Benchmark
    public double step() {
        sgd.zeroGrad();
        Tensor loss = SoftmaxCrossEntropy.apply(model.forward(x), labels);
        loss.backward();
        sgd.step();
        return loss.item();
    }
}
