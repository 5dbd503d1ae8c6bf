package dev.powerprop.engine.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
     *
     * <p>A training step calls this a dozen times for products of a few hundred microseconds,
     * so the hand-off must cost microseconds, not the tens that waking a parked pool thread
     * costs: one caller at a time uses a {@link Team} of workers that spin briefly between
     * jobs. A second caller at the same moment (jobs side by side, or a kernel inside a part)
     * falls back to the plain executor.
     */
    public static void run(int parts, IntConsumer body) {
        if (parts <= 1) {
            if (parts == 1) {
                body.accept(0);
            }
            return;
        }
        Team t = team();
        if (t.busy.compareAndSet(false, true)) {
            try {
                rethrow(t.run(parts, body));
            } finally {
                t.busy.set(false);
            }
        } else {
            rethrow(runOnExecutor(parts, body));
        }
    }

    private static Throwable runOnExecutor(int parts, IntConsumer body) {
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
        return failure.get();
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** One job: parts are claimed in order from {@code next}; the caller takes part 0. */
    private static final class Job {
        final IntConsumer body;
        final int parts;
        final AtomicInteger next = new AtomicInteger(1);
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(IntConsumer body, int parts) {
            this.body = body;
            this.parts = parts;
        }

        /** Runs parts until none is left to claim. */
        void work() {
            for (int part = next.getAndIncrement(); part < parts; part = next.getAndIncrement()) {
                runPart(part);
            }
        }

        void runPart(int part) {
            try {
                body.accept(part);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                finished.incrementAndGet();
            }
        }
    }

    /**
     * Worker threads (one fewer than the cores) that wait for the next job by spinning for
     * {@link #SPIN_NANOS}, then park. Which thread runs a part does not change the result: each
     * part's range is fixed by its index.
     */
    private static final class Team {
        /** About the gap between two products of a training step: a worker is still awake for the next. */
        static final long SPIN_NANOS = 200_000;

        /** Held by the one caller using the team (not reentrant: a part's own run() falls back). */
        final AtomicBoolean busy = new AtomicBoolean();
        final Thread[] workers;
        /** Published job and its number; a worker runs a job once it sees a new number. */
        volatile Job job;
        volatile long epoch;
        final AtomicInteger parked = new AtomicInteger();

        Team(int size) {
            workers = new Thread[size];
            for (int i = 0; i < size; i++) {
                Thread w = new Thread(this::workLoop, "powerprop-kernel-team-" + i);
                w.setDaemon(true); // a library's threads must never keep a JVM alive
                workers[i] = w;
                w.start();
            }
        }

        Throwable run(int parts, IntConsumer body) {
            Job j = new Job(body, parts);
            job = j;
            epoch++; // volatile write after the job: a worker that sees the number sees the job
            if (parked.get() > 0) {
                for (Thread w : workers) {
                    LockSupport.unpark(w);
                }
            }
            j.runPart(0);
            j.work();
            while (j.finished.get() < parts) {
                Thread.onSpinWait(); // the last parts are running on workers
            }
            job = null;
            return j.failure.get();
        }

        private void workLoop() {
            long seen = 0;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (epoch == seen) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked.incrementAndGet();
                        if (epoch == seen) { // checked after announcing: a new job unparks us
                            LockSupport.park(this);
                        }
                        parked.decrementAndGet();
                        spinUntil = System.nanoTime() + SPIN_NANOS;
                    }
                }
                seen = epoch;
                Job j = job;
                if (j != null) {
                    j.work();
                }
            }
        }
    }

    private static volatile Team team;

    private static Team team() {
        Team t = team;
        if (t == null) {
            synchronized (Parallel.class) {
                t = team;
                if (t == null) {
                    t = new Team(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
                    team = t;
                }
            }
        }
        return t;
    }

    /**
     * Runs {@code body.accept(chunk)} for every chunk in {@code [0, chunks)}, on at most
     * {@code threads} threads, each taking the next chunk in order as soon as it is free. On a
     * shared machine one core can run at half speed for a while; with a static split the whole
     * job then waits for its part, while here the other thread takes more chunks. Which thread
     * runs a chunk must not change what the chunk computes: callers fix each chunk's range by
     * its index, so results stay bitwise the same. With {@code threads == 1} the chunks run in
     * order on the calling thread.
     */
    public static void runDynamic(int threads, int chunks, IntConsumer body) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        int parts = Math.min(threads, chunks);
        if (parts <= 1) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                body.accept(chunk);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        run(parts, part -> {
            for (int chunk = next.getAndIncrement(); chunk < chunks; chunk = next.getAndIncrement()) {
                body.accept(chunk);
            }
        });
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
