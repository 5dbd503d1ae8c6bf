package dev.powerprop.engine.cpu.powerprop;

/**
 * How {@code |v|^(alpha-1)}, the factor shared by the powerprop forward and backward, is
 * evaluated for one alpha. Decided once per call, outside the element loop.
 *
 * <ul>
 *   <li>integer alpha: {@code |v|^k} with {@code k = alpha - 1} as a square-and-multiply chain
 *       (at most {@code 2 log2 k} multiplies, so a relative error of a few ulps, and never {@code pow});
 *   <li>half-integer alpha: the chain for {@code floor(alpha - 1)} times {@code sqrt(|v|)}
 *       (a correctly rounded square root);
 *   <li>any other alpha: {@code pow(|v|, alpha - 1)} ({@code Math.pow} in the scalar loop,
 *       {@code exp((alpha-1) ln|v|)} in vector lanes, whose relative error grows to about
 *       {@code (1 + |(alpha-1) ln|v||)} ulps: a few ulps for weights of ordinary size).
 * </ul>
 *
 * Every branch gives exactly 0 at {@code v = 0} when alpha > 1 ({@code 0^k = 0},
 * {@code sqrt(0) = 0}, {@code pow(0, e > 0) = 0}), so no {@code 0 * inf} can appear: the
 * derivative is never formed as {@code (alpha-1) * |v|^(alpha-2)}, which is infinite at 0.
 *
 * @param exponent {@code alpha - 1}, exact in float for any alpha >= 1 (Sterbenz for alpha < 2)
 * @param whole    the integer part of the exponent when {@code general} is false
 * @param half     whether a factor {@code sqrt(|v|)} completes the exponent
 * @param general  whether {@code pow} is needed (the exponent is not a multiple of 1/2)
 */
record MagnitudePower(float exponent, int whole, boolean half, boolean general) {

    /** Beyond this exponent a chain has no precision left to win over {@code pow} (|v|^k is 0 or inf). */
    private static final float LONGEST_CHAIN = 1 << 20;

    static MagnitudePower forAlpha(float alpha) {
        float e = alpha - 1f;
        if (e <= LONGEST_CHAIN && e == Math.rint(e)) {
            return new MagnitudePower(e, (int) e, false, false);
        }
        if (e <= LONGEST_CHAIN && 2 * e == Math.rint(2 * e)) {
            return new MagnitudePower(e, (int) Math.floor(e), true, false);
        }
        return new MagnitudePower(e, 0, false, true);
    }

    /** {@code a^whole} for {@code a >= 0}; scalar twin of the vector chain, same multiplies in the same order. */
    static float wholePower(float a, int k) {
        if (k == 0) {
            return 1f;
        }
        // Square-and-multiply, most significant bit first: k=1 -> a, 2 -> a*a, 3 -> (a*a)*a, 4 -> (a*a)^2.
        float r = a;
        for (int bit = Integer.highestOneBit(k) >>> 1; bit != 0; bit >>>= 1) {
            r = r * r;
            if ((k & bit) != 0) {
                r = r * a;
            }
        }
        return r;
    }

    /** {@code a^(alpha-1)} for {@code a = |v| >= 0} in float. */
    float apply(float a) {
        if (general) {
            return (float) Math.pow(a, exponent);
        }
        float r = wholePower(a, whole);
        // sqrt in double then rounded to float equals the correctly rounded float sqrt.
        return half ? r * (float) Math.sqrt(a) : r;
    }
}
