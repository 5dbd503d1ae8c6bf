// Elementwise kernels, the same operations in the same order as the engine's
// cpu/elementwise (ElementwiseScalar), so results agree bit for bit.

// y = max(x, 0), keeping NaN (as Math.max does).
__kernel void relu_forward(const int n, __global const float* x, __global float* y)
{
    FOR_OWNED(i, n) {
        const float v = x[i];
        y[i] = v > 0.0f ? v : (v == v ? 0.0f : v);
    }
}

// gradX += gradY * [y > 0] (the subgradient at 0 is 0, as PyTorch); written with the saved output.
__kernel void relu_backward(const int n, __global const float* y, __global const float* gradY, __global float* gradX)
{
    FOR_OWNED(i, n) {
        gradX[i] += y[i] > 0.0f ? gradY[i] : 0.0f;
    }
}

// out[r, j] = x[r, j] + bias[j] over rows x cols: a linear layer's bias; out may be x.
__kernel void add_row_bias(const int rows, const int cols, __global const float* x, __global const float* bias,
                           __global float* out)
{
    FOR_OWNED(t, rows * cols) {
        out[t] = x[t] + bias[t % cols];
    }
}

// y += alpha * x
__kernel void axpy(const int n, const float alpha, __global const float* x, __global float* y)
{
    FOR_OWNED(i, n) {
        y[i] = y[i] + alpha * x[i];
    }
}
