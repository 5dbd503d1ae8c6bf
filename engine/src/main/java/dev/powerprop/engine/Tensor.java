package dev.powerprop.engine;

import dev.powerprop.engine.autograd.Backprop;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.Backends;
import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.ops.ElementwiseBinary;
import dev.powerprop.engine.ops.ElementwiseUnary;
import dev.powerprop.engine.ops.LogSoftmax;
import dev.powerprop.engine.ops.MatMul;
import dev.powerprop.engine.ops.Reshape;
import dev.powerprop.engine.ops.Sum;
import dev.powerprop.engine.ops.Transpose;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense, contiguous, row-major array of numbers with a {@link Shape}, and optionally a
 * gradient and the {@link Op} that produced it.
 *
 * <p>Storage lives with a {@link Backend}: on the host it is a heap {@code float[]}
 * ({@link DType#F32}) or {@code double[]} ({@link DType#F64}); on a device (an OpenCL backend
 * found through {@link dev.powerprop.engine.backend.BackendProvider}) it is that backend's
 * buffer, and only {@link #toHost()} or {@link #item()} bring values back. {@link #reshape} is
 * a free view of the same storage; every other op allocates its output on its inputs' backend.
 * Gradients are recorded only for tensors that (transitively) come from a leaf marked with
 * {@link #requiresGrad(boolean)}, and not inside a {@link NoGrad} scope.
 */
public final class Tensor {
    private final Shape shape;
    // Storage: exactly one of floats, doubles, device is set. Not final only so that
    // moveTo() can move a parameter to a device without changing its identity.
    private DType dtype;
    private float[] floats;
    private double[] doubles;
    private Object device;
    private Backend backend;

    private boolean requiresGrad;
    private Tensor grad;
    /** The gradient buffer is kept from an earlier step for reuse, but holds no gradient now. */
    private boolean gradStale;
    private Op creator;
    /** Shared with every view of this storage: see {@link #version()}. */
    private Version version = new Version();

    /** A count of in-place writes, one per storage. */
    private static final class Version {
        int count;
    }

    private Tensor(Shape shape, DType dtype, float[] floats, double[] doubles) {
        this.shape = shape;
        this.dtype = dtype;
        this.floats = floats;
        this.doubles = doubles;
        this.backend = Backends.of(dtype);
    }

    private Tensor(Shape shape, Backend backend, Object device) {
        this.shape = shape;
        this.dtype = backend.dtype();
        this.backend = backend;
        this.device = device;
    }

    /**
     * A tensor whose storage is {@code buffer} on a device backend. For backend implementations:
     * users get device tensors from {@link Backend#zeros} and {@link Backend#fromHost}.
     */
    public static Tensor onDevice(Shape shape, Backend backend, Object buffer) {
        if (buffer == null) {
            throw new IllegalArgumentException("a device tensor needs a buffer");
        }
        return new Tensor(shape, backend, buffer);
    }

    // ---- factories -------------------------------------------------------------------------

    /** A float32 tensor that wraps {@code data} (no copy); its length must match the shape. */
    public static Tensor of(float[] data, int... dims) {
        Shape s = Shape.of(dims);
        checkLength(data.length, s);
        return new Tensor(s, DType.F32, data, null);
    }

    /** A float64 tensor that wraps {@code data} (no copy); its length must match the shape. */
    public static Tensor ofDoubles(double[] data, int... dims) {
        Shape s = Shape.of(dims);
        checkLength(data.length, s);
        return new Tensor(s, DType.F64, null, data);
    }

    /** A float32 scalar. */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** Zeros of the given type and shape. */
    public static Tensor zeros(DType dtype, Shape shape) {
        return dtype == DType.F32
                ? new Tensor(shape, dtype, new float[shape.numel()], null)
                : new Tensor(shape, dtype, null, new double[shape.numel()]);
    }

    /** Float32 zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(DType.F32, Shape.of(dims));
    }

    /** Float32 filled with {@code value}. */
    public static Tensor full(float value, int... dims) {
        Tensor t = zeros(dims);
        Arrays.fill(t.floats, value);
        return t;
    }

    /** Standard normal float32 values from {@code seed}: the same seed gives the same tensor. */
    public static Tensor randn(long seed, int... dims) {
        return randn(DType.F32, seed, dims);
    }

    /** Standard normal values of the given type from {@code seed}. */
    public static Tensor randn(DType dtype, long seed, int... dims) {
        Tensor t = zeros(dtype, Shape.of(dims));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < t.numel(); i++) {
            t.set(i, Gaussian.next(rng));
        }
        return t;
    }

    /** Uniform float32 values in {@code [low, high)} from {@code seed}. */
    public static Tensor rand(long seed, float low, float high, int... dims) {
        Tensor t = zeros(dims);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < t.numel(); i++) {
            t.floats[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    // ---- data ------------------------------------------------------------------------------

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public int numel() {
        return shape.numel();
    }

    /** Dimension {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    /** The float32 storage itself (not a copy); fails for a float64 or a device tensor. */
    public float[] data() {
        if (floats == null) {
            throw new IllegalStateException(device != null ? onDeviceMessage() : "tensor " + shape + " is F64; use doubles()");
        }
        return floats;
    }

    /** The float64 storage itself (not a copy); fails for a float32 or a device tensor. */
    public double[] doubles() {
        if (doubles == null) {
            throw new IllegalStateException(device != null ? onDeviceMessage() : "tensor " + shape + " is F32; use data()");
        }
        return doubles;
    }

    /** The device buffer of a device tensor (for its backend); fails for a host tensor. */
    public Object deviceBuffer() {
        if (device == null) {
            throw new IllegalStateException("tensor " + shape + " is on the host, not on a device");
        }
        return device;
    }

    /** True when the storage is a heap array (values can be read directly). */
    public boolean isHost() {
        return device == null;
    }

    private String onDeviceMessage() {
        return "tensor " + shape + " lives on " + backend.name() + "; call toHost() to read it";
    }

    /** Element {@code i} of the flat row-major storage, as a double (host tensors only). */
    public double get(int i) {
        if (floats != null) {
            return floats[i];
        }
        if (doubles != null) {
            return doubles[i];
        }
        throw new IllegalStateException(onDeviceMessage());
    }

    /** Sets element {@code i} of the flat storage (rounded to float for F32; host tensors only). */
    public void set(int i, double value) {
        markModified();
        if (floats != null) {
            floats[i] = (float) value;
        } else if (doubles != null) {
            doubles[i] = value;
        } else {
            throw new IllegalStateException(onDeviceMessage());
        }
    }

    /** The value of a one-element tensor (read back from a device if it lives on one). */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, got shape " + shape);
        }
        return device != null ? backend.item(this) : get(0);
    }

    /** The kernels that operate on this tensor's storage. */
    public Backend backend() {
        return backend;
    }

    /** This tensor's values on the host (itself if it is already there; else a copy). */
    public Tensor toHost() {
        return device == null ? this : backend.toHost(this);
    }

    /** This tensor's values on {@code target} (itself if already there; else a copy without history). */
    public Tensor to(Backend target) {
        if (target == backend) {
            return this;
        }
        Tensor host = toHost();
        if (host.dtype != target.dtype()) {
            host = host.to(target.dtype());
        }
        return target.isHost() ? host : target.fromHost(host);
    }

    /**
     * Moves this leaf's storage to {@code target} in place, keeping the object (so that layers
     * and optimisers holding it see the move). Its gradient is dropped.
     */
    public void moveTo(Backend target) {
        if (creator != null) {
            throw new IllegalStateException("only leaves (parameters, buffers) can be moved; this tensor was computed");
        }
        Tensor moved = to(target);
        if (moved == this) {
            return;
        }
        this.floats = moved.floats;
        this.doubles = moved.doubles;
        this.device = moved.device;
        this.backend = moved.backend;
        this.dtype = moved.dtype;
        markModified();
        this.grad = null;
        this.gradStale = false;
    }

    /** A copy with its own storage, no gradient and no history. */
    public Tensor copy() {
        if (device != null) {
            return backend.fromHost(backend.toHost(this));
        }
        return new Tensor(shape, dtype, floats == null ? null : floats.clone(),
                doubles == null ? null : doubles.clone());
    }

    /** A host copy converted to {@code target} (no history). */
    public Tensor to(DType target) {
        if (device != null) {
            return toHost().to(target);
        }
        if (target == dtype) {
            return copy();
        }
        Tensor t = zeros(target, shape);
        for (int i = 0; i < numel(); i++) {
            t.set(i, get(i));
        }
        return t;
    }

    /** A tensor sharing this storage (and its {@link #version()}) with another shape of the same size; no history. */
    public Tensor view(Shape newShape) {
        if (newShape.numel() != numel()) {
            throw new IllegalArgumentException("cannot view shape " + shape + " (" + numel()
                    + " elements) as " + newShape + " (" + newShape.numel() + " elements)");
        }
        Tensor v = device != null ? new Tensor(newShape, backend, device) : new Tensor(newShape, dtype, floats, doubles);
        v.backend = backend;
        v.version = version;
        return v;
    }

    /**
     * How many times this storage has been written in place ({@link #set}, an optimiser step,
     * {@link #markModified()}); views share the count. An op notes its inputs' versions when it
     * is recorded, and backward refuses an input whose version moved since, as PyTorch does:
     * its gradient would silently use the new values.
     */
    public int version() {
        return version.count;
    }

    /** Records an in-place write to this storage (for code that writes through {@link #data()}). */
    public void markModified() {
        version.count++;
    }

    /** This tensor's values without its history: a leaf that shares storage. */
    public Tensor detach() {
        return view(shape);
    }

    // ---- autograd --------------------------------------------------------------------------

    /** Marks a leaf as wanting a gradient (a parameter or an input one differentiates by). */
    public Tensor requiresGrad(boolean value) {
        if (creator != null && !value) {
            throw new IllegalStateException("cannot turn off gradients of a non-leaf tensor; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** True for leaves marked with {@link #requiresGrad(boolean)} and for results computed from them. */
    public boolean requiresGrad() {
        return requiresGrad || creator != null;
    }

    /** The op that produced this tensor, or null for a leaf or a constant. */
    public Op creator() {
        return creator;
    }

    /** Called by {@link Op#record}; a tensor is produced once. */
    public void setCreator(Op op) {
        if (creator != null) {
            throw new IllegalStateException("tensor already has a creator");
        }
        this.creator = op;
    }

    /** The accumulated gradient dL/d(this), or null before any backward reached it. */
    public Tensor grad() {
        return gradStale ? null : grad;
    }

    /**
     * The gradient to add into: zeros on the first contribution of a backward pass, the sum so
     * far after it. Ops whose kernel can write instead of add use {@link #gradStorage()}.
     */
    public Tensor gradBuffer() {
        if (grad == null) {
            // A recycled buffer zeroed here is in cache; a fresh array is zeroed by the JVM in
            // memory that usually is not.
            grad = backend.uninitialized(shape);
            backend.fill(grad, 0.0);
        } else if (gradStale) {
            backend.fill(grad, 0.0);
        }
        gradStale = false;
        return grad;
    }

    /** True once this backward pass has put a gradient here: a further contribution must add to it. */
    public boolean hasGrad() {
        return grad != null && !gradStale;
    }

    /**
     * The gradient's storage for an op that writes its contribution when {@link #hasGrad()} was
     * false (a GEMM with beta = 0) and adds it when true. Writing the first contribution saves
     * a zero-fill and a read of the whole buffer per step; the buffer is reused between steps.
     * Call {@code hasGrad()} first: when it was false, the returned buffer holds garbage and the
     * caller must overwrite all of it.
     */
    public Tensor gradStorage() {
        if (grad == null) {
            grad = backend.uninitialized(shape);
        }
        gradStale = false;
        return grad;
    }

    /**
     * Forgets the gradient (before the next step's backward). A leaf keeps the buffer to reuse:
     * a {@code Tensor} returned by an earlier {@link #grad()} is overwritten by the next backward.
     */
    public void zeroGrad() {
        if (grad != null) {
            gradStale = true;
        }
    }

    /** Drops an intermediate gradient once propagated; leaves keep theirs. */
    public void dropGrad() {
        if (creator != null) {
            if (grad != null) {
                backend.recycle(grad); // only this tensor ever referenced its gradient's storage
            }
            grad = null;
            gradStale = false;
        }
    }

    /** Back-propagates from this one-element tensor (dL/dL = 1). */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward() needs a one-element (scalar) loss, got shape "
                    + shape + "; pass a gradient with backward(Tensor)");
        }
        Tensor one = backend.zeros(shape);
        backend.fill(one, 1.0);
        backward(one);
    }

    /** Back-propagates with the given dL/d(this). */
    public void backward(Tensor gradOutput) {
        if (!requiresGrad()) {
            throw new IllegalStateException("backward() on a tensor that does not require a gradient "
                    + "(no input was marked requiresGrad(true), or it was computed under NoGrad)");
        }
        requireSameShape("backward gradient", this, gradOutput);
        Backprop.run(this, gradOutput.to(backend));
    }

    // ---- ops (each defined, with its backward, in dev.powerprop.engine.ops) ------------------

    public Tensor add(Tensor other) {
        return ElementwiseBinary.apply(BinaryOp.ADD, this, other);
    }

    public Tensor sub(Tensor other) {
        return ElementwiseBinary.apply(BinaryOp.SUB, this, other);
    }

    public Tensor mul(Tensor other) {
        return ElementwiseBinary.apply(BinaryOp.MUL, this, other);
    }

    public Tensor div(Tensor other) {
        return ElementwiseBinary.apply(BinaryOp.DIV, this, other);
    }

    /** Adds a scalar constant. */
    public Tensor add(double c) {
        return add(constantLike(c));
    }

    /** Multiplies by a scalar constant. */
    public Tensor mul(double c) {
        return mul(constantLike(c));
    }

    public Tensor neg() {
        return ElementwiseUnary.apply(UnaryOp.NEG, this);
    }

    public Tensor relu() {
        return ElementwiseUnary.apply(UnaryOp.RELU, this);
    }

    public Tensor exp() {
        return ElementwiseUnary.apply(UnaryOp.EXP, this);
    }

    public Tensor log() {
        return ElementwiseUnary.apply(UnaryOp.LOG, this);
    }

    public Tensor tanh() {
        return ElementwiseUnary.apply(UnaryOp.TANH, this);
    }

    public Tensor sigmoid() {
        return ElementwiseUnary.apply(UnaryOp.SIGMOID, this);
    }

    /** Matrix product of two 2-D tensors. */
    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, other, false, false);
    }

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return Sum.all(this);
    }

    /** Sum along {@code axis}, which is removed from the shape. */
    public Tensor sum(int axis) {
        return Sum.axis(this, axis, false);
    }

    /** Sum along {@code axis}; with {@code keepDims} the axis stays with size 1. */
    public Tensor sum(int axis, boolean keepDims) {
        return Sum.axis(this, axis, keepDims);
    }

    /** Mean of all elements, a scalar. */
    public Tensor mean() {
        return sum().mul(1.0 / numel());
    }

    /** Mean along {@code axis}, which is removed from the shape. */
    public Tensor mean(int axis) {
        return sum(axis).mul(1.0 / dim(axis));
    }

    /** The same elements in another shape of equal size (a free view; gradients flow). */
    public Tensor reshape(int... dims) {
        return Reshape.apply(this, Shape.of(dims));
    }

    /** The transpose of a 2-D tensor (a copy). */
    public Tensor transpose() {
        return Transpose.apply(this);
    }

    /** log(softmax(x)) along the last axis of a 2-D tensor. */
    public Tensor logSoftmax() {
        return LogSoftmax.apply(this);
    }

    private Tensor constantLike(double c) {
        Tensor t = backend.zeros(Shape.of());
        backend.fill(t, c);
        return t;
    }

    // ---- checks ----------------------------------------------------------------------------

    /** Fails, naming both shapes, unless {@code a} and {@code b} have the same shape. */
    public static void requireSameShape(String what, Tensor a, Tensor b) {
        if (!a.shape.equals(b.shape)) {
            throw new IllegalArgumentException(what + ": shapes differ, " + a.shape + " vs " + b.shape);
        }
    }

    /** Fails unless {@code a} and {@code b} have the same dtype and live on the same backend. */
    public static void requireSameBackend(String what, Tensor a, Tensor b) {
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException(what + ": dtypes differ, " + a.dtype + " vs " + b.dtype);
        }
        if (a.backend != b.backend) {
            throw new IllegalArgumentException(what + ": operands live on different backends, " + a.backend.name()
                    + " vs " + b.backend.name() + "; move one with to(backend)");
        }
    }

    private static void checkLength(int length, Shape s) {
        if (length != s.numel()) {
            throw new IllegalArgumentException("data has " + length + " elements but shape " + s
                    + " needs " + s.numel());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ').append(dtype);
        if (device != null) {
            return sb.append(" on ").append(backend.name()).toString();
        }
        int n = Math.min(numel(), 8);
        sb.append(" [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append((float) get(i));
        }
        sb.append(numel() > n ? ", ...]" : "]");
        if (creator != null) {
            sb.append(" <- ").append(creator.name());
        }
        return sb.toString();
    }
}
