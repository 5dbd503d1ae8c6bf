package dev.powerprop.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyPartRunsExactlyOnceForAnyNumberOfParts() {
        for (int parts : new int[] {0, 1, 2, 3, 7, 64}) {
            for (int repeat = 0; repeat < 200; repeat++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(parts, 1));
                Parallel.run(parts, runs::incrementAndGet);
                for (int p = 0; p < parts; p++) {
                    assertThat(runs.get(p)).as("parts=%d part=%d repeat=%d", parts, p, repeat).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void dynamicChunksRunExactlyOnceOnAtMostTheGivenThreads() {
        for (int threads : new int[] {1, 2, 3}) {
            for (int chunks : new int[] {0, 1, 2, 5, 64}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(chunks, 1));
                java.util.Set<Thread> ranOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
                Parallel.runDynamic(threads, chunks, chunk -> {
                    runs.incrementAndGet(chunk);
                    ranOn.add(Thread.currentThread());
                });
                for (int c = 0; c < chunks; c++) {
                    assertThat(runs.get(c)).as("threads=%d chunks=%d chunk=%d", threads, chunks, c).isEqualTo(1);
                }
                assertThat(ranOn.size()).as("threads=%d chunks=%d", threads, chunks).isLessThanOrEqualTo(threads);
            }
        }
    }

    @Test
    void oneThreadRunsTheChunksInOrderOnTheCaller() {
        Thread caller = Thread.currentThread();
        List<Integer> order = new ArrayList<>();
        Parallel.runDynamic(1, 6, chunk -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            order.add(chunk);
        });
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
        assertThatThrownBy(() -> Parallel.runDynamic(0, 3, chunk -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads must be >= 1, got 0");
    }

    @Test
    void aFastThreadTakesTheChunksOfASlowOne() {
        // Chunk 0 stalls its thread; the other thread must not wait for it to finish the rest.
        java.util.concurrent.CountDownLatch othersDone = new java.util.concurrent.CountDownLatch(9);
        java.util.Set<Thread> ranOthers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Parallel.runDynamic(2, 10, chunk -> {
            if (chunk == 0) {
                try {
                    assertThat(othersDone.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                ranOthers.add(Thread.currentThread());
                othersDone.countDown();
            }
        });
        assertThat(ranOthers).as("chunks 1..9 all ran on the thread that did not take chunk 0").hasSize(1);
    }

    @Test
    void partZeroRunsOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        Thread[] ranPartZero = new Thread[1];
        Parallel.run(4, part -> {
            if (part == 0) {
                ranPartZero[0] = Thread.currentThread();
            }
        });
        assertThat(ranPartZero[0]).isSameAs(caller);
    }

    @Test
    void anExceptionInAnyPartReachesTheCallerAndTheNextRunStillWorks() {
        assertThatThrownBy(() -> Parallel.run(5, part -> {
            if (part == 3) {
                throw new IllegalStateException("part 3 failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("part 3 failed");
        AtomicIntegerArray runs = new AtomicIntegerArray(5);
        Parallel.run(5, runs::incrementAndGet);
        for (int p = 0; p < 5; p++) {
            assertThat(runs.get(p)).isEqualTo(1);
        }
    }

    @Test
    void aRunInsideAPartAndRunsFromSeveralThreadsAtOnceAllComplete() throws Exception {
        // The team serves one caller; the others (and a nested run) take the executor path.
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                results.add(callers.submit(() -> {
                    int[] sums = new int[50];
                    for (int r = 0; r < sums.length; r++) {
                        AtomicIntegerArray inner = new AtomicIntegerArray(3 * 3);
                        Parallel.run(3, outer -> Parallel.run(3, in -> inner.incrementAndGet(outer * 3 + in)));
                        for (int i = 0; i < 9; i++) {
                            sums[r] += inner.get(i);
                        }
                    }
                    return sums;
                }));
            }
            for (Future<int[]> f : results) {
                assertThat(f.get()).containsOnly(9);
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
