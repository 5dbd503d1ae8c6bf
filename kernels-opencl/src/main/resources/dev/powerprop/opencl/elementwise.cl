// Elementwise kernels, the same operations in the same order as the engine's cpu/elementwise,
// so results agree bit for bit. Where its vector loop (ElementwiseVector, elements below
// cpu_vector_end(n)) rounds differently from its scalar tail (ElementwiseScalar), each element
// does what the CPU does at its index.
#pragma OPENCL FP_CONTRACT OFF

// gradX + gradY * [y > 0]: the CPU's vector lanes add under a mask (gradX kept as it is where
// y <= 0), its tail adds 0 (so -0 becomes +0 there).
inline float relu_derivative(const bool vectorLane, const float y, const float gy, const float gx)
{
    if (vectorLane) {
        return y > 0.0f ? gx + gy : gx;
    }
    return gx + (y > 0.0f ? gy : 0.0f);
}

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
    const int vectorEnd = cpu_vector_end(n);
    FOR_OWNED(i, n) {
        gradX[i] = relu_derivative(i < vectorEnd, y[i], gradY[i], gradX[i]);
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

// y += alpha * x, fused (one rounding), as the CPU's axpy (Math.fma and the vector FMA).
__kernel void axpy(const int n, const float alpha, __global const float* x, __global float* y)
{
    FOR_OWNED(i, n) {
        y[i] = fma(alpha, x[i], y[i]);
    }
}

// The engine's UnaryOp, by ordinal (ClElementwise.code keeps the two in step).
#define OP_NEG 0
#define OP_RELU 1
#define OP_EXP 2
#define OP_LOG 3
#define OP_TANH 4
#define OP_SIGMOID 5

// f(x) as the CPU computes it at an element of its vector loop (VectorMath's polynomials) or
// of its scalar tail (Java's double functions, rounded).
inline float unary_apply(const int op, const bool vectorLane, const float x)
{
    switch (op) {
        case OP_NEG: return -x;
        case OP_RELU: return x > 0.0f ? x : (x == x ? 0.0f : x);
        case OP_EXP: return vectorLane ? vm_exp(x) : java_exp(x);
        case OP_LOG: return vectorLane ? vm_log(x) : java_log(x);
        case OP_TANH: return vectorLane ? vm_tanh(x) : java_tanh(x);
        default: return vectorLane ? 1.0f / (vm_exp(-x) + 1.0f) : java_sigmoid(x);
    }
}

// gx + f'(x) * gy, from the saved x or y = f(x), as the CPU's vector lanes or scalar tail
// write it (they differ for exp, where the lanes fuse, and relu).
inline float unary_backward_at(const int op, const bool vectorLane, const float x, const float y,
                               const float gy, const float gx)
{
    switch (op) {
        case OP_NEG: return gx - gy;                                  // d(-x)/dx = -1
        case OP_RELU: return relu_derivative(vectorLane, y, gy, gx);  // [x > 0], 0 at 0 as PyTorch
        case OP_EXP: return vectorLane ? fma(gy, y, gx) : gx + gy * y; // e^x
        case OP_LOG: return gx + gy / x;                              // 1/x
        case OP_TANH: return gx + gy * (1.0f - y * y);                // 1 - tanh^2
        default: return gx + gy * y * (1.0f - y);                     // s(1 - s)
    }
}

// y = f(x); y may be x.
__kernel void unary_forward(const int n, const int op, __global const float* x, __global float* y)
{
    const int vectorEnd = cpu_vector_end(n);
    FOR_OWNED(i, n) {
        y[i] = unary_apply(op, i < vectorEnd, x[i]);
    }
}

// gradX += f'(x) * gradY; x or y may be NULL when the op does not read it.
__kernel void unary_backward(const int n, const int op, __global const float* x, __global const float* y,
                             __global const float* gradY, __global float* gradX)
{
    const int vectorEnd = cpu_vector_end(n);
    FOR_OWNED(i, n) {
        gradX[i] = unary_backward_at(op, i < vectorEnd, x ? x[i] : 0.0f, y ? y[i] : 0.0f, gradY[i], gradX[i]);
    }
}

// The engine's BinaryOp, by ordinal.
inline float binary_apply(const int op, const float a, const float b)
{
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        default: return a / b;
    }
}

// out[i] = a[i mod aPeriod] op b[i mod bPeriod]: numpy broadcasting where each operand is a
// suffix of the result (engine backend/Broadcast.period): a scalar has period 1, a bias row
// over a batch its width, a full operand n. out may be a (in place).
__kernel void binary_periodic(const int n, const int op, __global const float* a, const int aPeriod,
                              __global const float* b, const int bPeriod, __global float* out)
{
    FOR_OWNED(i, n) {
        const float x = a[aPeriod == n ? i : i % aPeriod];
        const float y = b[bPeriod == n ? i : i % bPeriod];
        out[i] = binary_apply(op, x, y);
    }
}

// General numpy broadcasting: shape = [outDims(rank), aStrides(rank), bStrides(rank)], where
// a stride is 0 along an axis the operand repeats (size 1 or missing); each work-item turns its
// flat output index into the operands' offsets.
__kernel void binary_strided(const int n, const int op, const int rank, __global const int* shape,
                             __global const float* a, __global const float* b, __global float* out)
{
    FOR_OWNED(i, n) {
        int rest = i;
        int ai = 0;
        int bi = 0;
        for (int d = rank - 1; d >= 0; d--) {
            const int index = rest % shape[d];
            rest /= shape[d];
            ai += index * shape[rank + d];
            bi += index * shape[2 * rank + d];
        }
        out[i] = binary_apply(op, a[ai], b[bi]);
    }
}

// y = x^T for a rows x cols x; one work-item an output element, so writes are contiguous.
__kernel void transpose(const int rows, const int cols, __global const float* x, __global float* y)
{
    FOR_OWNED(t, rows * cols) {
        y[t] = x[(t % rows) * cols + t / rows];
    }
}
