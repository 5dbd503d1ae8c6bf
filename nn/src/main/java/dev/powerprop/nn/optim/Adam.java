package dev.powerprop.nn.optim;

import dev.powerprop.engine.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Adam (Kingma and Ba 2015) in PyTorch's semantics, with L2 weight decay added to the gradient. */
public final class Adam extends Optimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<Tensor, Tensor[]> moments = new IdentityHashMap<>();
    private int steps;

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params);
        checkRate("learning rate", lr);
        checkRate("eps", eps);
        checkRate("weight decay", weightDecay);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step() {
        steps++;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            Tensor[] mv = moments.computeIfAbsent(p, k -> new Tensor[] {
                Tensor.zeros(k.dtype(), k.shape()), Tensor.zeros(k.dtype(), k.shape())});
            p.backend().adamStep(p, g, mv[0], mv[1], lr, beta1, beta2, eps, weightDecay, steps);
            p.markModified(); // a graph recorded before this step can no longer be backpropagated
        }
    }
}
