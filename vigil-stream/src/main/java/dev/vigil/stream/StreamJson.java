package dev.vigil.stream;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.JoinReason;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON values of the events, quarantine, alerts and incidents topics. Keys are snake_case; every record carries
 * its tenant and its stable id ({@code id}), derived from the data itself, so that a sink reading the topics keeps
 * each record once however often it is delivered. Times are microseconds since the epoch, UTC.
 */
public final class StreamJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StreamJson() {}

    public static byte[] event(Event event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", event.id().toString());
        json.put("tenant", event.tenant().value());
        json.put("table", event.table());
        json.put("time_micros", event.timeMicros());
        Map<String, String> common = new LinkedHashMap<>();
        for (CommonColumn column : CommonColumn.values()) {
            String value = event.common(column);
            if (value != null) {
                common.put(column.columnName(), value);
            }
        }
        json.put("common", common);
        json.put("fields", event.fields());
        json.put("raw", event.raw());
        putPosition(json, event.position());
        return MAPPER.writeValueAsBytes(json);
    }

    @SuppressWarnings("unchecked")
    public static Event event(byte[] bytes) {
        Map<String, Object> json = MAPPER.readValue(bytes, Map.class);
        String[] common = new String[CommonColumn.count()];
        ((Map<String, String>) json.get("common")).forEach((name, value) ->
                common[CommonColumn.byName(name).ordinal()] = value);
        Map<String, Object> fields = new LinkedHashMap<>();
        ((Map<String, Object>) json.get("fields")).forEach((name, value) -> fields.put(name, scalar(value)));
        return new Event(EventId.parse((String) json.get("id")), TenantId.of((String) json.get("tenant")),
                (String) json.get("table"), ((Number) json.get("time_micros")).longValue(), common, fields,
                (String) json.get("raw"), position(json));
    }

    public static byte[] quarantined(QuarantinedRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", record.id().toString());
        json.put("tenant", record.tenant().value());
        json.put("reason", record.reason().id());
        json.put("detail", record.detail());
        json.put("hint", record.reason().hint());
        putPosition(json, record.position());
        json.put("raw_length", record.rawLength());
        json.put("raw_base64", Base64.getEncoder().encodeToString(record.raw()));
        return MAPPER.writeValueAsBytes(json);
    }

    /** The fields of a quarantine record, as a consumer reads them. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(byte[] bytes) {
        return MAPPER.readValue(bytes, Map.class);
    }

    public static byte[] alert(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id().toString());
        json.put("tenant", alert.tenant().value());
        json.put("source", alert.source());
        json.put("rule_id", alert.ruleId());
        json.put("title", alert.title());
        json.put("level", alert.level());
        json.put("status", alert.status());
        json.put("time_micros", alert.timeMicros());
        json.put("techniques", alert.techniques());
        json.put("matched_fields", alert.matchedFields());
        List<Map<String, String>> entities = new ArrayList<>();
        for (Alert.Entity entity : alert.entities()) {
            entities.add(Map.of("kind", entity.kind(), "value", entity.value()));
        }
        json.put("entities", entities);
        json.put("event_ids", alert.eventIds().stream().map(EventId::toString).toList());
        json.put("table", alert.table());
        json.put("incident_ref", alert.incidentRef());
        return MAPPER.writeValueAsBytes(json);
    }

    @SuppressWarnings("unchecked")
    public static Alert alert(byte[] bytes) {
        Map<String, Object> json = MAPPER.readValue(bytes, Map.class);
        List<Alert.Entity> entities = new ArrayList<>();
        for (Map<String, String> entity : (List<Map<String, String>>) json.get("entities")) {
            entities.add(new Alert.Entity(entity.get("kind"), entity.get("value")));
        }
        return new Alert(UUID.fromString((String) json.get("id")), TenantId.of((String) json.get("tenant")),
                (String) json.get("source"), (String) json.get("rule_id"), (String) json.get("title"),
                (String) json.get("level"), (String) json.get("status"),
                ((Number) json.get("time_micros")).longValue(), (List<String>) json.get("techniques"),
                (Map<String, String>) json.get("matched_fields"), entities,
                ((List<String>) json.get("event_ids")).stream().map(EventId::parse).toList(),
                (String) json.get("table"), (String) json.get("incident_ref"));
    }

    /**
     * Where correlation placed an alert, with the whole alert ({@code alert}, as on the alerts topic), so that an
     * incident store applies it from this topic alone. {@code id} is the alert's id: an alert is placed once, so a
     * sink keeps the first record per id.
     */
    public static byte[] placement(Alert alert, Assignment assignment) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id().toString());
        json.put("tenant", alert.tenant().value());
        json.put("incident", assignment.incident());
        json.put("opened", assignment.opened());
        json.put("reason", reason(assignment.reason()));
        List<Map<String, Object>> merged = new ArrayList<>();
        for (Assignment.Merge merge : assignment.merged()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("incident", merge.incident());
            entry.put("reason", reason(merge.reason()));
            merged.add(entry);
        }
        json.put("merged", merged);
        json.put("rule_id", alert.ruleId());
        json.put("title", alert.title());
        json.put("level", alert.level());
        json.put("time_micros", alert.timeMicros());
        json.put("event_ids", alert.eventIds().stream().map(EventId::toString).toList());
        json.put("alert", MAPPER.readValue(alert(alert), Map.class));
        return MAPPER.writeValueAsBytes(json);
    }

    /** A placement as {@link #placement(Alert, Assignment)} wrote it: the alert, and where and why it went. */
    public record Placement(Alert alert, Assignment assignment) {}

    /**
     * Reads a placement record.
     *
     * @throws IllegalArgumentException for a record written before placements carried their alert
     */
    @SuppressWarnings("unchecked")
    public static Placement placement(byte[] bytes) {
        Map<String, Object> json = MAPPER.readValue(bytes, Map.class);
        Object alert = json.get("alert");
        if (!(alert instanceof Map)) {
            throw new IllegalArgumentException("the placement of alert " + json.get("id") + " carries no alert");
        }
        Alert placed = alert(MAPPER.writeValueAsBytes(alert));
        List<Assignment.Merge> merged = new ArrayList<>();
        for (Map<String, Object> merge : (List<Map<String, Object>>) json.get("merged")) {
            merged.add(new Assignment.Merge(((Number) merge.get("incident")).longValue(),
                    reason((Map<String, Object>) merge.get("reason"))));
        }
        return new Placement(placed, new Assignment(placed.id(), ((Number) json.get("incident")).longValue(),
                (Boolean) json.get("opened"), reason((Map<String, Object>) json.get("reason")), merged));
    }

    private static Map<String, Object> reason(JoinReason reason) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", reason.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (reason.entity() != null) {
            json.put("entity", Map.of("kind", reason.entity().kind().label(), "value", reason.entity().value()));
        }
        json.put("evidence", reason.evidence());
        json.put("detail", reason.detail());
        if (reason.otherAlert() != null) {
            json.put("other_alert", reason.otherAlert().toString());
        }
        json.put("gap_micros", reason.gapMicros());
        return json;
    }

    @SuppressWarnings("unchecked")
    private static JoinReason reason(Map<String, Object> json) {
        EntityKey entity = null;
        if (json.get("entity") instanceof Map<?, ?> named) {
            String label = (String) named.get("kind");
            EntityKey.Kind kind = java.util.Arrays.stream(EntityKey.Kind.values()).filter(k -> k.label().equals(label))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown entity kind '" + label
                            + "' in a placement"));
            entity = new EntityKey(kind, (String) named.get("value"));
        }
        Object other = json.get("other_alert");
        Object gap = json.get("gap_micros");
        return new JoinReason(JoinReason.Kind.valueOf(((String) json.get("kind")).toUpperCase(java.util.Locale.ROOT)),
                entity, other == null ? null : UUID.fromString((String) other),
                gap == null ? 0 : ((Number) gap).longValue(), (String) json.get("detail"));
    }

    private static void putPosition(Map<String, Object> json, SourcePosition position) {
        json.put("source", position.source());
        json.put("line", position.line());
        json.put("offset", position.byteOffset());
    }

    private static SourcePosition position(Map<String, Object> json) {
        return new SourcePosition((String) json.get("source"), ((Number) json.get("line")).longValue(),
                ((Number) json.get("offset")).longValue());
    }

    /** Back to the parsers' value types: String, Long, Double, Boolean or null. */
    private static Object scalar(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case BigInteger big -> big.bitLength() < 64 ? (Object) big.longValue() : big.toString();
            case Float f -> f.doubleValue();
            case BigDecimal decimal -> decimal.doubleValue();
            default -> value;
        };
    }

    static JsonMapper mapper() {
        return MAPPER;
    }
}
