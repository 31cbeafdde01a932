package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One recorded change of an incident: who changed which field from what to what, and when. Comments are changes of
 * the field {@code comment}, from nothing to their text.
 */
public record IncidentChange(long incident, Instant at, String actor, String field, String from, String to) {
    public IncidentChange {
        requireNonNull(at, "at is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(field, "field is null");
        from = from == null ? "" : from;
        to = to == null ? "" : to;
    }
}
