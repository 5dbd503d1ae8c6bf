// One Adam step in PyTorch's torch.optim.Adam semantics (L2 decay, not AdamW), in place, as the
// engine's cpu/optim/AdamKernel.stepScalar (same operations in the same order); the host folds
// the bias corrections into stepSize = lr / (1 - beta1^t) and bias2Sqrt = sqrt(1 - beta2^t):
//   g = grad + weightDecay * param
//   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
//   param -= stepSize * m / (sqrt(v) / bias2Sqrt + eps)
#pragma OPENCL FP_CONTRACT OFF

__kernel void adam_step(const int n, __global float* param, __global const float* grad, __global float* m,
                        __global float* v, const float stepSize, const float beta1, const float beta2,
                        const float bias2Sqrt, const float eps, const float weightDecay)
{
    const float oneMinusBeta1 = 1.0f - beta1;
    const float oneMinusBeta2 = 1.0f - beta2;
    FOR_OWNED(i, n) {
        float g = grad[i];
        if (weightDecay != 0.0f) {
            g = g + weightDecay * param[i];
        }
        const float mi = beta1 * m[i] + oneMinusBeta1 * g;
        const float vi = beta2 * v[i] + oneMinusBeta2 * g * g;
        m[i] = mi;
        v[i] = vi;
        const float denom = sqrt(vi) / bias2Sqrt + eps;
        param[i] = param[i] - stepSize * (mi / denom);
    }
}
