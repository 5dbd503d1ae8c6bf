package dev.powerprop.engine.cpu.reduce;

import dev.powerprop.engine.cpu.VectorMath;
import dev.powerprop.engine.cpu.VectorSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API sums; loaded only when {@code VectorSupport.ENABLED}. See {@link Reductions} for the
 * error bounds. Always {@code VectorSupport.ROW_LANES} (8) lanes, also where the JVM prefers 16:
 * the partial sums, and so the bits of a sum, are then the same on every machine with AVX2 or
 * AVX-512.
 */
final class ReductionsVector {
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.ROW_LANES * Float.SIZE));
    private static final int L = F.length();

    private ReductionsVector() {}

    static double sum(float[] x, int off, int n) {
        double total = 0;
        for (int start = 0; start < n; start += Reductions.BLOCK) {
            total += blockSum(x, off + start, Math.min(Reductions.BLOCK, n - start));
        }
        return total;
    }

    /** Float sum of a block: four independent accumulators hide the add latency (4 cycles) and split the rounding error. */
    private static float blockSum(float[] x, int off, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(F, x, off + i));
            s1 = s1.add(FloatVector.fromArray(F, x, off + i + L));
            s2 = s2.add(FloatVector.fromArray(F, x, off + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(F, x, off + i + 3 * L));
        }
        for (int bound = n - L; i <= bound; i += L) {
            s0 = s0.add(FloatVector.fromArray(F, x, off + i));
        }
        float s = VectorMath.sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    static void sumAxis(float[] x, int outer, int len, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            if (inner == 1) {
                out[o] = (float) sum(x, o * len, len);
                continue;
            }
            int base = o * len * inner;
            int outBase = o * inner;
            int i = 0;
            // Columns in strips of 4 vectors held in registers while j walks down the rows:
            // out is written once, and each row contributes one contiguous 4L-float run.
            for (int bound = inner - 4 * L; i <= bound; i += 4 * L) {
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F);
                FloatVector s3 = FloatVector.zero(F);
                for (int j = 0, p = base + i; j < len; j++, p += inner) {
                    s0 = s0.add(FloatVector.fromArray(F, x, p));
                    s1 = s1.add(FloatVector.fromArray(F, x, p + L));
                    s2 = s2.add(FloatVector.fromArray(F, x, p + 2 * L));
                    s3 = s3.add(FloatVector.fromArray(F, x, p + 3 * L));
                }
                s0.intoArray(out, outBase + i);
                s1.intoArray(out, outBase + i + L);
                s2.intoArray(out, outBase + i + 2 * L);
                s3.intoArray(out, outBase + i + 3 * L);
            }
            for (int bound = inner - L; i <= bound; i += L) {
                FloatVector s = FloatVector.zero(F);
                for (int j = 0, p = base + i; j < len; j++, p += inner) {
                    s = s.add(FloatVector.fromArray(F, x, p));
                }
                s.intoArray(out, outBase + i);
            }
            for (; i < inner; i++) {
                float s = 0f;
                for (int j = 0, p = base + i; j < len; j++, p += inner) {
                    s += x[p];
                }
                out[outBase + i] = s;
            }
        }
    }
}
