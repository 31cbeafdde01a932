package dev.vigil.connectors;

import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Maps Microsoft Sentinel's incidents and their alerts, as the Azure management API returns them (ARM resources:
 * {@code {id, name, etag, type, properties:{...}}}), onto Vigil: each incident becomes a row of {@value #INCIDENT_TABLE},
 * each of its alerts a row of {@value #ALERT_TABLE} and a Vigil {@link Alert} whose {@code incidentRef} is
 * {@code sentinel:<incidentNumber>}, so correlation keeps Sentinel's grouping. Pure: no I/O.
 */
final class SentinelMapping {
    static final String INCIDENT_TABLE = "SentinelIncident";
    static final String ALERT_TABLE = "SentinelAlert";
    static final String SOURCE = "sentinel";

    private SentinelMapping() {}

    static SourceRecord incident(JsonNode incident) throws GraphSecurityMapping.Rejected {
        String name = GraphSecurityMapping.text(incident, "name");
        if (name.isEmpty()) {
            throw new GraphSecurityMapping.Rejected("the incident has no 'name'");
        }
        JsonNode properties = incident.path("properties");
        Instant created = GraphSecurityMapping.optionalTime(properties, "createdTimeUtc").orElseThrow(
                () -> new GraphSecurityMapping.Rejected("the incident has no valid 'properties.createdTimeUtc'"));
        Instant modified = GraphSecurityMapping.optionalTime(properties, "lastModifiedTimeUtc").orElse(created);
        return new SourceRecord(incident.toString(), INCIDENT_TABLE, created, name, modified, Optional.empty());
    }

    /** The incident's reference for its alerts: its number, as analysts know it, else its name. */
    static String reference(JsonNode incident) {
        String number = GraphSecurityMapping.text(incident.path("properties"), "incidentNumber");
        return "sentinel:" + (number.isEmpty() ? GraphSecurityMapping.text(incident, "name") : number);
    }

    static SourceRecord alert(TenantId tenant, JsonNode alert, String incidentRef) throws GraphSecurityMapping.Rejected {
        JsonNode properties = alert.path("properties");
        String id = GraphSecurityMapping.text(properties, "systemAlertId");
        if (id.isEmpty()) {
            id = GraphSecurityMapping.text(alert, "name");
        }
        if (id.isEmpty()) {
            throw new GraphSecurityMapping.Rejected("the alert has no 'properties.systemAlertId' or 'name'");
        }
        Instant time = GraphSecurityMapping.optionalTime(properties, "timeGenerated")
                .or(() -> GraphSecurityMapping.optionalTime(properties, "startTimeUtc")).orElseThrow(
                        () -> new GraphSecurityMapping.Rejected("the alert has no valid 'properties.timeGenerated'"));
        String title = GraphSecurityMapping.text(properties, "alertDisplayName");
        title = title.isEmpty() ? "Sentinel alert " + id : title;
        String rule = GraphSecurityMapping.text(properties, "alertType");
        Map<String, String> matched = new LinkedHashMap<>();
        for (String field : new String[] {"systemAlertId", "productName", "productComponentName", "providerAlertId",
                "alertType", "alertLink", "vendorName"}) {
            if (!GraphSecurityMapping.text(properties, field).isEmpty()) {
                matched.put(field, GraphSecurityMapping.text(properties, field));
            }
        }
        List<String> techniques = new ArrayList<>();
        for (JsonNode technique : properties.path("techniques")) {
            if (technique.isString()) {
                techniques.add(technique.asString());
            }
        }
        UUID alertId = UUID.nameUUIDFromBytes((tenant.value() + "\n" + SOURCE + "\n" + id)
                .getBytes(StandardCharsets.UTF_8));
        Alert mapped = new Alert(alertId, tenant, SOURCE, rule.isEmpty() ? title : rule, title,
                GraphSecurityMapping.level(GraphSecurityMapping.text(properties, "severity")),
                GraphSecurityMapping.text(properties, "status").toLowerCase(Locale.ROOT),
                GraphSecurityMapping.micros(time), techniques, matched, List.of(), List.of(GraphSecurityMapping.PLACEHOLDER),
                ALERT_TABLE, incidentRef);
        return new SourceRecord(alert.toString(), ALERT_TABLE, time, id, time, Optional.of(mapped));
    }
}
