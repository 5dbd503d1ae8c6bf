package dev.powerprop.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for long training runs: redrawn in place on a terminal
 * (at most ten times a second), or printed as plain lines at each validation when the output
 * is a file or a pipe.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean interactive;
    private final String label;
    private long lastDraw;
    private final long start = System.nanoTime();
    private double lastValidation = Double.NaN;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.interactive = System.console() != null;
        this.label = label;
    }

    void update(int step, int lastStep, double loss, double validation) {
        if (!Double.isNaN(validation)) {
            lastValidation = validation;
        }
        long now = System.nanoTime();
        boolean last = step == lastStep;
        if (interactive) {
            if (!last && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            err.print("\r" + line(step, lastStep, loss, now) + (last ? "\n" : ""));
            err.flush();
        } else if (!Double.isNaN(validation) || last) {
            err.println(line(step, lastStep, loss, now));
        }
    }

    private String line(int step, int lastStep, double loss, long now) {
        int total = lastStep + 1;
        int done = step + 1;
        int filled = (int) ((long) WIDTH * done / total);
        double seconds = (now - start) / 1e9;
        return String.format(Locale.ROOT, "%s [%s%s] step %d/%d  loss %.4f  val acc %s  %.0f steps/s",
                label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, loss,
                Double.isNaN(lastValidation) ? "-" : String.format(Locale.ROOT, "%.4f", lastValidation),
                done / Math.max(seconds, 1e-9));
    }
}
