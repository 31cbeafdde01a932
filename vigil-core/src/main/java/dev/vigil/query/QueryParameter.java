package dev.vigil.query;

import static java.util.Objects.requireNonNull;

/**
 * A parameter a query declares with {@code declare query_parameters(name:type = default)}.
 *
 * @param defaultValue the default as KQL text (e.g. {@code 'WS1'}, {@code 1h}), or null when the parameter is
 *     required
 */
public record QueryParameter(String name, KqlType type, String typeName, String defaultValue) {
    public QueryParameter {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(typeName, "typeName is null");
    }

    public boolean required() {
        return defaultValue == null;
    }
}
