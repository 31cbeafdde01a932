package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A record turned into native fields, before normalization: the table it belongs to, its fields in source order
 * under their native names, and the event time when the parser knows it.
 *
 * <p>Field values are {@link String}, {@link Long}, {@link Double} or {@link Boolean}; null values are allowed and
 * mean "present but empty". Nested structures are flattened by the parser to dotted names ({@code user.name}); arrays
 * are kept as their JSON text. The map is owned by the record once passed in.
 *
 * @param table the event table, e.g. {@code SecurityEvent}, {@code Syslog}, {@code CommonSecurityLog}
 * @param fields native fields by name, in source order
 * @param timeMicros event time in microseconds since the epoch (UTC), or {@link #UNKNOWN_TIME}
 */
public record ParsedRecord(String table, Map<String, Object> fields, long timeMicros) {
    /** Marks a record whose parser did not find the event time; the normalizer then looks for it. */
    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    public ParsedRecord {
        requireNonNull(table, "table is null");
        requireNonNull(fields, "fields is null");
    }

    public ParsedRecord(String table, Map<String, Object> fields) {
        this(table, fields, UNKNOWN_TIME);
    }
}
