package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IndicatorValues;
import dev.vigil.intel.ioc.Indicators;
import dev.vigil.intel.ioc.Provenance;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import tools.jackson.core.type.TypeReference;

/**
 * The tenant's threat-intelligence indicators in {@code vigil_indicators}, one row per type and value, written
 * within the caller's transaction.
 *
 * <p>Importing merges: a value already stored keeps one row whose provenance is the merge of what every import said
 * ({@link Provenance#merge}: all feeds, the highest confidence, the earliest first seen, the latest last seen), and
 * keeps the time it was first imported. The merge is done in Java, by the same code that deduplicates a file, so the
 * store and the import agree on what a merge is. Lists are {@code VARCHAR[]}; tags are a JSON array.
 */
final class IndicatorTable {
    private static final String COLUMNS = "type, value, feeds, confidence, first_seen, last_seen, valid_from,"
            + " valid_until, tags, actors, campaigns, techniques, source_ids, imported_at";
    /**
     * Each row is read as one text: its columns joined by the record separator (U+001E), lists by the unit separator
     * (U+001F), which no stored value holds (control characters are refused in values and replaced in names). The
     * driver fetches one string per row seven times faster than fourteen columns: a million indicators are read in
     * about a second.
     */
    private static final String SELECT = "SELECT concat_ws(chr(30), type, value, array_to_string(feeds, chr(31)),"
            + " confidence, coalesce(epoch_us(first_seen)::VARCHAR, ''), coalesce(epoch_us(last_seen)::VARCHAR, ''),"
            + " coalesce(epoch_us(valid_from)::VARCHAR, ''), coalesce(epoch_us(valid_until)::VARCHAR, ''),"
            + " CAST(tags AS VARCHAR), array_to_string(actors, chr(31)), array_to_string(campaigns, chr(31)),"
            + " array_to_string(techniques, chr(31)), array_to_string(source_ids, chr(31)), epoch_us(imported_at))"
            + " FROM vigil_indicators";
    private static final String ACTIVE = "(valid_from IS NULL OR valid_from <= make_timestamptz(?::BIGINT))"
            + " AND (valid_until IS NULL OR valid_until > make_timestamptz(?::BIGINT))";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final int STAGE_ROWS = 100_000;

    private final DuckDBConnection connection;

