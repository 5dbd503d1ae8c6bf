// The fused Powerpropagation kernels (Schwarz et al., NeurIPS 2021), as the engine's
// cpu/powerprop/PowerpropKernel: w = mask * v * |v|^(alpha-1) and
// gradV += mask * alpha * |v|^(alpha-1) * gradW, each one pass over memory.
//
// |v|^(alpha-1) is evaluated as the host's MagnitudePower decided for this alpha:
//   whole >= 0, general = 0: a square-and-multiply chain for the integer part (never pow), times
//   sqrt(|v|) when with_sqrt = 1; general = 1: pow(|v|, exponent).
// Every branch is exactly 0 at v = 0 for alpha > 1, and the chain for alpha = 1 (whole = 0) is
// exactly 1, so w = v bit for bit; the derivative is never formed as (alpha-1)|v|^(alpha-2),
// which is infinite at 0 (0 * inf = NaN).
// mask may be NULL (no mask). pow (general = 1) is the CPU's: exp(e ln a) from VectorMath in
// its vector lanes, Java's double pow, rounded, in its scalar tail.
#pragma OPENCL FP_CONTRACT OFF

inline float magnitude_power(float a, float exponent, int whole, int with_sqrt, int general, bool vectorLane)
{
    if (general) {
        return vectorLane ? vm_exp(vm_log(a) * exponent) : java_pow(a, exponent);
    }
    float r = 1.0f;
    if (whole > 0) {
        // Most significant bit first, as MagnitudePower.wholePower: the same multiplies in the same order.
        r = a;
        int top = 31 - clz(whole);
        for (int bit = top - 1; bit >= 0; bit--) {
            r = r * r;
            if ((whole >> bit) & 1) {
                r = r * a;
            }
        }
    }
    return with_sqrt ? r * sqrt(a) : r;
}

__kernel void powerprop_forward(const int n, const float exponent, const int whole, const int with_sqrt, const int general,
                                __global const float* v, __global const float* mask, __global float* w)
{
    const int vectorEnd = cpu_vector_end(n);
    FOR_OWNED(i, n) {
        const float y = v[i] * magnitude_power(fabs(v[i]), exponent, whole, with_sqrt, general, i < vectorEnd);
        w[i] = mask ? y * mask[i] : y;
    }
}

__kernel void powerprop_backward(const int n, const float alpha, const float exponent, const int whole,
                                 const int with_sqrt, const int general, __global const float* v,
                                 __global const float* mask, __global const float* gradW, __global float* gradV,
                                 const int accumulate)
{
    const int vectorEnd = cpu_vector_end(n);
    FOR_OWNED(i, n) {
        // dL/dv = alpha * |v|^(alpha-1) * dL/dw (chain rule on sign(v)|v|^alpha)
        const float g = alpha * magnitude_power(fabs(v[i]), exponent, whole, with_sqrt, general, i < vectorEnd)
                        * gradW[i];
        const float masked = mask ? g * mask[i] : g;
        // The first contribution of a backward pass is written: gradV holds a stale buffer then.
        gradV[i] = accumulate ? gradV[i] + masked : masked;
    }
}
