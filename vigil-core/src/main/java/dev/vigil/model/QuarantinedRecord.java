package dev.vigil.model;

import static java.util.Objects.requireNonNull;

/**
 * A record that could not be stored as an event, kept with everything needed to understand and replay it: its raw
 * bytes (the first {@code ingest.max-record-bytes} of them for an oversized record, with {@code rawLength} telling the
 * real size), where it came from and why it was refused.
 *
 * @param id derived like an event id, so that re-ingesting the same bad input does not quarantine it twice
 */
public record QuarantinedRecord(EventId id, TenantId tenant, SourcePosition position, QuarantineReason reason,
        String detail, byte[] raw, long rawLength) {
    public QuarantinedRecord {
        requireNonNull(id, "id is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(position, "position is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(raw, "raw is null");
    }

    public static QuarantinedRecord of(TenantId tenant, SourcePosition position, QuarantineReason reason,
            String detail, byte[] raw, long rawLength, int occurrence) {
        EventId id = EventId.derive(tenant, 0, raw, occurrence ^ (int) rawLength);
        return new QuarantinedRecord(id, tenant, position, reason, detail, raw, rawLength);
    }

    /** {@code source:line: reason: detail}, the form in which the CLI lists quarantined records. */
    public String describe() {
        return position + ": " + reason.id() + ": " + detail;
    }
}
