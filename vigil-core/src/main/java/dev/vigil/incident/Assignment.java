package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;

/**
 * Where correlation put an alert.
 *
 * @param alert the alert's id
 * @param incident the number of the incident it joined or opened
 * @param opened whether the alert opened the incident
 * @param reason why it is there
 * @param merged open incidents that the alert tied to this one and that were merged into it, oldest first, each with
 *     the reason the alert also belongs there
 */
public record Assignment(UUID alert, long incident, boolean opened, JoinReason reason, List<Merge> merged) {
    public Assignment {
        requireNonNull(alert, "alert is null");
        requireNonNull(reason, "reason is null");
        merged = List.copyOf(merged);
    }

    /** An incident merged into another because an alert belongs to both. */
    public record Merge(long incident, JoinReason reason) {}
}
