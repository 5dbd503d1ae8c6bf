package dev.powerprop.engine.backend;

import dev.powerprop.engine.Shape;

/**
 * Numpy broadcasting: shapes are aligned at their last axis, and an axis of size 1 (or a
 * missing leading axis) is repeated to match the other.
 *
 * <p>Kernels care about one common, fast case: an operand whose shape, without leading 1s, is a
 * suffix of the result's shape repeats with a fixed <em>period</em> over the flat result (a
 * scalar has period 1, a bias row over a batch has period = features, an equal shape has period
 * = numel). Anything else is handled through an explicit index map.
 */
public final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}, or an error naming both. */
    public static Shape shape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dimFromEnd(a, rank - 1 - i);
            int db = dimFromEnd(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("cannot broadcast shapes " + a + " and " + b
                        + ": axis " + i + " of the result would need " + da + " and " + db);
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /**
     * The period with which {@code from} repeats over the flat elements of {@code out}, or -1
     * when {@code from} is not a suffix of {@code out} (after dropping its leading 1s).
     */
    public static int period(Shape from, Shape out) {
        int lead = 0;
        while (lead < from.rank() && from.dim(lead) == 1) {
            lead++;
        }
        int len = from.rank() - lead;
        if (len > out.rank()) {
            return -1;
        }
        for (int i = 0; i < len; i++) {
            if (from.dim(lead + i) != out.dim(out.rank() - len + i)) {
                return -1;
            }
        }
        return from.numel();
    }

    /** For each flat index of {@code out}, the flat index of the element of {@code from} it reads. */
    public static int[] indexMap(Shape from, Shape out) {
        int rank = out.rank();
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int d = dimFromEnd(from, rank - 1 - i);
            strides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        int n = out.numel();
        int[] map = new int[n];
        int[] idx = new int[rank];
        int src = 0;
        for (int flat = 0; flat < n; flat++) {
            map[flat] = src;
            // Odometer increment over the output index, moving the source offset by its strides.
            for (int ax = rank - 1; ax >= 0; ax--) {
                idx[ax]++;
                src += strides[ax];
                if (idx[ax] < out.dim(ax)) {
                    break;
                }
                src -= strides[ax] * idx[ax];
                idx[ax] = 0;
            }
        }
        return map;
    }

    private static int dimFromEnd(Shape s, int fromEnd) {
        int ax = s.rank() - 1 - fromEnd;
        return ax >= 0 ? s.dim(ax) : 1;
    }
}
