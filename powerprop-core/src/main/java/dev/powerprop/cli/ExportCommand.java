package dev.powerprop.cli;

import dev.powerprop.engine.NoGrad;
import dev.powerprop.engine.Tensor;
import dev.powerprop.experiments.ModelFiles;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.sparse.SparseMlp;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerprop export}: a pruned checkpoint to a sparse (CSR) inference model. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Turn a (pruned) checkpoint into a sparse inference model: CSR weights in safetensors.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "Checkpoint from train or prune.")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Sparse model to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        OutputFolder.prepareFor(out);
        PowerpropMlp model = ModelFiles.load(checkpoint);
        for (Map.Entry<String, Tensor> parameter : model.stateDict().entrySet()) {
            for (float x : parameter.getValue().toHost().data()) {
                if (!Float.isFinite(x)) {
                    throw new UserException("checkpoint " + checkpoint + ": " + parameter.getKey() + " holds " + x
                            + " (did its training diverge?); a sparse model of it would compute nothing useful");
                }
            }
        }
        SparseMlp sparse = SparseMlp.of(model);
        checkAgreement(model, sparse);
        sparse.save(out);
        var o = spec.commandLine().getOut();
        for (int l = 0; l < sparse.weights().size(); l++) {
            var w = sparse.weights().get(l);
            o.printf(Locale.ROOT, "fc%d  %4d x %-4d  nnz %8d  sparsity %.4f%s%n", l + 1, w.rows(), w.cols(), w.nnz(),
                    w.sparsity(), w.rowsInFours() ? "  rows in fours" : "");
        }
        o.printf(Locale.ROOT, "sparsity %.4f overall; saved %s%n", sparse.sparsity(), out);
        return 0;
    }

    /** The exported model must compute what the masked dense model computes; a bug must not ship silently. */
    private static void checkAgreement(PowerpropMlp model, SparseMlp sparse) {
        int batch = 8;
        Tensor x = Tensor.rand(1, 0, 1, batch, model.sizes()[0]);
        float[] dense;
        try (var scope = NoGrad.enter()) {
            dense = model.forward(x).data();
        }
        float[] fromSparse = sparse.logits(x.data(), batch, 1);
        for (int i = 0; i < dense.length; i++) {
            if (!(Math.abs(dense[i] - fromSparse[i]) <= 1e-4 * Math.max(1, Math.abs(dense[i])))) { // NaN differs too
                throw new IllegalStateException("sparse logits differ from the dense model's at " + i + ": "
                        + fromSparse[i] + " vs " + dense[i]);
            }
        }
    }
}
