// One SGD step in PyTorch's torch.optim.SGD semantics (dampening 0), in place, as the engine's
// cpu/optim/SgdKernel (same operations in the same order):
//   g = grad + weightDecay * param
//   if momentum != 0: velocity = momentum * velocity + g; g = nesterov ? g + momentum * velocity : velocity
//   param -= lr * g
// velocity may be NULL when momentum is 0.
#pragma OPENCL FP_CONTRACT OFF

__kernel void sgd_step(const int n, __global float* param, __global const float* grad, __global float* velocity,
                       const float lr, const float momentum, const float weightDecay, const int nesterov)
{
    FOR_OWNED(i, n) {
        float g = grad[i];
        if (weightDecay != 0.0f) {
            g = g + weightDecay * param[i];
        }
        if (momentum != 0.0f) {
            const float buf = momentum * velocity[i] + g;
            velocity[i] = buf;
            g = nesterov ? g + momentum * buf : buf;
        }
        param[i] = param[i] - lr * g;
    }
}
