package dev.vigil.spark;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rows of two engines in a form where equal answers compare equal: numbers to nine significant digits (engines sum
 * doubles in different orders), JSON text parsed and written canonically with array elements sorted (make_set keeps
 * no order), and rows sorted unless the query's order is part of its answer.
 */
final class ResultRows {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ResultRows() {}

    static List<String> canonical(List<List<Object>> rows, boolean ordered) {
        List<String> result = new ArrayList<>();
        for (List<Object> row : rows) {
            List<String> values = new ArrayList<>();
            for (Object value : row) {
                values.add(value(value));
            }
            result.add(String.join(" | ", values));
        }
        if (!ordered) {
            result.sort(Comparator.naturalOrder());
        }
        return result;
    }

    private static String value(Object value) {
        return switch (value) {
            case null -> "null";
            case Number n -> new BigDecimal(n.toString()).round(MathContext.DECIMAL32.getPrecision() > 0
                    ? new MathContext(9) : MathContext.UNLIMITED).stripTrailingZeros().toPlainString();
            case String s when (s.startsWith("[") || s.startsWith("{")) -> json(s);
            default -> value.toString();
        };
    }

    private static String json(String text) {
        try {
            return canonical(JSON.readTree(text));
        } catch (RuntimeException e) {
            return text;
        }
    }

    private static String canonical(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(canonical(item)));
            items.sort(Comparator.naturalOrder());
            return "[" + String.join(",", items) + "]";
        }
        if (node.isObject()) {
            List<String> fields = new ArrayList<>();
            for (String name : node.propertyNames()) {
                fields.add(name + ":" + canonical(node.get(name)));
            }
            fields.sort(Comparator.naturalOrder());
            return "{" + String.join(",", fields) + "}";
        }
        if (node.isNumber()) {
            return value(node.numberValue());
        }
        return node.toString();
    }
}
