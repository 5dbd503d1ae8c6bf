package dev.powerprop.engine;

/**
 * A scope in which ops build no graph, for inference and for parameter updates:
 * <pre>{@code
 * try (var scope = NoGrad.enter()) {
 *     Tensor logits = model.forward(x);
 * }
 * }</pre>
 * Scopes nest and are per thread.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private NoGrad() {}

    /** Enters a no-grad scope on this thread; close it to leave. */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True unless the current thread is inside a {@link NoGrad} scope. */
    public static boolean isGradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
