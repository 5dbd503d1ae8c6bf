package dev.powerprop.engine.ops;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;

/**
 * y = x - log(sum(exp(x))) along each row of a 2-D tensor, computed stably (the row maximum is
 * subtracted first). Backward (saves y): dL/dx = g - softmax(x) * rowsum(g), with
 * softmax(x) = exp(y).
 */
public final class LogSoftmax extends Op {
    private final Tensor y;

    private LogSoftmax(Tensor x, Tensor y) {
        super(x);
        this.y = y;
    }

    public static Tensor apply(Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("logSoftmax needs a 2-D [rows, classes] tensor, got " + x.shape());
        }
        Tensor y = x.backend().zeros(x.shape());
        x.backend().logSoftmax(x, y);
        return Op.record(y, new LogSoftmax(x, y));
    }

    @Override
    public void backward(Tensor g) {
        Tensor x = inputs()[0];
        x.backend().logSoftmaxBackward(y, g, x.gradBuffer());
    }
}
