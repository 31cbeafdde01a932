package dev.vigil.sigma;

import dev.vigil.model.Alert;
import java.util.List;

/** Where detections go: into the same unit of work as the events behind them, so both become durable together. */
public interface AlertSink {
    /** Adds the alerts to the open unit of work, skipping those already stored; returns how many were new. */
    int appendAlerts(List<Alert> alerts);
}
