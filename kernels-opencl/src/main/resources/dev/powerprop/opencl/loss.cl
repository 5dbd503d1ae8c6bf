// Softmax cross-entropy on [rows, classes] logits, as the engine's cpu/loss/SoftmaxCrossEntropy.
// Forward per row with m = max_k x_k: p_k = exp(x_k - m) / sum_j exp(x_j - m) and
// -log p_label = log(sum_j exp(x_j - m)) - (x_label - m) (no exponent is positive, so nothing
// overflows). One work-item a row; the mean is sum_scaled over rowLoss with scale 1 / rows.
__kernel void softmax_xent_forward(const int rows, const int classes, __global const float* logits,
                                   __global const int* labels, __global float* probs, __global float* rowLoss)
{
    FOR_OWNED(r, rows) {
        __global const float* x = logits + r * classes;
        __global float* p = probs + r * classes;
        float m = x[0];
        for (int k = 1; k < classes; k++) {
            m = fmax(m, x[k]);
        }
        float sum = 0.0f;
        for (int k = 0; k < classes; k++) {
            p[k] = exp(x[k] - m);
            sum += p[k];
        }
        // sum >= 1 (the max term is exp(0)), so 1/sum is safe
        const float inv = 1.0f / sum;
        for (int k = 0; k < classes; k++) {
            p[k] = p[k] * inv;
        }
        rowLoss[r] = log(sum) - (x[labels[r]] - m);
    }
}

// gradLogits += scale * (probs - onehot(labels)), scale = gradLoss / rows (d mean / d row loss).
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
// subtracting m first keeps y exact for large logits); y may be x. One work-item a row.
__kernel void log_softmax_forward(const int rows, const int cols, __global const float* x, __global float* y)
{
    FOR_OWNED(r, rows) {
        __global const float* xr = x + r * cols;
        __global float* yr = y + r * cols;
        float m = xr[0];
        for (int k = 1; k < cols; k++) {
            m = fmax(m, xr[k]);
        }
        float sum = 0.0f;
        for (int k = 0; k < cols; k++) {
            sum += exp(xr[k] - m);
        }
        const float logSum = log(sum);
        for (int k = 0; k < cols; k++) {
            yr[k] = (xr[k] - m) - logSum;
        }
    }
}

// gradX += gradY - exp(y) * rowsum(gradY): dy_i/dx_k = delta_ik - softmax_k, softmax = exp(y).
__kernel void log_softmax_backward(const int rows, const int cols, __global const float* y,
                                   __global const float* gradY, __global float* gradX)
{
    FOR_OWNED(r, rows) {
        const int off = r * cols;
        float s = 0.0f;
        for (int k = 0; k < cols; k++) {
            s += gradY[off + k];
        }
        for (int k = 0; k < cols; k++) {
            gradX[off + k] += gradY[off + k] - exp(y[off + k]) * s;
        }
    }
}
