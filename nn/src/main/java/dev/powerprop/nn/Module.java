package dev.powerprop.nn;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.Backends;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a network: it owns named parameters (tensors that train), named buffers (state
 * that does not train, such as a pruning mask) and named child modules. Names form a tree, so
 * a parameter's full name is stable and readable, e.g. {@code fc1.v} or {@code fc1.bias}: that
 * is what checkpoints store.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The output for input {@code x}; records a graph when gradients are enabled. */
    public abstract Tensor forward(Tensor x);

    /** Registers a trainable tensor under {@code name}; it is marked as requiring a gradient. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers (or replaces, or with null removes) a non-trainable tensor under {@code name}. */
    protected final void setBuffer(String name, Tensor value) {
        if (value == null) {
            buffers.remove(name);
        } else {
            buffers.put(name, value);
        }
    }

    /** Registers a child module under {@code name}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member names must be non-empty and without '.', got '"
                    + name + "'");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already used in " + getClass().getSimpleName());
        }
    }

    /** Every trainable tensor of this module and its children, by full dotted name, in order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return Collections.unmodifiableMap(out);
    }

    /** Parameters and buffers by full name: everything a checkpoint needs to restore this module. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        parameters.forEach((n, t) -> out.put(prefix + n, t));
        if (withBuffers) {
            buffers.forEach((n, t) -> out.put(prefix + n, t));
        }
        children.forEach((n, m) -> m.collect(prefix + n + ".", out, withBuffers));
    }

    /** The trainable tensors, in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct children by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers by name.
     * Every parameter must be present with the same shape; a buffer present in {@code state}
     * is set (a mask saved with a pruned model comes back); unknown names are an error.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = namedParameters();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                throw new IllegalArgumentException("checkpoint has no tensor '" + e.getKey() + "' (it has "
                        + state.keySet() + ")");
            }
            copyInto(e.getKey(), src, e.getValue());
        }
        for (var e : state.entrySet()) {
            if (own.containsKey(e.getKey())) {
                continue;
            }
            if (!setBufferByPath(e.getKey(), e.getValue())) {
                throw new IllegalArgumentException("checkpoint tensor '" + e.getKey() + "' matches nothing in "
                        + getClass().getSimpleName() + " (parameters: " + own.keySet() + ")");
            }
        }
    }

    private boolean setBufferByPath(String path, Tensor value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return loadBuffer(path, value.copy());
        }
        Module child = children.get(path.substring(0, dot));
        return child != null && child.setBufferByPath(path.substring(dot + 1), value);
    }

    /**
     * Takes a buffer read from a checkpoint (a copy the module may keep); returns false when
     * this module has no buffer of that name. Modules with buffers override this to validate
     * and install them.
     */
    protected boolean loadBuffer(String name, Tensor value) {
        return false;
    }

    private static void copyInto(String name, Tensor src, Tensor dst) {
        if (!src.shape().equals(dst.shape())) {
            throw new IllegalArgumentException("tensor '" + name + "': checkpoint shape " + src.shape()
                    + " vs module shape " + dst.shape());
        }
        for (int i = 0; i < dst.numel(); i++) {
            dst.set(i, src.get(i));
        }
    }

    /**
     * Moves every parameter and buffer to {@code target} (a device backend, or back to the CPU)
     * in place: layers and optimisers that hold them keep working. Returns this.
     */
    public final Module to(Backend target) {
        for (Tensor t : stateDict().values()) {
            t.moveTo(target);
        }
        return this;
    }

    /** Where this module's parameters live (the CPU backend for a module without any). */
    public final Backend backend() {
        List<Tensor> ps = parameters();
        return ps.isEmpty() ? Backends.cpu() : ps.get(0).backend();
    }

    /** Forgets every parameter's gradient, before the next backward. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Switches this module and its children to training (true) or evaluation (false) mode. */
    public final void train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
    }

    /** Switches to evaluation mode. */
    public final void eval() {
        train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** A one-line description of this module (children are shown by {@link #toString}). */
    protected String describe() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        if (children.isEmpty()) {
            return describe();
        }
        StringBuilder sb = new StringBuilder(describe()).append('(');
        children.forEach((n, m) -> sb.append("\n  ").append(n).append(": ")
                .append(m.toString().replace("\n", "\n  ")));
        return sb.append("\n)").toString();
    }
}
