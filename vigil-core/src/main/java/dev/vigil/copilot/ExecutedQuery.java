package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

/**
 * A query an answer ran, kept so the analyst can read, edit and re-run it, and so a session can be replayed.
 *
 * @param language {@code kql} or {@code sql}
 * @param text the query
 * @param rows how many rows it returned
 * @param millis how long it took
 */
public record ExecutedQuery(String language, String text, long rows, long millis) {
    public ExecutedQuery {
        requireNonNull(language, "language is null");
        requireNonNull(text, "text is null");
    }
}
