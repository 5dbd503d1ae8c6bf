package dev.powerprop.nn.checkpoint;

import dev.powerprop.engine.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The contents of a safetensors file: its tensors by name, in the order the header lists them,
 * and its metadata. Returned by {@link SafeTensors#read(Path)}; immutable.
 */
public final class SafeTensorsFile {
    private final Path file;
    private final Map<String, TensorEntry> entries;
    private final Map<String, String> metadata;

    SafeTensorsFile(Path file, Map<String, TensorEntry> entries, Map<String, String> metadata) {
        this.file = file;
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The file it was read from. */
    public Path file() {
        return file;
    }

    /** The string-to-string metadata ({@code "__metadata__"}); empty if the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor names, in header order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The tensors, in header order. */
    public List<TensorEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** Whether a tensor is called {@code name}. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws NoSuchElementException naming the file and the tensors it does hold
     */
    public TensorEntry get(String name) {
        TensorEntry e = entries.get(name);
        if (e == null) {
            throw new NoSuchElementException(file + " has no tensor \"" + name + "\"; it holds "
                    + entries.keySet());
        }
        return e;
    }

    /** The F32 or F64 tensor called {@code name}, as a new {@link Tensor}. */
    public Tensor tensor(String name) {
        return get(name).toTensor();
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + file + ", " + entries.size() + " tensors]";
    }
}
