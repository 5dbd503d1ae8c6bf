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
