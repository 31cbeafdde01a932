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
    private long alertsStored;

    public DetectingSink(S store, Detector detector) {
        this.store = requireNonNull(store, "store is null");
        this.detector = requireNonNull(detector, "detector is null");
    }

    @Override
    public Result append(Batch batch) {
        List<dev.vigil.model.Alert> alerts = detector.detect(batch.events());
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
        List<dev.vigil.model.Alert> alerts = detector.finish();
        if (!alerts.isEmpty()) {
            alertsStored += store.appendAlerts(alerts);
        }
        store.commit();
    }

    /** New alerts appended (stored once committed). */
    public long alertsStored() {
        return alertsStored;
    }

    public Detector detector() {
        return detector;
    }
}
