package dev.powerprop.engine.backend;

/**
 * The elementwise functions of one argument, with what each one's derivative needs.
 * The derivative rules themselves live in the kernels, written once per backend.
 */
public enum UnaryOp {
    /** y = -x; dy/dx = -1. */
    NEG(false, false),
    /** y = max(x, 0); dy/dx = [y > 0] (the subgradient at 0 is 0, as PyTorch). */
    RELU(false, true),
    /** y = e^x; dy/dx = y. */
    EXP(false, true),
    /** y = ln x; dy/dx = 1/x. */
    LOG(true, false),
    /** y = tanh x; dy/dx = 1 - y^2. */
    TANH(false, true),
    /** y = 1/(1+e^-x); dy/dx = y(1-y). */
    SIGMOID(false, true);

    private final boolean savesInput;
    private final boolean savesOutput;

    UnaryOp(boolean savesInput, boolean savesOutput) {
        this.savesInput = savesInput;
        this.savesOutput = savesOutput;
    }

    /** True when backward reads x. */
    public boolean savesInput() {
        return savesInput;
    }

    /** True when backward reads y = f(x) (cheaper than recomputing f). */
    public boolean savesOutput() {
        return savesOutput;
    }
}
