package dev.vigil.sigma;

import dev.vigil.model.Event;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One event as rules see it: field values as text, and their lower-cased form computed once per event however many
 * rules ask, since Sigma matches case-insensitively by default. Confined to one thread.
 */
public final class EventView {

    private final String table;
    private final Map<String, Object> fields;
    private final Event event;
    private final Map<String, String> lowered = new HashMap<>();

    public EventView(String table, Map<String, Object> fields) {
        this(table, fields, null);
    }

    private EventView(String table, Map<String, Object> fields, Event event) {
        this.table = table;
        this.fields = fields;
        this.event = event;
    }

    public static EventView of(Event event) {
        return new EventView(event.table(), event.fields(), event);
    }

    public String table() {
        return table;
    }

    /** The event behind this view, or null when the view was made from bare fields. */
    public Event event() {
        return event;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The field's value as text, or null when the field is absent or null. */
    public String text(String field) {
        return text(fields.get(field));
    }

    /** The field's text lower-cased, or null. */
    public String lower(String field) {
        String cached = lowered.get(field);
        if (cached == null && !lowered.containsKey(field)) {
            String text = text(field);
            cached = text == null ? null : text.toLowerCase(Locale.ROOT);
            lowered.put(field, cached);
        }
        return cached;
    }

    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case BigDecimal d -> d.toPlainString();
            case Double d when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 -> Long.toString(d.longValue());
            default -> value.toString();
        };
    }
}
