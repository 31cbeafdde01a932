package dev.vigil.store;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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

    /**
     * Reads at most {@code maxRows} rows of {@code rs}; {@code truncated} tells whether it had more, which the
     * statement lets through by asking for one row over the limit.
     *
     * @param startNanos when the query started, by {@link System#nanoTime()}
     */
    public static QueryResult read(ResultSet rs, int maxRows, long startNanos) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
            types.add(meta.getColumnTypeName(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
            if (rows.size() == maxRows) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(plain(rs.getObject(i)));
            }
            rows.add(row);
        }
        return new QueryResult(columns, types, rows, truncated, (System.nanoTime() - startNanos) / 1e6);
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
