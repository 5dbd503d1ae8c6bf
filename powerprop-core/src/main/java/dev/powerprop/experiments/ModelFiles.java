package dev.powerprop.experiments;

import dev.powerprop.engine.Tensor;
import dev.powerprop.nn.checkpoint.SafeTensors;
import dev.powerprop.nn.checkpoint.SafeTensorsFile;
import dev.powerprop.nn.checkpoint.TensorEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Saves and loads a {@link PowerpropMlp} as a safetensors checkpoint: its tensors by name
 * ({@code fc1.v}, {@code fc1.bias}, {@code fc1.mask} when pruned, ...) and, in the metadata,
 * what is needed to rebuild it: the format name, the layer sizes and alpha.
 */
public final class ModelFiles {
    /** The metadata value of {@code format} in our checkpoints. */
    public static final String FORMAT = "powerprop-mlp";

    private ModelFiles() {}

    /** Writes {@code model} to {@code file} atomically. */
    public static void save(Path file, PowerpropMlp model) throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        model.stateDict().forEach((name, t) -> entries.add(TensorEntry.of(name, t.toHost())));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("sizes", Arrays.stream(model.sizes()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        meta.put("alpha", Double.toString(model.alpha()));
        SafeTensors.write(file, entries, meta);
    }

    /** The layer sizes in a model file's metadata ("784,300,100,10"), or an error naming the file. */
    public static int[] layerSizes(Path file, Map<String, String> meta) {
        try {
            int[] sizes = Arrays.stream(meta.get("sizes").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
            if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(size -> size < 1)) {
                throw new IllegalArgumentException("fewer than two sizes, or a size below 1");
            }
            return sizes;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": unreadable metadata sizes='" + meta.get("sizes") + "'");
        }
    }

    /** Reads a checkpoint written by {@link #save}; a file of another kind gets an error naming it. */
    public static PowerpropMlp load(Path file) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + " is not a powerprop MLP checkpoint (metadata format is "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        int[] sizes = layerSizes(file, meta);
        double alpha;
        try {
            alpha = Double.parseDouble(meta.get("alpha"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": unreadable metadata alpha='" + meta.get("alpha") + "'");
        }
        // The weights' shapes first: a model is as large as its metadata says, so a file whose
        // sizes lie must be refused before they are allocated.
        for (int l = 0; l + 1 < sizes.length; l++) {
            String name = "fc" + (l + 1) + ".v";
            int[] expected = {sizes[l + 1], sizes[l]};
            if (!f.contains(name) || !Arrays.equals(f.get(name).shape(), expected)) {
                throw new IllegalArgumentException(file + ": its sizes " + meta.get("sizes") + " need a tensor " + name
                        + " of shape " + Arrays.toString(expected) + ", but it has "
                        + (f.contains(name) ? Arrays.toString(f.get(name).shape()) : "none"));
            }
        }
        try {
            PowerpropMlp model = new PowerpropMlp(sizes, alpha, 0);
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (TensorEntry e : f.entries()) {
                state.put(e.name(), e.toTensor());
            }
            model.loadStateDict(state);
            return model;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
