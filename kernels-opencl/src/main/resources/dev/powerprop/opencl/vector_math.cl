// The engine's cpu/VectorMath one lane at a time: exp, log and tanh from adds, multiplies, fmas
// and bit operations (Cephes' single-precision polynomials), the same operations in the same
// order, so the same bits as the CPU's vector lanes. Constants are hex floats holding exactly
// the bits of VectorMath's float constants. Also Java's Math.max/min, the lane sum of
// VectorMath.sumLanes, and the CPU's scalar tails (Java computes them in double, then rounds).
#pragma OPENCL FP_CONTRACT OFF

#define VM_LOG2E 0x1.715476p0f
#define VM_LN2_HI 0x1.63p-1f
#define VM_LN2_LO -0x1.bd0106p-13f
// 1.5 * 2^23: adding it rounds a float to the nearest integer, kept in the low mantissa bits.
#define VM_ROUNDER 0x1.8p23f
#define VM_EXP_HI 0x1.61814ap6f
#define VM_EXP_LO -0x1.5d58ap6f
#define VM_SQRT_HALF 0x1.6a09e6p-1f
#define VM_MIN_NORMAL 0x1.0p-126f
// Float.NaN's bits (OpenCL's NAN need not be this one).
#define VM_NAN as_float(0x7fc00000)

// Math.max: NaN if either is NaN, and +0 above -0.
inline float java_max(const float a, const float b)
{
    if (isnan(a) || isnan(b)) {
        return VM_NAN;
    }
    return a == b ? as_float(as_int(a) & as_int(b)) : (a > b ? a : b);
}

// Math.min: NaN if either is NaN, and -0 below +0.
inline float java_min(const float a, const float b)
{
    if (isnan(a) || isnan(b)) {
        return VM_NAN;
    }
    return a == b ? as_float(as_int(a) | as_int(b)) : (a < b ? a : b);
}

// VectorMath.exp: e^x = 2^n e^r with x = n ln2 + r, |r| <= ln2/2; 0 below the smallest normal
// result, +inf above the largest.
inline float vm_exp(const float x)
{
    const float c = java_min(java_max(x, VM_EXP_LO), VM_EXP_HI);
    const float t = fma(c, VM_LOG2E, VM_ROUNDER);
    const float n = t - VM_ROUNDER;
    float r = fma(n, -VM_LN2_HI, c);
    r = fma(n, -VM_LN2_LO, r);
    float p = fma(r, 0x1.a0d2cep-13f, 0x1.6e879cp-10f);
    p = fma(p, r, 0x1.11121p-7f);
    p = fma(p, r, 0x1.555382p-5f);
    p = fma(p, r, 0x1.555554p-3f);
    p = fma(p, r, 0x1.0p-1f);
    p = fma(p, r * r, r) + 1.0f;
    // 2^n built in the exponent field: the integer n sits in t's low bits.
    const float scale = as_float((as_int(t) - as_int(VM_ROUNDER) + 127) << 23);
    float result = p * scale;
    result = x > VM_EXP_HI ? INFINITY : result;
    return x < VM_EXP_LO ? 0.0f : result;
}

// VectorMath.log: x = m 2^e with m in [sqrt(1/2), sqrt(2)); 0 -> -inf, negative or NaN -> NaN,
// +inf -> +inf, subnormals as 0.
inline float vm_log(const float x)
{
    const int bits = as_int(x);
    const int e = ((bits >> 23) & 0xff) - 126;
    float m = as_float((bits & 0x807fffff) | 0x3f000000);
    float ef = (float) e;
    if (m < VM_SQRT_HALF) {
        ef = ef - 1.0f;
        m = m + m;
    }
    const float f = m - 1.0f;
    const float z = f * f;
    float p = fma(f, 0x1.204376p-4f, -0x1.d7a37p-4f);
    p = fma(p, f, 0x1.de4a34p-4f);
    p = fma(p, f, -0x1.fcba9ep-4f);
    p = fma(p, f, 0x1.23d37ep-3f);
    p = fma(p, f, -0x1.555cap-3f);
    p = fma(p, f, 0x1.999d58p-3f);
    p = fma(p, f, -0x1.fffff8p-3f);
    p = fma(p, f, 0x1.555554p-2f);
    float y = p * f * z;
    y = fma(ef, VM_LN2_LO, y);
    y = fma(z, -0.5f, y);
    float result = f + y;
    result = fma(ef, VM_LN2_HI, result);
    if (x < VM_MIN_NORMAL && x >= 0.0f) {
        result = -INFINITY;
    }
    if (x < 0.0f || isnan(x)) {
        result = VM_NAN;
    }
    return x == INFINITY ? INFINITY : result;
}

// VectorMath.tanh: an odd polynomial below |x| = 0.625, 1 - 2/(e^{2|x|} + 1) above.
inline float vm_tanh(const float x)
{
    const float a = fabs(x);
    const float z = x * x;
    float p = fma(z, -0x1.75e1d4p-8f, 0x1.52269cp-6f);
    p = fma(p, z, -0x1.b83c5ap-5f);
    p = fma(p, z, 0x1.110726p-3f);
    p = fma(p, z, -0x1.555532p-2f);
    const float near = fma(p * z, x, x);
    float far = 1.0f - 2.0f / (vm_exp(a + a) + 1.0f);
    far = x < 0.0f ? -far : far;
    const float result = a < 0x1.4p-1f ? near : far;
    return isnan(x) ? x : result;
}

#if CPU_ROW_LANES > 0
// VectorMath.sumLanes of CPU_ROW_LANES lanes held in s (overwritten): lane i plus lane i + half,
// halving each round.
inline float vm_sum_lanes(float* s)
{
    for (int width = CPU_ROW_LANES / 2; width >= 1; width /= 2) {
        for (int i = 0; i < width; i++) {
            s[i] = s[i] + s[width + i];
        }
    }
    return s[0];
}
#endif

// The CPU's scalar tails: Java's (float) Math.exp(x) and friends, double-precision results
// rounded to float. Without doubles the device's float functions stand in (a few ulp apart).
#if HAVE_FP64
inline float java_exp(const float x) { return (float) exp((double) x); }
inline float java_log(const float x) { return (float) log((double) x); }
inline float java_tanh(const float x) { return (float) tanh((double) x); }
inline float java_sigmoid(const float x) { return (float) (1.0 / (1.0 + exp((double) -x))); }
inline float java_pow(const float a, const float e) { return (float) pow((double) a, (double) e); }
#else
inline float java_exp(const float x) { return exp(x); }
inline float java_log(const float x) { return log(x); }
inline float java_tanh(const float x) { return tanh(x); }
inline float java_sigmoid(const float x) { return 1.0f / (1.0f + exp(-x)); }
inline float java_pow(const float a, const float e) { return pow(a, e); }
#endif
