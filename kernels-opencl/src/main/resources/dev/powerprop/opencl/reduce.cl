// out[o, i] = sum_j x[o, j, i] for x viewed as [outer, len, inner] (overwrites out).
// outer = 1, inner = features sums a batch (a bias gradient: column sums); inner = 1 sums rows.
// One work-item an output, adding along len in float in index order from 0, as the engine's
// cpu/reduce/Reductions.sumAxis does for inner > 1 (the same bits; error about
// len * 2^-24 * sum|x|: fine for batch-sized axes). For inner = 1 the CPU sums each row as
// Reductions.sum does (blocks in vector lanes, blocks added in double): close, not the same bits.
#pragma OPENCL FP_CONTRACT OFF

__kernel void sum_axis(const int outer, const int len, const int inner, __global const float* x, __global float* out)
{
    FOR_OWNED(t, outer * inner) {
        const int o = t / inner;
        const int i = t % inner;
        __global const float* src = x + o * len * inner + i;
        float s = 0.0f;
        for (int j = 0; j < len; j++) {
            s += src[j * inner];
        }
        out[t] = s;
    }
}

// partial[p] = sum of chunk p of x, for parts chunks of ceil(n / parts) elements: the first
// stage of a sum of everything, spread over the device; sum_scaled adds the partials.
__kernel void sum_chunks(const int n, const int parts, __global const float* x, __global float* partial)
{
    const int size = (n + parts - 1) / parts;
    FOR_OWNED(p, parts) {
        const int end = min(n, (p + 1) * size);
        float s = 0.0f;
        for (int i = p * size; i < end; i++) {
            s += x[i];
        }
        partial[p] = s;
    }
}

// out[0] = scale * sum(x[0..n)), by one work-item (n is small: partial sums, row losses).
__kernel void sum_scaled(const int n, const float scale, __global const float* x, __global float* out)
{
    FOR_OWNED(t, 1) {
        float s = 0.0f;
        for (int i = 0; i < n; i++) {
            s += x[i];
        }
        out[0] = scale * s;
    }
}
