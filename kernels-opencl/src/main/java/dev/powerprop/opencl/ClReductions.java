package dev.powerprop.opencl;

/** Sums on the device ({@code reduce.cl}), as the engine's {@code cpu/reduce/Reductions}. */
public final class ClReductions {
    /** Elements a work-item adds in the first stage of {@link #sum}, at least. */
    private static final int CHUNK = 256;
    /** Partial sums of {@link #sum}, at most: the second stage adds them on one work-item. */
    private static final int MAX_PARTS = 1024;

    private ClReductions() {}

    /**
     * {@code out[0] = scale * sum(x[0..n))}, on the device in two stages: chunk sums in parallel,
     * then their sum (in float, chunk by chunk: the error grows with the chunk length, not n).
     */
    public static void sum(OpenClContext cx, DeviceBuffer x, int n, float scale, DeviceBuffer out) {
        ClChecks.lengths(n, "x", x);
        ClChecks.lengths(1, "out", out);
        if (n <= CHUNK) {
            cx.runOwned("sum_scaled", 1, n, scale, x, out);
            return;
        }
        int parts = Math.min(MAX_PARTS, (n + CHUNK - 1) / CHUNK);
        try (DeviceBuffer partial = cx.floats(parts)) {
            cx.runOwned("sum_chunks", parts, n, parts, x, partial);
            cx.runOwned("sum_scaled", 1, parts, scale, partial, out);
        }
    }

    /**
     * Sums the middle axis of x viewed as {@code [outer, len, inner]}:
     * {@code out[o*inner + i] = sum_j x[(o*len + j)*inner + i]} (overwrites {@code outer * inner}
     * floats). {@code outer = 1, inner = features} gives a bias gradient (column sums).
     */
    public static void sumAxis(OpenClContext cx, DeviceBuffer x, int outer, int len, int inner, DeviceBuffer out) {
        if (outer < 0 || len < 0 || inner < 0) {
            throw new IllegalArgumentException("outer, len and inner must be >= 0, got " + outer + ", " + len
                    + ", " + inner);
        }
        ClChecks.lengths(outer * len * inner, "x", x);
        ClChecks.lengths(outer * inner, "out", out);
        cx.runOwned("sum_axis", outer * inner, outer, len, inner, x, out);
    }
}
