package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import dev.vigil.query.TimeWindow;
import java.time.Instant;

/**
 * A time range read from a prompt, resolved to explicit instants: {@code from} inclusive, {@code to} exclusive.
 *
 * @param from first instant covered
 * @param to first instant no longer covered
 * @param text what the analyst wrote ("last 24 hours", "since Monday")
 */
public record TimeRange(Instant from, Instant to, String text) {
    public TimeRange {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(text, "text is null");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a time range must start before it ends: " + from + " .. " + to);
        }
    }

    /** The same range as the hunting language's query window. */
    public TimeWindow window() {
        return new TimeWindow(from, to);
    }

    /** Whether the instant falls inside the range. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }

    @Override
    public String toString() {
        return text + " (" + from + " .. " + to + ")";
    }
}
