package dev.vigil.copilot.session;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A turn kept on the session's pin board, with the analyst's note on why it matters.
 *
 * @param turn the pinned turn's number
 * @param note why it is pinned; may be empty
 * @param at when it was pinned
 * @param by who pinned it
 */
public record Pin(int turn, String note, Instant at, String by) {
    public Pin {
        requireNonNull(note, "note is null");
        requireNonNull(at, "at is null");
        requireNonNull(by, "by is null");
        if (turn < 1) {
            throw new IllegalArgumentException("turns are numbered from 1: " + turn);
        }
    }
}
