package dev.vigil.connectors;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Maps Microsoft Graph Security API records onto Vigil: an {@code alerts_v2} alert becomes a row of
 * {@value #ALERT_TABLE} (the record as sent, native field names) and a Vigil {@link Alert}; an incident becomes a row of
 * {@value #INCIDENT_TABLE}, and the alerts it expands become alerts as above. The alert keeps the product's grouping:
 * its {@code incidentRef} is {@code defender:<incidentId>} (Graph incidents are Defender XDR incidents), so correlation
 * puts the alerts of one Graph incident in one Vigil incident. Pure: no I/O.
 */
final class GraphSecurityMapping {
    static final String ALERT_TABLE = "GraphSecurityAlert";
    static final String INCIDENT_TABLE = "GraphSecurityIncident";
    static final String SOURCE = "graph-security";

    private GraphSecurityMapping() {}

    /** Why a record could not be mapped; the record is quarantined with it. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    /** The alert record as stored, and the Vigil alert it raises (its event id set by the caller). */
    static SourceRecord alert(TenantId tenant, JsonNode alert) throws Rejected {
        String id = required(alert, "id");
        Instant created = time(alert, "createdDateTime");
        Instant modified = optionalTime(alert, "lastUpdateDateTime").orElse(created);
        String title = text(alert, "title").isEmpty() ? "Graph security alert " + id : text(alert, "title");
        String detector = text(alert, "detectorId");
        Map<String, String> matched = new LinkedHashMap<>();
        for (String field : new String[] {"id", "providerAlertId", "category", "serviceSource", "detectionSource",
                "detectorId", "incidentId", "alertWebUrl", "threatDisplayName", "actorDisplayName"}) {
            if (!text(alert, field).isEmpty()) {
                matched.put(field, text(alert, field));
            }
        }
        List<String> techniques = new ArrayList<>();
        for (JsonNode technique : alert.path("mitreTechniques")) {
            if (technique.isString() && !technique.asString().isBlank()) {
                techniques.add(technique.asString().strip());
            }
        }
        String incidentId = text(alert, "incidentId");
        Alert mapped = new Alert(alertId(tenant, id), tenant, SOURCE, detector.isEmpty() ? title : detector, title,
                level(text(alert, "severity")), status(text(alert, "status")), micros(created), techniques, matched,
                entities(alert.path("evidence")), List.of(PLACEHOLDER), ALERT_TABLE,
                incidentId.isEmpty() ? "" : "defender:" + incidentId);
        return new SourceRecord(alert.toString(), ALERT_TABLE, created, id, modified, Optional.of(mapped));
    }

    /** The incident record as stored (its expanded alerts are taken apart by {@link #incidentAlerts}). */
    static SourceRecord incident(JsonNode incident) throws Rejected {
        String id = required(incident, "id");
        Instant created = time(incident, "createdDateTime");
        Instant modified = optionalTime(incident, "lastUpdateDateTime").orElse(created);
        return new SourceRecord(incident.toString(), INCIDENT_TABLE, created, id, modified, Optional.empty());
    }

    /** The alerts an incident expands ({@code $expand=alerts}), each carrying the incident's id. */
    static List<JsonNode> incidentAlerts(JsonNode incident) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode alert : incident.path("alerts")) {
            if (alert.isObject()) {
                if (text(alert, "incidentId").isEmpty() && !text(incident, "id").isEmpty()) {
                    alert = ((tools.jackson.databind.node.ObjectNode) alert.deepCopy())
                            .put("incidentId", text(incident, "id"));
                }
                out.add(alert);
            }
        }
        return out;
    }

    /** Stands in for the event id until the record is an event (an alert must name at least one). */
    static final EventId PLACEHOLDER = new EventId(0, 0);

    /** The same Graph alert always maps to the same Vigil alert id, whatever its later updates. */
    static UUID alertId(TenantId tenant, String graphId) {
        return UUID.nameUUIDFromBytes((tenant.value() + "\n" + SOURCE + "\n" + graphId).getBytes(StandardCharsets.UTF_8));
    }

    /** Graph's severity (unknown, informational, low, medium, high) as a Sigma level. */
    static String level(String severity) {
        return switch (severity.toLowerCase(Locale.ROOT)) {
            case "informational" -> "informational";
            case "low" -> "low";
            case "high" -> "high";
            default -> "medium";
        };
    }

    /** Graph's status (new, inProgress, resolved) in Vigil's words. */
    static String status(String status) {
        return switch (status) {
            case "new" -> "new";
            case "inProgress" -> "in_progress";
            case "resolved" -> "resolved";
            default -> status;
        };
    }

    /** The entities of an alert's evidence, by its {@code @odata.type}; unknown evidence types add nothing. */
    static List<Alert.Entity> entities(JsonNode evidence) {
        Set<Alert.Entity> out = new LinkedHashSet<>();
        for (JsonNode item : evidence) {
            String type = text(item, "@odata.type");
            String kind = type.substring(type.lastIndexOf('.') + 1);
            switch (kind) {
                case "deviceEvidence" -> {
                    add(out, "host", text(item, "deviceDnsName"));
                    for (JsonNode user : item.path("loggedOnUsers")) {
                        add(out, "user", account(user));
                    }
                    for (JsonNode address : item.path("ipInterfaces")) {
                        add(out, "src_ip", address.isString() ? address.asString() : "");
                    }
                }
                case "userEvidence" -> add(out, "user", account(item.path("userAccount")));
                case "ipEvidence" -> add(out, "src_ip", text(item, "ipAddress"));
                case "urlEvidence" -> add(out, "url", text(item, "url"));
                case "fileEvidence" -> file(out, item.path("fileDetails"));
                case "processEvidence" -> {
                    JsonNode image = item.path("imageFile");
                    add(out, "process", text(image, "filePath").isEmpty() ? text(image, "fileName")
                            : text(image, "filePath") + "\\" + text(image, "fileName"));
                    file(out, image);
                    add(out, "user", account(item.path("userAccount")));
                }
                case "mailboxEvidence" -> add(out, "user", text(item, "primaryAddress"));
                default -> { }
            }
        }
        return List.copyOf(out);
    }

    private static void file(Set<Alert.Entity> out, JsonNode details) {
        add(out, "file_hash", text(details, "sha256").isEmpty() ? text(details, "sha1") : text(details, "sha256"));
    }

    private static String account(JsonNode account) {
        String upn = text(account, "userPrincipalName");
        if (!upn.isEmpty()) {
            return upn.toLowerCase(Locale.ROOT);
        }
        String name = text(account, "accountName");
        String domain = text(account, "domainName");
        return name.isEmpty() ? "" : (domain.isEmpty() ? name : domain + "\\" + name).toLowerCase(Locale.ROOT);
    }

    private static void add(Set<Alert.Entity> out, String kind, String value) {
        if (value != null && !value.isBlank()) {
            out.add(new Alert.Entity(kind, value.strip()));
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() || value.isNumber() ? value.asString().strip() : "";
    }

    private static String required(JsonNode node, String field) throws Rejected {
        String value = text(node, field);
        if (value.isEmpty()) {
            throw new Rejected("the record has no '" + field + "'");
        }
        return value;
    }

    private static Instant time(JsonNode node, String field) throws Rejected {
        return optionalTime(node, field).orElseThrow(() -> new Rejected("the record has no valid '" + field + "'"));
    }

    static Optional<Instant> optionalTime(JsonNode node, String field) {
        String value = text(node, field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(value));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
