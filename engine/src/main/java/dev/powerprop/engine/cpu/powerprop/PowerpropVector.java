package dev.powerprop.engine.cpu.powerprop;

import dev.powerprop.engine.cpu.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API powerprop kernels: the maths of {@link PowerpropKernel} a vector of lanes at a
 * time, with the scalar loop for the tail. Loaded only when {@code VectorSupport.ENABLED}.
 * Lanes do the same float operations in the same order as the scalar loop (Java never
 * contracts {@code a*b+c} into an FMA), so for integer and half-integer alpha both paths give
 * the same bits; for other alphas the vector path uses {@code exp(e ln a)} and the scalar
 * path {@code Math.pow}, which differ by a few ulps.
 */
final class PowerpropVector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private PowerpropVector() {}

    /** The whole of {@code [0, n)} on the calling thread, as {@link PowerpropKernel} ran it before splitting. */
    static void forward(float alpha, float[] v, float[] mask, float[] w, int n) {
        forward(MagnitudePower.forAlpha(alpha), v, mask, w, 0, n);
    }

    /**
     * {@code [from, to)} with {@code from} a multiple of the lanes: whole vectors, then the
     * scalar loop for what is left (only the last range of a split has anything left).
     */
    static void forward(MagnitudePower power, float[] v, float[] mask, float[] w, int from, int to) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, v, i);
            FloatVector y = x.mul(magnitudePower(x.abs(), power)); // w = v * |v|^(alpha-1)
            if (mask != null) {
                y = y.mul(FloatVector.fromArray(F, mask, i));
            }
            y.intoArray(w, i);
        }
        PowerpropKernel.forwardScalar(power, v, mask, w, i, to);
    }

    /** The whole of {@code [0, n)} on the calling thread. */
    static void backward(float alpha, float[] v, float[] mask, float[] gradW, float[] gradV, int n,
                         boolean accumulate) {
        backward(alpha, MagnitudePower.forAlpha(alpha), v, mask, gradW, gradV, 0, n, accumulate);
    }

    /** {@code [from, to)} with {@code from} a multiple of the lanes; see {@link #forward(MagnitudePower, float[], float[], float[], int, int)}. */
    static void backward(float alpha, MagnitudePower power, float[] v, float[] mask, float[] gradW, float[] gradV,
                         int from, int to, boolean accumulate) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, v, i);
            // dL/dv = alpha * |v|^(alpha-1) * dL/dw: exactly 0 at v = 0 for alpha > 1
            FloatVector g = magnitudePower(x.abs(), power).mul(alpha).mul(FloatVector.fromArray(F, gradW, i));
            if (mask != null) {
                g = g.mul(FloatVector.fromArray(F, mask, i));
            }
            if (accumulate) {
                g = FloatVector.fromArray(F, gradV, i).add(g);
            }
            g.intoArray(gradV, i);
        }
        PowerpropKernel.backwardScalar(alpha, power, v, mask, gradW, gradV, i, to, accumulate);
    }

    /** {@code a^(alpha-1)} lane-wise for {@code a >= 0}; mirrors {@link MagnitudePower#apply(float)}. */
    private static FloatVector magnitudePower(FloatVector a, MagnitudePower power) {
        if (power.general()) {
            // a^e = exp(e * ln a), with VectorMath's deterministic exp and log (lane-wise POW was
            // 15x slower on JDK 25/AVX2). ln 0 = -inf and e > 0, so 0 -> exp(-inf) = 0.
            return VectorMath.exp(VectorMath.log(a).mul(power.exponent()));
        }
        FloatVector r = wholePower(a, power.whole());
        return power.half() ? r.mul(a.sqrt()) : r;
    }

    /**
     * The square-and-multiply chain of {@link MagnitudePower#wholePower}, the same multiplies.
     * The notebook's alphas (1 to 5) are spelled out: a vector carried around a loop can make
     * C2 allocate it, which would cost more than the arithmetic.
     */
    private static FloatVector wholePower(FloatVector a, int k) {
        switch (k) {
            case 0: return FloatVector.broadcast(F, 1f);    // alpha = 1.5: only the sqrt factor
            case 1: return a;                               // alpha = 2
            case 2: return a.mul(a);                        // alpha = 3
            case 3: return a.mul(a).mul(a);                 // alpha = 4
            case 4: {                                       // alpha = 5
                FloatVector a2 = a.mul(a);
                return a2.mul(a2);
            }
            default:
                FloatVector r = a;
                for (int bit = Integer.highestOneBit(k) >>> 1; bit != 0; bit >>>= 1) {
                    r = r.mul(r);
                    if ((k & bit) != 0) {
                        r = r.mul(a);
                    }
                }
                return r;
        }
    }
}
