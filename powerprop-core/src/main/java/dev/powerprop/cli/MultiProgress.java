package dev.powerprop.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Progress of several trainings running side by side, on one line of stderr: redrawn in place on
 * a terminal (at most ten times a second), or printed as plain lines at each validation when the
 * output is a file or a pipe. Thread-safe.
 */
final class MultiProgress {
    private final PrintWriter err;
    private final boolean interactive = System.console() != null;
    private final Map<String, String> running = new LinkedHashMap<>();
    private final int total;
    private int done;
    private long lastDraw;

    MultiProgress(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    synchronized void update(String name, int step, int lastStep, double loss, double validation) {
        String state = String.format(Locale.ROOT, "%s %d/%d loss %.3f", name, step + 1, lastStep + 1, loss)
                + (Double.isNaN(validation) ? "" : String.format(Locale.ROOT, " val %.4f", validation));
        String previous = running.put(name, state);
        if (previous != null && previous.contains(" val ") && !state.contains(" val ")) {
            running.put(name, state + previous.substring(previous.indexOf(" val ")));
        }
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L) {
                lastDraw = now;
                draw();
            }
        } else if (!Double.isNaN(validation)) {
            err.println(state);
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

    private void draw() {
        StringBuilder line = new StringBuilder("\r\033[K");
        line.append(String.join(" | ", running.values()));
        err.print(line);
        err.flush();
    }
}
