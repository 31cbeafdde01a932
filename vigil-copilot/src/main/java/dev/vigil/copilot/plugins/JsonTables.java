package dev.vigil.copilot.plugins;

import dev.vigil.copilot.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A JSON answer as a table: the records of a top-level array, else of the object's first array property, else the
 * object itself as one record. Columns are the records' fields in order of first appearance; nested values stay JSON
 * text, and scalars keep their JSON type.
 */
final class JsonTables {
    private JsonTables() {}

    static Table table(String title, JsonNode json, int maxRows) {
        List<JsonNode> records = new ArrayList<>();
        if (json.isArray()) {
            json.forEach(records::add);
        } else if (json.isObject()) {
            JsonNode array = null;
            for (Map.Entry<String, JsonNode> property : json.properties()) {
                if (property.getValue().isArray()) {
                    array = property.getValue();
                    break;
                }
            }
            if (array != null) {
                array.forEach(records::add);
            } else {
                records.add(json);
            }
        } else if (!json.isNull() && !json.isMissingNode()) {
            return new Table(title, List.of("value"), List.of(List.of(scalar(json))));
        }
        records = records.subList(0, Math.min(records.size(), maxRows));
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode record : records) {
            if (record.isObject()) {
                record.properties().forEach(p -> columns.add(p.getKey()));
            } else {
                columns.add("value");
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode record : records) {
            List<Object> row = new ArrayList<>();
            for (String column : columns) {
                JsonNode value = record.isObject() ? record.get(column) : column.equals("value") ? record : null;
                row.add(value == null ? null : scalar(value));
            }
            rows.add(row);
        }
        return new Table(title, List.copyOf(columns), rows);
    }

    private static Object scalar(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isString()) {
            return value.asString();
        }
        return value.toString();
    }
}
