package dev.powerprop.opencl;

import dev.powerprop.engine.cpu.powerprop.PowerpropKernel;

/**
 * The fused Powerpropagation kernels on the device ({@code powerprop.cl}), with the bits of
 * the engine's {@code cpu/powerprop/PowerpropKernel}: {@code w = mask * v * |v|^(alpha-1)} and
 * {@code gradV += mask * alpha * |v|^(alpha-1) * gradW}; the mask is optional (null). No NaN at
 * {@code v = 0} for any alpha >= 1, exactly 0 there for alpha > 1, and {@code w = v} bit for bit
 * for alpha = 1 without a mask.
 */
public final class ClPowerprop {
    /** Beyond this exponent a multiply chain has no precision left to win over pow (as the CPU kernel). */
    private static final float LONGEST_CHAIN = 1 << 20;

    private ClPowerprop() {}

    /**
     * How {@code |v|^(alpha-1)} is evaluated for one alpha, decided on the host once per call as
     * the CPU kernel's MagnitudePower decides it: an integer exponent as a multiply chain, a
     * half-integer one as a chain times sqrt, anything else with pow.
     */
    private record Power(float exponent, int whole, int half, int general) {
        static Power forAlpha(float alpha) {
            float e = alpha - 1f; // exact for alpha >= 1 (Sterbenz below 2)
            if (e <= LONGEST_CHAIN && e == Math.rint(e)) {
                return new Power(e, (int) e, 0, 0);
            }
            if (e <= LONGEST_CHAIN && 2 * e == Math.rint(2 * e)) {
                return new Power(e, (int) Math.floor(e), 1, 0);
            }
            return new Power(e, 0, 0, 1);
        }
    }

    /** Enqueues {@code w[i] = mask[i] * v[i] * |v[i]|^(alpha-1)} for {@code i < n}; mask may be null. */
    public static void forward(OpenClContext cx, float alpha, DeviceBuffer v, DeviceBuffer mask, DeviceBuffer w, int n) {
        PowerpropKernel.checkAlpha(alpha);
        ClChecks.lengths(n, "v", v, "w", w);
        ClChecks.lengths(n, "mask", mask);
        Power p = Power.forAlpha(alpha);
        cx.runOwned("powerprop_forward", n, n, p.exponent(), p.whole(), p.half(), p.general(), v, mask, w);
    }

    /** Enqueues {@code gradV[i] += mask[i] * alpha * |v[i]|^(alpha-1) * gradW[i]} for {@code i < n}; mask may be null. */
    public static void backward(OpenClContext cx, float alpha, DeviceBuffer v, DeviceBuffer mask, DeviceBuffer gradW,
                                DeviceBuffer gradV, int n) {
        backward(cx, alpha, v, mask, gradW, gradV, n, true);
    }

    /** As above; with {@code accumulate} false gradV is written, not read (a first contribution). */
    public static void backward(OpenClContext cx, float alpha, DeviceBuffer v, DeviceBuffer mask, DeviceBuffer gradW,
                                DeviceBuffer gradV, int n, boolean accumulate) {
        PowerpropKernel.checkAlpha(alpha);
        ClChecks.lengths(n, "v", v, "gradW", gradW, "gradV", gradV);
        ClChecks.lengths(n, "mask", mask);
        Power p = Power.forAlpha(alpha);
        cx.runOwned("powerprop_backward", n, n, alpha, p.exponent(), p.whole(), p.half(), p.general(),
                v, mask, gradW, gradV, accumulate ? 1 : 0);
    }

    /** {@link #forward} on host arrays, for tests. */
    public static void forward(OpenClContext cx, float alpha, float[] v, float[] mask, float[] w) {
        try (DeviceBuffer dv = cx.upload(v); DeviceBuffer dm = mask == null ? null : cx.upload(mask);
             DeviceBuffer dw = cx.floats(w.length)) {
            forward(cx, alpha, dv, dm, dw, v.length);
            dw.read(w);
        }
    }

    /** {@link #backward} on host arrays, for tests. */
    public static void backward(OpenClContext cx, float alpha, float[] v, float[] mask, float[] gradW, float[] gradV) {
        try (DeviceBuffer dv = cx.upload(v); DeviceBuffer dm = mask == null ? null : cx.upload(mask);
             DeviceBuffer dg = cx.upload(gradW); DeviceBuffer dgv = cx.upload(gradV)) {
            backward(cx, alpha, dv, dm, dg, dgv, v.length);
            dgv.read(gradV);
        }
    }
}
