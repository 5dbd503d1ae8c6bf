/**
 * Softmax cross-entropy and log-softmax, stable by the log-sum-exp shift. Each public class
 * has a {@code *Reference} float64 twin; the row primitives are in {@code SoftmaxRows} (scalar)
 * and {@code SoftmaxRowsVector} (Vector API).
 */
package dev.powerprop.engine.cpu.loss;
