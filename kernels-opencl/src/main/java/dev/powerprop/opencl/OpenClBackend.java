package dev.powerprop.opencl;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.sparse.CsrMatrix;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.Broadcast;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.conv.ConvGeometry;

/**
 * The engine's {@link Backend} on one OpenCL device, float32: every tensor's storage is a
 * {@link DeviceBuffer} of this backend's {@link OpenClContext}, and every method enqueues
 * kernels on it. Nothing comes back to the host unless asked ({@link #toHost}, {@link #item});
 * the only host-to-device copies are the inputs ({@link #fromHost}), the int labels of the
 * losses and a few ints of shape (uploaded per call, small).
 *
 * <p>Every method runs on the device; the semantics are those of the engine's CpuBackend
 * (the kernels are tested against it). Kernels run in enqueue order on one in-order queue and
 * the methods return before they finish; a read waits for everything enqueued before it.
 *
 * <p>Tensors are garbage-collected Java objects: their buffers come from a {@link BufferPool}
 * that gets them back when the last tensor viewing one is collected, and that asks for a
 * collection when live device memory reaches its budget (a quarter of the device's global
 * memory, at most 1 GiB; set {@value #BUDGET_PROPERTY} in MiB to change it).
 */
public final class OpenClBackend implements Backend {
    /** System property: the device memory, in MiB, that tensors may hold before the pool asks for a collection. */
    public static final String BUDGET_PROPERTY = "powerprop.opencl.poolMiB";

    private final OpenClContext cx;
    private final BufferPool pool;
    private final String name;

    /** A backend that owns {@code context} from now on (use {@link OpenClBackendProvider} to open one by index). */
    OpenClBackend(OpenClContext context) {
        this(context, Long.getLong(BUDGET_PROPERTY,
                Math.min(context.device().globalMemBytes() / 4, 1L << 30) >> 20) << 20);
    }

    /** A backend on {@code context} whose tensors may hold {@code budgetBytes} of device memory before a collection. */
    OpenClBackend(OpenClContext context, long budgetBytes) {
        this.cx = context;
        DeviceInfo d = context.device();
        this.pool = new BufferPool(context, budgetBytes);
        this.name = "opencl:" + d.index() + " " + d.name() + " (" + OpenClDevices.platformVersion(d) + ", "
                + (d.gpu() ? "GPU" : "CPU") + ")";
    }

    /** The context whose buffers and queue this backend uses (for kernels that are not in {@link Backend}). */
    public OpenClContext context() {
        return cx;
    }

    /** Bytes of device memory the tensors' buffer pool holds now (live tensors and free buffers). */
    public long pooledBytes() {
        return pool.heldBytes();
    }

    /** OpenCL buffers the pool has created so far: constant over a training loop in steady state. */
    public long bufferAllocations() {
        return pool.allocations();
    }

    /** Waits until every kernel enqueued so far has finished (for timing; reads wait by themselves). */
    public void finish() {
        cx.finish();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    // ---- storage ----------------------------------------------------------------------------

    @Override
    public boolean isHost() {
        return false;
    }

    @Override
    public Tensor zeros(Shape shape) {
        return Tensor.onDevice(shape, this, pool.acquire(shape.numel()).zero());
    }

    @Override
    public Tensor fromHost(Tensor host) {
        if (host.dtype() != DType.F32 || !host.isHost()) {
            throw new IllegalArgumentException(name + " takes float32 host tensors, got " + host);
        }
        return Tensor.onDevice(host.shape(), this, pool.acquire(host.numel()).write(host.data()));
    }

    @Override
    public Tensor toHost(Tensor t) {
        float[] values = buf(t).read(0, new float[t.numel()], 0, t.numel());
        return Tensor.of(values, t.shape().dims());
    }

    @Override
    public double item(Tensor t) {
        if (t.numel() != 1) {
            throw new IllegalArgumentException("item() needs a one-element tensor, got shape " + t.shape());
        }
        return buf(t).read(0, new float[1], 0, 1)[0];
    }

    @Override
    public void fill(Tensor t, double value) {
        buf(t).fill((float) value);
    }

    // ---- elementwise ------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor y) {
        ClElementwise.unary(cx, op, buf(x), buf(y), x.numel());
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
        ClElementwise.unaryBackward(cx, op, x == null ? null : buf(x), y == null ? null : buf(y), buf(gradY),
                buf(gradX), gradX.numel());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        int n = out.numel();
        int aPeriod = Broadcast.period(a.shape(), out.shape());
        int bPeriod = Broadcast.period(b.shape(), out.shape());
        // The same split as CpuBackend: operands that repeat with a period (scalars, bias rows)
        // take the fast kernel, anything else the kernel that maps indices through strides.
        if (aPeriod > 0 && bPeriod > 0 && Math.max(aPeriod, bPeriod) == n) {
            ClElementwise.binaryPeriodic(cx, op, buf(a), aPeriod, buf(b), bPeriod, buf(out), n);
        } else {
            ClElementwise.binaryStrided(cx, op, buf(a), broadcastStrides(a.shape(), out.shape()), buf(b),
                    broadcastStrides(b.shape(), out.shape()), buf(out), out.shape().dims());
        }
    }

