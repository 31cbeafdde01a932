package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.JsonRecordParser;
import dev.vigil.ingest.JsonShapes;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.ParsedRecord;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordRejectedException;
import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.AlertSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores one page of a connector's records as one unit of work: each record becomes an event through ingest's JSON
 * parser and {@link Normalizer} (so the common columns and entities are those of any ingested record), its alert gets
 * the event's id, and the events, the rejected records (to the quarantine) and the alerts are committed together. Only
 * then is the page acknowledged, and only then may the connector's checkpoint move past it. Event ids derive from the
 * record's bytes and alert ids from the vendor's id, so storing a page again stores nothing twice.
 */
final class PageWriter {
    private final TenantId tenant;
    private final EventSink events;
    private final AlertSink alerts;
    private final Normalizer normalizer;
    private final JsonRecordParser parser;

    PageWriter(TenantId tenant, EventSink events, AlertSink alerts, Normalizer normalizer) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.events = requireNonNull(events, "events is null");
        this.alerts = requireNonNull(alerts, "alerts is null");
        this.normalizer = requireNonNull(normalizer, "normalizer is null");
        this.parser = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("ConnectorRecord", dev.vigil.ingest.JsonShape.GENERIC));
    }

    /** A record that could not be mapped, with the reason it is quarantined. */
    record Rejected(String json, String reason) {}

    /** What a page added: events new and already stored, alerts new, records quarantined. */
    record Written(int storedNew, int alreadyStored, int alertsNew, int quarantined) {}

    Written write(String source, List<SourceRecord> records, List<Rejected> rejected) {
        List<Event> batch = new ArrayList<>(records.size());
        List<QuarantinedRecord> quarantined = new ArrayList<>();
        List<Alert> raised = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        int line = 0;
        for (SourceRecord record : records) {
            line++;
            RawRecord raw = RawRecord.of(record.json(), new SourcePosition(source, line, 0));
            Map<String, Object> fields;
            try {
                fields = parser.parseFields(raw.bytes());
            } catch (RecordRejectedException e) {
                quarantined.add(QuarantinedRecord.of(tenant, raw.position(), e.reason(), e.detail(), raw.bytes(),
                        raw.length(), 0));
                continue;
            }
            int occurrence = occurrences.merge(record.json(), 1, Integer::sum) - 1;
            Event event = normalizer.normalize(tenant, raw,
                    new ParsedRecord(record.table(), fields, GraphSecurityMapping.micros(record.time())), occurrence);
            batch.add(event);
            record.alert().ifPresent(alert -> raised.add(new Alert(alert.id(), alert.tenant(), alert.source(),
                    alert.ruleId(), alert.title(), alert.level(), alert.status(), alert.timeMicros(),
                    alert.techniques(), alert.matchedFields(), alert.entities(), List.of(event.id()), alert.table(),
                    alert.incidentRef())));
        }
        for (Rejected record : rejected) {
            line++;
            byte[] bytes = record.json().getBytes(StandardCharsets.UTF_8);
            quarantined.add(QuarantinedRecord.of(tenant, new SourcePosition(source, line, 0),
                    QuarantineReason.MALFORMED_JSON, record.reason(), bytes, bytes.length, 0));
        }
        EventSink.Result result = events.append(new EventSink.Batch(batch, quarantined));
        int alertsNew = alerts.appendAlerts(raised);
        events.commit();
        return new Written(result.storedNew(), result.alreadyStored(), alertsNew, quarantined.size());
    }
}
