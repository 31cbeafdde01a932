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
    private Map<String, String> lowered;

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

    /**
     * Field names fold case on a miss: the store keeps one column for names that differ only in case
     * ({@code ProcessId}, {@code ProcessID}) and gives events back under the first spelling it saw, so matching at
     * ingest and on a retro-hunt must not depend on the spelling. Built on the first miss of an event only.
     */
    private Map<String, String> folded;

    public boolean has(String field) {
        return fields.containsKey(field) || spelling(field) != null;
    }

    /** The field's value as text, or null when the field is absent or null. */
    public String text(String field) {
        Object value = fields.get(field);
        if (value == null && !fields.containsKey(field)) {
            String other = spelling(field);
            value = other == null ? null : fields.get(other);
        }
        return text(value);
    }

    private String spelling(String field) {
        if (folded == null) {
            folded = new HashMap<>();
            for (String name : fields.keySet()) {
                folded.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            }
        }
        return folded.get(field.toLowerCase(Locale.ROOT));
    }

    /** The field's text lower-cased, or null. */
    public String lower(String field) {
        if (lowered == null) {
            lowered = new HashMap<>();
        }
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
