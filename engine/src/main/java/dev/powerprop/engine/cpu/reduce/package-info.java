/**
 * Sums: a whole range, and one axis of a {@code [outer, len, inner]} view.
 * {@link dev.powerprop.engine.cpu.reduce.Reductions} documents the error bounds;
 * {@link dev.powerprop.engine.cpu.reduce.ReductionsReference} is the float64 oracle.
 */
package dev.powerprop.engine.cpu.reduce;
