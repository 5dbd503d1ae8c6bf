package dev.powerprop.engine.cpu.pool;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API inner loop of {@link MaxPool2dKernel}: one vector of adjacent output columns at a
 * time, each lane tracking its own running maximum and the index of that maximum.
 *
 * <p>Only loaded when {@link dev.powerprop.engine.cpu.VectorSupport#ENABLED} is true. Handles
 * columns whose window lies wholly inside the input, so every lane reads the same taps and needs
 * no clipping; the last, partial vector is masked rather than left to a scalar loop, because
 * pooled rows are short (14 columns after a 28-wide image) and a scalar tail would be most of one.
 */
final class MaxPool2dVector {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    // Same bit size, so the same number of lanes: lane l of both holds output column ox + l.
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    private MaxPool2dVector() {}

    /**
     * Output columns {@code [oxFrom, oxTo)} of one output row, all of whose windows lie inside the
     * input horizontally. Arguments as in {@code MaxPool2dKernel.scalarWindows}; same results.
     */
    static void windows(float[] x, int rowStart, int width, int iBegin, int iEnd, int k, int stride,
            int pad, int oxFrom, int oxTo, float[] y, int[] argmax, int out) {
        // The input column read by lane l is (ox + l)*stride - pad + j: lanes are stride apart.
        IntVector laneColumns = IntVector.zero(INTS).addIndex(stride);
        int[] gatherMap = stride == 1 ? null : laneColumns.toArray();
        for (int ox = oxFrom; ox < oxTo; ox += FLOATS.length()) {
            VectorMask<Float> lanes = FLOATS.indexInRange(ox, oxTo);
            boolean full = lanes.allTrue();
            int[] map = gatherMap;
            if (!full && gatherMap != null) {
                // Masked gathers still range-check every lane on this JDK, so the lanes past the
                // last column gather column ox instead (in range, and never stored).
                map = gatherMap.clone();
                Arrays.fill(map, oxTo - ox, map.length, 0);
            }
            int left = ox * stride - pad;
            int first = rowStart + iBegin * width + left;
            FloatVector best = load(x, first, map, lanes, full);
            IntVector bestIndex = laneColumns.add(first);
            for (int i = iBegin; i < iEnd; i++) {
                int row = rowStart + i * width + left;
                for (int j = 0; j < k; j++) {
                    FloatVector v = load(x, row + j, map, lanes, full);
                    // Same rule as the scalar loop: take v when best is not NaN and !(v <= best).
                    VectorMask<Float> take = best.compare(VectorOperators.EQ, best)
                            .andNot(v.compare(VectorOperators.LE, best));
                    best = best.blend(v, take);
                    bestIndex = bestIndex.blend(laneColumns.add(row + j), take.cast(INTS));
                }
            }
            if (full) {
                best.intoArray(y, out + ox);
                bestIndex.intoArray(argmax, out + ox);
            } else {
                best.intoArray(y, out + ox, lanes);
                bestIndex.intoArray(argmax, out + ox, lanes.cast(INTS));
            }
        }
    }

    // Stride 1 reads adjacent floats (lanes past the last column masked off, as they may lie past
    // the end of x); a larger stride gathers every stride-th one through the map.
    private static FloatVector load(float[] x, int offset, int[] gatherMap, VectorMask<Float> lanes,
            boolean full) {
        if (gatherMap != null) {
            return FloatVector.fromArray(FLOATS, x, offset, gatherMap, 0);
        }
        return full ? FloatVector.fromArray(FLOATS, x, offset) : FloatVector.fromArray(FLOATS, x, offset, lanes);
    }
}
