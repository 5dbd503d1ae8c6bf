package dev.powerprop.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Progress of several trainings running side by side, on one line of stderr: redrawn in place on
 * a terminal (at most ten times a second), or printed as plain lines at each validation when the
 * output is a file or a pipe. Thread-safe. Every job reports every step, so an update only
 * records numbers; text is formatted when it is shown.
 */
final class MultiProgress {
    /** A job's latest report. */
    private record State(int step, int lastStep, double loss, double validation) {}

    private final PrintWriter err;
    private final boolean interactive = System.console() != null;
    private final Map<String, State> running = new LinkedHashMap<>();
    private final int total;
    private int done;
    private long lastDraw;

    MultiProgress(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    synchronized void update(String name, int step, int lastStep, double loss, double validation) {
        State previous = running.get(name);
        // Between validations the last validation accuracy stays on show.
        double shown = Double.isNaN(validation) && previous != null ? previous.validation() : validation;
        State state = new State(step, lastStep, loss, shown);
        running.put(name, state);
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L) {
                lastDraw = now;
                draw();
            }
        } else if (!Double.isNaN(validation)) {
            err.println(describe(name, state));
        }
    }

    synchronized void finished(String name, String summary) {
        running.remove(name);
        done++;
        if (interactive) {
            err.print("\r\033[K");
        }
        err.println(name + ": " + summary + " (" + done + "/" + total + " done)");
        if (interactive) {
            draw();
        }
    }

    private static String describe(String name, State s) {
        String text = String.format(Locale.ROOT, "%s %d/%d loss %.3f", name, s.step() + 1, s.lastStep() + 1, s.loss());
        return Double.isNaN(s.validation()) ? text : text + String.format(Locale.ROOT, " val %.4f", s.validation());
    }

    private void draw() {
        List<String> parts = new ArrayList<>();
        running.forEach((name, state) -> parts.add(describe(name, state)));
        err.print("\r\033[K" + String.join(" | ", parts));
        err.flush();
    }
}