    IndicatorTable(DuckDBConnection connection) {
        this.connection = requireNonNull(connection, "connection is null");
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_indicators (
                    type VARCHAR NOT NULL, value VARCHAR NOT NULL, feeds VARCHAR[] NOT NULL, confidence INTEGER NOT NULL,
                    first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, valid_from TIMESTAMPTZ, valid_until TIMESTAMPTZ,
                    tags JSON NOT NULL, actors VARCHAR[] NOT NULL, campaigns VARCHAR[] NOT NULL,
                    techniques VARCHAR[] NOT NULL, source_ids VARCHAR[] NOT NULL, imported_at TIMESTAMPTZ NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL)""");
        statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS batch_indicator_keys (type VARCHAR, value VARCHAR)");
        statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS batch_indicators AS SELECT " + COLUMNS
                + " FROM vigil_indicators LIMIT 0");
    }

    /** Merges the indicators into the stored ones, in chunks; the caller holds the transaction. */
    IndicatorUpsert upsert(Collection<Indicator> indicators) throws SQLException {
        List<Indicator> distinct = Indicators.deduplicate(indicators);
        int added = 0;
        int updated = 0;
        int unchanged = 0;
        for (int from = 0; from < distinct.size(); from += STAGE_ROWS) {
            List<Indicator> chunk = distinct.subList(from, Math.min(distinct.size(), from + STAGE_ROWS));
            Map<String, Stored> existing = existing(chunk);
            List<Stored> changed = new ArrayList<>();
            long now = micros(Instant.now());
            for (Indicator indicator : chunk) {
                Stored before = existing.get(indicator.key());
                if (before == null) {
                    changed.add(new Stored(indicator, now));
                    added++;
                    continue;
                }
                Indicator merged = before.indicator().merge(indicator);
                if (merged.equals(before.indicator())) {
                    unchanged++;
                } else {
                    changed.add(new Stored(merged, before.importedMicros()));
                    updated++;
                }
            }
            replace(changed);
        }
        return new IndicatorUpsert(added, updated, unchanged);
    }

    private record Stored(Indicator indicator, long importedMicros) {}

    private Map<String, Stored> existing(List<Indicator> chunk) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM temp.batch_indicator_keys");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "batch_indicator_keys")) {
            for (Indicator indicator : chunk) {
                appender.beginRow().append(indicator.type().id()).append(indicator.value()).endRow();
            }
        }
        Map<String, Stored> existing = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(SELECT + " i WHERE EXISTS (SELECT 1 FROM"
                        + " temp.batch_indicator_keys k WHERE k.type = i.type AND k.value = i.value)")) {
            RowReader reader = new RowReader();
            while (rows.next()) {
                Indicator indicator = reader.indicator(rows);
                existing.put(indicator.key(), new Stored(indicator, reader.importedMicros()));
            }
        }
        return existing;
    }

    private void replace(List<Stored> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM temp.batch_indicators");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "batch_indicators")) {
            for (Stored row : rows) {
                Indicator indicator = row.indicator();
                Provenance p = indicator.provenance();
                appender.beginRow().append(indicator.type().id()).append(indicator.value()).append(p.feeds())
                        .append(p.confidence());
                for (Instant instant : new Instant[] {p.firstSeen(), p.lastSeen(), p.validFrom(), p.validUntil()}) {
                    if (instant == null) {
                        appender.appendNull();
                    } else {
                        appender.appendEpochMicros(micros(instant));
                    }
                }
                appender.append(Json.write(p.tags())).append(p.actors()).append(p.campaigns()).append(p.techniques())
                        .append(p.sourceIds()).appendEpochMicros(row.importedMicros()).endRow();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM vigil_indicators i WHERE EXISTS (SELECT 1 FROM temp.batch_indicators b"
                    + " WHERE b.type = i.type AND b.value = i.value)");
            statement.executeUpdate("INSERT INTO vigil_indicators (" + COLUMNS + ", updated_at) SELECT " + COLUMNS
                    + ", now() FROM temp.batch_indicators");
        }
    }

    /** Streams the indicators active at the instant (every one when it is null). */
    void scan(Instant activeAt, Consumer<Indicator> consumer) throws SQLException {
        String sql = SELECT + (activeAt == null ? "" : " WHERE " + ACTIVE);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (activeAt != null) {
                statement.setLong(1, micros(activeAt));
                statement.setLong(2, micros(activeAt));
            }
            try (ResultSet rows = statement.executeQuery()) {
                RowReader reader = new RowReader();
                while (rows.next()) {
                    consumer.accept(reader.indicator(rows));
                }
            }
        }
    }

    /** The newest active indicators (by last seen), of one type or all. */
    List<Indicator> sample(IndicatorType type, Instant activeAt, int limit) throws SQLException {
        String sql = SELECT + " WHERE " + ACTIVE + (type == null ? "" : " AND type = ?")
                + " ORDER BY last_seen DESC NULLS LAST, type, value LIMIT " + limit;
        List<Indicator> out = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, micros(activeAt));
            statement.setLong(2, micros(activeAt));
            if (type != null) {
                statement.setString(3, type.id());
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    out.add(indicator(rows));
                }
            }
        }
        return out;
    }

    /** The stored indicators with these (type, value) keys, expired or not. */
    List<Indicator> byKeys(Collection<IndicatorValues.Value> keys) throws SQLException {
        List<Indicator> out = new ArrayList<>();
        List<IndicatorValues.Value> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += 200) {
            List<IndicatorValues.Value> chunk = all.subList(from, Math.min(all.size(), from + 200));
            String sql = SELECT + " WHERE " + String.join(" OR ", chunk.stream()
                    .map(k -> "(type = ? AND value = ?)").toList()) + " ORDER BY type, value";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int i = 1;
                for (IndicatorValues.Value key : chunk) {
                    statement.setString(i++, key.type().id());
                    statement.setString(i++, key.value());
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        out.add(indicator(rows));
                    }
                }
            }
        }
        return out;
    }

    IndicatorCounts counts(Instant at) throws SQLException {
        long atMicros = micros(at);
        Map<String, Long> active = new LinkedHashMap<>();
        long total = 0;
        long expired = 0;
        long pending = 0;
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT type, count(*),
                       count(*) FILTER (WHERE valid_until IS NOT NULL AND valid_until <= make_timestamptz(?::BIGINT)),
                       count(*) FILTER (WHERE valid_from IS NOT NULL AND valid_from > make_timestamptz(?::BIGINT))
                FROM vigil_indicators GROUP BY type ORDER BY type""")) {
            statement.setLong(1, atMicros);
            statement.setLong(2, atMicros);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long all = rows.getLong(2);
                    long gone = rows.getLong(3);
                    long future = rows.getLong(4);
                    total += all;
                    expired += gone;
                    pending += future;
                    active.put(rows.getString(1), all - gone - future);
                }
            }
        }
        Map<String, Long> byFeed = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT feed, count(*) FROM (SELECT"
                + " unnest(feeds) AS feed FROM vigil_indicators WHERE " + ACTIVE + ") GROUP BY feed"
                + " ORDER BY count(*) DESC, feed")) {
            statement.setLong(1, atMicros);
            statement.setLong(2, atMicros);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byFeed.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return new IndicatorCounts(total, total - expired - pending, expired, pending, active, byFeed);
    }

    int expire(Instant at) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM vigil_indicators WHERE valid_until IS NOT NULL AND valid_until <= make_timestamptz(?::BIGINT)")) {
            statement.setLong(1, micros(at));
            return statement.executeUpdate();
        }
    }

    private static Indicator indicator(ResultSet rows) throws SQLException {
        return new RowReader().indicator(rows);
    }

    /**
     * Reads rows (see {@link #SELECT}) into indicators. Rows of one feed repeat their feeds, tags and links, so a list
     * equal in text to the previous row's is taken from it rather than split or parsed again.
     */
    private static final class RowReader {
        private static final int FIELDS = 14;
        private final String[] text = new String[FIELDS];
        private final Object[] parsed = new Object[FIELDS];
        private final String[] fields = new String[FIELDS];

        Indicator indicator(ResultSet rows) throws SQLException {
            String row = rows.getString(1);
            int from = 0;
            for (int i = 0; i < FIELDS; i++) {
                int end = i == FIELDS - 1 ? row.length() : row.indexOf('\u001E', from);
                if (end < 0) {
                    throw new SQLException("a row of vigil_indicators has " + (i + 1) + " fields, not " + FIELDS);
                }
                fields[i] = row.substring(from, end);
                from = end + 1;
            }
            IndicatorType type = IndicatorType.fromId(fields[0]);
            if (type == null) {
                throw new SQLException("vigil_indicators holds an unknown type '" + fields[0] + "'");
            }
            Provenance provenance = new Provenance(list(2), Integer.parseInt(fields[3]), instant(fields[4]),
                    instant(fields[5]), instant(fields[6]), instant(fields[7]), tags(), list(9), list(10), list(11),
                    list(12));
            return new Indicator(type, fields[1], provenance);
        }

        long importedMicros() {
            return Long.parseLong(fields[13]);
        }

        @SuppressWarnings("unchecked")
        private List<String> list(int field) {
            String joined = fields[field];
            if (joined.isEmpty()) {
                return List.of();
            }
            if (!joined.equals(text[field])) {
                text[field] = joined;
                parsed[field] = List.of(joined.split("\u001F", -1));
            }
            return (List<String>) parsed[field];
        }

        @SuppressWarnings("unchecked")
        private List<String> tags() {
            String json = fields[8];
            if (!json.equals(text[8])) {
                text[8] = json;
                parsed[8] = List.copyOf(Json.read(json, STRINGS));
            }
            return (List<String>) parsed[8];
        }

        private static Instant instant(String micros) {
            return micros.isEmpty() ? null : Instant.EPOCH.plus(Long.parseLong(micros), ChronoUnit.MICROS);
        }
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** Count and latest update of the stored indicators: any upsert or expiry changes it. */
    String version() throws SQLException {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery("SELECT count(*) || '|' || coalesce(CAST("
                        + "max(updated_at) AS VARCHAR), '') || '|' || coalesce(CAST(max(valid_until) AS VARCHAR), '')"
                        + " FROM vigil_indicators")) {
            result.next();
            return result.getString(1);
        }
    }
}
