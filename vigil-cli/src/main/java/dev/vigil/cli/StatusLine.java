package dev.vigil.cli;

import java.io.PrintWriter;

/**
 * Progress of long work on standard error, as {@link IngestCommand.Progress} shows ingest's: on a terminal one line
 * rewritten in place, otherwise a line at most every few seconds, so that a log of the output stays short.
 */
final class StatusLine {
    private final PrintWriter err;
    private final boolean terminal = onTerminal();
    private long lastPrint = System.nanoTime();
    private boolean printed;

    StatusLine(PrintWriter err) {
        this.err = err;
    }

    /** Shows the line if enough time has passed since the last one; {@code line} is only called then. */
    void update(java.util.function.Supplier<String> line) {
        long now = System.nanoTime();
        if (now - lastPrint < (terminal ? 250_000_000L : 2_000_000_000L)) {
            return;
        }
        show(line.get());
    }

    /** Shows the line now. */
    void show(String line) {
        lastPrint = System.nanoTime();
        if (terminal) {
            err.print("\r" + line + "\u001B[K");
        } else {
            err.println(line);
        }
        err.flush();
        printed = true;
    }

    /** Clears the rewritten line, so that what follows starts on a clean one. */
    void finish() {
        if (terminal && printed) {
            err.print("\r\u001B[K");
            err.flush();
        }
    }

    /**
     * Whether standard error is a terminal, where a line can be rewritten in place. From JDK 22 {@code System.console()}
     * exists even when output is redirected, and {@code Console.isTerminal()} tells; on JDK 21 a console exists only on
     * a terminal. (Vigil compiles for 21, so the newer method is looked up.)
     */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console means a terminal
        }
    }

    /** A path cut from the left to fit a status line. */
    static String shorten(String text) {
        return text.length() > 60 ? "…" + text.substring(text.length() - 59) : text;
    }
}