    /** Row-major strides of {@code from} aligned to {@code out}'s axes, 0 where it is broadcast (as Broadcast.indexMap). */
    private static int[] broadcastStrides(Shape from, Shape out) {
        int rank = out.rank();
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int axis = from.rank() - rank + i;
            int d = axis >= 0 ? from.dim(axis) : 1;
            strides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        ClElementwise.axpy(cx, (float) alpha, buf(x), buf(y), y.numel());
    }

    @Override
    public void transpose(Tensor x, Tensor y) {
        ClElementwise.transpose(cx, buf(x), x.dim(0), x.dim(1), buf(y));
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    public void sum(Tensor x, Tensor out) {
        ClReductions.sum(cx, buf(x), x.numel(), 1f, buf(out));
    }

    @Override
    public void sumAxis(Tensor x, int outer, int len, int inner, Tensor out) {
        ClReductions.sumAxis(cx, buf(x), outer, len, inner, buf(out));
    }

    // ---- linear algebra ---------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Tensor a, int aOff, int lda, Tensor b, int bOff, int ldb,
                     double beta, Tensor c, int cOff, int ldc) {
        ClGemm.gemm(cx, transA, transB, m, n, k, (float) alpha, buf(a), aOff, lda, buf(b), bOff, ldb, (float) beta,
                buf(c), cOff, ldc);
    }

