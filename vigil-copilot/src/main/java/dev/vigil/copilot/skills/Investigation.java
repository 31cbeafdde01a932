package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.TimeRange;
import dev.vigil.incident.EntityKey;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.IncidentQuery;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One run of a skill over the workspace: runs its queries (hunting queries through {@link HuntRunner}, SQL through
 * the store) within the call's time range, and records each in the result so the analyst can read and re-run it.
 * Also holds what every skill says the same way: the scope, entity names as the store spells them, and times.
 */
final class Investigation {
    /** Rows a skill's table shows at most. */
    static final int SHOWN = 20;
    /** The severity levels, least first, as a SQL list: {@code list_position(LEVELS, level)} ranks a level. */
    static final String LEVELS = "['informational', 'low', 'medium', 'high', 'critical']";
    /** Aggregated rows a query returns at most: summaries are small, and a cut is said. */
    private static final int MAX_ROWS = 1_000;
    /** Alerts whose incidents one look-up finds at most. */
    private static final int MAX_ALERT_IDS = 1_000_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A query that ran: its index among the result's queries (for {@code query:<n>} evidence) and its rows. */
    record Ran(int index, QueryResult result) {
        List<List<Object>> rows() {
            return result.rows();
        }

        String ref() {
            return "query:" + index;
        }

        boolean isEmpty() {
            return result.rows().isEmpty();
        }
    }

    private final Workspace workspace;
    private final SkillContext context;
    private final SkillResult.Builder result;
    private final Optional<TimeRange> time;
    private HuntRunner runner;

    Investigation(Workspace workspace, SkillCall call, SkillContext context, SkillResult.Builder result) {
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.context = requireNonNull(context, "context is null");
        this.result = requireNonNull(result, "result is null");
        this.time = requireNonNull(call, "call is null").time();
    }

    TenantStore store() {
        return workspace.store();
    }

    String tenant() {
        return workspace.store().tenant().value();
    }

    Optional<TimeRange> time() {
        return time;
    }

    private HuntRunner runner() {
        if (runner == null) {
            runner = new HuntRunner(workspace.store());
        }
        return runner;
    }

    /** Whether the tenant has stored events of the table (a Defender view always compiles, so it counts as had). */
    boolean hasTable(String table) {
        return runner().catalog().table(table).isPresent();
    }

    /** Runs a hunting query over the call's time range (all stored data without one) and records it. */
    Ran kql(String kql) {
        return kql(kql, true);
    }

    /** Runs a hunting query over all stored data, whatever the call's range, and records it. */
    Ran kqlAllTime(String kql) {
        return kql(kql, false);
    }

    private Ran kql(String kql, boolean windowed) {
        KqlCompiler.Compiled compiled = windowed && time.isPresent()
                ? runner().compile(kql, Map.of(), time.get().window())
                : runner().compile(kql, Map.of());
        QueryResult rows = runner().execute(compiled.sql(), new HuntRunner.Limits(MAX_ROWS, TIMEOUT));
        // The window is applied by the compiler to every table scanned; the text says so, so that a re-run of the
        // recorded query over the same window gives the same rows.
        String text = windowed && time.isPresent()
                ? "// time window: " + time.get().from() + " .. " + time.get().to() + " (end exclusive)\n" + kql
                : kql;
        return record("kql", text, rows);
    }

    /** Runs a read-only SQL query and records it; the caller writes the time range into its where clause. */
    Ran sql(String sql) {
        return sql(sql, MAX_ROWS);
    }

    private Ran sql(String sql, int maxRows) {
        return record("sql", sql, workspace.store().query(sql, maxRows));
    }

    /**
     * Reads the tenant's incidents wherever they are kept (the embedded store or PostgreSQL) and records the read in
     * the process log, in the {@code incidents} language: it is not a query a hunt can re-run.
     */
    IncidentQuery.Matches incidents(IncidentQuery query) {
        long started = System.nanoTime();
        IncidentQuery.Matches matches = workspace.store().incidents().query(context.principal(), query);
        result.query(new ExecutedQuery("incidents", query.text(), matches.incidents().size(),
                Math.round((System.nanoTime() - started) / 1e6)));
        return matches;
    }

    /**
     * The incidents (not merged into another) that hold an alert meeting the SQL condition over {@code a}, a row of
     * {@code vigil_alerts}: the alerts are read with a recorded query (all of them, not a summary's thousand rows),
     * their incidents looked up where the incidents are kept.
     */
    Set<Long> incidentsOfAlerts(String alertCondition) {
        Ran alerts = sql("SELECT CAST(a.alert_id AS VARCHAR) AS alert_id FROM vigil_alerts a WHERE " + alertCondition
                + " ORDER BY a.\"time\", a.alert_id", MAX_ALERT_IDS);
        List<UUID> ids = alerts.rows().stream().map(row -> UUID.fromString(row.get(0).toString())).toList();
        return new TreeSet<>(workspace.store().incidents().incidentsOf(context.principal(), ids).values());
    }

    private Ran record(String language, String text, QueryResult rows) {
        int index = result.queryCount();
        result.query(new ExecutedQuery(language, text, rows.rows().size(), Math.round(rows.milliseconds())));
        return new Ran(index, rows);
    }

    /** The SQL condition that keeps rows of {@code column} within the call's time range; {@code true} without one. */
    String sqlWindow(String column) {
        return time.map(t -> column + " >= TIMESTAMPTZ '" + t.from() + "' AND " + column + " < TIMESTAMPTZ '" + t.to()
                + "'").orElse("true");
    }

