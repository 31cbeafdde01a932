package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.EventId;
import java.util.Map;

/**
 * A stored event as an incident shows it: where it is, when it happened, and its common columns (host, user,
 * process, command line, addresses ...), non-empty ones only.
 */
public record EventSummary(EventId id, String table, long timeMicros, Map<String, String> common) {
    public EventSummary {
        requireNonNull(id, "id is null");
        requireNonNull(table, "table is null");
        common = Map.copyOf(common);
    }

    public String get(String column) {
        return common.getOrDefault(column, "");
    }
}
