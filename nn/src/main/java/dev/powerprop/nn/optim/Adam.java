package dev.powerprop.nn.optim;

import dev.powerprop.engine.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) in PyTorch's semantics, with L2 weight decay added to the gradient.
 * As in PyTorch, each parameter counts its own steps for the bias correction, from the first
 * step at which it has a gradient: a parameter that starts training late (a layer unfrozen
 * later) gets the corrected first steps it would get from the start.
 */
public final class Adam extends Optimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<Tensor, State> states = new IdentityHashMap<>();

    /** A parameter's moving averages of the gradient and of its square, and its own step count. */
    private static final class State {
        final Tensor m;
        final Tensor v;
        int steps;

        State(Tensor p) {
            m = Tensor.zeros(p.dtype(), p.shape());
            v = Tensor.zeros(p.dtype(), p.shape());
        }
    }

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params);
        checkRate("learning rate", lr);
        checkRate("eps", eps);
        checkRate("weight decay", weightDecay);
        // In [0, 1) as the floats the kernels use: 0.99999999 rounds to 1 there.
        if (!((float) beta1 >= 0 && (float) beta1 < 1) || !((float) beta2 >= 0 && (float) beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1) (as floats), got " + beta1 + ", " + beta2);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step() {
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            State s = states.computeIfAbsent(p, State::new);
            s.steps++;
            p.backend().adamStep(p, g, s.m, s.v, lr, beta1, beta2, eps, weightDecay, s.steps);
            p.markModified(); // a graph recorded before this step can no longer be backpropagated
        }
    }
}
