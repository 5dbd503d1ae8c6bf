package dev.powerprop.experiments;

import dev.powerprop.engine.Tensor;
import dev.powerprop.layers.PowerpropLinear;
import dev.powerprop.nn.Module;
import dev.powerprop.nn.layers.ReLU;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The paper's MNIST network: powerprop dense layers with ReLU between them (784-300-100-10 by
 * default), returning logits. Parameters are named {@code fc1.v}, {@code fc1.bias}, ...; layer
 * {@code i} is initialised from {@code seed + i}, so every alpha starts from the same
 * effective weights.
 */
public final class PowerpropMlp extends Module {
    /** The layer sizes of the paper's MNIST experiment. */
    public static final int[] PAPER_SIZES = {784, 300, 100, 10};

    private final int[] sizes;
    private final double alpha;
    private final List<PowerpropLinear> layers = new ArrayList<>();

    public PowerpropMlp(int[] sizes, double alpha, long seed) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least input and output sizes, got "
                    + Arrays.toString(sizes));
        }
        this.sizes = sizes.clone();
        this.alpha = alpha;
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(registerModule("fc" + (i + 1), new PowerpropLinear(sizes[i], sizes[i + 1], alpha, seed + i)));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h);
            if (i + 1 < layers.size()) {
                h = h.relu();
            }
        }
        return h;
    }

    /** The prunable layers, input to output. */
    public List<PowerpropLinear> layers() {
        return List.copyOf(layers);
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public double alpha() {
        return alpha;
    }

    /** The effective weights (masked), input to output, as host tensors. */
    public List<Tensor> effectiveWeights() {
        return layers.stream().map(l -> l.effectiveWeight().toHost()).toList();
    }

    @Override
    protected String describe() {
        return "PowerpropMlp(" + Arrays.toString(sizes) + ", alpha=" + alpha + ")";
    }
}
