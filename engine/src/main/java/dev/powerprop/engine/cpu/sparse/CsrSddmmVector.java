package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.cpu.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector dot products for {@link CsrSddmm}: two partial sums of 8 lanes each, so consecutive
 * FMAs do not wait on each other, a lane reduction, then a scalar tail. Only loaded when
 * {@code VectorSupport.ENABLED}.
 */
final class CsrSddmmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    private CsrSddmmVector() {}

    static void rows(int r0, int r1, int[] rowPtr, int[] colIdx, float[] x, float[] y, int n, float[] out) {
        int vectorEnd = n - n % L;
        for (int r = r0; r < r1; r++) {
            int xRow = r * n;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                int yRow = colIdx[p] * n;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = FloatVector.zero(S);
                int j = 0;
                for (; j + 2 * L <= vectorEnd; j += 2 * L) {
                    s0 = FloatVector.fromArray(S, x, xRow + j).fma(FloatVector.fromArray(S, y, yRow + j), s0);
                    s1 = FloatVector.fromArray(S, x, xRow + j + L)
                            .fma(FloatVector.fromArray(S, y, yRow + j + L), s1);
                }
                if (j < vectorEnd) {
                    s0 = FloatVector.fromArray(S, x, xRow + j).fma(FloatVector.fromArray(S, y, yRow + j), s0);
                    j += L;
                }
                out[p] += VectorMath.sumLanes(s0.add(s1)) + CsrSddmm.dot(x, xRow, y, yRow, j, n);
            }
        }
    }
}
