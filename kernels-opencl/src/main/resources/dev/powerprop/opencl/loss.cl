// Softmax cross-entropy on [rows, classes] logits, as the engine's cpu/loss/SoftmaxCrossEntropy.
// Forward per row with m = max_k x_k: p_k = exp(x_k - m) / sum_j exp(x_j - m) and
// -log p_label = log(sum_j exp(x_j - m)) - (x_label - m) (no exponent is positive, so nothing
// overflows). One work-item a row; the mean is sum_axis over rowLoss divided by rows.
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
__kernel void softmax_xent_backward(const int rows, const int classes, const float scale, __global const float* probs,
                                    __global const int* labels, __global float* gradLogits)
{
    FOR_OWNED(t, rows * classes) {
        float g = gradLogits[t];
        if (t % classes == labels[t / classes]) {
            g -= scale;
        }
        gradLogits[t] = g + scale * probs[t];
    }
}
