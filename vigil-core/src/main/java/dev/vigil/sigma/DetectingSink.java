package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import java.util.List;

/**
 * The detection stage of ingest: every batch is matched against the tenant's rules as it is stored, and its alerts
 * are appended to the same unit of work as its events, so a commit makes both durable and a crash loses neither
 * alone. Re-ingesting the same records yields the same alert ids, which the store keeps once.
 */
public final class DetectingSink<S extends EventSink & AlertSink> implements EventSink {

    private final S store;
    private final Detector detector;
    private final List<EventDetector> others;
    private long alertsStored;

    public DetectingSink(S store, Detector detector) {
        this(store, detector, List.of());
    }

    /**
     * @param detector the Sigma rules, or null when the tenant has none
     * @param others further detection stages (indicator matching ...), run on every batch after the rules
     */
    public DetectingSink(S store, Detector detector, List<EventDetector> others) {
        this.store = requireNonNull(store, "store is null");
        this.detector = detector;
        this.others = List.copyOf(others);
        if (detector == null && this.others.isEmpty()) {
            throw new IllegalArgumentException("a detecting sink needs a detector");
        }
    }

    @Override
    public Result append(Batch batch) {
        List<dev.vigil.model.Alert> alerts = new java.util.ArrayList<>(
                detector == null ? List.of() : detector.detect(batch.events()));
        for (EventDetector other : others) {
            alerts.addAll(other.detect(batch.events()));
        }
        Result result = store.append(batch);
        if (!alerts.isEmpty()) {
            alertsStored += store.appendAlerts(alerts);
        }
        return result;
    }

    @Override
    public void commit() {
        store.commit();
    }

    /**
     * Feeds what detection still holds (buffered correlation signals, open correlation windows) and commits the
     * alerts that come of it; call once after the last batch.
     */
    public void finish() {
        List<dev.vigil.model.Alert> alerts = new java.util.ArrayList<>(
                detector == null ? List.of() : detector.finish());
        for (EventDetector other : others) {
            alerts.addAll(other.finish());
        }
        if (!alerts.isEmpty()) {
            alertsStored += store.appendAlerts(alerts);
        }
        store.commit();
    }

    /** New alerts appended (stored once committed). */
    public long alertsStored() {
        return alertsStored;
    }

    /** The Sigma detector, or null when the tenant has no rules. */
    public Detector detector() {
        return detector;
    }
}
