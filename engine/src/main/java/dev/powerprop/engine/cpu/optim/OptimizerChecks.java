package dev.powerprop.engine.cpu.optim;

/** Argument checks shared by the optimiser kernels and their references, with messages that name the argument. */
final class OptimizerChecks {
    private OptimizerChecks() {}

    static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
    }

    static void requireLength(String name, int length, int n) {
        if (length < n) {
            throw new IllegalArgumentException(name + " has " + length + " elements, fewer than n = " + n);
        }
    }

    /** Rejects NaN, infinities and negative values. */
    static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + show(value));
        }
    }

    /** A float argument widened to double prints as the float the caller wrote (0.9, not 0.8999999761581421). */
    static String show(double value) {
        return (double) (float) value == value ? Float.toString((float) value) : Double.toString(value);
    }
}
