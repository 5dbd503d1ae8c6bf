package dev.powerprop.sparse;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.elementwise.Elementwise;
import dev.powerprop.engine.cpu.layout.Transpose;
import dev.powerprop.engine.sparse.CsrMatrix;
import dev.powerprop.experiments.ModelFiles;
import dev.powerprop.experiments.PowerpropMlp;
import dev.powerprop.layers.PowerpropLinear;
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
 * A pruned MLP for inference only: each layer's effective weight {@code w = mask * v|v|^(alpha-1)}
 * stored as a {@link CsrMatrix} (rows are output units) plus its bias, ReLU between layers.
 *
 * <p>Activations run feature-major, [features, batch]: a sparse layer is then
 * {@code H' = W H + b} with the batch as the contiguous dimension, so each nonzero of W is
 * broadcast against a contiguous row of H (the SpMM kernel's layout). The first layer reads the
 * row-major input batch as B^T and transposes it inside its kernel's panel packing; the logits
 * are transposed once on the way out.
 *
 * <p>Immutable: every field is final and the CSR matrices are immutable, so one instance may
 * serve many threads at once (device copies of the weights are made once, in a concurrent map).
 */
public final class SparseMlp {
    /** The metadata value of {@code format} in sparse model files. */
    public static final String FORMAT = "powerprop-sparse-mlp";

    private final List<CsrMatrix> weights;
    private final List<float[]> biases;
    private final int[] sizes;
    /** Weights uploaded to device backends, once each (the CPU path needs none). */
    private final Map<Backend, Object[]> onDevice = new java.util.concurrent.ConcurrentHashMap<>();

    private SparseMlp(List<CsrMatrix> weights, List<float[]> biases) {
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new IllegalArgumentException("a sparse MLP needs one bias per layer and at least one layer");
        }
        int[] s = new int[weights.size() + 1];
        s[0] = weights.get(0).cols();
        for (int l = 0; l < weights.size(); l++) {
            CsrMatrix w = weights.get(l);
            if (w.cols() != s[l]) {
                throw new IllegalArgumentException("layer " + (l + 1) + " takes " + w.cols() + " inputs but layer " + l
                        + " gives " + s[l]);
            }
            if (biases.get(l).length != w.rows()) {
                throw new IllegalArgumentException("layer " + (l + 1) + " has " + w.rows() + " units but a bias of "
                        + biases.get(l).length);
            }
            s[l + 1] = w.rows();
        }
        this.weights = List.copyOf(weights);
        this.biases = biases.stream().map(float[]::clone).toList();
        this.sizes = s;
    }

    /** The sparse form of {@code model} as it is now: its masked effective weights and biases. */
    public static SparseMlp of(PowerpropMlp model) {
        List<CsrMatrix> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (PowerpropLinear layer : model.layers()) {
            Tensor effective = layer.effectiveWeight().toHost();
            Tensor keep = layer.mask() != null ? layer.mask().toHost() : Tensor.full(1f, effective.shape().dims());
            w.add(CsrMatrix.fromDense(effective, keep));
            b.add(layer.bias().toHost().data().clone());
        }
        return new SparseMlp(w, b);
    }

    /** Layer sizes, input first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The CSR weights, input layer first. */
    public List<CsrMatrix> weights() {
        return weights;
    }

    /**
     * Logits [batch, classes] for a row-major batch {@code x} [batch, inputs]. The work is split
     * over {@code threads} threads inside each layer.
     */
    public float[] logits(float[] x, int batch, int threads) {
        int inputs = sizes[0];
        if (x.length != batch * inputs) {
            throw new IllegalArgumentException("input has " + x.length + " values, expected batch " + batch + " x "
                    + inputs);
        }
        float[] h = x;
        for (int l = 0; l < weights.size(); l++) {
            CsrMatrix w = weights.get(l);
            float[] next = new float[w.rows() * batch];
            if (l == 0) {
                // The row-major batch is B^T of the first product: the kernel transposes it while
                // packing, so it is never copied feature-major as a whole.
                w.multiplyTransposedB(x, batch, next, biases.get(l), false, threads);
            } else {
                w.multiply(h, batch, next, biases.get(l), false, threads);
            }
            if (l + 1 < weights.size()) {
                Elementwise.unary(UnaryOp.RELU, next, next, next.length);
            }
            h = next;
        }
        return transpose(h, sizes[sizes.length - 1], batch);
    }

    /**
     * Logits [batch, classes] computed on {@code backend} (a device backend: the weights are
     * uploaded once per backend and kept there; the batch goes up and the logits come back).
     * On the CPU backend this is {@link #logits(float[], int, int)}.
     */
    public float[] logits(float[] x, int batch, Backend backend) {
        if (backend.isHost()) {
            return logits(x, batch, Parallel.threads());
        }
        int inputs = sizes[0];
        if (x.length != batch * inputs) {
            throw new IllegalArgumentException("input has " + x.length + " values, expected batch " + batch + " x "
                    + inputs);
        }
        Object[] resident = onDevice.computeIfAbsent(backend, this::upload);
        Tensor rows = backend.fromHost(Tensor.of(x, batch, inputs));
        Tensor h = backend.zeros(Shape.of(inputs, batch));
        backend.transpose(rows, h);
        for (int l = 0; l < weights.size(); l++) {
            Tensor next = backend.zeros(Shape.of(weights.get(l).rows(), batch));
            backend.spmm(resident[2 * l], h, (Tensor) resident[2 * l + 1], next);
            if (l + 1 < weights.size()) {
                backend.unary(UnaryOp.RELU, next, next);
            }
            h = next;
        }
        Tensor out = backend.zeros(Shape.of(batch, sizes[sizes.length - 1]));
        backend.transpose(h, out);
        return backend.toHost(out).data();
    }

    /** Each layer's CSR handle and bias tensor on {@code backend}, alternating. */
    private Object[] upload(Backend backend) {
        Object[] resident = new Object[2 * weights.size()];
        for (int l = 0; l < weights.size(); l++) {
            resident[2 * l] = backend.uploadCsr(weights.get(l));
            float[] b = biases.get(l);
            resident[2 * l + 1] = backend.fromHost(Tensor.of(b.clone(), b.length));
        }
        return resident;
    }

    /** Total stored weights, and the fraction of weights that are zero. */
    public long nnz() {
        return weights.stream().mapToLong(CsrMatrix::nnz).sum();
    }

    public double sparsity() {
        long total = 0;
        for (CsrMatrix w : weights) {
            total += (long) w.rows() * w.cols();
        }
        return 1.0 - (double) nnz() / total;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        Transpose.transpose(a, rows, cols, t);
        return t;
    }

    // ---- files ------------------------------------------------------------------------------

    /**
     * Writes the model as safetensors: per layer {@code fcN.values} (F32), {@code fcN.col_idx}
     * and {@code fcN.row_ptr} (I32), {@code fcN.bias} (F32), and in the metadata the format, the
     * layer count and the sizes. Atomic.
     */
    public void save(Path file) throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            String name = "fc" + (l + 1);
            CsrMatrix w = weights.get(l);
            entries.add(TensorEntry.ofFloats(name + ".values", w.values(), w.nnz()));
            entries.add(TensorEntry.ofInts(name + ".col_idx", w.colIdx(), w.nnz()));
            entries.add(TensorEntry.ofInts(name + ".row_ptr", w.rowPtr(), w.rows() + 1));
            entries.add(TensorEntry.ofFloats(name + ".bias", biases.get(l), w.rows()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("layers", Integer.toString(weights.size()));
        meta.put("sizes", Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        SafeTensors.write(file, entries, meta);
    }

    /** Reads a file written by {@link #save}; every structure is validated, errors name the file and tensor. */
    public static SparseMlp load(Path file) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + " is not a sparse model (metadata format is "
                    + meta.get("format") + ", expected " + FORMAT + "; make one with `powerprop export`)");
        }
        int[] sizes = ModelFiles.layerSizes(file, meta);
        int layers = sizes.length - 1;
        if (!Integer.toString(layers).equals(meta.get("layers")) || f.entries().size() != 4 * layers) {
            throw new IllegalArgumentException(file + ": its sizes " + meta.get("sizes") + " make " + layers
                    + " layers of 4 tensors, but its metadata says layers=" + meta.get("layers") + " and it holds "
                    + f.entries().size() + " tensors");
        }
        List<CsrMatrix> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            String name = "fc" + (l + 1);
            try {
                w.add(CsrMatrix.of(sizes[l + 1], sizes[l], f.get(name + ".row_ptr").ints(),
                        f.get(name + ".col_idx").ints(), f.get(name + ".values").floats()));
                TensorEntry bias = f.get(name + ".bias");
                if (!Arrays.equals(bias.shape(), new int[] {sizes[l + 1]})) {
                    throw new IllegalArgumentException(name + ".bias has shape " + Arrays.toString(bias.shape())
                            + ", expected [" + sizes[l + 1] + "]");
                }
                b.add(bias.floats());
            } catch (IllegalArgumentException | IllegalStateException | java.util.NoSuchElementException e) {
                throw new IllegalArgumentException(file + ", layer " + name + ": " + e.getMessage(), e);
            }
        }
        try {
            return new SparseMlp(w, b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
