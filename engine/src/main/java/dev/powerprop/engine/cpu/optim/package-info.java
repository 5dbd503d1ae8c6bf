/**
 * In-place optimiser updates with PyTorch semantics: {@link dev.powerprop.engine.cpu.optim.SgdKernel}
 * and {@link dev.powerprop.engine.cpu.optim.AdamKernel}, each with a float64 {@code *Reference} twin.
 */
package dev.powerprop.engine.cpu.optim;
