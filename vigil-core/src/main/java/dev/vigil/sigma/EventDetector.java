package dev.vigil.sigma;

import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import java.util.List;

/**
 * A detection stage of ingest: Sigma rules ({@link Detector}), indicator matching, and whatever else turns events into
 * alerts. Confined to the thread that feeds it.
 */
public interface EventDetector {

    /** The alerts these events raise now. */
    List<Alert> detect(List<Event> events);

    /** The alerts still held (correlation windows, buffered signals), after the last events; none by default. */
    default List<Alert> finish() {
        return List.of();
    }
}
