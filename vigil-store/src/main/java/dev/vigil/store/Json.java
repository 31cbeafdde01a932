package dev.vigil.store;

import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JSON text for the few values the store keeps as JSON ({@code extra_fields}, an alert's fields and entities). */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private Json() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A JSON object as a map in document order; numbers come back as Integer, Long, Double or BigInteger. */
    static Map<String, Object> readObject(String text) {
        return MAPPER.readValue(text, OBJECT);
    }

    static <T> T read(String text, TypeReference<T> type) {
        return MAPPER.readValue(text, type);
    }
}
