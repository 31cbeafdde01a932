package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Event;
import dev.vigil.model.QuarantinedRecord;
import java.util.List;

/**
 * Where ingest delivers its batches: the store, or a test's in-memory fake. Batches are {@linkplain #append appended}
 * to an open unit of work and become durable together at {@link #commit()}; only then does ingest count their records
 * as stored. Appending several batches before a commit lets the store write large, compressed row groups straight to
 * its file instead of through its log. A failure discards everything since the last commit, none of which was
 * acknowledged; ingest stops, and the next run resumes without duplicates because event ids are derived from the
 * records themselves.
 */
public interface EventSink {
    /** Adds the batch to the open unit of work, skipping records whose id is already stored or appended. */
    Result append(Batch batch);

    /** Makes everything appended since the last commit durable; returns once it is. */
    void commit();

    /** Appends and commits one batch. */
    default Result store(Batch batch) {
        Result result = append(batch);
        commit();
        return result;
    }

    /** Records of one commit; both lists are owned by the batch. */
    record Batch(List<Event> events, List<QuarantinedRecord> quarantined) {
        public Batch {
            requireNonNull(events, "events is null");
            requireNonNull(quarantined, "quarantined is null");
        }

        public int size() {
            return events.size() + quarantined.size();
        }
    }

    /**
     * @param storedNew events written by this batch
     * @param alreadyStored events that were already in the store (same id), written before
     * @param quarantinedNew quarantined records written by this batch
     * @param alreadyQuarantined quarantined records already in the quarantine
     */
    record Result(int storedNew, int alreadyStored, int quarantinedNew, int alreadyQuarantined) {}
}
