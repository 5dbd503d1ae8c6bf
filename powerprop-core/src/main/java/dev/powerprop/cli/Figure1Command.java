package dev.powerprop.cli;

import dev.powerprop.engine.backend.Backend;
import dev.powerprop.experiments.Figure1;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.nn.data.DataSplits;
import dev.powerprop.nn.io.AtomicFiles;
import dev.powerprop.plot.Plots;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerprop figure1}: the paper's Figure 1a, by the notebook's protocol. */
@Command(name = "figure1", mixinStandardHelpOptions = true,
        description = {"Reproduce Figure 1a: train the 784-300-100-10 MLP for each alpha on the same batches, "
                + "prune one-shot at 20 keep fractions, and plot test accuracy against the fraction kept.",
            "Writes figure1.csv, stats.csv, figure1.png and weights.png into --out."})
final class Figure1Command implements Callable<Integer> {
    /** Columns of the summary table: the keep fractions PAPER.md section 4 reports. */
    private static final int[] TABLE_LEVELS = {19, 14, 12, 10, 9, 7, 5};

    /** Defaults on the shipped subset, so the main command finishes in about a minute. */
    static final int SUBSET_STEPS = 4000;
    static final int SUBSET_VALIDATION = 1000;
    static final int SUBSET_EVAL_EVERY = 500;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--alphas", split = ",", paramLabel = "A", description = "Exponents, comma-separated (default: 1,2,3,4,5).")
    double[] alphas = {1, 2, 3, 4, 5};

    @Option(names = "--steps", paramLabel = "N",
            description = "Train steps 0..N, as the notebook's range(N + 1) (default 50000; 4000 on the shipped subset).")
    Integer steps;

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch = 60;

    @Option(names = "--lr", description = "SGD learning rate, no momentum (default: ${DEFAULT-VALUE}).")
    double lr = 0.1;

