package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The time range a scheduled query runs over, as Sentinel's analytics rules apply their lookback: every scan of a
 * stored table keeps only the events with {@code start <= time < end}, and {@code now()} and {@code ago()} are
 * relative to {@code end} instead of the clock, so re-running the same window gives the same answer.
 *
 * <p>Defender views are computed from stored tables, so the window bounds them too; {@code datatable} and
 * {@code print} rows have no event time and are not bounded.
 */
public record TimeWindow(Instant start, Instant end) {
    public TimeWindow {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a time window must start before it ends: " + start + " .. " + end);
        }
    }

    @Override
    public String toString() {
        return start + " .. " + end;
    }
}
