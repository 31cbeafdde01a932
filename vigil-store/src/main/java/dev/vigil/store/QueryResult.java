package dev.vigil.store;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The rows of a read-only query, with its columns and how long it ran.
 *
 * @param rows values are plain Java values: String, Long, Double, Boolean, BigDecimal, or null; times are ISO-8601
 * @param truncated true when the query had more rows than were asked for
 */
public record QueryResult(List<String> columns, List<String> types, List<List<Object>> rows, boolean truncated,
        double milliseconds) {
    public QueryResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        rows = List.copyOf(rows);
    }

    /** Converts JDBC values into the plain values results hold. */
    static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case Boolean b -> b;
            case java.math.BigDecimal d -> d;
            case java.math.BigInteger i -> i.toString();
            case OffsetDateTime t -> t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case java.sql.Timestamp t -> t.toInstant().toString();
            case java.time.LocalDateTime t -> t.toString();
            case java.time.LocalDate d -> d.toString();
            case byte[] bytes -> java.util.HexFormat.of().formatHex(bytes);
            default -> value.toString();
        };
    }
}
