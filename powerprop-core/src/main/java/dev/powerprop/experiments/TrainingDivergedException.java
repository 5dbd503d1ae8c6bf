package dev.powerprop.experiments;

/**
 * Training produced a non-finite loss: the weights blew up (for powerprop, a large alpha at a
 * large learning rate can do that; the step on w grows like alpha |v|^(alpha-1)).
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int step;

    public TrainingDivergedException(int step, double loss) {
        super("training diverged: loss is " + loss + " at step " + step + " (try a smaller learning rate)");
        this.step = step;
    }

    /** The step whose loss was not finite. */
    public int step() {
        return step;
    }
}
