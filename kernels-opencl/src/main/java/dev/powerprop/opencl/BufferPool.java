package dev.powerprop.opencl;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.jocl.CL;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * The device memory behind {@link OpenClBackend}'s tensors: exact-size free lists of
 * {@code cl_mem}s that garbage-collected tensors handed back, and a budget on device memory.
 *
 * <p>A training step allocates the same sizes every step (activations, gradients), so exact
 * sizes are reused and a steady-state step creates no new OpenCL buffer. Tensors are freed by
 * the garbage collector, which sees only their small Java objects, never the device memory they
 * hold; so, as the JDK does for direct byte buffers, when the memory held would pass the budget
 * the pool first releases its free lists, then asks for a collection and waits briefly for the
 * Cleaner to hand buffers back.
 *
 * <p>Reuse is safe without events because the context has one in-order queue: every command on
 * a recycled buffer is enqueued after every command its previous tensor enqueued.
 */
final class BufferPool {
    private static final Logger LOG = Logger.getLogger("dev.powerprop.opencl");
    /** Collections to try (with waits of 1, 2, 4, ... ms for the Cleaner) before allocating over the budget. */
    private static final int COLLECTIONS = 6;

    private final OpenClContext context;
    private final long budgetBytes;
    private final Map<Integer, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long heldBytes;
    private long freeBytes;
    private long allocations;
    private long collections;
    private boolean overBudgetReported;

    BufferPool(OpenClContext context, long budgetBytes) {
        this.context = context;
        this.budgetBytes = budgetBytes;
    }

    /** A buffer of {@code length} elements with unspecified contents; released by close() or the garbage collector. */
    DeviceBuffer acquire(int length) {
        return new DeviceBuffer(context, length, take(length), this);
    }

    private synchronized cl_mem take(int length) {
        cl_mem mem = pop(length);
        if (mem != null) {
            return mem;
        }
        long need = bytes(length);
        if (heldBytes + need > budgetBytes) {
            mem = collect(length, need);
            if (mem != null) {
                return mem;
            }
        }
        mem = DeviceBuffer.allocate(context, length);
        heldBytes += need;
        allocations++;
        return mem;
    }

    private cl_mem pop(int length) {
        ArrayDeque<cl_mem> list = free.get(length);
        if (list == null || list.isEmpty()) {
            return null;
        }
        freeBytes -= bytes(length);
        return list.pop();
    }

    /**
     * Collects garbage until a buffer of {@code length} comes back (the garbage is most likely
     * last step's tensors, of the sizes this step wants) or the memory held fits {@code need}
     * more after the free lists are released; null when a new buffer must be allocated.
     */
    private cl_mem collect(int length, long need) {
        for (int attempt = 0; attempt < COLLECTIONS; attempt++) {
            collections++;
            System.gc();
            long deadline = System.nanoTime() + (1_000_000L << attempt);
            // The Cleaner thread recycles asynchronously and notifies: wait for it a little.
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                cl_mem mem = pop(length);
                if (mem != null) {
                    return mem;
                }
                try {
                    wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            cl_mem mem = pop(length);
            if (mem != null) {
                return mem;
            }
            releaseFree();
            if (heldBytes + need <= budgetBytes) {
                return null;
            }
        }
        if (!overBudgetReported) {
            overBudgetReported = true;
            LOG.warning(String.format("OpenCL tensors hold %d MiB of live device memory, over the pool's budget of "
                    + "%d MiB; allocating anyway (reported once; raise -D%s)", heldBytes >> 20, budgetBytes >> 20,
                    OpenClBackend.BUDGET_PROPERTY));
        }
        return null;
    }

    /** Called by a released {@link DeviceBuffer}: keeps the memory for reuse, unless the pool is over its budget. */
    synchronized void recycle(cl_mem mem, int length) {
        long size = bytes(length);
        if (heldBytes > budgetBytes) {
            CL.clReleaseMemObject(mem);
            heldBytes -= size;
        } else {
            free.computeIfAbsent(length, k -> new ArrayDeque<>()).push(mem);
            freeBytes += size;
        }
        notifyAll();
    }

    private void releaseFree() {
        for (ArrayDeque<cl_mem> list : free.values()) {
            for (cl_mem mem : list) {
                CL.clReleaseMemObject(mem);
            }
        }
        free.clear();
        heldBytes -= freeBytes;
        freeBytes = 0;
    }

    /** Bytes of device memory held (by live tensors and the free lists). */
    synchronized long heldBytes() {
        return heldBytes;
    }

    /** OpenCL buffers created so far (a steady training loop stops creating them). */
    synchronized long allocations() {
        return allocations;
    }

    /** Collections the pool asked for to stay within its budget. */
    synchronized long collections() {
        return collections;
    }

    private static long bytes(int length) {
        return Math.max(1L, length) * Sizeof.cl_float;
    }
}
