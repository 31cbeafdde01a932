package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import java.time.Instant;
import java.util.Optional;

/**
 * One record a connector read, ready to store: its exact JSON text (the event's {@code raw}), the table it goes to,
 * its event time, the vendor's id and modification time (for the checkpoint), and the Vigil alert it raises, if any.
 * The alert's event id is filled in when the record becomes an event.
 *
 * @param vendorId the vendor's id of the record; empty where the vendor has none (query rows)
 * @param modified when the vendor last changed it: the checkpoint's high-water mark
 * @param alert an alert whose {@code eventIds} are replaced by the id of this record's event
 */
record SourceRecord(String json, String table, Instant time, String vendorId, Instant modified,
        Optional<Alert> alert) {
    SourceRecord {
        requireNonNull(json, "json is null");
        requireNonNull(table, "table is null");
        requireNonNull(time, "time is null");
        requireNonNull(vendorId, "vendorId is null");
        requireNonNull(modified, "modified is null");
        requireNonNull(alert, "alert is null");
    }
}
