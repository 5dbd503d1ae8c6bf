package dev.powerprop.engine.backend;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.sparse.CsrMatrix;
import dev.powerprop.engine.cpu.conv.ConvGeometry;

/**
 * The coarse kernels every op is written against, BLAS-like: ops decide shapes and saved
 * values, a backend owns the storage and does the arithmetic. One implementation per element
 * type and device: {@link CpuBackend} (float32, Vector API kernels), {@link ReferenceBackend}
 * (float64, plain loops: the oracles), and device backends that plug in through
 * {@link BackendProvider} (OpenCL), which the engine never names.
 *
 * <p>Tensors passed in live on this backend, are contiguous and of its {@link #dtype()}.
 * Methods named {@code ...Backward} and {@link #axpy} <em>add</em> into their last argument;
 * the others overwrite it. Results that are scalars are written into one-element tensors, so
 * that a device backend need not copy anything back until someone asks ({@link #item}).
 */
public interface Backend {
    /** A short name for logs, e.g. "cpu-f32 (Vector API, 8 floats per vector)". */
    String name();

    /** The element type this backend stores. */
    DType dtype();

    // ---- storage ----------------------------------------------------------------------------

    /** True when tensors of this backend are heap arrays (the CPU backends). */
    default boolean isHost() {
        return true;
    }

    /** A tensor of zeros of {@code shape} on this backend. */
    Tensor zeros(Shape shape);

    /**
     * A tensor of {@code shape} whose values are unspecified, for an output a kernel overwrites
     * entirely (a gradient written with beta = 0). The default is {@link #zeros}.
     */
    default Tensor uninitialized(Shape shape) {
        return zeros(shape);
    }

    /**
     * Takes back a tensor of this backend that nothing references any more (a dropped
     * intermediate gradient), to hand its storage out again from {@link #uninitialized}. The
     * default forgets it.
     */
    default void recycle(Tensor unreferenced) {
    }

    /** A copy of host tensor {@code host} (of this dtype) on this backend. */
    Tensor fromHost(Tensor host);

    /** A host copy of {@code t}, a tensor of this backend. */
    Tensor toHost(Tensor t);

    /** The value of one-element tensor {@code t}. */
    default double item(Tensor t) {
        return t.toHost().get(0);
    }

    /** Sets every element of {@code t} to {@code value}. */
    void fill(Tensor t, double value);

    // ---- elementwise ------------------------------------------------------------------------

    /** {@code y = f(x)} elementwise. */
    void unary(UnaryOp op, Tensor x, Tensor y);

    /**
     * {@code gradX += gradY * f'(x)}, where f' is written with whichever of {@code x} or
     * {@code y = f(x)} the op saved ({@link UnaryOp#savesOutput()}); the other may be null.
     */
    void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradY, Tensor gradX);

    /**
     * {@code out = a op b} with numpy broadcasting; {@code out} has the broadcast shape. May be
     * called with {@code out == a} (in place).
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** {@code y += alpha * x}, same shapes. */
    void axpy(double alpha, Tensor x, Tensor y);

    /** {@code y = x^T} for a 2-D {@code x}. */
    void transpose(Tensor x, Tensor y);

    // ---- reductions -------------------------------------------------------------------------

    /** The sum of all elements, written into the one-element tensor {@code out}. */
    void sum(Tensor x, Tensor out);

    /** {@code x} seen as [outer, len, inner]: {@code out[o, i] = sum_j x[o, j, i]} (overwrites). */
    void sumAxis(Tensor x, int outer, int len, int inner, Tensor out);

    // ---- linear algebra ---------------------------------------------------------------------

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on row-major storage with offsets and row
     * strides, as BLAS sgemm; {@code beta = 0} overwrites C.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              Tensor a, int aOff, int lda, Tensor b, int bOff, int ldb,
              double beta, Tensor c, int cOff, int ldc);

    // ---- losses -----------------------------------------------------------------------------

    /**
     * Mean softmax cross-entropy of [rows, classes] logits against {@code labels}, written into
     * the one-element tensor {@code loss}; the softmax goes into {@code probs}.
     */
    void softmaxCrossEntropy(Tensor logits, int[] labels, Tensor probs, Tensor loss);

    /** {@code gradLogits += gradLoss / rows * (probs - onehot(labels))}; gradLoss has one element. */
    void softmaxCrossEntropyBackward(Tensor probs, int[] labels, Tensor gradLoss, Tensor gradLogits);

    /** Row-wise {@code y = x - logsumexp(x)} of a 2-D tensor. */
    void logSoftmax(Tensor x, Tensor y);

    /** {@code gradX += gradY - exp(y) * rowsum(gradY)}. */
    void logSoftmaxBackward(Tensor y, Tensor gradY, Tensor gradX);

    // ---- convolution and pooling ------------------------------------------------------------

    /** One image [C,H,W] at {@code xOff} of {@code x} to columns [C*kh*kw, outH*outW] (overwrites). */
    void im2col(Tensor x, int xOff, ConvGeometry g, Tensor cols);

    /** The adjoint of {@link #im2col}: adds the columns back into image {@code gradXOff} of gradX. */
    void col2imBackward(Tensor cols, ConvGeometry g, Tensor gradX, int gradXOff);

    /**
     * Max-pool of an NCHW batch into {@code y}; returns, in this backend's own form, the flat
     * input index each output took (what backward needs).
     */
    Object maxPool2d(Tensor x, int k, int stride, int pad, Tensor y);

    /** {@code gradX[argmax[i]] += gradY[i]}, with {@code argmax} as {@link #maxPool2d} returned it. */
    void maxPool2dBackward(Tensor gradY, Object argmax, Tensor gradX);

    // ---- powerprop --------------------------------------------------------------------------

    /** {@code w = mask * v * |v|^(alpha-1)} (mask may be null). */
    void powerprop(double alpha, Tensor v, Tensor mask, Tensor w);

    /**
     * {@code gradV += mask * alpha * |v|^(alpha-1) * gradW} (mask may be null); with
     * {@code accumulate} false, {@code gradV = ...} without reading gradV (its first contribution).
     */
    void powerpropBackward(double alpha, Tensor v, Tensor mask, Tensor gradW, Tensor gradV, boolean accumulate);

    // ---- sparse -----------------------------------------------------------------------------

    /**
     * Makes {@code a}'s arrays resident on this backend for repeated products (an inference
     * model's weights) and returns this backend's handle for {@link #spmm}. The host backends
     * use the matrix itself.
     */
    default Object uploadCsr(CsrMatrix a) {
        return a;
    }

    /**
     * {@code c = A b + bias}: A is a CSR matrix as {@link #uploadCsr} returned it, {@code b} is
     * [A.cols, n], {@code c} is [A.rows, n], {@code bias} (one per row of A) may be null.
     */
    default void spmm(Object csr, Tensor b, Tensor bias, Tensor c) {
        throw new UnsupportedOperationException("sparse products are not implemented on " + name() + " yet");
    }

    // ---- optimiser updates ------------------------------------------------------------------

    /** One SGD step in PyTorch's semantics; {@code velocity} may be null when momentum is 0. */
    void sgdStep(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                 double weightDecay, boolean nesterov);

    /** One Adam step in PyTorch's semantics; {@code step} counts from 1. */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1,
                  double beta2, double eps, double weightDecay, int step);
}
