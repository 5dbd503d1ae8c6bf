package dev.powerprop.engine.ops;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.cpu.conv.ConvGeometry;

/**
 * 2-D convolution (cross-correlation, as every framework computes it) of an NCHW batch with
 * [outC, C, kh, kw] weights, stride and zero padding, as im2col + GEMM.
 *
 * <p>Per image, im2col lays every receptive field out as a column: cols is [C*kh*kw, P] with
 * P = outH*outW output positions, and the convolution becomes one product
 * Y[outC, P] = W[outC, C*kh*kw] cols (+ bias, a rank-1 update bias x ones^T).
 * Backward is the derivative of that product, G = dL/dY:
 * <pre>
 *   dW    += G cols^T
 *   dcols  = W^T G,  then col2im adds each column entry back where it was read from: dX
 *   dbias += G ones
 * </pre>
 * cols is recomputed in backward rather than saved: it is kh*kw times larger than the input.
 */
public final class Conv2d extends Op {
    private final ConvGeometry geometry;
    private final int outChannels;

    private Conv2d(Tensor x, Tensor w, Tensor bias, ConvGeometry geometry, int outChannels) {
        super(x, w, bias);
        this.geometry = geometry;
        this.outChannels = outChannels;
    }

    /** y = conv(x, w) + bias; {@code bias} may be null. */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int stride, int pad) {
        Tensor.requireSameBackend("conv2d", x, w);
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException("conv2d needs x [N, C, H, W] and w [outC, C, kh, kw], got "
                    + x.shape() + " and " + w.shape());
        }
        if (x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("conv2d: x " + x.shape() + " has " + x.dim(1)
                    + " channels but w " + w.shape() + " expects " + w.dim(1));
        }
        int outC = w.dim(0);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != outC)) {
            throw new IllegalArgumentException("conv2d: bias " + bias.shape() + " must be [" + outC + "]");
        }
        ConvGeometry g = new ConvGeometry(x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3), stride, pad);
        int batch = x.dim(0);
        int positions = g.colsCols();
        int patch = g.colsRows();
        Tensor y = x.backend().zeros(Shape.of(batch, outC, g.outH(), g.outW()));
        Tensor cols = x.backend().zeros(Shape.of(patch, positions));
        Tensor ones = ones(x, positions);
        Backend be = x.backend();
        int imageSize = g.inputSize();
        for (int i = 0; i < batch; i++) {
            int yOff = i * outC * positions;
            be.im2col(x, i * imageSize, g, cols);
            be.gemm(false, false, outC, positions, patch, 1, w, 0, patch, cols, 0, positions, 0, y, yOff, positions);
            if (bias != null) {
                be.gemm(false, false, outC, positions, 1, 1, bias, 0, 1, ones, 0, positions, 1, y, yOff, positions);
            }
        }
        return Op.record(y, new Conv2d(x, w, bias, g, outC));
    }

    @Override
    public void backward(Tensor grad) {
        Tensor x = inputs()[0];
        Tensor w = inputs()[1];
        Tensor bias = inputs()[2];
        Backend be = grad.backend();
        ConvGeometry g = geometry;
        int positions = g.colsCols();
        int patch = g.colsRows();
        int imageSize = g.inputSize();
        Tensor cols = x.backend().zeros(Shape.of(patch, positions));
        Tensor gradCols = needsGrad(0) ? x.backend().zeros(Shape.of(patch, positions)) : null;
        Tensor ones = needsGrad(2) ? ones(x, positions) : null;
        for (int i = 0; i < x.dim(0); i++) {
            int gOff = i * outChannels * positions;
            if (needsGrad(1)) {
                be.im2col(x, i * imageSize, g, cols);
                be.gemm(false, true, outChannels, patch, positions, 1, grad, gOff, positions, cols, 0, positions,
                        1, w.gradBuffer(), 0, patch);
            }
            if (needsGrad(0)) {
                be.gemm(true, false, patch, positions, outChannels, 1, w, 0, patch, grad, gOff, positions,
                        0, gradCols, 0, positions);
                be.col2imBackward(gradCols, g, x.gradBuffer(), i * imageSize);
            }
            if (needsGrad(2)) {
                be.gemm(false, false, outChannels, 1, positions, 1, grad, gOff, positions, ones, 0, 1,
                        1, bias.gradBuffer(), 0, 1);
            }
        }
    }

    private static Tensor ones(Tensor like, int n) {
        Tensor t = like.backend().zeros(Shape.of(n));
        like.backend().fill(t, 1.0);
        return t;
    }
}
