/**
 * The fused Powerpropagation kernels: {@code w = mask * v * |v|^(alpha-1)} and
 * {@code dL/dv = mask * alpha * |v|^(alpha-1) * dL/dw}. {@link dev.powerprop.engine.cpu.powerprop.PowerpropKernel}
 * is the entry (float32, Vector API or scalar), {@link dev.powerprop.engine.cpu.powerprop.PowerpropReference}
 * the float64 oracle beside it.
 */
package dev.powerprop.engine.cpu.powerprop;
