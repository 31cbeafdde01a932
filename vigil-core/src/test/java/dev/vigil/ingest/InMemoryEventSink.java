package dev.vigil.ingest;

import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.QuarantinedRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@link EventSink} that keeps everything in memory, like the store: appended batches become visible in
 * {@link #events()} and {@link #quarantined()} only at {@link #commit()}, and an id already stored is skipped. It can
 * be told to fail on commit, and can be told to keep nothing but counts (for corpus-sized runs).
 */
final class InMemoryEventSink implements EventSink {
    private final boolean keepRecords;
    private final List<Batch> pending = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<QuarantinedRecord> quarantined = new ArrayList<>();
    private final Set<EventId> ids = new HashSet<>();
    private final Set<EventId> pendingIds = new HashSet<>();
    private RuntimeException commitFailure;
    private int appends;
    private int commits;
    private long storedCount;
    private long quarantinedCount;

    InMemoryEventSink() {
        this(true);
    }

    private InMemoryEventSink(boolean keepRecords) {
        this.keepRecords = keepRecords;
    }

    /** A sink for large runs: it checks ids only within a commit and keeps counts, not records. */
    static InMemoryEventSink countingOnly() {
        return new InMemoryEventSink(false);
    }

    /** Makes every following commit throw this exception. */
    InMemoryEventSink failingCommitsWith(RuntimeException failure) {
        this.commitFailure = failure;
        return this;
    }

    @Override
    public synchronized Result append(Batch batch) {
        appends++;
        int storedNew = 0;
        int alreadyStored = 0;
        for (Event event : batch.events()) {
            if (ids.contains(event.id()) || !pendingIds.add(event.id())) {
                alreadyStored++;
            } else {
                storedNew++;
            }
        }
        pending.add(batch);
        return new Result(storedNew, alreadyStored, batch.quarantined().size(), 0);
    }

    @Override
    public synchronized void commit() {
        commits++;
        if (commitFailure != null) {
            pending.clear();
            pendingIds.clear();
            throw commitFailure;
        }
        for (Batch batch : pending) {
            storedCount += batch.events().size();
            quarantinedCount += batch.quarantined().size();
            if (keepRecords) {
                events.addAll(batch.events());
                quarantined.addAll(batch.quarantined());
            }
        }
        if (keepRecords) {
            ids.addAll(pendingIds);
        }
        pending.clear();
        pendingIds.clear();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<QuarantinedRecord> quarantined() {
        return List.copyOf(quarantined);
    }

    synchronized int appends() {
        return appends;
    }

    synchronized int commits() {
        return commits;
    }

    synchronized long storedCount() {
        return storedCount;
    }

    synchronized long quarantinedCount() {
        return quarantinedCount;
    }
}
