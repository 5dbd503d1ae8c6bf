package dev.powerprop.opencl;

/** Sums on the device ({@code reduce.cl}), as the engine's {@code cpu/reduce/Reductions.sumAxis}. */
public final class ClReductions {
    private ClReductions() {}

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
