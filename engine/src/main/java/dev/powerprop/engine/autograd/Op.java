package dev.powerprop.engine.autograd;

import dev.powerprop.engine.NoGrad;
import dev.powerprop.engine.Tensor;

/**
 * A node of the define-by-run graph: the op that produced a tensor, holding what its backward
 * needs. Each differentiable op is one subclass that keeps its forward (a static {@code apply})
 * and its backward side by side, as micrograd and {@code torch.autograd.Function} do.
 *
 * <p>{@link #backward} must <em>add</em> into the gradients of its inputs (through
 * {@link Tensor#gradBuffer()}), never overwrite them: a tensor used twice gets both
 * contributions.
 */
public abstract class Op {
    private final Tensor[] inputs;
    /** The inputs' {@link Tensor#version()}s when this op read them. */
    private final int[] inputVersions;

    protected Op(Tensor... inputs) {
        this.inputs = inputs;
        this.inputVersions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputVersions[i] = inputs[i] == null ? 0 : inputs[i].version();
        }
    }

    /**
     * Refuses to backpropagate when an input was written in place after this op read it (an
     * optimiser step between forward and backward, say): backward reads the inputs' current
     * values, so its gradient would be wrong without a sign. Conservative: PyTorch checks only
     * the tensors an op saves; this checks every input.
     *
     * @throws IllegalStateException naming the op, the input and both versions
     */
    public final void checkInputsUnchanged() {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && inputs[i].version() != inputVersions[i]) {
                throw new IllegalStateException(name() + ": input " + i + " " + inputs[i].shape()
                        + " was changed in place after the forward pass read it (version " + inputVersions[i]
                        + " then, " + inputs[i].version() + " now), so its gradient would use the new values;"
                        + " run the forward pass again after changing it");
            }
        }
    }

    /** The tensors this op read, in order; the graph walks these edges. */
    public final Tensor[] inputs() {
        return inputs;
    }

    /** True when input {@code i} wants a gradient, so backward can skip work nobody needs. */
    protected final boolean needsGrad(int i) {
        return inputs[i] != null && inputs[i].requiresGrad();
    }

    /** Given dL/d(output), adds dL/d(input) into each input that requires a gradient. */
    public abstract void backward(Tensor gradOutput);

    /** A short name for error messages and graph dumps. */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * Attaches {@code op} to {@code output} when gradients are being recorded and any input
     * requires one; otherwise the output is a constant. Returns {@code output}.
     */
    public static Tensor record(Tensor output, Op op) {
        if (!NoGrad.isGradEnabled()) {
            return output;
        }
        for (Tensor in : op.inputs) {
            if (in != null && in.requiresGrad()) {
                output.setCreator(op);
                return output;
            }
        }
        return output;
    }
}
