package dev.powerprop.cli;

import dev.powerprop.experiments.ModelFiles;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.pruning.MagnitudePruning;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerprop prune}: one-shot magnitude pruning of a checkpoint. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Prune a trained checkpoint one-shot by |w| and save it with its masks.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "Checkpoint to prune.")
    Path checkpoint;

    @Option(names = "--keep", required = true, paramLabel = "P",
            description = "Fraction of weights to keep, in (0, 1] (sparsity = 1 - P).")
    double keep;

    @Option(names = "--global", description = "One ranking over all layers instead of per layer.")
    boolean global;

    @Option(names = "--same-output-fraction",
            description = "Layerwise: prune the output layer like the others (default: it keeps min(1, 2P), as the paper).")
    boolean sameOutputFraction;

    @Option(names = "--block", paramLabel = "R",
            description = "Layerwise: keep or prune whole blocks of R consecutive output units in one input "
                    + "(ranked by the block's root mean square w; default: 1, single weights).")
    int blockRows = 1;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Pruned checkpoint to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        MagnitudePruning.checkKeepFraction(keep);
        if (blockRows < 1) {
            throw new UserException("--block must be at least 1, got " + blockRows);
        }
        if (blockRows > 1 && global) {
            throw new UserException("--block works layerwise; it cannot be combined with --global");
        }
        if (sameOutputFraction && global) {
            throw new UserException("--same-output-fraction is for layerwise pruning; --global ranks all layers together");
        }
        OutputFolder.prepareFor(out);
        PowerpropMlp model = ModelFiles.load(checkpoint);
        if (global) {
            MagnitudePruning.pruneGlobal(model.layers(), keep);
        } else if (blockRows > 1) {
            MagnitudePruning.pruneLayerwiseBlocks(model.layers(), keep, !sameOutputFraction, blockRows);
        } else {
            MagnitudePruning.pruneLayerwise(model.layers(), keep, !sameOutputFraction);
        }
        var layers = model.layers();
        long[] kept = new long[layers.size()];
        for (int l = 0; l < kept.length; l++) {
            var mask = layers.get(l).mask();
            for (int i = 0; i < mask.numel(); i++) {
                kept[l] += mask.get(i) != 0 ? 1 : 0;
            }
            if (kept[l] == 0) {
                throw new UserException("--keep " + keep + " keeps no weight of " + layers.get(l) + "; nothing was saved");
            }
        }
        ModelFiles.save(out, model);
        var o = spec.commandLine().getOut();
        for (int l = 0; l < kept.length; l++) {
            int size = layers.get(l).mask().numel();
            o.printf(Locale.ROOT, "%-28s kept %8d of %8d (sparsity %.4f)%n", layers.get(l), kept[l], size,
                    1 - (double) kept[l] / size);
        }
        o.println("saved " + out);
        return 0;
    }
}
