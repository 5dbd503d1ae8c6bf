package dev.powerprop.nn.optim;

import dev.powerprop.engine.Tensor;
import java.util.List;

/** Updates parameters from their gradients; one {@link #step()} per training step. */
public abstract class Optimizer {
    protected final List<Tensor> params;

    protected Optimizer(List<Tensor> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("an optimiser needs at least one parameter");
        }
        this.params = List.copyOf(params);
    }

    /** Applies one update to every parameter that has a gradient; others are left as they are. */
    public abstract void step();

    /** Forgets every parameter's gradient. */
    public void zeroGrad() {
        params.forEach(Tensor::zeroGrad);
    }

    static void checkRate(String name, double value) {
        // The kernels compute in float: a value that is finite only as a double is refused here,
        // not at the first step.
        if (!(value >= 0) || !Float.isFinite((float) value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}
