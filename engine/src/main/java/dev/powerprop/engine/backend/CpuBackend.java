package dev.powerprop.engine.backend;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.cpu.conv.ConvGeometry;
import dev.powerprop.engine.cpu.VectorSupport;
import dev.powerprop.engine.sparse.CsrMatrix;
import dev.powerprop.engine.cpu.conv.Im2col;
import dev.powerprop.engine.cpu.elementwise.Elementwise;
import dev.powerprop.engine.cpu.gemm.Gemm;
import dev.powerprop.engine.cpu.layout.Transpose;
import dev.powerprop.engine.cpu.loss.LogSoftmax;
import dev.powerprop.engine.cpu.loss.SoftmaxCrossEntropy;
import dev.powerprop.engine.cpu.optim.AdamKernel;
import dev.powerprop.engine.cpu.optim.SgdKernel;
import dev.powerprop.engine.cpu.pool.MaxPool2dKernel;
import dev.powerprop.engine.cpu.powerprop.PowerpropKernel;
import dev.powerprop.engine.cpu.reduce.Reductions;

/**
 * Float32 on the CPU: each method hands the tensors' arrays to the kernel of its operator
 * ({@code dev.powerprop.engine.cpu.*}), which runs on the Vector API or, when
 * {@link VectorSupport} said no, on its scalar loops.
 */
public final class CpuBackend extends HostBackend {
    static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public String name() {
        return "cpu-f32 (" + VectorSupport.REASON + ")";
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public void fill(Tensor t, double value) {
        Elementwise.fill(t.data(), (float) value, t.numel());
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor y) {
        Elementwise.unary(op, x.data(), y.data(), x.numel());
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
        Elementwise.unaryBackward(op, x == null ? null : x.data(), y == null ? null : y.data(),
                gradY.data(), gradX.data(), gradX.numel());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        int n = out.numel();
        int aPeriod = Broadcast.period(a.shape(), out.shape());
        int bPeriod = Broadcast.period(b.shape(), out.shape());
        if (aPeriod > 0 && bPeriod > 0 && Math.max(aPeriod, bPeriod) == n) {
            Elementwise.binaryPeriodic(op, a.data(), aPeriod, b.data(), bPeriod, out.data(), n);
        } else {
            Elementwise.binaryIndexed(op, a.data(), Broadcast.indexMap(a.shape(), out.shape()),
                    b.data(), Broadcast.indexMap(b.shape(), out.shape()), out.data(), n);
        }
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        Elementwise.axpy((float) alpha, x.data(), y.data(), y.numel());
    }

    @Override
    public void transpose(Tensor x, Tensor y) {
        Transpose.transpose(x.data(), x.dim(0), x.dim(1), y.data());
    }

    @Override
    public void sum(Tensor x, Tensor out) {
        out.data()[0] = (float) Reductions.sum(x.data(), 0, x.numel());
    }

    @Override
    public void sumAxis(Tensor x, int outer, int len, int inner, Tensor out) {
        Reductions.sumAxis(x.data(), outer, len, inner, out.data());
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Tensor a, int aOff, int lda, Tensor b, int bOff, int ldb,
                     double beta, Tensor c, int cOff, int ldc) {
        Gemm.gemm(transA, transB, m, n, k, (float) alpha, a.data(), aOff, lda, b.data(), bOff, ldb,
                (float) beta, c.data(), cOff, ldc);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, int[] labels, Tensor probs, Tensor loss) {
        loss.data()[0] = (float) SoftmaxCrossEntropy.forward(logits.data(), logits.dim(0), logits.dim(1), labels,
                probs.data());
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probs, int[] labels, Tensor gradLoss, Tensor gradLogits) {
        SoftmaxCrossEntropy.backward(probs.data(), probs.dim(0), probs.dim(1), labels, gradLoss.data()[0],
                gradLogits.data());
    }

    @Override
    public void logSoftmax(Tensor x, Tensor y) {
        LogSoftmax.forward(x.data(), x.dim(0), x.dim(1), y.data());
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gradY, Tensor gradX) {
        LogSoftmax.backward(y.data(), gradY.data(), y.dim(0), y.dim(1), gradX.data());
    }

    @Override
    public void im2col(Tensor x, int xOff, ConvGeometry g, Tensor cols) {
        Im2col.im2col(x.data(), xOff, g.channels(), g.height(), g.width(), g.kh(), g.kw(), g.stride(), g.pad(),
                cols.data(), 0);
    }

    @Override
    public void col2imBackward(Tensor cols, ConvGeometry g, Tensor gradX, int gradXOff) {
        Im2col.col2im(cols.data(), 0, g.channels(), g.height(), g.width(), g.kh(), g.kw(), g.stride(), g.pad(),
                gradX.data(), gradXOff);
    }

    @Override
    public Object maxPool2d(Tensor x, int k, int stride, int pad, Tensor y) {
        int[] argmax = new int[y.numel()];
        MaxPool2dKernel.forward(x.data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), k, stride, pad, y.data(), argmax);
        return argmax;
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Object argmax, Tensor gradX) {
        MaxPool2dKernel.backward(gradY.data(), (int[]) argmax, gradY.numel(), gradX.data());
    }

    @Override
    public void powerprop(double alpha, Tensor v, Tensor mask, Tensor w) {
        PowerpropKernel.forward((float) alpha, v.data(), mask == null ? null : mask.data(), w.data(), v.numel());
    }

    @Override
    public void powerpropBackward(double alpha, Tensor v, Tensor mask, Tensor gradW, Tensor gradV,
                                  boolean accumulate) {
        PowerpropKernel.backward((float) alpha, v.data(), mask == null ? null : mask.data(), gradW.data(),
                gradV.data(), v.numel(), accumulate);
    }

    @Override
    public void spmm(Object csr, Tensor b, Tensor bias, Tensor c) {
        ((CsrMatrix) csr).multiply(b.data(), b.dim(1), c.data(), bias == null ? null : bias.data(), false);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                        double weightDecay, boolean nesterov) {
        SgdKernel.step(param.data(), grad.data(), velocity == null ? null : velocity.data(), param.numel(),
                (float) lr, (float) momentum, (float) weightDecay, nesterov);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1,
                         double beta2, double eps, double weightDecay, int step) {
        AdamKernel.step(param.data(), grad.data(), m.data(), v.data(), param.numel(), (float) lr, (float) beta1,
                (float) beta2, (float) eps, (float) weightDecay, step);
    }
}
