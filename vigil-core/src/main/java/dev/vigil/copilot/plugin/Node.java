package dev.vigil.copilot.plugin;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest or OpenAPI document as a tree whose every value knows its line and column, read from YAML or JSON
 * alike, so that validation names where a problem stands whatever format the file is in.
 */
sealed interface Node {
    /** Where a value starts: 1-based line and column in a file. */
    record Position(String source, int line, int column) {
        @Override
        public String toString() {
            return source + ":" + line + ":" + column;
        }
    }

    Position position();

    /** A mapping; keys keep their order and their own positions. */
    record Mapping(Map<String, Node> values, Map<String, Position> keys, Position position) implements Node {
        public Mapping {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
            requireNonNull(position, "position is null");
        }

        /**
         * The value of a key, matched without regard to case: Security Copilot's manifests spell keys in Pascal case
         * ({@code DisplayName}) and some exporters in camel case ({@code displayName}).
         */
        Optional<Node> get(String key) {
            Node exact = values.get(key);
            if (exact != null) {
                return Optional.of(exact);
            }
            return values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
                    .findFirst();
        }

        /** The key as the file spells it, for messages. */
        String spelling(String key) {
            return values.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(key);
        }

        Position keyPosition(String key) {
            return keys.getOrDefault(spelling(key), position);
        }
    }

    record Sequence(List<Node> items, Position position) implements Node {
        public Sequence {
            items = List.copyOf(items);
            requireNonNull(position, "position is null");
        }
    }

    /**
     * A scalar as written: numbers and booleans keep their text ({@code true}, {@code 30}); {@code null} stands for
     * an explicit null or an empty value.
     */
    record Scalar(String text, Position position) implements Node {
        public Scalar {
            requireNonNull(position, "position is null");
        }

        boolean isNull() {
            return text == null;
        }
    }

    /** A short name of the node's kind, for messages ("a mapping", "a list", "text"). */
    static String kind(Node node) {
        return switch (node) {
            case Mapping m -> "a mapping";
            case Sequence s -> "a list";
            case Scalar s -> s.isNull() ? "empty" : "text";
        };
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
