package dev.vigil.store;

import static dev.vigil.store.Catalog.quote;
import static java.util.Objects.requireNonNull;

import dev.vigil.intel.ioc.IndicatorType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/**
 * Searches the tenant's events and alerts for one value (see {@link Sightings}). An event mentions a value when its
 * raw record holds it as a whole word: not inside a longer name or number ({@code evil.example} is not in
 * {@code notevil.example}, {@code 10.0.0.1} not in {@code 10.0.0.10}); a domain is also mentioned by its subdomains.
 * A substring test on the raw text narrows the rows before the regular expression runs. An IPv4 network is searched
 * for in {@code src_ip} and {@code dst_ip} by numeric range; IPv6 networks are not searched.
 */
final class SightingQuery {
    private static final int TOP = 10;
    private static final String LEFT = "(^|[^A-Za-z0-9_.-])";
    private static final String RIGHT = "($|[^A-Za-z0-9_-]|\\.($|[^A-Za-z0-9]))";

    private final DuckDBConnection connection;

    SightingQuery(DuckDBConnection connection) {
        this.connection = requireNonNull(connection, "connection is null");
    }

    Sightings run(IndicatorType type, String value, int recentAlerts) throws SQLException {
        List<String> tables = eventTables();
        String condition;
        List<Object> parameters = new ArrayList<>();
        String note = null;
        if (type == IndicatorType.CIDR && value.indexOf(':') < 0) {
            long[] range = ipv4Range(value);
            condition = "(" + ipv4Number("src_ip") + " BETWEEN ? AND ? OR " + ipv4Number("dst_ip") + " BETWEEN ? AND ?)";
            parameters.addAll(List.of(range[0], range[1], range[0], range[1]));
        } else if (type == IndicatorType.CIDR) {
            condition = "false";
            note = "events are not searched for IPv6 networks; search an address in it";
        } else {
            condition = "(raw ILIKE ? ESCAPE '\\' AND regexp_matches(raw, ?, 'i'))";
            parameters.add("%" + likeEscape(searchText(type, value)) + "%");
            parameters.add(wordPattern(type, value));
        }
        long events = 0;
        Instant first = null;
        Instant last = null;
        Map<String, Long> byTable = new LinkedHashMap<>();
        List<Sightings.Count> hosts = new ArrayList<>();
        List<Sightings.Count> users = new ArrayList<>();
        if (!tables.isEmpty() && !condition.equals("false")) {
            StringBuilder sql = new StringBuilder("WITH hits AS (");
            for (int i = 0; i < tables.size(); i++) {
                sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ? AS tbl, \"time\", host, \"user\" FROM main.")
                        .append(quote(tables.get(i))).append(" WHERE ").append(condition);
            }
            sql.append(") SELECT tbl, host, \"user\", count(*), epoch_us(min(\"time\")), epoch_us(max(\"time\")),"
                    + " GROUPING(tbl), GROUPING(host), GROUPING(\"user\") FROM hits"
                    + " GROUP BY GROUPING SETS ((), (tbl), (host), (\"user\"))");
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (String table : tables) {
                    statement.setString(p++, table);
                    for (Object parameter : parameters) {
                        statement.setObject(p++, parameter);
                    }
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        boolean byTbl = rows.getInt(7) == 0;
                        boolean byHost = rows.getInt(8) == 0;
                        boolean byUser = rows.getInt(9) == 0;
                        long count = rows.getLong(4);
                        if (byTbl) {
                            byTable.put(rows.getString(1), count);
                        } else if (byHost) {
                            if (rows.getString(2) != null) {
                                hosts.add(new Sightings.Count(rows.getString(2), count));
                            }
                        } else if (byUser) {
                            if (rows.getString(3) != null) {
                                users.add(new Sightings.Count(rows.getString(3), count));
                            }
                        } else {
                            events = count;
                            first = instant(rows, 5);
                            last = instant(rows, 6);
                        }
                    }
                }
            }
        }
        Comparator<Sightings.Count> most = Comparator.comparingLong(Sightings.Count::events).reversed()
                .thenComparing(Sightings.Count::value);
        hosts.sort(most);
        users.sort(most);
        Map<String, Long> tablesSorted = new LinkedHashMap<>();
        byTable.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> tablesSorted.put(e.getKey(), e.getValue()));
        long[] alertCount = new long[1];
        List<Sightings.AlertMention> mentions = alerts(type, value, recentAlerts, alertCount);
        return new Sightings(events, first, last, tablesSorted, hosts.subList(0, Math.min(TOP, hosts.size())),
                users.subList(0, Math.min(TOP, users.size())), alertCount[0], mentions, note);
    }

    private List<Sightings.AlertMention> alerts(IndicatorType type, String value, int limit, long[] count)
            throws SQLException {
        if (!hasTable("vigil_alerts")) {
            return List.of();
        }
        String text = "(CAST(matched_fields AS VARCHAR) || ' ' || CAST(entities AS VARCHAR) || ' ' || rule_id)";
        String condition = type == IndicatorType.CIDR ? "rule_id = ?"
                : "(" + text + " ILIKE ? ESCAPE '\\' AND regexp_matches(" + text + ", ?, 'i'))";
        List<Object> parameters = type == IndicatorType.CIDR ? List.of("ioc:cidr:" + value)
                : List.of("%" + likeEscape(searchText(type, value)) + "%", wordPattern(type, value));
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM vigil_alerts WHERE "
                + condition)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                count[0] = rows.getLong(1);
            }
        }
        List<Sightings.AlertMention> mentions = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT alert_id, rule_id, title, level,"
                + " epoch_us(\"time\") FROM vigil_alerts WHERE " + condition + " ORDER BY \"time\" DESC, alert_id"
                + " LIMIT " + Math.max(1, limit))) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    mentions.add(new Sightings.AlertMention(rows.getObject(1, UUID.class), rows.getString(2),
                            rows.getString(3), rows.getString(4), instant(rows, 5)));
                }
            }
        }
        return mentions;
    }

    /** The text a record must contain: a URL without its scheme, since the record may spell it either way. */
    private static String searchText(IndicatorType type, String value) {
        if (type == IndicatorType.URL) {
            int scheme = value.indexOf("://");
            return scheme < 0 ? value : value.substring(scheme + 3);
        }
        return value;
    }

    /** The value as a whole word; a domain with any subdomains before it. */
    static String wordPattern(IndicatorType type, String value) {
        String quoted = quoteRegex(searchText(type, value));
        return switch (type) {
            case DOMAIN -> LEFT + "([A-Za-z0-9_-]+\\.)*" + quoted + RIGHT;
            case URL -> quoted;
            default -> LEFT + quoted + RIGHT;
        };
    }

    private static String quoteRegex(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String ipv4Number(String column) {
        return "(CASE WHEN regexp_full_match(" + column + ", '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}') THEN"
                + " split_part(" + column + ", '.', 1)::BIGINT * 16777216 + split_part(" + column
                + ", '.', 2)::BIGINT * 65536 + split_part(" + column + ", '.', 3)::BIGINT * 256 + split_part(" + column
                + ", '.', 4)::BIGINT END)";
    }

    private static long[] ipv4Range(String cidr) {
        int slash = cidr.indexOf('/');
        String[] parts = cidr.substring(0, slash).split("\\.");
        long start = 0;
        for (String part : parts) {
            start = start << 8 | Long.parseLong(part);
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        long size = 1L << (32 - prefix);
        return new long[] {start, start + size - 1};
    }

    private List<String> eventTables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = 'main' AND table_type = 'VIEW' ORDER BY table_name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private boolean hasTable(String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = 'main' AND table_name = ?")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        long micros = rows.getLong(column);
        return rows.wasNull() ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
