package dev.powerprop.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * A device buffer of 4-byte elements (float or int), owned by one {@link OpenClContext}.
 * Release it with {@link #close()} (try-with-resources); a {@link Cleaner} releases a buffer
 * that became unreachable unclosed and logs the first such leak once.
 *
 * <p>Buffers of a {@link BufferPool} (the storage of {@link OpenClBackend}'s tensors) are
 * meant to be released by the garbage collector: tensors are ordinary Java objects, so when
 * the last tensor viewing a pooled buffer becomes unreachable the Cleaner returns its memory to
 * the pool, silently, and {@link #close()} returns it at once.
 *
 * <p>Reads and writes are blocking and explicit: nothing in this module copies to or from the
 * host behind a caller's back.
 */
public final class DeviceBuffer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.powerprop.opencl");
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicBoolean LEAK_REPORTED = new AtomicBoolean();

    private final OpenClContext context;
    private final cl_mem mem;
    private final int length;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /** What the cleaner runs: must not refer to the buffer itself, or it would never become unreachable. */
    private static final class Release implements Runnable {
        private final cl_mem mem;
        private final int length;
        private final BufferPool pool;
        private volatile boolean closed;

        Release(cl_mem mem, int length, BufferPool pool) {
            this.mem = mem;
            this.length = length;
            this.pool = pool;
        }

        @Override
        public void run() {
            if (pool != null) {
                pool.recycle(mem, length); // garbage collection is how pooled buffers are meant to go
                return;
            }
            if (!closed && LEAK_REPORTED.compareAndSet(false, true)) {
                LOG.warning("a DeviceBuffer was garbage-collected without close(); released it "
                        + "(reported once; use try-with-resources)");
            }
            CL.clReleaseMemObject(mem);
        }
    }

    DeviceBuffer(OpenClContext context, int length) {
        this(context, length, allocate(context, length), null);
    }

    /** A buffer over {@code mem} (of at least {@code length} elements) that goes back to {@code pool} when released. */
    DeviceBuffer(OpenClContext context, int length, cl_mem mem, BufferPool pool) {
        if (length < 0) {
            throw new IllegalArgumentException("buffer length must be >= 0, got " + length);
        }
        this.context = context;
        this.length = length;
        this.mem = mem;
        this.release = new Release(mem, length, pool);
        this.cleanable = CLEANER.register(this, release);
    }

    /** A new device allocation of {@code length} 4-byte elements. */
    static cl_mem allocate(OpenClContext context, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("buffer length must be >= 0, got " + length);
        }
        // OpenCL rejects 0-byte buffers; an empty one still gets a real (unused) allocation.
        return CL.clCreateBuffer(context.clContext(), CL_MEM_READ_WRITE, Math.max(1L, length) * Sizeof.cl_float,
                null, null);
    }

    /** Elements (floats or ints) this buffer holds. */
    public int length() {
        return length;
    }

    /** The OpenCL handle, for kernels. */
    cl_mem mem() {
        return mem;
    }

    /** Copies {@code src} into elements {@code [0, src.length)}. */
    public DeviceBuffer write(float[] src) {
        return write(src, 0, 0, src.length);
    }

    /** Copies {@code count} floats from {@code src[srcOff..]} to elements {@code [dstOff, dstOff + count)}. */
    public DeviceBuffer write(float[] src, int srcOff, int dstOff, int count) {
        checkRange(dstOff, count);
        if (count > 0) {
            CL.clEnqueueWriteBuffer(context.queue(), mem, CL_TRUE, (long) dstOff * Sizeof.cl_float,
                    (long) count * Sizeof.cl_float, Pointer.to(src).withByteOffset((long) srcOff * Sizeof.cl_float),
                    0, null, null);
        }
        return this;
    }

    /** Copies {@code src} (ints: labels, row pointers, column indices) into elements {@code [0, src.length)}. */
    public DeviceBuffer write(int[] src) {
        checkRange(0, src.length);
        if (src.length > 0) {
            CL.clEnqueueWriteBuffer(context.queue(), mem, CL_TRUE, 0, (long) src.length * Sizeof.cl_int,
                    Pointer.to(src), 0, null, null);
        }
        return this;
    }

    /** Copies elements {@code [0, dst.length)} into {@code dst}, after every kernel enqueued before. */
    public float[] read(float[] dst) {
        return read(0, dst, 0, dst.length);
    }

    /** Copies {@code count} floats from elements {@code [srcOff, srcOff + count)} to {@code dst[dstOff..]}. */
    public float[] read(int srcOff, float[] dst, int dstOff, int count) {
        checkRange(srcOff, count);
        if (count > 0) {
            CL.clEnqueueReadBuffer(context.queue(), mem, CL_TRUE, (long) srcOff * Sizeof.cl_float,
                    (long) count * Sizeof.cl_float, Pointer.to(dst).withByteOffset((long) dstOff * Sizeof.cl_float),
                    0, null, null);
        }
        return dst;
    }

    /** Copies elements {@code [0, dst.length)} as ints into {@code dst}. */
    public int[] read(int[] dst) {
        checkRange(0, dst.length);
        if (dst.length > 0) {
            CL.clEnqueueReadBuffer(context.queue(), mem, CL_TRUE, 0, (long) dst.length * Sizeof.cl_int,
                    Pointer.to(dst), 0, null, null);
        }
        return dst;
    }

    /** Sets every element to 0 (0.0f and integer 0 have the same bits). */
    public DeviceBuffer zero() {
        if (length > 0) {
            CL.clEnqueueFillBuffer(context.queue(), mem, Pointer.to(new int[] {0}), Sizeof.cl_int, 0,
                    (long) length * Sizeof.cl_int, 0, null, null);
        }
        return this;
    }

    /** Sets every element to {@code value}. */
    public DeviceBuffer fill(float value) {
        if (length > 0) {
            CL.clEnqueueFillBuffer(context.queue(), mem, Pointer.to(new float[] {value}), Sizeof.cl_float, 0,
                    (long) length * Sizeof.cl_float, 0, null, null);
        }
        return this;
    }

    private void checkRange(int off, int count) {
        if (off < 0 || count < 0 || (long) off + count > length) {
            throw new IllegalArgumentException("range [" + off + ", " + ((long) off + count)
                    + ") is outside this buffer of " + length + " elements");
        }
    }

    /** Releases the device memory now (back to its pool, if it has one); idempotent. */
    @Override
    public void close() {
        release.closed = true;
        cleanable.clean();
    }
}
