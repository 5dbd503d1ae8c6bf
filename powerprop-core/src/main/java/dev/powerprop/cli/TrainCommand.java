package dev.powerprop.cli;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.experiments.Evaluation;
import dev.powerprop.experiments.ModelFiles;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.experiments.Trainer;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.DataSplits;
import dev.powerprop.nn.optim.SGD;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerprop train}: train one powerprop MLP and save it as a checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a powerprop MLP with SGD and save it (safetensors) for prune, eval and export.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--alpha", description = "Exponent alpha >= 1 (default: ${DEFAULT-VALUE}).")
    double alpha = 2;

    @Option(names = "--sizes", split = ",", description = "Layer sizes (default: 784,300,100,10).")
    int[] sizes = PowerpropMlp.PAPER_SIZES.clone();

    @Option(names = "--steps", paramLabel = "N", description = "Train steps 0..N (default: 50000; 4000 on the shipped subset).")
    Integer steps;

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch = 60;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.1;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = 0;

    @Option(names = "--val", paramLabel = "N", description = "Validation images taken from the end of the training set "
            + "(default 5000; 1000 on the shipped subset).")
    Integer validation;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--threads", description = "Kernel threads (default: the number of cores).")
    Integer threads;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--from", paramLabel = "FILE",
            description = "Start from this checkpoint instead of a new model: its sizes, alpha, weights and masks. "
                    + "A pruned checkpoint is fine-tuned with its masks kept (pruned weights get no gradient).")
    Path from;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Checkpoint to write (.safetensors).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        boolean subset = data.usesShippedSubset();
        int lastStep = steps != null ? steps : subset ? Figure1Command.SUBSET_STEPS : 50_000;
        int val = validation != null ? validation : subset ? Figure1Command.SUBSET_VALIDATION : 5000;
        var parsed = spec.commandLine().getParseResult();
        if (from != null && (parsed.hasMatchedOption("--alpha") || parsed.hasMatchedOption("--sizes"))) {
            throw new UserException("--alpha and --sizes come from the checkpoint given to --from");
        }
        var backend = device.open();
        OutputFolder.prepareFor(out);
        DataSplits splits = data.splits(val, err);
        // Checked before a model of --sizes is allocated: a mistyped size can ask for gigabytes.
        if (from == null) {
            DataOptions.checkModelFits("--sizes " + Arrays.toString(sizes), sizes, splits.train());
        }
        PowerpropMlp model = from != null ? ModelFiles.load(from) : new PowerpropMlp(sizes, alpha, seed);
        if (from != null) {
            DataOptions.checkModelFits("checkpoint " + from, model.sizes(), splits.train());
        }
        model.to(backend);
        SGD sgd = new SGD(model.parameters(), lr, momentum, 0, false);
        ProgressBar bar = new ProgressBar(err, "train alpha=" + model.alpha());
        Trainer.train(model, sgd, BatchIterator.endless(splits.train(), batch, seed, true), lastStep,
                splits.validation(), Math.max(1, (lastStep + 1) / 20), bar::update);
        ModelFiles.save(out, model);
        var test = Evaluation.score(model, splits.test());
        spec.commandLine().getOut().printf(Locale.ROOT, "test accuracy %.4f (loss %.4f) on %d images; saved %s%n",
                test.accuracy(), test.loss(), test.count(), out);
        return 0;
    }
}
