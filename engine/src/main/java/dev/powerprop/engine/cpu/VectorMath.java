package dev.powerprop.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log and tanh lane-wise, from adds, multiplies, FMAs and bit operations only (Cephes'
 * single-precision polynomials, about 1-2 ulp).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: until C2 compiles a method, the Vector API
 * runs a Java fallback that computes EXP with one libm and, once compiled, an intrinsic with
 * another; they differ in the last bits, and since compilation happens at a different moment
 * in every run, the same seed gave different training results. IEEE arithmetic is the same in
 * every tier, so these functions are. The same holds for {@link #sumLanes} against
 * {@code reduceLanes(ADD)}. Each function works on vectors of any species, with the same
 * arithmetic in every lane, so a lane's result does not depend on the vector width. Only loaded
 * when {@link VectorSupport#ENABLED}.
 */
public final class VectorMath {

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float to the nearest integer, kept in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final float EXP_HI = 88.3762626647949f;
    private static final float EXP_LO = -87.3365478515625f;
    private static final float SQRT_HALF = 0.707106781186547524f;

    private VectorMath() {}

    /** e^x; results below the smallest normal float flush to 0, above the largest are +inf. */
    public static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> species = x.species();
        FloatVector c = x.max(EXP_LO).min(EXP_HI);
        // x = n ln2 + r with |r| <= ln2/2; e^x = 2^n e^r.
        FloatVector t = c.fma(FloatVector.broadcast(species, LOG2E), FloatVector.broadcast(species, ROUNDER));
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(species, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(species, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(species, 1.9875691500e-4f), FloatVector.broadcast(species, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(species, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(species, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(species, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(species, 5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        // 2^n built in the exponent field: the integer n sits in t's low bits.
        IntVector bits = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUNDER)).add(127)
                .lanewise(VectorOperators.LSHL, 23);
        FloatVector result = p.mul(bits.reinterpretAsFloats());
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
        return result.blend(0f, x.compare(VectorOperators.LT, EXP_LO));
    }

    /**
     * The sum of the lanes in a fixed order (lane i plus lane i + half, halving each round),
     * unlike {@code reduceLanes(ADD)}, whose order for floats is unspecified and differed
     * between the interpreted fallback and the compiled intrinsic.
     */
    public static float sumLanes(FloatVector v) {
        FloatVector s = v;
        for (int half = v.length() / 2; half >= 1; half /= 2) {
            s = s.add(s.slice(half));
        }
        return s.lane(0);
    }

    /** ln x; 0 gives -inf, negative or NaN gives NaN, +inf gives +inf; subnormal inputs are treated as 0. */
    public static FloatVector log(FloatVector x) {
        VectorSpecies<Float> species = x.species();
        IntVector bits = x.reinterpretAsInts();
        // x = m 2^e with m in [0.5, 1): exponent and mantissa from the bits.
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats();
        FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
        // Keep m in [sqrt(1/2), sqrt(2)) so the polynomial's argument f = m - 1 stays small.
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
        ef = ef.sub(FloatVector.broadcast(species, 1f), small);
        m = m.add(m, small);
        FloatVector f = m.sub(1f);
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(FloatVector.broadcast(species, 7.0376836292e-2f), FloatVector.broadcast(species, -1.1514610310e-1f));
        p = p.fma(f, FloatVector.broadcast(species, 1.1676998740e-1f));
        p = p.fma(f, FloatVector.broadcast(species, -1.2420140846e-1f));
        p = p.fma(f, FloatVector.broadcast(species, 1.4249322787e-1f));
        p = p.fma(f, FloatVector.broadcast(species, -1.6668057665e-1f));
        p = p.fma(f, FloatVector.broadcast(species, 2.0000714765e-1f));
        p = p.fma(f, FloatVector.broadcast(species, -2.4999993993e-1f));
        p = p.fma(f, FloatVector.broadcast(species, 3.3333331174e-1f));
        FloatVector y = p.mul(f).mul(z);
        y = ef.fma(FloatVector.broadcast(species, LN2_LO), y);
        y = z.fma(FloatVector.broadcast(species, -0.5f), y);
        FloatVector result = f.add(y);
        result = ef.fma(FloatVector.broadcast(species, LN2_HI), result);
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.LT, Float.MIN_NORMAL)
                .and(x.compare(VectorOperators.GE, 0f)));
        result = result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
        return result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    /** tanh x: an odd polynomial near 0 (no cancellation), 1 - 2/(e^{2|x|} + 1) elsewhere. */
    public static FloatVector tanh(FloatVector x) {
        VectorSpecies<Float> species = x.species();
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(FloatVector.broadcast(species, -5.70498872745e-3f), FloatVector.broadcast(species, 2.06390887954e-2f));
        p = p.fma(z, FloatVector.broadcast(species, -5.37397155531e-2f));
        p = p.fma(z, FloatVector.broadcast(species, 1.33314422036e-1f));
        p = p.fma(z, FloatVector.broadcast(species, -3.33332819422e-1f));
        FloatVector near = p.mul(z).fma(x, x);
        FloatVector far = FloatVector.broadcast(species, 1f).sub(FloatVector.broadcast(species, 2f).div(exp(a.add(a)).add(1f)));
        far = far.blend(far.neg(), x.compare(VectorOperators.LT, 0f));
        return far.blend(near, a.compare(VectorOperators.LT, 0.625f)).blend(x, x.test(VectorOperators.IS_NAN));
    }
}
