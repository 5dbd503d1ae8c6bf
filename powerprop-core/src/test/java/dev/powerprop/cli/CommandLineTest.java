package dev.powerprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.experiments.ModelFiles;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.nn.checkpoint.SafeTensors;
import dev.powerprop.nn.checkpoint.SafeTensorsFile;
import dev.powerprop.nn.checkpoint.TensorEntry;
import dev.powerprop.pruning.MagnitudePruning;
import dev.powerprop.sparse.SparseMlp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on the shipped subset, and the one-line errors for a user's mistakes. */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void figure1RunsTheWholeProtocolAndWritesItsFiles() throws Exception {
        Path out = dir.resolve("fig");
        Run r = run("figure1", "--alphas", "1,3", "--steps", "60", "--eval-every", "30", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("shipped");
        assertThat(r.out()).contains("Baseline").contains("kurtosis");
        for (String f : new String[] {"figure1.csv", "stats.csv", "figure1.png", "weights.png"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        var lines = Files.readAllLines(out.resolve("figure1.csv"));
        assertThat(lines.get(0)).isEqualTo("alpha,keep_fraction,test_accuracy");
        assertThat(lines).hasSize(1 + 2 * 20);
        assertThat(Files.readAllLines(out.resolve("stats.csv")).get(0)).isEqualTo("alpha,kurtosis,frac_below_1e-2,std");
        byte[] png = Files.readAllBytes(out.resolve("figure1.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void trainPruneAndEvalWorkOnACheckpoint() {
        Path model = dir.resolve("m.safetensors");
        Path pruned = dir.resolve("p.safetensors");
        Run train = run("train", "--alpha", "2", "--steps", "50", "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("test accuracy");
        Run prune = run("prune", "--checkpoint", model.toString(), "--keep", "0.1", "--out", pruned.toString());
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("kept    23520 of   235200");
        Run eval = run("eval", "--checkpoint", pruned.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("sparsity 0.89");
        Path blocks = dir.resolve("b.safetensors");
        Run blockPrune = run("prune", "--checkpoint", model.toString(), "--keep", "0.1", "--block", "4",
                "--out", blocks.toString());
        assertThat(blockPrune.exitCode()).as(blockPrune.err()).isZero();
        assertThat(blockPrune.out()).contains("kept    23520 of   235200").contains("kept     3000 of    30000");
        assertThat(run("eval", "--checkpoint", blocks.toString()).exitCode()).isZero();
        Run blockGlobal = run("prune", "--checkpoint", model.toString(), "--keep", "0.1", "--block", "4", "--global",
                "--out", blocks.toString());
        assertThat(blockGlobal.exitCode()).isEqualTo(2);
        assertThat(blockGlobal.err()).contains("--block works layerwise");
    }

    @Test
    void trainFromAPrunedCheckpointFineTunesItAndKeepsItsMasks() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Path pruned = dir.resolve("p.safetensors");
        Path tuned = dir.resolve("t.safetensors");
        assertThat(run("train", "--alpha", "2", "--steps", "30", "--out", model.toString()).exitCode()).isZero();
        assertThat(run("prune", "--checkpoint", model.toString(), "--keep", "0.1", "--block", "4",
                "--out", pruned.toString()).exitCode()).isZero();
        Run tune = run("train", "--from", pruned.toString(), "--steps", "30", "--out", tuned.toString());
        assertThat(tune.exitCode()).as(tune.err()).isZero();
        assertThat(tune.err()).contains("train alpha=2.0");
        PowerpropMlp before = ModelFiles.load(pruned);
        PowerpropMlp after = ModelFiles.load(tuned);
        int kept = 0;
        int moved = 0;
        for (int l = 0; l < before.layers().size(); l++) {
            float[] mask = before.layers().get(l).mask().data();
            assertThat(after.layers().get(l).mask().data()).containsExactly(mask);
            float[] w0 = before.layers().get(l).unmaskedWeight().data();
            float[] w1 = after.layers().get(l).unmaskedWeight().data();
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 0) {
                    assertThat(w1[i]).as("layer %d, pruned weight %d", l, i).isEqualTo(w0[i]);
                } else {
                    kept++;
                    moved += w1[i] != w0[i] ? 1 : 0;
                }
            }
        }
        // Training moved the kept weights (not necessarily every one: a dead unit's stay put).
        assertThat(moved).isGreaterThan(kept / 2);
        Run withAlpha = run("train", "--from", pruned.toString(), "--alpha", "3", "--out", tuned.toString());
        assertThat(withAlpha.exitCode()).isEqualTo(2);
        assertThat(withAlpha.err()).contains("--alpha and --sizes come from the checkpoint given to --from");
    }

    @Test
    void exportAndInferRunAPrunedModelSparse() {
        Path model = dir.resolve("m.safetensors");
        Path pruned = dir.resolve("p.safetensors");
        Path sparse = dir.resolve("s.safetensors");
        assertThat(run("train", "--alpha", "3", "--steps", "200", "--out", model.toString()).exitCode()).isZero();
        assertThat(run("prune", "--checkpoint", model.toString(), "--keep", "0.05", "--out", pruned.toString())
                .exitCode()).isZero();
        Run eval = run("eval", "--checkpoint", pruned.toString());
        Run export = run("export", "--checkpoint", pruned.toString(), "--out", sparse.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).contains("fc1").contains("nnz").doesNotContain("rows in fours");
        Run infer = run("infer", "--model", sparse.toString(), "--batch", "100");
        assertThat(infer.exitCode()).as(infer.err()).isZero();
        // The sparse model's accuracy is the masked dense model's, to the image.
        String denseAccuracy = eval.out().replaceAll("(?s).*test accuracy (\\S+).*", "$1");
        assertThat(infer.out()).contains("test accuracy " + denseAccuracy)
                .containsPattern("timed passes, after 1\\.\\d\\d s of untimed ones");
        Run batchOfOne = run("infer", "--model", sparse.toString(), "--batch", "1", "--warmup", "0");
        assertThat(batchOfOne.exitCode()).as(batchOfOne.err()).isZero();
        assertThat(batchOfOne.out()).contains("test accuracy " + denseAccuracy).contains("after 0.00 s of untimed ones");
        for (String bad : new String[] {"-1", "NaN", "Infinity"}) {
            Run badWarmup = run("infer", "--model", sparse.toString(), "--warmup", bad);
            assertThat(badWarmup.exitCode()).isEqualTo(2);
            assertThat(badWarmup.err()).contains("--warmup must be between 0 and 3600.0 seconds, got");
        }
        Run mismatched = run("infer", "--model", pruned.toString());
        assertThat(mismatched.exitCode()).isEqualTo(2);
        assertThat(mismatched.err()).contains("not a sparse model");
    }

    @Test
    void anAlphaThatDivergesIsReportedAndTheOthersFinish() throws Exception {
        Path out = dir.resolve("div");
        Run r = run("figure1", "--alphas", "1,5", "--lr", "1000", "--steps", "40", "--eval-every", "20",
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("DIVERGED at step");
        assertThat(r.out()).contains("diverged at step");
        assertThat(Files.readAllLines(out.resolve("stats.csv"))).contains("5.0,NaN,NaN,NaN");
        assertThat(out.resolve("figure1.png")).isNotEmptyFile();
    }

    @Test
    void alphaBelowOneIsOneLineAndExitCodeTwo() {
        Run r = run("figure1", "--alphas", "1,0.5", "--steps", "1", "--out", dir.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("powerprop: error: alpha must be a finite number >= 1").doesNotContain("\n\tat ");
    }

    @Test
    void keepFractionOutsideTheUnitIntervalIsRefused() {
        Run r = run("prune", "--checkpoint", "nothing.safetensors", "--keep", "1.5", "--out", dir.resolve("p").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("keep fraction must be in (0, 1]");
    }

    @Test
    void aMissingDataFolderIsNamed() {
        Run r = run("figure1", "--data", dir.resolve("nowhere").toString(), "--steps", "1", "--out", dir.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("nowhere").doesNotContain("\tat ");
    }

    @Test
    void aCorruptCheckpointIsNamed() throws Exception {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        Run r = run("eval", "--checkpoint", bad.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("bad.safetensors").doesNotContain("\tat ");
    }

    @Test
    void optionsThatCannotWorkAreRefusedBeforeAnyWork() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        String out = dir.resolve("o").toString();
        String[][] cases = {
            {"is a folder, not a safetensors file", "eval", "--checkpoint", folder.toString()},
            {"output file " + folder + " is a folder", "train", "--steps", "1000000", "--out", folder.toString()},
            {"--jobs must be >= 1, got 0", "figure1", "--jobs", "0", "--steps", "1", "--out", out},
            {"--threads must be >= 1, got -4", "figure1", "--threads", "-4", "--steps", "1", "--out", out},
            {"--alphas names an alpha twice", "figure1", "--alphas", "1,1", "--steps", "1", "--out", out},
            {"--same-output-fraction is for layerwise pruning", "prune", "--checkpoint", "m.safetensors", "--keep",
                "0.5", "--global", "--same-output-fraction", "--out", out},
            {"has 5 outputs but the images have 10 classes", "train", "--sizes", "784,20,5", "--steps", "1000000",
                "--out", out},
            {"Missing required option: '--out=FILE' (see 'powerprop help prune')", "prune", "--keep", "0.5",
                "--checkpoint", "m.safetensors"},
            {"Invalid value for option '--keep'", "prune", "--keep", "half", "--checkpoint", "m.safetensors",
                "--out", out},
            {"did you mean train?", "trian", "--steps", "1"},
            // 100,000 x 100,000 floats would be 40 GB: refused before the model is built.
            {"--sizes [100000, 100000, 10] expects 100000 inputs but the images have 784 pixels", "train", "--sizes",
                "100000,100000,10", "--out", out},
        };
        for (String[] c : cases) {
            Run r = run(Arrays.copyOfRange(c, 1, c.length));
            assertThat(r.exitCode()).as(String.join(" ", c)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", c)).contains(c[0]).doesNotContain("\tat ")
                    .doesNotContain("Usage:");
            // One error line (commands that read data first say which data set they use).
            assertThat(r.err().lines().filter(line -> !line.startsWith("No --data given"))).as(String.join(" ", c))
                    .hasSize(1);
        }
    }

    @Test
    void aModelThatWouldComputeNothingIsNotSaved() throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertThat(run("train", "--steps", "1", "--out", model.toString()).exitCode()).isZero();
        Path none = dir.resolve("none.safetensors");
        Run prune = run("prune", "--checkpoint", model.toString(), "--keep", "1e-9", "--out", none.toString());
        assertThat(prune.exitCode()).isEqualTo(2);
        assertThat(prune.err()).contains("keeps no weight of");
        assertThat(none).doesNotExist();
        // A checkpoint holding a NaN or infinite weight or bias (a diverged run) is not exported.
        SafeTensorsFile f = SafeTensors.read(model);
        Path sparse = dir.resolve("s.safetensors");
        for (String[] poison : new String[][] {{"fc2.v", "NaN"}, {"fc2.bias", "Infinity"}}) {
            Path bad = dir.resolve("bad.safetensors");
            SafeTensors.write(bad, f.entries().stream().map(e -> {
                if (!e.name().equals(poison[0])) {
                    return e;
                }
                float[] v = e.floats();
                v[7] = Float.parseFloat(poison[1]);
                return TensorEntry.ofFloats(e.name(), v, e.shape());
            }).toList(), f.metadata());
            Run export = run("export", "--checkpoint", bad.toString(), "--out", sparse.toString());
            assertThat(export.exitCode()).as(poison[0]).isEqualTo(2);
            assertThat(export.err()).contains(poison[0] + " holds " + poison[1]).doesNotContain("\tat ");
            assertThat(sparse).doesNotExist();
        }
    }

    @Test
    void blockPrunedLayersExportWithEveryFourRowsSharingTheirColumns() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Path blocks = dir.resolve("b.safetensors");
        assertThat(run("train", "--steps", "20", "--out", model.toString()).exitCode()).isZero();
        assertThat(run("prune", "--checkpoint", model.toString(), "--keep", "0.05", "--block", "4",
                "--out", blocks.toString()).exitCode()).isZero();
        Run export = run("export", "--checkpoint", blocks.toString(), "--out", dir.resolve("s.safetensors").toString());
        assertThat(export.out().lines().filter(line -> line.startsWith("fc")))
                .hasSize(3).allMatch(line -> line.endsWith("rows in fours"));
        SparseMlp sparse = SparseMlp.of(ModelFiles.load(blocks));
        for (var w : sparse.weights()) {
            // What the four-row SpMM kernel needs of the exported structure (rows past the last
            // whole four, fc3's 8 and 9, run the row loops).
            var groups = new java.util.HashMap<Integer, int[]>();
            for (int r = 0; r < w.rows() / 4 * 4; r++) {
                int[] cols = Arrays.copyOfRange(w.colIdx(), w.rowPtr()[r], w.rowPtr()[r + 1]);
                assertThat(cols).as("%s row %d", w, r).containsExactly(groups.computeIfAbsent(r / 4, g -> cols));
            }
        }
    }

    @Test
    void modelFilesThatLieAboutThemselvesAreNamed() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Path sparse = dir.resolve("s.safetensors");
        assertThat(run("train", "--steps", "1", "--out", model.toString()).exitCode()).isZero();
        PowerpropMlp pruned = ModelFiles.load(model);
        MagnitudePruning.pruneLayerwise(pruned.layers(), 0.1, true);
        SparseMlp.of(pruned).save(sparse);
        // A dense checkpoint whose sizes are far larger than its tensors: refused before allocating.
        Path huge = dir.resolve("huge.safetensors");
        rewrite(model, huge, e -> true, "sizes", "784,46000,46000,10");
        Run r = run("eval", "--checkpoint", huge.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("huge.safetensors: its sizes 784,46000,46000,10 need a tensor fc1.v of shape "
                + "[46000, 784], but it has [300, 784]");
        // A sparse model missing one tensor, and one whose sizes drop its last layer.
        Path missing = dir.resolve("missing.safetensors");
        rewrite(sparse, missing, e -> !e.name().equals("fc3.row_ptr"), null, null);
        Path shorter = dir.resolve("shorter.safetensors");
        rewrite(sparse, shorter, e -> true, "sizes", "784,300,100");
        for (Path bad : new Path[] {missing, shorter}) {
            Run infer = run("infer", "--model", bad.toString(), "--warmup", "0");
            assertThat(infer.exitCode()).as(bad.toString()).isEqualTo(2);
            assertThat(infer.err()).as(bad.toString()).contains(bad.getFileName().toString())
                    .contains("layers of 4 tensors").doesNotContain("\tat ");
        }
        // A sparse model of 5 outputs on 10 classes: no accuracy over the wrong classes.
        PowerpropMlp five = new PowerpropMlp(new int[] {784, 5}, 2.0, 0);
        MagnitudePruning.pruneLayerwise(five.layers(), 0.5, false);
        Path fiveOut = dir.resolve("five.safetensors");
        SparseMlp.of(five).save(fiveOut);
        Run wrongClasses = run("infer", "--model", fiveOut.toString(), "--warmup", "0");
        assertThat(wrongClasses.exitCode()).isEqualTo(2);
        assertThat(wrongClasses.err()).contains("has 5 outputs but the images have 10 classes");
    }

    /** Copies a safetensors file, keeping the entries {@code keep} accepts and setting one metadata key. */
    private static void rewrite(Path from, Path to, java.util.function.Predicate<TensorEntry> keep, String key,
                                String value) throws Exception {
        SafeTensorsFile f = SafeTensors.read(from);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(f.metadata());
        if (key != null) {
            meta.put(key, value);
        }
        SafeTensors.write(to, f.entries().stream().filter(keep).toList(), meta);
    }

    @Test
    void anUnwritableOutputFolderFailsBeforeAnyWork() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Run r = run("figure1", "--steps", "1", "--out", file.resolve("sub").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("output folder");
        assertThat(file).hasContent("x");
    }
}
