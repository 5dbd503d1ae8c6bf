package dev.powerprop.engine.backend;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.cpu.conv.ConvGeometry;
import dev.powerprop.engine.cpu.conv.Im2colReference;
import dev.powerprop.engine.cpu.elementwise.ElementwiseReference;
import dev.powerprop.engine.cpu.gemm.GemmReference;
import dev.powerprop.engine.cpu.layout.Transpose;
import dev.powerprop.engine.cpu.loss.LogSoftmaxReference;
import dev.powerprop.engine.cpu.loss.SoftmaxCrossEntropyReference;
import dev.powerprop.engine.cpu.optim.AdamReference;
import dev.powerprop.engine.cpu.optim.SgdReference;
import dev.powerprop.engine.cpu.pool.MaxPool2dReference;
import dev.powerprop.engine.cpu.powerprop.PowerpropReference;
import dev.powerprop.engine.cpu.reduce.ReductionsReference;
import dev.powerprop.engine.cpu.sparse.CsrSpmmReference;
import dev.powerprop.engine.sparse.CsrMatrix;

/**
 * Float64 with the reference kernels: the plain loops that the fast kernels are tested
 * against. Every op runs here too, which is how gradient checks see exact-enough numbers.
 */
public final class ReferenceBackend extends HostBackend {
    static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private ReferenceBackend() {}

    @Override
    public String name() {
        return "reference-f64 (scalar loops)";
    }

    @Override
    public DType dtype() {
        return DType.F64;
    }

    @Override
    public void fill(Tensor t, double value) {
        java.util.Arrays.fill(t.doubles(), (double) value);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor y) {
        ElementwiseReference.unary(op, x.doubles(), y.doubles(), x.numel());
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
        ElementwiseReference.unaryBackward(op, x == null ? null : x.doubles(), y == null ? null : y.doubles(),
                gradY.doubles(), gradX.doubles(), gradX.numel());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        ElementwiseReference.binaryIndexed(op, a.doubles(), Broadcast.indexMap(a.shape(), out.shape()),
                b.doubles(), Broadcast.indexMap(b.shape(), out.shape()), out.doubles(), out.numel());
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        ElementwiseReference.axpy(alpha, x.doubles(), y.doubles(), y.numel());
    }

    @Override
    public void transpose(Tensor x, Tensor y) {
        Transpose.transposeReference(x.doubles(), x.dim(0), x.dim(1), y.doubles());
    }

    @Override
    public void sum(Tensor x, Tensor out) {
        out.doubles()[0] = ReductionsReference.sum(x.doubles(), 0, x.numel());
    }

    @Override
    public void sumAxis(Tensor x, int outer, int len, int inner, Tensor out) {
        ReductionsReference.sumAxis(x.doubles(), outer, len, inner, out.doubles());
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Tensor a, int aOff, int lda, Tensor b, int bOff, int ldb,
                     double beta, Tensor c, int cOff, int ldc) {
        GemmReference.gemm(transA, transB, m, n, k, alpha, a.doubles(), aOff, lda, b.doubles(), bOff, ldb,
                beta, c.doubles(), cOff, ldc);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, int[] labels, Tensor probs, Tensor loss) {
        loss.doubles()[0] = SoftmaxCrossEntropyReference.forward(logits.doubles(), logits.dim(0), logits.dim(1),
                labels, probs.doubles());
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probs, int[] labels, Tensor gradLoss, Tensor gradLogits) {
        SoftmaxCrossEntropyReference.backward(probs.doubles(), probs.dim(0), probs.dim(1), labels,
                gradLoss.doubles()[0], gradLogits.doubles());
    }

    @Override
    public void logSoftmax(Tensor x, Tensor y) {
        LogSoftmaxReference.forward(x.doubles(), x.dim(0), x.dim(1), y.doubles());
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gradY, Tensor gradX) {
        LogSoftmaxReference.backward(y.doubles(), gradY.doubles(), y.dim(0), y.dim(1), gradX.doubles());
    }

    @Override
    public void im2col(Tensor x, int xOff, ConvGeometry g, Tensor cols) {
        Im2colReference.im2col(x.doubles(), xOff, g.channels(), g.height(), g.width(), g.kh(), g.kw(), g.stride(),
                g.pad(), cols.doubles(), 0);
    }

    @Override
    public void col2imBackward(Tensor cols, ConvGeometry g, Tensor gradX, int gradXOff) {
        Im2colReference.col2im(cols.doubles(), 0, g.channels(), g.height(), g.width(), g.kh(), g.kw(), g.stride(),
                g.pad(), gradX.doubles(), gradXOff);
    }

    @Override
    public Object maxPool2d(Tensor x, int k, int stride, int pad, Tensor y) {
        int[] argmax = new int[y.numel()];
        MaxPool2dReference.forward(x.doubles(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), k, stride, pad,
                y.doubles(), argmax);
        return argmax;
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Object argmax, Tensor gradX) {
        MaxPool2dReference.backward(gradY.doubles(), (int[]) argmax, gradY.numel(), gradX.doubles());
    }

    @Override
    public void powerprop(double alpha, Tensor v, Tensor mask, Tensor w) {
        PowerpropReference.forward(alpha, v.doubles(), mask == null ? null : mask.doubles(), w.doubles(), v.numel());
    }

    @Override
    public void powerpropBackward(double alpha, Tensor v, Tensor mask, Tensor gradW, Tensor gradV,
                                  boolean accumulate) {
        if (!accumulate) {
            fill(gradV, 0.0);
        }
        PowerpropReference.backward(alpha, v.doubles(), mask == null ? null : mask.doubles(), gradW.doubles(),
                gradV.doubles(), v.numel());
    }

    @Override
    public void spmm(Object csr, Tensor b, Tensor bias, Tensor c) {
        CsrMatrix a = (CsrMatrix) csr;
        float[] v = a.values();
        double[] values = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            values[i] = v[i];
        }
        CsrSpmmReference.spmm(a.rows(), a.rowPtr(), a.colIdx(), values, b.doubles(), b.dim(1), c.doubles(),
                bias == null ? null : bias.doubles(), false);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                        double weightDecay, boolean nesterov) {
        SgdReference.step(param.doubles(), grad.doubles(), velocity == null ? null : velocity.doubles(),
                param.numel(), lr, momentum, weightDecay, nesterov);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1,
                         double beta2, double eps, double weightDecay, int step) {
        AdamReference.step(param.doubles(), grad.doubles(), m.doubles(), v.doubles(), param.numel(), lr, beta1,
                beta2, eps, weightDecay, step);
    }
}
