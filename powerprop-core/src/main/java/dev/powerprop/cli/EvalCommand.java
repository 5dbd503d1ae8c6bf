package dev.powerprop.cli;

import dev.powerprop.experiments.Evaluation;
import dev.powerprop.experiments.ModelFiles;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.pruning.WeightStats;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerprop eval}: test accuracy and sparsity of a checkpoint. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on the test set and describe its weights.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "Checkpoint to evaluate.")
    Path checkpoint;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws Exception {
        PowerpropMlp model = ModelFiles.load(checkpoint);
        model.to(device.open());
        var test = data.open(spec.commandLine().getErr()).test();
        DataOptions.checkModelFits("checkpoint " + checkpoint, model.sizes(), test);
        var score = Evaluation.score(model, test);
        var weights = model.effectiveWeights();
        long zeros = 0;
        long total = 0;
        for (var w : weights) {
            for (int i = 0; i < w.numel(); i++) {
                zeros += w.get(i) == 0 ? 1 : 0;
            }
            total += w.numel();
        }
        WeightStats stats = WeightStats.of(weights, 0.01);
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s%ntest accuracy %.4f  loss %.4f  (%d images)%nsparsity %.4f (%d of %d weights are 0)  "
                        + "kurtosis %.1f  |w|<0.01 %.3f%n",
                model, score.accuracy(), score.loss(), score.count(), (double) zeros / total, zeros, total,
                stats.kurtosis(), stats.fracBelow());
        return 0;
    }
}