    // ---- losses -----------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropy(Tensor logits, int[] labels, Tensor probs, Tensor loss) {
        int rows = logits.dim(0);
        int classes = logits.dim(1);
        try (DeviceBuffer deviceLabels = labels(labels, rows, classes);
             DeviceBuffer rowLoss = pool.acquire(ClSoftmaxCrossEntropy.rowLossLength(cx, rows))) {
            ClSoftmaxCrossEntropy.forward(cx, buf(logits), deviceLabels, rows, classes, buf(probs), rowLoss);
            ClSoftmaxCrossEntropy.mean(cx, rowLoss, rows, buf(loss));
        }
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probs, int[] labels, Tensor gradLoss, Tensor gradLogits) {
        int rows = probs.dim(0);
        int classes = probs.dim(1);
        try (DeviceBuffer deviceLabels = labels(labels, rows, classes)) {
            ClSoftmaxCrossEntropy.backward(cx, buf(probs), deviceLabels, rows, classes, buf(gradLoss),
                    buf(gradLogits));
        }
    }

    /**
     * The labels on the device, checked on the host first (the kernels index with them). Closing
     * the buffer right after enqueueing its kernels is safe: the queue is in order, so whoever
     * reuses it writes after they ran.
     */
    private DeviceBuffer labels(int[] labels, int rows, int classes) {
        if (labels.length != rows) {
            throw new IllegalArgumentException(labels.length + " labels for " + rows + " rows");
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("label out of range in row " + r + ": got " + labels[r]
                        + ", expected 0 <= label < " + classes);
            }
        }
        return pool.acquire(rows).write(labels);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor y) {
        ClLogSoftmax.forward(cx, buf(x), x.dim(0), x.dim(1), buf(y));
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gradY, Tensor gradX) {
        ClLogSoftmax.backward(cx, buf(y), buf(gradY), y.dim(0), y.dim(1), buf(gradX));
    }

    // ---- convolution and pooling ------------------------------------------------------------

    @Override
    public void im2col(Tensor x, int xOff, ConvGeometry g, Tensor cols) {
        ClConv.im2col(cx, buf(x), xOff, g, buf(cols), 0);
    }

    @Override
    public void col2imBackward(Tensor cols, ConvGeometry g, Tensor gradX, int gradXOff) {
        ClConv.col2im(cx, buf(cols), 0, g, buf(gradX), gradXOff);
    }

    /** What {@link #maxPool2d} hands to backward: the chosen input indices on the device, and the window. */
    record PoolArgmax(DeviceBuffer indices, int k, int stride, int pad) {}

    @Override
    public Object maxPool2d(Tensor x, int k, int stride, int pad, Tensor y) {
        DeviceBuffer argmax = pool.acquire(y.numel());
        ClMaxPool2d.forward(cx, buf(x), x.dim(0), x.dim(1), x.dim(2), x.dim(3), k, stride, pad, buf(y), argmax);
        return new PoolArgmax(argmax, k, stride, pad);
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Object argmax, Tensor gradX) {
        if (!(argmax instanceof PoolArgmax p)) {
            throw new IllegalArgumentException("argmax must come from this backend's maxPool2d, got " + argmax);
        }
        ClMaxPool2d.backward(cx, buf(gradY), p.indices(), gradX.dim(0), gradX.dim(1), gradX.dim(2), gradX.dim(3),
                p.k(), p.stride(), p.pad(), buf(gradX));
    }

    // ---- powerprop --------------------------------------------------------------------------

    @Override
    public void powerprop(double alpha, Tensor v, Tensor mask, Tensor w) {
        ClPowerprop.forward(cx, (float) alpha, buf(v), mask == null ? null : buf(mask), buf(w), v.numel());
    }

    @Override
    public void powerpropBackward(double alpha, Tensor v, Tensor mask, Tensor gradW, Tensor gradV,
                                  boolean accumulate) {
        ClPowerprop.backward(cx, (float) alpha, buf(v), mask == null ? null : buf(mask), buf(gradW), buf(gradV),
                v.numel(), accumulate);
    }

    // ---- optimiser updates ------------------------------------------------------------------

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                        double weightDecay, boolean nesterov) {
        ClSgd.step(cx, buf(param), buf(grad), velocity == null ? null : buf(velocity), param.numel(), (float) lr,
                (float) momentum, (float) weightDecay, nesterov);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1,
                         double beta2, double eps, double weightDecay, int step) {
        ClAdam.step(cx, buf(param), buf(grad), buf(m), buf(v), param.numel(), (float) lr, (float) beta1,
                (float) beta2, (float) eps, (float) weightDecay, step);
    }

    // ---- sparse -----------------------------------------------------------------------------

    /** A CSR matrix resident on the device (an inference model's weights, uploaded once). */
    private record DeviceCsr(int rows, int cols, DeviceBuffer rowPtr, DeviceBuffer colIdx, DeviceBuffer values) {}

    @Override
    public Object uploadCsr(CsrMatrix a) {
        // OpenCL cannot make an empty buffer: an all-zero matrix keeps one unused slot.
        int[] colIdx = a.nnz() == 0 ? new int[1] : a.colIdx();
        float[] values = a.nnz() == 0 ? new float[1] : a.values();
        return new DeviceCsr(a.rows(), a.cols(), cx.upload(a.rowPtr()), cx.upload(colIdx), cx.upload(values));
    }

    @Override
    public void spmm(Object csr, Tensor b, Tensor bias, Tensor c) {
        DeviceCsr a = (DeviceCsr) csr;
        int n = b.dim(1);
        ClSpmm.spmm(cx, a.rows(), n, a.cols(), a.rowPtr(), a.colIdx(), a.values(), buf(b), 0, n, buf(c), 0, n);
        if (bias != null) {
            // One bias per row of A: broadcast along the n columns.
            binary(BinaryOp.ADD, c, bias.view(Shape.of(a.rows(), 1)), c);
        }
    }

    /** The buffer of a tensor that lives on this backend, or an error naming where it lives. */
    private DeviceBuffer buf(Tensor t) {
        if (t.backend() != this) {
            throw new IllegalArgumentException("tensor " + t.shape() + " lives on " + t.backend().name() + ", not on "
                    + name + "; move it with to(backend)");
        }
        return (DeviceBuffer) t.deviceBuffer();
    }

    @Override
    public String toString() {
        return name;
    }
}
