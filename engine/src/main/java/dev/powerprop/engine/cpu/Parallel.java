package dev.powerprop.engine.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool sized to the cores, on which kernels split static ranges of work.
 *
 * <p>Static splitting (part {@code i} of {@code parts}) keeps kernels deterministic: the same
 * inputs give the same bits whatever the scheduling, because each output element is always
 * computed by the same loop in the same order.
 */
public final class Parallel {
    private static volatile int threads = Math.max(1,
            Integer.getInteger("powerprop.threads", Runtime.getRuntime().availableProcessors()));
    private static volatile ExecutorService pool;
    /** A per-thread limit, for callers that run several independent jobs side by side. */
    private static final ThreadLocal<Integer> THREAD_LIMIT = new ThreadLocal<>();

    private Parallel() {}

    /**
     * How many threads kernels split their work over: the calling thread's own limit if it set
     * one ({@link #limitCurrentThread}), else the global setting (default: the number of cores).
     */
    public static int threads() {
        Integer own = THREAD_LIMIT.get();
        return own != null ? own : threads;
    }

    /**
     * Limits the kernels called from this thread to {@code n} threads (null: back to the global
     * setting). Two training jobs side by side on two cores each use 1, rather than both
     * splitting every product over both cores.
     */
    public static void limitCurrentThread(Integer n) {
        if (n != null && n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n == null) {
            THREAD_LIMIT.remove();
        } else {
            THREAD_LIMIT.set(n);
        }
    }

    /** Sets how many threads kernels use from now on; 1 means run on the calling thread only. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        threads = n;
    }

    /**
     * Runs {@code body.accept(part)} for every part in {@code [0, parts)} and returns when all
     * are done. Part 0 runs on the calling thread, the others on the pool. An exception in any
     * part is rethrown here.
     */
    public static void run(int parts, IntConsumer body) {
        if (parts <= 1) {
            if (parts == 1) {
                body.accept(0);
            }
            return;
        }
        ExecutorService p = pool();
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int part = 1; part < parts; part++) {
            final int i = part;
            p.execute(() -> {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            body.accept(0);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kernel threads", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Start of part {@code part} when {@code n} items are split into {@code parts} near-equal ranges. */
    public static int splitStart(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    // Workers are daemons: a library pool must never keep a JVM alive.
                    p = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "powerprop-kernel");
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }
}
