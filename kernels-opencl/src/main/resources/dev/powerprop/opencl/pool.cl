// 2-D max-pooling of an NCHW batch, as the engine's cpu/pool/MaxPool2dKernel: a k x k window
// moves by stride over each plane padded by pad (padding is never chosen); argmax records the
// flat index into x of the element chosen: the first maximum in row-major window order, or the
// first NaN (a NaN should surface, not be pooled away).
#pragma OPENCL FP_CONTRACT OFF

__kernel void max_pool_forward(const int planes, const int height, const int width, const int k, const int stride,
                               const int pad, const int outH, const int outW, __global const float* x,
                               __global float* y, __global int* argmax)
{
    FOR_OWNED(t, planes * outH * outW) {
        const int ox = t % outW;
        const int oy = (t / outW) % outH;
        const int plane = t / (outW * outH);
        float best = 0.0f;
        int bestIndex = -1;
        for (int i = 0; i < k; i++) {
            const int yy = oy * stride - pad + i;
            if (yy < 0 || yy >= height) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                const int xx = ox * stride - pad + j;
                if (xx < 0 || xx >= width) {
                    continue;
                }
                const int index = (plane * height + yy) * width + xx;
                const float v = x[index];
                // Take v if it is the first element, a NaN (unless a NaN is already held), or larger.
                if (bestIndex < 0 || (v != v && best == best) || v > best) {
                    best = v;
                    bestIndex = index;
                }
            }
        }
        y[t] = best;
        argmax[t] = bestIndex;
    }
}

// gradX[argmax[o]] += gradY[o], as a gather: each input element adds the gradients of the
// outputs whose window chose it, in increasing output order (the order the CPU kernel adds
// them), so overlapping windows need no atomics and the sum is deterministic.
__kernel void max_pool_backward(const int planes, const int height, const int width, const int k, const int stride,
                                const int pad, const int outH, const int outW, __global const float* gradY,
                                __global const int* argmax, __global float* gradX)
{
    FOR_OWNED(t, planes * height * width) {
        const int xx = t % width;
        const int yy = (t / width) % height;
        const int plane = t / (width * height);
        // Windows oy with oy*stride - pad <= yy < oy*stride - pad + k.
        const int oyFirst = max(0, (yy + pad - k + stride) / stride);
        const int oyEnd = min(outH, (yy + pad) / stride + 1);
        const int oxFirst = max(0, (xx + pad - k + stride) / stride);
        const int oxEnd = min(outW, (xx + pad) / stride + 1);
        float s = gradX[t];
        for (int oy = oyFirst; oy < oyEnd; oy++) {
            for (int ox = oxFirst; ox < oxEnd; ox++) {
                const int o = (plane * outH + oy) * outW + ox;
                if (argmax[o] == t) {
                    s += gradY[o];
                }
            }
        }
        gradX[t] = s;
    }
}
