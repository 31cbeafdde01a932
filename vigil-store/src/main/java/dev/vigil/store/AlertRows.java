package dev.vigil.store;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;

/** Writing and reading the alert stores' rows, the same in DuckDB ({@link AlertTable}) and PostgreSQL. */
final class AlertRows {
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, String>>> ENTITIES = new TypeReference<>() {};

    private AlertRows() {}

    /** The alert's matched fields as stored: a JSON object, keys in order. */
    static String fieldsJson(Alert alert) {
        return Json.write(new TreeMap<>(alert.matchedFields()));
    }

    /** The alert's entities as stored: a JSON array of {@code {"kind": ..., "value": ...}}. */
    static String entitiesJson(Alert alert) {
        List<Map<String, String>> entities = new ArrayList<>();
        for (Alert.Entity entity : alert.entities()) {
            Map<String, String> json = new LinkedHashMap<>();
            json.put("kind", entity.kind());
            json.put("value", entity.value());
            entities.add(json);
        }
        return Json.write(entities);
    }

    /**
     * An alert from columns 1 to 13 of a row ({@code alert_id, source, rule_id, title, level, status, time,
     * techniques, matched_fields, entities, event_ids, table_name, incident_ref}); the time and techniques are read
     * by the caller, as each database types them.
     */
    static Alert alert(ResultSet rows, TenantId tenant, long timeMicros, List<String> techniques)
            throws SQLException {
        List<Alert.Entity> entities = new ArrayList<>();
        for (Map<String, String> entity : Json.read(rows.getString(10), ENTITIES)) {
            entities.add(new Alert.Entity(entity.get("kind"), entity.get("value")));
        }
        List<EventId> eventIds = new ArrayList<>();
        Array ids = rows.getArray(11);
        for (Object id : ids == null ? new Object[0] : (Object[]) ids.getArray()) {
            UUID uuid = (UUID) id;
            eventIds.add(new EventId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()));
        }
        return new Alert(rows.getObject(1, UUID.class), tenant, rows.getString(2), rows.getString(3),
                rows.getString(4), rows.getString(5), rows.getString(6), timeMicros, techniques,
                Json.read(rows.getString(9), FIELDS), entities, eventIds, rows.getString(12), rows.getString(13));
    }
}
