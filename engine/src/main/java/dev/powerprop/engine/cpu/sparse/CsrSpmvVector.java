package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.cpu.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gather SpMV kernel: per row, 8 entries of x are gathered through {@code colIdx} and
 * multiplied with 8 contiguous values, into two vector sums (the gathers of one can run while
 * the other's FMA completes). Only loaded when {@code VectorSupport.ENABLED}.
 */
final class CsrSpmvVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    private CsrSpmvVector() {}

    static void rows(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, float[] x, float[] y,
                     float[] bias, boolean accumulate) {
        for (int r = r0; r < r1; r++) {
            int p = rowPtr[r];
            int end = rowPtr[r + 1];
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            for (; p + 2 * L <= end; p += 2 * L) {
                s0 = FloatVector.fromArray(S, x, 0, colIdx, p).fma(FloatVector.fromArray(S, values, p), s0);
                s1 = FloatVector.fromArray(S, x, 0, colIdx, p + L)
                        .fma(FloatVector.fromArray(S, values, p + L), s1);
            }
            if (p + L <= end) {
                s0 = FloatVector.fromArray(S, x, 0, colIdx, p).fma(FloatVector.fromArray(S, values, p), s0);
                p += L;
            }
            float sum = VectorMath.sumLanes(s0.add(s1));
            for (; p < end; p++) {
                sum += values[p] * x[colIdx[p]];
            }
            y[r] = CsrSpmv.finish(r, sum, y, bias, accumulate);
        }
    }
}
