package dev.powerprop.nn.optim;

import dev.powerprop.engine.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent in PyTorch's semantics: g = grad + weightDecay * p; with
 * momentum, buf = momentum * buf + g and the step uses buf (or g + momentum * buf with
 * Nesterov); p -= lr * step. The paper's MNIST protocol is plain SGD, lr 0.1.
 */
public final class SGD extends Optimizer {
    private final double lr;
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final Map<Tensor, Tensor> velocity = new IdentityHashMap<>();

    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, false);
    }

    public SGD(List<Tensor> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        super(params);
        checkRate("learning rate", lr);
        checkRate("momentum", momentum);
        checkRate("weight decay", weightDecay);
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void step() {
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            Tensor buf = momentum == 0 ? null
                    : velocity.computeIfAbsent(p, k -> Tensor.zeros(k.dtype(), k.shape()));
            p.backend().sgdStep(p, g, buf, lr, momentum, weightDecay, nesterov);
            p.markModified(); // a graph recorded before this step can no longer be backpropagated
        }
    }
}
