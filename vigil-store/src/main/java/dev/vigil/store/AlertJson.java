package dev.vigil.store;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert as the REST API and {@code vigil alerts --json} both write it, so that a script reads the same object from
 * either: snake_case keys in a fixed order, the time as ISO-8601 UTC, matched fields sorted by name and each entity
 * as {@code {kind, value}}. The tenant and the incident reference are left out: the caller names the tenant once.
 */
public final class AlertJson {
    private AlertJson() {}

    public static Map<String, Object> of(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id().toString());
        json.put("rule_id", alert.ruleId());
        json.put("title", alert.title());
        json.put("level", alert.level());
        json.put("status", alert.status());
        json.put("time", Instant.EPOCH.plus(alert.timeMicros(), ChronoUnit.MICROS).toString());
        json.put("techniques", alert.techniques());
        json.put("event_ids", alert.eventIds().stream().map(EventId::toString).toList());
        json.put("table", alert.table());
        json.put("matched_fields", new TreeMap<>(alert.matchedFields()));
        json.put("entities", alert.entities().stream().map(e -> {
            Map<String, String> entity = new LinkedHashMap<>();
            entity.put("kind", e.kind());
            entity.put("value", e.value());
            return entity;
        }).toList());
        json.put("source", alert.source());
        return json;
    }
}
