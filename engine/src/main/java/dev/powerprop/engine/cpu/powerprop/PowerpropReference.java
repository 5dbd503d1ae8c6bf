package dev.powerprop.engine.cpu.powerprop;

import static dev.powerprop.engine.cpu.powerprop.PowerpropKernel.checkCount;
import static dev.powerprop.engine.cpu.powerprop.PowerpropKernel.requireLength;

/**
 * The powerprop kernels in double precision as plain loops: the oracle the float kernels are
 * tested against, and the engine's float64 path. Uses {@code Math.pow} for every alpha (it is
 * exact for the small integer exponents and within an ulp otherwise); {@code pow(|v|, 0) = 1}
 * keeps alpha = 1 bit-exact.
 */
public final class PowerpropReference {
    private PowerpropReference() {}

    /** {@code w[i] = mask[i] * v[i] * |v[i]|^(alpha-1)}; mask may be null (all ones). */
    public static void forward(double alpha, double[] v, double[] mask, double[] w, int n) {
        PowerpropKernel.checkAlpha(alpha);
        checkCount(n);
        requireLength("v", v.length, n);
        requireLength("w", w.length, n);
        if (mask != null) {
            requireLength("mask", mask.length, n);
        }
        for (int i = 0; i < n; i++) {
            double y = v[i] * Math.pow(Math.abs(v[i]), alpha - 1);
            w[i] = mask == null ? y : y * mask[i];
        }
    }

    /** {@code gradV[i] += mask[i] * alpha * |v[i]|^(alpha-1) * gradW[i]}: d forward / dv, accumulated. */
    public static void backward(double alpha, double[] v, double[] mask, double[] gradW, double[] gradV, int n) {
        PowerpropKernel.checkAlpha(alpha);
        checkCount(n);
        requireLength("v", v.length, n);
        requireLength("gradW", gradW.length, n);
        requireLength("gradV", gradV.length, n);
        if (mask != null) {
            requireLength("mask", mask.length, n);
        }
        for (int i = 0; i < n; i++) {
            double g = alpha * Math.pow(Math.abs(v[i]), alpha - 1) * gradW[i];
            gradV[i] += mask == null ? g : g * mask[i];
        }
    }
}
