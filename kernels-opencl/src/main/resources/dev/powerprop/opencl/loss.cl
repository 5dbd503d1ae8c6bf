// Softmax cross-entropy and log-softmax on [rows, cols] logits, one work-item a row, with the
// bits of the engine's cpu/loss (SoftmaxCrossEntropy, LogSoftmax over SoftmaxRowsVector): per
// row, the first cols - cols % CPU_ROW_LANES elements are the CPU's vector lanes (VectorMath.exp,
// lane sums added by VectorMath.sumLanes), the rest its scalar tail (Java's double exp,
// rounded; a sequential float sum), and the two parts' sums are added last.
#pragma OPENCL FP_CONTRACT OFF

#if HAVE_FP64
typedef double loss_t;
#else
typedef float loss_t;
#endif

// max of x[0..n), n >= 1, with Math.max's NaN and signed zeros (in any order: the same result).
inline float row_max(__global const float* x, const int n)
{
    float m = x[0];
    for (int i = 1; i < n; i++) {
        m = java_max(m, x[i]);
    }
    return m;
}

// sum_i exp(x[i] - shift), also stored in out[i] unless out is NULL (SoftmaxRowsVector.expSum).
inline float row_exp_sum(__global const float* x, const int n, const float shift, __global float* out)
{
    const int vectorEnd = cpu_row_vector_end(n);
    float tail = 0.0f;
    for (int i = vectorEnd; i < n; i++) {
        const float e = java_exp(x[i] - shift);
        if (out) {
            out[i] = e;
        }
        tail = tail + e;
    }
#if CPU_ROW_LANES > 0
    float lanes[CPU_ROW_LANES];
    for (int l = 0; l < CPU_ROW_LANES; l++) {
        lanes[l] = 0.0f;
    }
    for (int i = 0; i < vectorEnd; i += CPU_ROW_LANES) {
        for (int l = 0; l < CPU_ROW_LANES; l++) {
            const float e = vm_exp(x[i + l] - shift);
            if (out) {
                out[i + l] = e;
            }
            lanes[l] = lanes[l] + e;
        }
    }
    return vm_sum_lanes(lanes) + tail;
#else
    return tail;
#endif
}

// sum_i x[i] in float (SoftmaxRowsVector.sum: lane sums, then the sequential tail).
inline float row_sum(__global const float* x, const int n)
{
    const int vectorEnd = cpu_row_vector_end(n);
    float tail = 0.0f;
    for (int i = vectorEnd; i < n; i++) {
        tail = tail + x[i];
    }
#if CPU_ROW_LANES > 0
    float lanes[CPU_ROW_LANES];
    for (int l = 0; l < CPU_ROW_LANES; l++) {
        lanes[l] = 0.0f;
    }
    for (int i = 0; i < vectorEnd; i += CPU_ROW_LANES) {
        for (int l = 0; l < CPU_ROW_LANES; l++) {
            lanes[l] = lanes[l] + x[i + l];
        }
    }
    return vm_sum_lanes(lanes) + tail;
#else
    return tail;
#endif
}

// Forward per row with m = max_k x_k: p_k = exp(x_k - m) / sum_j exp(x_j - m) and
// -log p_label = log(sum_j exp(x_j - m)) - (x_label - m) (no exponent is positive, so nothing
// overflows), the row loss in double as the CPU has it; softmax_xent_mean averages them.
__kernel void softmax_xent_forward(const int rows, const int classes, __global const float* logits,
                                   __global const int* labels, __global float* probs, __global loss_t* rowLoss)
{
    FOR_OWNED(r, rows) {
        __global const float* x = logits + r * classes;
        __global float* p = probs + r * classes;
        const float labelLogit = x[labels[r]]; // read first: probs may be written over logits
        const float m = row_max(x, classes);
        const float sum = row_exp_sum(x, classes, m, p);
        // sum >= 1 (the max term is exp(0)), so 1/sum is safe
        const float inv = 1.0f / sum;
        for (int k = 0; k < classes; k++) {
            p[k] = p[k] * inv;
        }
        rowLoss[r] = log((loss_t) sum) - ((loss_t) labelLogit - (loss_t) m);
    }
}

// loss[0] = the mean of the row losses, summed in row order (in double where the device has it).
__kernel void softmax_xent_mean(const int rows, __global const loss_t* rowLoss, __global float* loss)
{
    FOR_OWNED(t, 1) {
        loss_t total = 0;
        for (int r = 0; r < rows; r++) {
            total += rowLoss[r];
        }
        loss[0] = (float) (total / rows);
    }
}

// gradLogits += scale * (probs - onehot(labels)), scale = gradLoss / rows (d mean / d row loss):
// as the CPU, the label's -scale first, then + scale * probs.
// gradLoss is a one-element buffer, so the backward pass never waits for the host.
__kernel void softmax_xent_backward(const int rows, const int classes, __global const float* gradLoss,
                                    __global const float* probs, __global const int* labels,
                                    __global float* gradLogits)
{
    const float scale = gradLoss[0] / rows;
    FOR_OWNED(t, rows * classes) {
        float g = gradLogits[t];
        if (t % classes == labels[t / classes]) {
            g -= scale;
        }
        gradLogits[t] = g + scale * probs[t];
    }
}

// y = (x - m) - log(sum_j exp(x_j - m)) per row, m the row's max (as cpu/loss/LogSoftmax:
// subtracting m first keeps y exact for large logits; the log in double, rounded); y may be x.
__kernel void log_softmax_forward(const int rows, const int cols, __global const float* x, __global float* y)
{
    FOR_OWNED(r, rows) {
        __global const float* xr = x + r * cols;
        __global float* yr = y + r * cols;
        const float m = row_max(xr, cols);
        const float logSum = java_log(row_exp_sum(xr, cols, m, 0));
        for (int k = 0; k < cols; k++) {
            yr[k] = (xr[k] - m) - logSum;
        }
    }
}

// gradX += gradY - exp(y) * rowsum(gradY): dy_i/dx_k = delta_ik - softmax_k, softmax = exp(y).
__kernel void log_softmax_backward(const int rows, const int cols, __global const float* y,
                                   __global const float* gradY, __global float* gradX)
{
    const int vectorEnd = cpu_vector_end(cols);
    FOR_OWNED(r, rows) {
        const int off = r * cols;
        const float s = row_sum(gradY + off, cols);
        for (int k = 0; k < cols; k++) {
            const float softmax = k < vectorEnd ? vm_exp(y[off + k]) : java_exp(y[off + k]);
            gradX[off + k] = gradX[off + k] + (gradY[off + k] - softmax * s);
        }
    }
}
