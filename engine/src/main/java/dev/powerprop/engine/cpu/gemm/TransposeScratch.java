package dev.powerprop.engine.cpu.gemm;

/**
 * The m x n scratch matrix of GEMM's (W x^T)^T path, kept per calling thread. A training step
 * makes the same products every step; a fresh 60 x 300 array each time costs a zero-fill and,
 * worse, walks the allocator through memory that is not in cache. Taken out while in use, so a
 * product nested inside another on the same thread gets its own.
 */
final class TransposeScratch {
    /** Larger scratch (16 MB) is not kept: one odd product must not pin that much per thread. */
    static final int MAX_KEPT = 4 << 20;

    private static final ThreadLocal<float[]> KEPT = new ThreadLocal<>();

    private TransposeScratch() {}

    /** At least {@code length} floats with stale values. */
    static float[] take(int length) {
        float[] kept = KEPT.get();
        if (kept != null && kept.length >= length) {
            KEPT.remove();
            return kept;
        }
        return new float[length];
    }

    /** Hands {@code scratch} back once the product no longer reads it. */
    static void give(float[] scratch) {
        if (scratch.length <= MAX_KEPT) {
            float[] kept = KEPT.get();
            if (kept == null || kept.length < scratch.length) {
                KEPT.set(scratch);
            }
        }
    }
}
