package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Event;
import dev.vigil.model.QuarantinedRecord;
import java.util.List;

/**
 * Where ingest delivers its batches: the store, or a test's in-memory fake. A call returns only once the whole batch
 * is durable (events and quarantined records in one transaction), and only then does ingest count the records as
 * stored. A batch that fails is not acknowledged at all; ingest stops and the next run resumes without duplicates,
 * because event ids are derived from the records.
 */
public interface EventSink {
    Result store(Batch batch);

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
