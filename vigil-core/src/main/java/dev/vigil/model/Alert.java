package dev.vigil.model;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A detection: which rule fired, how severe, when, on which entities, and the ids of the events behind it (the
 * evidence later answers cite). The id is derived from the tenant, the rule and the events, so detecting the same
 * events twice (a re-ingest, a retro-hunt over stored data) yields the same alert, stored once.
 *
 * @param source what produced it: {@code sigma}, {@code sigma-correlation}, {@code ioc}, or an imported product
 * @param level the rule's level: informational, low, medium, high, critical
 * @param timeMicros the time of the (last) event behind it
 * @param matchedFields the fields and values that made the rule match
 * @param incidentRef for an alert imported from a product that grouped it already (Defender, Sentinel), that
 *     product's incident reference, such as {@code defender:1234}; empty for Vigil's own detections
 */
public record Alert(UUID id, TenantId tenant, String source, String ruleId, String title, String level,
        String status, long timeMicros, List<String> techniques, Map<String, String> matchedFields,
        List<Entity> entities, List<EventId> eventIds, String table, String incidentRef) {

    public Alert {
        requireNonNull(id, "id is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(source, "source is null");
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(title, "title is null");
        level = level == null ? "medium" : level;
        status = status == null ? "" : status;
        techniques = List.copyOf(techniques);
        matchedFields = Map.copyOf(matchedFields);
        entities = List.copyOf(entities);
        eventIds = List.copyOf(eventIds);
        if (eventIds.isEmpty()) {
            throw new IllegalArgumentException("an alert needs the ids of the events behind it");
        }
        table = table == null ? "" : table;
        incidentRef = incidentRef == null ? "" : incidentRef;
    }

    /** An alert of Vigil's own detection, which no product has grouped into an incident. */
    public Alert(UUID id, TenantId tenant, String source, String ruleId, String title, String level, String status,
            long timeMicros, List<String> techniques, Map<String, String> matchedFields, List<Entity> entities,
            List<EventId> eventIds, String table) {
        this(id, tenant, source, ruleId, title, level, status, timeMicros, techniques, matchedFields, entities,
                eventIds, table, "");
    }

    /** The id of the alert that {@code ruleId} raises over these events in this tenant. */
    public static UUID idFor(TenantId tenant, String ruleId, List<EventId> eventIds) {
        StringBuilder key = new StringBuilder(tenant.value()).append('\n').append(ruleId);
        for (EventId id : eventIds) {
            key.append('\n').append(id);
        }
        return UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The entity kind of a process instance's globally unique id (Sysmon's ProcessGuid). */
    public static final String PROCESS_GUID = "process_guid";

    /** A host, user, address, process, file hash, domain or URL that an alert involves. */
    public record Entity(String kind, String value) {
        public Entity {
            requireNonNull(kind, "kind is null");
            requireNonNull(value, "value is null");
        }
    }

    /**
     * The entities of an event: its common columns, and the process's lineage where the source records it (Sysmon's
     * {@code ProcessGuid} and {@code ParentProcessGuid}, both as {@code process_guid}, so that an alert on a process
     * and one on its child share an entity).
     */
    public static List<Entity> entitiesOf(Event event) {
        List<Entity> out = new java.util.ArrayList<>();
        for (String field : new String[] {"ProcessGuid", "ParentProcessGuid"}) {
            if (event.fields().get(field) instanceof String guid && guid.length() > 8
                    && !guid.startsWith("{00000000-0000-0000-0000")) {
                out.add(new Entity(PROCESS_GUID, guid.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        for (CommonColumn c : new CommonColumn[] {CommonColumn.HOST, CommonColumn.USER, CommonColumn.SRC_IP,
                CommonColumn.DST_IP, CommonColumn.PROCESS, CommonColumn.PARENT_PROCESS, CommonColumn.FILE_HASH,
                CommonColumn.DOMAIN, CommonColumn.URL}) {
            String value = event.common(c);
            if (value != null && !value.isEmpty()) {
                out.add(new Entity(c.columnName(), value));
            }
        }
        return out;
    }
}
