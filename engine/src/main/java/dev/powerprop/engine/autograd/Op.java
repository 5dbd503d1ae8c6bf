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

    protected Op(Tensor... inputs) {
        this.inputs = inputs;
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