    /**
     * The scope sentence's words: the range asked for, or, without one, all stored data between the given bounds
     * (which the skill read from the tables it searched).
     */
    String scope(String first, String last) {
        if (time.isPresent()) {
            TimeRange range = time.get();
            return range.text() + " (" + instant(range.from()) + " to " + instant(range.to()) + ")";
        }
        if (first == null || last == null) {
            return "all stored data";
        }
        return "all stored data, from " + first + " to " + last;
    }

    /** Records the scope as facts: {@code tenant}, {@code from}, {@code to} (null bounds are left out). */
    void scopeFacts(String first, String last) {
        result.fact("tenant", tenant());
        if (time.isPresent()) {
            result.fact("from", instant(time.get().from()));
            result.fact("to", instant(time.get().to()));
        } else {
            if (first != null) {
                result.fact("from", first);
            }
            if (last != null) {
                result.fact("to", last);
            }
        }
    }

    /** The first and last event time of the given stored tables (those the tenant has), as ISO strings. */
    String[] bounds(List<String> tables) {
        List<String> parts = new ArrayList<>();
        for (String table : tables) {
            if (hasTable(table)) {
                parts.add("SELECT min(\"time\") AS first, max(\"time\") AS last FROM " + table);
            }
        }
        if (parts.isEmpty()) {
            return new String[] {null, null};
        }
        Ran ran = sql("SELECT min(first), max(last) FROM (" + String.join(" UNION ALL ", parts) + ")");
        List<Object> row = ran.rows().get(0);
        return new String[] {time(row.get(0)), time(row.get(1))};
    }

    // --- names ----------------------------------------------------------------------------------------------------

    /** A host as Vigil compares it: its first DNS label, lower case ({@code WS007.kestrel.local} is {@code ws007}). */
    static String hostKey(String host) {
        return EntityKey.host(host).map(EntityKey::value).orElseThrow(() -> new VigilException(ErrorCode.USAGE,
                "'" + host + "' is not a host name", "Give a host name such as WS007 or ws007.corp.example.", null));
    }

    /** An account without its domain, lower case ({@code KESTREL\jdoe} and {@code jdoe@corp.example} are {@code jdoe}). */
    static String userKey(String user) {
        return EntityKey.of(new Alert.Entity("user", user)).filter(k -> k.kind() == EntityKey.Kind.USER)
                .map(EntityKey::value).orElseThrow(() -> new VigilException(ErrorCode.USAGE, "'" + user
                        + "' is not an account Vigil can follow (built-in and machine accounts are not)",
                        "Give the account's name, such as jdoe, KESTREL\\jdoe or jdoe@corp.example.", null));
    }

    /** The KQL condition that a column names the host, as a bare name or with its domain. */
    static String kqlHost(String column, String hostKey) {
        return "(" + column + " =~ " + kqlString(hostKey) + " or " + column + " startswith " + kqlString(hostKey + ".")
                + ")";
    }

    /** The KQL condition that a column names the account, bare, as DOMAIN\name or as name@domain. */
    static String kqlUser(String column, String userKey) {
        return "(" + column + " =~ " + kqlString(userKey) + " or " + column + " endswith " + kqlString("\\" + userKey)
                + " or " + column + " startswith " + kqlString(userKey + "@") + ")";
    }

    /** The SQL condition that one of an alert's entities (in {@code a.entities}) names the host. */
    static String sqlAlertHost(String hostKey) {
        String key = sqlString(hostKey);
        return "len(list_filter(json_extract_string(a.entities, '$[*].value'), lambda v: lower(v) = " + key
                + " OR starts_with(lower(v), " + key + " || '.'))) > 0";
    }

    /** The SQL condition that one of an alert's entities (in {@code a.entities}) names the account. */
    static String sqlAlertUser(String userKey) {
        String key = sqlString(userKey);
        return "len(list_filter(json_extract_string(a.entities, '$[*].value'), lambda v: lower(v) = " + key
                + " OR ends_with(lower(v), '\\' || " + key + ") OR starts_with(lower(v), " + key + " || '@'))) > 0";
    }

    /** The SQL condition that one of an alert's entities (in {@code a.entities}) is the address. */
    static String sqlAlertValue(String value) {
        return "list_contains(json_extract_string(a.entities, '$[*].value'), " + sqlString(value) + ")";
    }

    static String kqlString(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String sqlString(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    // --- values ---------------------------------------------------------------------------------------------------

    /** An instant as answers write it: ISO-8601 to the second. */
    static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String micros(long micros) {
        return instant(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)));
    }

    /** A time cell of a query result (ISO text) as answers write it, or null. */
    static String time(Object cell) {
        if (cell == null) {
            return null;
        }
        try {
            return instant(java.time.OffsetDateTime.parse(cell.toString()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return cell.toString();
        }
    }

    static long number(Object cell) {
        return switch (cell) {
            case null -> 0;
            case Number n -> n.longValue();
            default -> Long.parseLong(cell.toString());
        };
    }

    static String text(Object cell) {
        return cell == null ? "" : cell.toString();
    }

    /** "1 alert", "3 alerts". */
    static String count(long n, String noun) {
        if (n == 1) {
            return n + " " + noun;
        }
        if (noun.endsWith("y") && !noun.endsWith("ey")) {
            return n + " " + noun.substring(0, noun.length() - 1) + "ies";
        }
        return n + " " + noun + (noun.endsWith("s") ? "es" : "s");
    }

    /** "a", "a and b", "a, b and c". */
    static String join(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** "showing 20 of 57" when the table was cut, else empty. */
    static String shown(int shown, long total) {
        return shown < total ? " (showing " + shown + " of " + total + ")" : "";
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** Whether an address is public: outside private, shared, loopback and documentation-free ranges. */
    static boolean external(String address) {
        return address != null && EntityKey.of(new Alert.Entity("ip", address))
                .map(EntityKey::isExternalAddress).orElse(false);
    }
}
