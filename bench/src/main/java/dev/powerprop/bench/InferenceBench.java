package dev.powerprop.bench;

import dev.powerprop.engine.NoGrad;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.ops.MatMul;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.experiments.Trainer;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.DataSplits;
import dev.powerprop.nn.data.MnistFolder;
import dev.powerprop.nn.optim.SGD;
import dev.powerprop.pruning.MagnitudePruning;
import dev.powerprop.sparse.SparseMlp;
import java.util.List;
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
 * Inference of the pruned 784-300-100-10 powerprop MLP, dense against sparse: {@code dense}
 * runs the masked effective weights as plain GEMMs (x W^T + b, ReLU), {@code denseTransposed}
 * the same with each W stored transposed, k x n, as a deployed dense model may keep it (at
 * batch 1 that is GEMM's vector-lane matrix-vector path instead of a padded tile; same bits),
 * {@code sparse} the CSR model that {@code powerprop export} writes. The model is trained briefly on the shipped subset
 * (alpha 3, so its pruned rows are as imbalanced as a real one's), then pruned layerwise to
 * {@code sparsity} (the output layer keeps twice the fraction, as the paper prunes), in blocks of
 * {@code block} output units in one input ({@code powerprop prune --block}; 1: single weights).
 * One op = one forward pass of {@code batch} images.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class InferenceBench {
    @Param({"1", "256"})
    public int batch;

    @Param({"0.9", "0.95", "0.98"})
    public double sparsity;

    @Param({"1"})
    public int threads;

    @Param({"1"})
    public int block;

    private List<Tensor> weights;
    private List<Tensor> transposedWeights;
    private List<Tensor> biases;
    private SparseMlp sparseModel;
    private float[] x;
    private Tensor xTensor;

    @Setup
    public void setup() throws Exception {
        DataSplits data = MnistFolder.shippedSubset().splits(1000);
        PowerpropMlp model = new PowerpropMlp(PowerpropMlp.PAPER_SIZES, 3.0, 0);
        Trainer.train(model, new SGD(model.parameters(), 0.1), BatchIterator.endless(data.train(), 60, 0, true), 1500,
                null, 10_000, null);
        MagnitudePruning.pruneLayerwiseBlocks(model.layers(), 1 - sparsity, true, block);
        weights = model.effectiveWeights();
        try (var scope = NoGrad.enter()) {
            transposedWeights = weights.stream().map(w -> w.transpose().detach()).toList();
        }
        biases = model.layers().stream().map(l -> l.bias().detach()).toList();
        sparseModel = SparseMlp.of(model);
        xTensor = data.test().slice(0, batch).images();
        x = xTensor.data();
        Parallel.setThreads(threads);
        float[] d = dense().data();
        if (!java.util.Arrays.equals(d, denseTransposed().data())) {
            throw new IllegalStateException("dense logits with transposed weights differ from x W^T's bits");
        }
        float[] s = sparse();
        for (int i = 0; i < d.length; i++) {
            if (Math.abs(d[i] - s[i]) > 1e-4f * Math.max(1f, Math.abs(d[i]))) {
                throw new IllegalStateException("sparse logits differ from dense at " + i + ": " + s[i] + " vs " + d[i]);
            }
        }
    }

    @Benchmark
    public Tensor dense() {
        return denseForward(weights, true);
    }

    @Benchmark
    public Tensor denseTransposed() {
        return denseForward(transposedWeights, false);
    }

    /** x W^T + b and ReLU per layer; {@code ws} holds each W as stored (n x k when {@code transB}). */
    private Tensor denseForward(List<Tensor> ws, boolean transB) {
        try (var scope = NoGrad.enter()) {
            Tensor h = xTensor;
            for (int l = 0; l < ws.size(); l++) {
                h = MatMul.apply(h, ws.get(l), false, transB).add(biases.get(l));
                if (l + 1 < ws.size()) {
                    h = h.relu();
                }
            }
            return h;
        }
    }

    @Benchmark
    public float[] sparse() {
        return sparseModel.logits(x, batch, threads);
    }
}
