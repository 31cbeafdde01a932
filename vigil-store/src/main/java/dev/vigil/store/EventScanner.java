package dev.vigil.store;

import static dev.vigil.store.Catalog.fold;
import static dev.vigil.store.Catalog.quote;
import static java.util.Objects.requireNonNull;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * Reads stored events back as {@link Event}s, for detection over what is already stored (a retro-hunt). Rows stream
 * from DuckDB (the store opens its database with result streaming), so a scan holds one batch at a time however
 * large the table.
 *
 * <p>An event comes back as it was stored: its id, table, time, common columns, raw record and source position, and
 * its native fields under their native names (not the column names they may have been renamed to on a clash), with
 * the fields kept in {@code extra_fields} beside them. Fields that were null or absent are not there. A field whose
 * column was widened comes back in the widened type (a number stored in a text column is text).
 */
final class EventScanner {
    private static final Pattern LINE = Pattern.compile("(.*):(\\d+)");
    private static final Pattern OFFSET = Pattern.compile("(.*)@(\\d+)");

    private final DuckDBConnection connection;
    private final TenantId tenant;

    /** @param connection a connection of its own: the consumer writes through the store's while rows stream */
    EventScanner(DuckDBConnection connection, TenantId tenant) {
        this.connection = requireNonNull(connection, "connection is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
    }

    /**
     * Hands the table's events at or after {@code sinceMicros} to the consumer, {@code batchSize} at a time, in no
     * particular order.
     *
     * @param fieldByColumn the native field of each native column, by folded column name
     */
    void scan(String table, Map<String, String> fieldByColumn, long sinceMicros, int batchSize,
            Consumer<List<Event>> consumer) throws SQLException {
        String sql = "SELECT *, epoch_us(\"time\") FROM main." + quote(table)
                + (sinceMicros == Long.MIN_VALUE ? "" : " WHERE \"time\" >= make_timestamptz(?::BIGINT)");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (sinceMicros != Long.MIN_VALUE) {
                statement.setLong(1, sinceMicros);
            }
            try (ResultSet rows = statement.executeQuery()) {
                Layout layout = new Layout(rows.getMetaData(), fieldByColumn);
                List<Event> batch = new ArrayList<>(batchSize);
                while (rows.next()) {
                    batch.add(layout.event(rows, tenant, table));
                    if (batch.size() == batchSize) {
                        consumer.accept(batch);
                        batch = new ArrayList<>(batchSize);
                    }
                }
                if (!batch.isEmpty()) {
                    consumer.accept(batch);
                }
            }
        }
    }

    /** What each result column holds, worked out once per table. */
    private static final class Layout {
        private static final int SKIP = -1;
        private static final int EVENT_ID = -2;
        private static final int RAW = -3;
        private static final int SOURCE = -4;
        private static final int EXTRA = -5;
        private static final int TIME = -6;
        private static final int NATIVE = -7;

        /** Per column (1-based, index 0 unused): a role above, or the ordinal of a common column. */
        private final int[] roles;
        private final String[] fields;

        Layout(ResultSetMetaData meta, Map<String, String> fieldByColumn) throws SQLException {
            int count = meta.getColumnCount();
            roles = new int[count + 1];
            fields = new String[count + 1];
            for (int i = 1; i <= count; i++) {
                String name = meta.getColumnName(i);
                CommonColumn common = CommonColumn.byName(name);
                if (i == count) {
                    roles[i] = TIME; // the epoch_us("time") added last
                } else if (common != null) {
                    roles[i] = common.ordinal();
                } else {
                    roles[i] = switch (fold(name)) {
                        case "event_id" -> EVENT_ID;
                        case "raw" -> RAW;
                        case "source" -> SOURCE;
                        case "extra_fields" -> EXTRA;
                        case "time", "tenant", "table", "ingested_at" -> SKIP;
                        default -> NATIVE;
                    };
                    if (roles[i] == NATIVE) {
                        fields[i] = fieldByColumn.getOrDefault(fold(name), name);
                    }
                }
            }
        }

        Event event(ResultSet rows, TenantId tenant, String table) throws SQLException {
            UUID id = null;
            long timeMicros = 0;
            String raw = "";
            SourcePosition position = null;
            String extra = null;
            String[] common = new String[CommonColumn.count()];
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 1; i < roles.length; i++) {
                int role = roles[i];
                if (role >= 0) {
                    common[role] = rows.getString(i);
                    continue;
                }
                switch (role) {
                    case EVENT_ID -> id = rows.getObject(i, UUID.class);
                    case TIME -> timeMicros = rows.getLong(i);
                    case RAW -> raw = rows.getString(i);
                    case SOURCE -> position = position(rows.getString(i));
                    case EXTRA -> extra = rows.getString(i);
                    case NATIVE -> {
                        Object value = plain(rows.getObject(i));
                        if (value != null) {
                            values.put(fields[i], value);
                        }
                    }
                    default -> { } // columns that are not part of the event
                }
            }
            if (extra != null) {
                for (Map.Entry<String, Object> field : Json.readObject(extra).entrySet()) {
                    Object value = plain(field.getValue());
                    if (value != null) {
                        values.putIfAbsent(field.getKey(), value);
                    }
                }
            }
            return new Event(new EventId(id.getMostSignificantBits(), id.getLeastSignificantBits()), tenant, table,
                    timeMicros, common, values, raw == null ? "" : raw,
                    position == null ? new SourcePosition("", 0, 0) : position);
        }
    }

    /** Values as ingest makes them: Long, Double, Boolean or String. */
    private static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case Boolean b -> b;
            case BigInteger i -> i.bitLength() < 64 ? (Object) i.longValue() : i.toString();
            case BigDecimal d -> d.doubleValue();
            default -> value.toString();
        };
    }

    /** The inverse of {@link SourcePosition#toString()}: {@code source:line} or {@code source@offset}. */
    static SourcePosition position(String text) {
        if (text == null) {
            return null;
        }
        try {
            Matcher line = LINE.matcher(text);
            if (line.matches()) {
                return new SourcePosition(line.group(1), Long.parseLong(line.group(2)), 0);
            }
            Matcher offset = OFFSET.matcher(text);
            if (offset.matches()) {
                return new SourcePosition(offset.group(1), 0, Long.parseLong(offset.group(2)));
            }
        } catch (NumberFormatException tooLong) {
            // not a position this store wrote: keep the text whole
        }
        return new SourcePosition(text, 0, 0);
    }
}
