package dev.powerprop.opencl;

/** Argument checks shared by the operator classes; every message names the buffer. */
final class ClChecks {
    private ClChecks() {}

    /** Each (name, buffer) pair must hold at least n elements; a null buffer is skipped (optional). */
    static void lengths(int n, Object... namesAndBuffers) {
        if (n < 0) {
            throw new IllegalArgumentException("element count must be >= 0, got " + n);
        }
        for (int i = 0; i < namesAndBuffers.length; i += 2) {
            DeviceBuffer b = (DeviceBuffer) namesAndBuffers[i + 1];
            if (b != null && b.length() < n) {
                throw new IllegalArgumentException(namesAndBuffers[i] + " has " + b.length()
                        + " elements, fewer than " + n);
            }
        }
    }

    /** {@code off + size} must lie within the buffer. */
    static void range(String name, DeviceBuffer b, int off, long size) {
        if (off < 0 || off + size > b.length()) {
            throw new IllegalArgumentException(name + " needs elements [" + off + ", " + (off + size)
                    + "), the buffer has " + b.length());
        }
    }
}
