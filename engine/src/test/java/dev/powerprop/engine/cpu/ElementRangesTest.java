package dev.powerprop.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElementRangesTest {

    /** The ranges {@link ElementRanges#run} hands out, sorted by their start. */
    private static List<int[]> ranges(int n, int lanes, int minElements, int threads) {
        List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
        ElementRanges.run(n, lanes, minElements, threads, (from, to) -> seen.add(new int[] {from, to}));
        List<int[]> sorted = new ArrayList<>(seen);
        sorted.sort(Comparator.comparingInt(r -> r[0]));
        return sorted;
    }

    @Test
    void innerBoundsAreWholeVectorsAndOnlyTheLastRangeHoldsTheTail() {
        for (int lanes : new int[] {1, 4, 8, 16}) {
            for (int threads : new int[] {2, 3, 4, 7}) {
                for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 33, 64, 1000, 4099, 235_200, 235_207}) {
                    int parts = ElementRanges.parts(n, lanes, 0, threads);
                    assertThat(ElementRanges.start(n, lanes, parts, 0)).isZero();
                    assertThat(ElementRanges.start(n, lanes, parts, parts)).isEqualTo(n);
                    for (int p = 1; p < parts; p++) {
                        int start = ElementRanges.start(n, lanes, parts, p);
                        String what = "lanes=" + lanes + " threads=" + threads + " n=" + n + " part=" + p;
                        assertThat(start % lanes).as(what).isZero();
                        // the global tail [n - n % lanes, n) stays whole in the last part
                        assertThat(start).as(what).isLessThanOrEqualTo(n - n % lanes)
                                .isGreaterThan(ElementRanges.start(n, lanes, parts, p - 1));
                    }
                }
            }
        }
    }

    @Test
    void theRangesCoverEveryElementOnceInOrder() {
        for (int n : new int[] {0, 5, 8, 9, 100, 4099}) {
            for (int threads : new int[] {1, 2, 3}) {
                List<int[]> r = ranges(n, 8, 0, threads);
                assertThat(r).hasSize(ElementRanges.parts(n, 8, 0, threads));
                int expectedFrom = 0;
                for (int[] range : r) {
                    assertThat(range[0]).isEqualTo(expectedFrom);
                    expectedFrom = range[1];
                }
                assertThat(expectedFrom).isEqualTo(n);
            }
        }
    }

    @Test
    void shortArraysAndSingleVectorsStayOnTheCallingThread() {
        assertThat(ElementRanges.parts(999, 8, 1000, 2)).isEqualTo(1);
        assertThat(ElementRanges.parts(1000, 8, 1000, 2)).isEqualTo(2);
        assertThat(ElementRanges.parts(1000, 8, 1000, 1)).isEqualTo(1);
        // fewer whole vectors than threads: one part per vector at most
        assertThat(ElementRanges.parts(15, 8, 0, 4)).isEqualTo(1);
        assertThat(ElementRanges.parts(17, 8, 0, 4)).isEqualTo(2);
        Thread caller = Thread.currentThread();
        Thread[] ran = new Thread[1];
        ElementRanges.run(999, 8, 1000, 2, (from, to) -> ran[0] = Thread.currentThread());
        assertThat(ran[0]).isSameAs(caller);
    }
}
