package dev.vigil.store;

import tools.jackson.databind.json.JsonMapper;

/** JSON text for the few values the store keeps as JSON ({@code extra_fields}). */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
