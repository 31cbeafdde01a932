package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One run of a scheduled query, as {@code vigil_query_runs} records it.
 *
 * @param runAt the tick's time: the end of the window
 * @param rows the rows the query returned (at most the row cap; {@code truncated} says when it was reached)
 * @param alerts alerts stored by this run
 * @param suppressed alerts not stored because their group had an alert within the suppression window
 * @param alreadyStored alerts an earlier run over an overlapping window stored already
 * @param rowsWithoutEventId rows that cite no event id and so raised nothing
 * @param error why the run failed, or null; a failed run raises nothing
 */
public record QueryRun(String name, Instant runAt, Instant windowStart, Instant windowEnd, long rows,
        boolean truncated, long alerts, long suppressed, long alreadyStored, long rowsWithoutEventId, long millis,
        String error) {
    public QueryRun {
        requireNonNull(name, "name is null");
        requireNonNull(runAt, "runAt is null");
        requireNonNull(windowStart, "windowStart is null");
        requireNonNull(windowEnd, "windowEnd is null");
    }

    public boolean failed() {
        return error != null;
    }
}