    @Option(names = "--val", paramLabel = "N",
            description = "The last N training images are the validation set (default 5000; 1000 on the shipped subset).")
    Integer validation;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "Validate every N steps (default 2500; 500 on the shipped subset).")
    Integer evalEvery;

    @Option(names = "--seed", description = "Seed of the initialisation and the batches (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--threads", description = "Cores to use in all (default: all of them).")
    Integer threads;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Alphas trained side by side, each with max(1, threads/N) kernel threads "
                    + "(default: all of them; the OS shares the cores between them).")
    Integer jobs;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "figure1");

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        boolean subset = data.usesShippedSubset();
        int lastStep = steps != null ? steps : subset ? SUBSET_STEPS : 50_000;
        int val = validation != null ? validation : subset ? SUBSET_VALIDATION : 5000;
        int every = evalEvery != null ? evalEvery : subset ? SUBSET_EVAL_EVERY : 2500;
        if (threads != null && threads < 1) {
            throw new UserException("--threads must be >= 1, got " + threads);
        }
        if (jobs != null && jobs < 1) {
            throw new UserException("--jobs must be >= 1, got " + jobs);
        }
        if (Arrays.stream(alphas).distinct().count() != alphas.length) {
            throw new UserException("--alphas names an alpha twice: " + Arrays.toString(alphas));
        }
        Figure1.Config config = new Figure1.Config(alphas, lastStep, batch, lr, seed, every, PowerpropMlp.PAPER_SIZES);
        Backend backend = device.open();
        OutputFolder.prepare(out);
        DataSplits splits = data.splits(val, err);
        err.printf(Locale.ROOT, "figure1: %d alphas x %d steps of batch %d, lr %s, seed %d; train %d, validation %d, test %d%n",
                alphas.length, lastStep + 1, batch, lr, seed, splits.train().size(), splits.validation().size(),
                splits.test().size());

        int cores = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        // One device queue: alphas take turns on it. On the CPU all of them run side by side, one
        // kernel thread each: five alphas on two cores then take 2.5 alpha-times, where two at
        // a time would take three rounds, the last one on one core. Each job's working set
        // (~5 MB) stays in the shared L3, and a GEMM this small gains little from a second thread.
        int parallelAlphas = !backend.isHost() ? 1 : jobs != null ? jobs : Math.max(1, alphas.length);
        int kernelThreads = Math.max(1, cores / parallelAlphas);
        err.printf(Locale.ROOT, "running %d alpha(s) at a time with %d kernel thread(s) each%n", parallelAlphas,
                kernelThreads);
        MultiProgress progress = new MultiProgress(err, alphas.length);
        long start = System.nanoTime();
        List<Figure1.AlphaResult> results = Figure1.run(config, splits, backend, parallelAlphas, kernelThreads,
                new Figure1.Listener() {
                    @Override
                    public void onAlphaStart(double alpha) {
                    }

                    @Override
                    public void onStep(double alpha, int step, int last, double loss, double validationAccuracy) {
                        progress.update(Plots.label(alpha), step, last, loss, validationAccuracy);
                    }

                    @Override
                    public void onAlphaDone(Figure1.AlphaResult r) {
                        if (r.diverged()) {
                            progress.finished(Plots.label(r.alpha()), String.format(Locale.ROOT,
                                    "DIVERGED at step %d (non-finite loss; lr %s is too large for this alpha here); "
                                            + "its results are NaN", r.divergedAt(), lr));
                            return;
                        }
                        progress.finished(Plots.label(r.alpha()), String.format(Locale.ROOT,
                                "trained in %.1f s, validation accuracy %.4f, dense test accuracy %.4f",
                                r.trainSeconds(), r.validationAccuracy(), r.testAccuracy()[r.testAccuracy().length - 1]));
                    }
                });
        double seconds = (System.nanoTime() - start) / 1e9;

        writeCsvs(results);
        String title = "Figure 1a: one-shot pruning after training (" + (subset ? "shipped Fashion-MNIST subset"
                : data.data) + ", " + (lastStep + 1) + " steps)";
        Plots.accuracyVsKeptFraction(results, title, out.resolve("figure1.png"));
        Plots.weightMagnitudes(results.stream().filter(r -> !r.diverged()).toList(), out.resolve("weights.png"));
        printTable(stdout, results);
        stdout.printf(Locale.ROOT, "%nTotal %.1f s. Wrote %s, %s, %s, %s%n", seconds, out.resolve("figure1.csv"),
                out.resolve("stats.csv"), out.resolve("figure1.png"), out.resolve("weights.png"));
        return 0;
    }

    private void writeCsvs(List<Figure1.AlphaResult> results) throws java.io.IOException {
        StringBuilder fig = new StringBuilder("alpha,keep_fraction,test_accuracy\n");
        StringBuilder stats = new StringBuilder("alpha,kurtosis,frac_below_1e-2,std\n");
        for (Figure1.AlphaResult r : results) {
            for (int i = 0; i < r.keepFractions().length; i++) {
                fig.append(String.format(Locale.ROOT, "%s,%.7f,%.4f%n", r.alpha(), r.keepFractions()[i], r.testAccuracy()[i]));
            }
            if (r.diverged()) {
                stats.append(r.alpha()).append(",NaN,NaN,NaN\n");
            } else {
                stats.append(String.format(Locale.ROOT, "%s,%.4f,%.6f,%.6f%n", r.alpha(), r.stats().kurtosis(),
                        r.stats().fracBelow(), r.stats().std()));
            }
        }
        AtomicFiles.write(out.resolve("figure1.csv"), fig.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("stats.csv"), stats.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void printTable(PrintWriter w, List<Figure1.AlphaResult> results) {
        w.println();
        w.print("Test accuracy by fraction of weights kept\n");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-10s", "alpha"));
        for (int level : TABLE_LEVELS) {
            header.append(String.format(Locale.ROOT, "%8.3f", Figure1.KEEP_FRACTIONS[level]));
        }
        header.append(String.format(Locale.ROOT, "  %10s %10s %8s", "kurtosis", "|w|<0.01", "std"));
        w.println(header);
        for (Figure1.AlphaResult r : results) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", Plots.label(r.alpha())));
            for (int level : TABLE_LEVELS) {
                row.append(String.format(Locale.ROOT, "%8.3f", r.testAccuracy()[level]));
            }
            row.append(r.diverged() ? "  diverged at step " + r.divergedAt()
                    : String.format(Locale.ROOT, "  %10.1f %10.3f %8.4f", r.stats().kurtosis(), r.stats().fracBelow(),
                            r.stats().std()));
            w.println(row);
        }
    }
}
