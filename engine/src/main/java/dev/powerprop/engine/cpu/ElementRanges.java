package dev.powerprop.engine.cpu;

/**
 * How an elementwise kernel splits {@code [0, n)} over the {@link Parallel} team without
 * changing a bit of its result.
 *
 * <p>Every inner boundary is a multiple of the vector length {@code lanes}, so each part runs
 * whole vectors and only the last part reaches the scalar tail, which stays the global last
 * {@code n % lanes} elements. Every element then goes through the same lane or the same scalar
 * formula as on one thread (the OpenCL backend mirrors exactly those lanes and that tail).
 */
public final class ElementRanges {
    private ElementRanges() {}

    /** A kernel's loop over {@code [from, to)}; {@code from} is 0 or a multiple of the lanes. */
    @FunctionalInterface
    public interface Body {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in up to {@code threads} parts, or once on the calling
     * thread when {@code n < minElements} (a hand-off on the team costs a few microseconds, more
     * than a short pass) or when there are fewer whole vectors than parts.
     */
    public static void run(int n, int lanes, int minElements, int threads, Body body) {
        int parts = parts(n, lanes, minElements, threads);
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        Parallel.run(parts, part -> body.run(start(n, lanes, parts, part), start(n, lanes, parts, part + 1)));
    }

    /** How many parts {@link #run} uses. */
    public static int parts(int n, int lanes, int minElements, int threads) {
        if (n < minElements) {
            return 1;
        }
        return Math.max(1, Math.min(threads, n / lanes));
    }

    /** Start of part {@code part} (end of part {@code part - 1}): whole vectors split near-equally; the tail goes to the last part. */
    public static int start(int n, int lanes, int parts, int part) {
        if (part == parts) {
            return n;
        }
        return Parallel.splitStart(n / lanes, parts, part) * lanes;
    }
}
