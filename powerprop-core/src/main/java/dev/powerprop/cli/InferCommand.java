package dev.powerprop.cli;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.experiments.Evaluation;
import dev.powerprop.nn.data.ImageDataset;
import dev.powerprop.sparse.SparseMlp;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerprop infer}: run a sparse model over the test set; accuracy and throughput. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run a sparse model (from export) on the test images: accuracy and images per second.")
final class InferCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Sparse model from export.")
    Path model;

    @Option(names = "--batch", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch = 256;

    @Option(names = "--threads", description = "Kernel threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Untimed passes over the test images for at "
            + "least this long before the timed ones, so the throughput is not that of code still being compiled "
            + "(default: ${DEFAULT-VALUE}).")
    double warmup = 1;

    private static final double MAX_WARMUP_SECONDS = 3600;

    /** Timed passes run for at least this long; the fastest one is reported. */
    private static final double TIMED_SECONDS = 1;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new UserException("--batch must be >= 1, got " + batch);
        }
        var backend = device.open();
        SparseMlp sparse = SparseMlp.load(model);
        ImageDataset test = data.open(spec.commandLine().getErr()).test();
        DataOptions.checkModelFits("model " + model, sparse.sizes(), test);
        int inputs = sparse.sizes()[0];
        if (!(warmup >= 0 && warmup <= MAX_WARMUP_SECONDS)) {
            throw new UserException("--warmup must be between 0 and " + MAX_WARMUP_SECONDS + " seconds, got " + warmup);
        }
        int t = threads != null ? threads : Parallel.threads();
        int classes = sparse.sizes()[sparse.sizes().length - 1];
        long warmupStart = System.nanoTime();
        while (System.nanoTime() - warmupStart < warmup * 1e9) {
            countCorrect(sparse, test, inputs, classes, backend, t);
        }
        double warmedUp = (System.nanoTime() - warmupStart) / 1e9;
        long correct = 0;
        long fastest = Long.MAX_VALUE;
        int passes = 0;
        long timedStart = System.nanoTime();
        do {
            long start = System.nanoTime();
            correct = countCorrect(sparse, test, inputs, classes, backend, t);
            fastest = Math.min(fastest, System.nanoTime() - start);
            passes++;
        } while (System.nanoTime() - timedStart < TIMED_SECONDS * 1e9);
        spec.commandLine().getOut().printf(Locale.ROOT,
                "sparse model %s (sparsity %.4f, %d nonzeros)%ntest accuracy %.4f on %d images; %.0f images/s "
                        + "(batch %d, %s; the fastest of %d timed passes, after %.2f s of untimed ones)%n",
                model, sparse.sparsity(), sparse.nnz(), (double) correct / test.size(), test.size(),
                test.size() / (fastest / 1e9), batch, backend.isHost() ? t + " thread(s)" : backend.name(), passes,
                warmedUp);
        return 0;
    }

    /** One pass over the test images in batches of {@code batch}: how many the model gets right. */
    private long countCorrect(SparseMlp sparse, ImageDataset test, int inputs, int classes, Backend backend, int t) {
        long correct = 0;
        for (int from = 0; from < test.size(); from += batch) {
            int b = Math.min(batch, test.size() - from);
            float[] x = new float[b * inputs];
            for (int i = 0; i < b; i++) {
                test.copyImage(from + i, x, i * inputs);
            }
            int[] labels = new int[b];
            for (int i = 0; i < b; i++) {
                labels[i] = test.label(from + i);
            }
            float[] logits = backend.isHost() ? sparse.logits(x, b, t) : sparse.logits(x, b, backend);
            correct += Evaluation.countCorrect(Tensor.of(logits, b, classes), labels);
        }
        return correct;
    }
}
