package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;

/** An alert of an incident with the reason it is there. */
public record PlacedAlert(Alert alert, JoinReason reason) {
    public PlacedAlert {
        requireNonNull(alert, "alert is null");
        requireNonNull(reason, "reason is null");
    }
}
