package io.influxrelay.admin;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Shows a running job on stderr: on a terminal one line redrawn in place at every poll; otherwise
 * (a log, a pipe) a plain line at most every few seconds, none at all for a quick job.
 */
final class ProgressDisplay {
    static final long PLAIN_EVERY_MILLIS = 5_000;

    private final PrintStream err;
    private final boolean terminal;
    private final String arrow;
    private final LongSupplier millis;
    private final long startedAt;
    private long lastPlain;
    private int drawn; // length of the line on the terminal, to blank what a shorter one leaves

    ProgressDisplay(PrintStream err, boolean terminal, String arrow, LongSupplier millis) {
        this.err = err;
        this.terminal = terminal;
        this.arrow = arrow;
        this.millis = millis;
        this.startedAt = millis.getAsLong();
        this.lastPlain = startedAt;
    }

    void show(Job job) {
        String line = ProgressLine.of(job, arrow);
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            drawn = line.length();
            err.flush();
        } else if (millis.getAsLong() - lastPlain >= PLAIN_EVERY_MILLIS) {
            lastPlain = millis.getAsLong();
            err.println(line);
        }
    }

    /** Blanks the bar, so what follows starts on a clean line. */
    void clear() {
        if (terminal && drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }
}
