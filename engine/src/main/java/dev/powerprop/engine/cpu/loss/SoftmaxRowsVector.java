package dev.powerprop.engine.cpu.loss;

import dev.powerprop.engine.cpu.VectorMath;
import dev.powerprop.engine.cpu.VectorSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link SoftmaxRows} primitives a vector at a time, scalar tails. Loaded only when
 * {@code VectorSupport.ENABLED}. {@code exp} is {@link VectorMath#exp} (Cephes' polynomial, about
 * an ulp) in the vector lanes and {@code Math.exp} in the tail, so results may differ from the
 * scalar path in the last bit.
 *
 * <p>Always {@code VectorSupport.ROW_LANES} (8) lanes, also where the JVM prefers 16: which
 * elements of a row fall in the tail, and how the sums are split, then do not depend on the
 * machine, and a training run gives the same bits with AVX2 and with AVX-512 (with 16 lanes, a
 * row of 10 logits was all tail). Rows are short (the classes of one sample), so the width costs
 * nothing measurable.
 */
final class SoftmaxRowsVector {
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.ROW_LANES * Float.SIZE));
    private static final int L = F.length();

    private SoftmaxRowsVector() {}

    static float max(float[] x, int off, int n) {
        int i = 0;
        float m = x[off];
        if (n >= L) {
            FloatVector mv = FloatVector.fromArray(F, x, off);
            for (i = L; i <= n - L; i += L) {
                mv = mv.max(FloatVector.fromArray(F, x, off + i));
            }
            m = mv.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    static float expSum(float[] x, int off, int n, float shift, float[] out) {
        FloatVector s = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, off + i).sub(shift));
            if (out != null) {
                e.intoArray(out, off + i);
            }
            s = s.add(e);
        }
        return VectorMath.sumLanes(s) + SoftmaxRows.expSum(x, off + i, n - i, shift, out);
    }

    static void scale(float[] x, int off, int n, float factor) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, x, off + i).mul(factor).intoArray(x, off + i);
        }
        SoftmaxRows.scale(x, off + i, n - i, factor);
    }

    static void logSoftmax(float[] x, int off, int n, float max, float logSum, float[] y) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, x, off + i).sub(max).sub(logSum).intoArray(y, off + i);
        }
        SoftmaxRows.logSoftmax(x, off + i, n - i, max, logSum, y);
    }

    static void addScaled(float[] y, int off, int n, float a, float[] x) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, y, off + i).add(FloatVector.fromArray(F, x, off + i).mul(a)).intoArray(y, off + i);
        }
        SoftmaxRows.addScaled(y, off + i, n - i, a, x);
    }

    static void logSoftmaxBackward(float[] y, float[] gradY, int off, int n, float sumGradY, float[] gradX) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector softmax = VectorMath.exp(FloatVector.fromArray(F, y, off + i));
            FloatVector g = FloatVector.fromArray(F, gradY, off + i).sub(softmax.mul(sumGradY));
            FloatVector.fromArray(F, gradX, off + i).add(g).intoArray(gradX, off + i);
        }
        SoftmaxRows.logSoftmaxBackward(y, gradY, off + i, n - i, sumGradY, gradX);
    }

    static float sum(float[] x, int off, int n) {
        FloatVector s = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - L; i += L) {
            s = s.add(FloatVector.fromArray(F, x, off + i));
        }
        return VectorMath.sumLanes(s) + SoftmaxRows.sum(x, off + i, n - i);
    }
}
