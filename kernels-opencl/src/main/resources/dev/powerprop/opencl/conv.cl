// im2col and its adjoint, as the engine's cpu/conv/Im2col: one image x[channels, height, width]
// becomes cols[channels*kh*kw, outH*outW]; row (c*kh + i)*kw + j holds, for every output
// position oy*outW + ox, the input element that tap (c, i, j) sees there (input row
// oy*stride - pad + i, column ox*stride - pad + j), or 0 where it sees padding.
#pragma OPENCL FP_CONTRACT OFF

__kernel void im2col(const int channels, const int height, const int width, const int kh, const int kw,
                     const int stride, const int pad, const int outH, const int outW,
                     __global const float* x, const int xOff, __global float* cols, const int colsOff)
{
    const int positions = outH * outW;
    FOR_OWNED(t, channels * kh * kw * positions) {
        const int row = t / positions;
        const int pos = t % positions;
        const int j = row % kw;
        const int i = (row / kw) % kh;
        const int c = row / (kw * kh);
        const int y = (pos / outW) * stride - pad + i;
        const int xx = (pos % outW) * stride - pad + j;
        const bool inside = y >= 0 && y < height && xx >= 0 && xx < width;
        cols[colsOff + t] = inside ? x[xOff + (c * height + y) * width + xx] : 0.0f;
    }
}

// gradX += col2im(cols). A gather, not a scatter: each input element adds the cols entries
// that read it, in increasing (i, j) order, so no two work-items write one element and no
// atomics are needed (and the sum is deterministic).
__kernel void col2im(const int channels, const int height, const int width, const int kh, const int kw,
                     const int stride, const int pad, const int outH, const int outW,
                     __global const float* cols, const int colsOff, __global float* gradX, const int gradXOff)
{
    const int positions = outH * outW;
    FOR_OWNED(t, channels * height * width) {
        const int xx = t % width;
        const int y = (t / width) % height;
        const int c = t / (width * height);
        float s = gradX[gradXOff + t];
        for (int i = 0; i < kh; i++) {
            const int oyStrided = y + pad - i;   // = oy * stride when tap row i reads input row y
            if (oyStrided < 0 || oyStrided % stride != 0 || oyStrided / stride >= outH) {
                continue;
            }
            const int oy = oyStrided / stride;
            for (int j = 0; j < kw; j++) {
                const int oxStrided = xx + pad - j;
                if (oxStrided < 0 || oxStrided % stride != 0 || oxStrided / stride >= outW) {
                    continue;
                }
                s += cols[colsOff + ((c * kh + i) * kw + j) * positions + oy * outW + oxStrided / stride];
            }
        }
        gradX[gradXOff + t] = s;
    }
}
