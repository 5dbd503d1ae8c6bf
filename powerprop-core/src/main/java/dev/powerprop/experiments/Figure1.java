package dev.powerprop.experiments;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.Backends;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.ops.Powerprop;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.DataSplits;
import dev.powerprop.nn.optim.SGD;
import dev.powerprop.pruning.MagnitudePruning;
import dev.powerprop.pruning.WeightStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Figure 1a of the paper, exactly as its notebook runs it (PAPER.md section 3): for every
 * alpha, train the 784-300-100-10 powerprop MLP with plain SGD on the same batches from the
 * same effective initial weights, then prune it one-shot, layerwise by |w|, at 20 keep
 * fractions {@code geomspace(0.01, 1, 20)} (the output layer keeps {@code min(1, 2p)}), with no
 * retraining, and measure test accuracy at each level.
 */
public final class Figure1 {
    /** The keep fractions of the figure: geomspace(0.01, 1, 20). */
    public static final double[] KEEP_FRACTIONS = MagnitudePruning.geomspace(0.01, 1, 20);

    /**
     * The protocol's knobs; the defaults of the command line are the notebook's.
     *
     * @param lastStep training runs steps 0..lastStep (50,000 gives the notebook's 50,001 steps)
     */
    public record Config(double[] alphas, int lastStep, int batch, double lr, long seed, int evalEvery,
                         int[] sizes) {
        public Config {
            if (alphas.length == 0) {
                throw new IllegalArgumentException("give at least one alpha");
            }
            for (double a : alphas) {
                Powerprop.checkAlpha(a);
            }
            if (lastStep < 0 || batch < 1 || evalEvery < 1) {
                throw new IllegalArgumentException("steps must be >= 0, batch and eval interval >= 1, got steps="
                        + lastStep + " batch=" + batch + " evalEvery=" + evalEvery);
            }
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + lr);
            }
        }
    }

    /**
     * What one alpha produced. A run that diverged has {@code divergedAt >= 0}, NaN accuracies
     * and no statistics: the other alphas still finish.
     */
    public record AlphaResult(double alpha, double validationAccuracy, double[] keepFractions,
                              double[] testAccuracy, WeightStats stats, List<Tensor> finalWeights,
                              double trainSeconds, int divergedAt) {
        public boolean diverged() {
            return divergedAt >= 0;
        }
    }

    /** Told how each alpha's training goes; called from the worker threads, so it must be thread-safe. */
    public interface Listener {
        void onAlphaStart(double alpha);

        void onStep(double alpha, int step, int lastStep, double loss, double validationAccuracy);

        void onAlphaDone(AlphaResult result);
    }

    private Figure1() {}

    /**
     * Runs every alpha, {@code jobs} of them side by side (each alpha's run is independent, so
     * two small-matrix trainings on two cores beat one training splitting every small product
     * over both). Each job's kernels get {@code kernelThreads} threads. Results come back in the
     * order of {@code config.alphas()}.
     */
    public static List<AlphaResult> run(Config config, DataSplits data, int jobs, int kernelThreads,
                                        Listener listener) throws InterruptedException {
        return run(config, data, Backends.cpu(), jobs, kernelThreads, listener);
    }

    /** As {@link #run(Config, DataSplits, int, int, Listener)}, training on {@code device}. */
    public static List<AlphaResult> run(Config config, DataSplits data, Backend device, int jobs, int kernelThreads,
                                        Listener listener) throws InterruptedException {
        if (jobs < 1 || kernelThreads < 1) {
            throw new IllegalArgumentException("jobs and threads must be >= 1, got " + jobs + " and " + kernelThreads);
        }
        Listener told = listener != null ? listener : new Listener() {
            @Override
            public void onAlphaStart(double alpha) {
            }

            @Override
            public void onStep(double alpha, int step, int lastStep, double loss, double validationAccuracy) {
            }

            @Override
            public void onAlphaDone(AlphaResult result) {
            }
        };
        ExecutorService workers = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "figure1-alpha");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<AlphaResult>> futures = new ArrayList<>();
            for (double alpha : config.alphas()) {
                futures.add(workers.submit(() -> {
                    Parallel.limitCurrentThread(kernelThreads);
                    try {
                        told.onAlphaStart(alpha);
                        AlphaResult r = runOne(config, alpha, data, device,
                                (step, last, loss, acc) -> told.onStep(alpha, step, last, loss, acc));
                        told.onAlphaDone(r);
                        return r;
                    } finally {
                        Parallel.limitCurrentThread(null);
                    }
                }));
            }
            List<AlphaResult> results = new ArrayList<>();
            for (Future<AlphaResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return results;
        } finally {
            workers.shutdownNow();
        }
    }

    static AlphaResult runOne(Config config, double alpha, DataSplits data, Backend device,
                              Trainer.Listener listener) {
        PowerpropMlp model = new PowerpropMlp(config.sizes(), alpha, config.seed());
        model.to(device);
        // The same seed gives every alpha the same sequence of batches.
        BatchIterator batches = BatchIterator.endless(data.train(), config.batch(), config.seed(), true)
                .reusingStorage(); // Trainer is done with a batch when it draws the next
        SGD sgd = new SGD(model.parameters(), config.lr());
        long start = System.nanoTime();
        double valAcc;
        try {
            valAcc = Trainer.train(model, sgd, batches, config.lastStep(), data.validation(), config.evalEvery(),
                    listener);
        } catch (TrainingDivergedException e) {
            double[] nan = new double[KEEP_FRACTIONS.length];
            java.util.Arrays.fill(nan, Double.NaN);
            return new AlphaResult(alpha, Double.NaN, KEEP_FRACTIONS.clone(), nan, null, List.of(),
                    (System.nanoTime() - start) / 1e9, e.step());
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Tensor> weights = model.effectiveWeights();
        WeightStats stats = WeightStats.of(weights, 0.01);
        double[] accuracy = new double[KEEP_FRACTIONS.length];
        MagnitudePruning.LayerwiseRanking ranking = MagnitudePruning.rankLayerwise(model.layers());
        for (int k = 0; k < KEEP_FRACTIONS.length; k++) {
            ranking.prune(KEEP_FRACTIONS[k], true);
            accuracy[k] = Evaluation.score(model, data.test()).accuracy();
        }
        MagnitudePruning.unprune(model.layers());
        return new AlphaResult(alpha, valAcc, KEEP_FRACTIONS.clone(), accuracy, stats, weights, seconds, -1);
    }
}
