package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.hunt.HuntSchedule;
import dev.vigil.hunt.SavedQuery;
import dev.vigil.query.KqlType;
import dev.vigil.query.QueryParameter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import tools.jackson.core.type.TypeReference;

/**
 * A tenant's saved hunting queries ({@code vigil_saved_queries}), the schedules that run them as detections
 * ({@code vigil_query_schedules}), each run ({@code vigil_query_runs}) and the suppression state of each query's
 * groups ({@code vigil_query_suppressions}). Reached through {@link TenantStore#hunts()}; writes join the store's
 * open unit of work, and {@link TenantStore#commit()} makes them durable.
 */
public final class HuntStore {
    private static final TypeReference<List<Map<String, String>>> PARAMETERS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> TEXT_MAP = new TypeReference<>() {};
    private static final String QUERY_COLUMNS = "name, description, kql, parameters, tags, created_by,"
            + " epoch_us(created_at), updated_by, epoch_us(updated_at)";
    private static final String SCHEDULE_COLUMNS = "name, every_us, lookback_us, severity, title, techniques,"
            + " suppress_us, group_by, threshold, parameters, created_by, epoch_us(created_at), epoch_us(last_run_at)";
    private static final String RUN_COLUMNS = "name, epoch_us(run_at), epoch_us(window_start), epoch_us(window_end),"
            + " rows, truncated, alerts, suppressed, already_stored, rows_without_event_id, millis, error";

    private final TenantStore store;
    private final DuckDBConnection connection;

    HuntStore(TenantStore store, DuckDBConnection connection) {
        this.store = store;
        this.connection = connection;
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_saved_queries (
                    name VARCHAR NOT NULL, description VARCHAR NOT NULL, kql VARCHAR NOT NULL, parameters JSON NOT NULL,
                    tags JSON NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
                    updated_by VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_query_schedules (
                    name VARCHAR NOT NULL, every_us BIGINT NOT NULL, lookback_us BIGINT NOT NULL, severity VARCHAR NOT NULL,
                    title VARCHAR NOT NULL, techniques JSON NOT NULL, suppress_us BIGINT NOT NULL, group_by JSON NOT NULL,
                    threshold INTEGER NOT NULL, parameters JSON NOT NULL, created_by VARCHAR NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL, last_run_at TIMESTAMPTZ)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_query_runs (
                    name VARCHAR NOT NULL, run_at TIMESTAMPTZ NOT NULL, window_start TIMESTAMPTZ NOT NULL,
                    window_end TIMESTAMPTZ NOT NULL, rows BIGINT NOT NULL, truncated BOOLEAN NOT NULL, alerts BIGINT NOT NULL,
                    suppressed BIGINT NOT NULL, already_stored BIGINT NOT NULL, rows_without_event_id BIGINT NOT NULL,
                    millis BIGINT NOT NULL, error VARCHAR)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_query_suppressions (
                    name VARCHAR NOT NULL, group_key VARCHAR NOT NULL, last_alert_at TIMESTAMPTZ NOT NULL)""");
    }

    // --- saved queries ----------------------------------------------------------------------------------------

    /** The saved query of that name, if any. */
    public Optional<SavedQuery> query(String name) {
        requireNonNull(name, "name is null");
        return store.read("reading saved queries", "vigil_saved_queries", Optional.<SavedQuery>empty(), () -> {
            List<SavedQuery> found = queries("WHERE name = ?", name);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    /** Every saved query, by name. */
    public List<SavedQuery> queries() {
        return store.read("reading saved queries", "vigil_saved_queries", List.of(), () -> queries("", null));
    }

    private List<SavedQuery> queries(String where, String name) throws SQLException {
        List<SavedQuery> queries = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + QUERY_COLUMNS
                + " FROM vigil_saved_queries " + where + " ORDER BY name")) {
            if (name != null) {
                statement.setString(1, name);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    List<QueryParameter> parameters = new ArrayList<>();
                    for (Map<String, String> p : Json.read(rows.getString(4), PARAMETERS)) {
                        parameters.add(new QueryParameter(p.get("name"), KqlType.of(p.get("type")), p.get("type"),
                                p.get("default")));
                    }
                    queries.add(new SavedQuery(rows.getString(1), rows.getString(2), rows.getString(3), parameters,
                            Json.read(rows.getString(5), STRINGS), rows.getString(6), instant(rows.getLong(7)),
                            rows.getString(8), instant(rows.getLong(9))));
                }
            }
        }
        return queries;
    }

    /**
     * Saves a query in the open unit of work, replacing one of the same name but keeping who created it and when.
     *
     * @return the query as stored
     */
    public SavedQuery put(SavedQuery query) {
        requireNonNull(query, "query is null");
        Optional<SavedQuery> existing = query(query.name());
        SavedQuery stored = existing.map(e -> new SavedQuery(query.name(), query.description(), query.kql(),
                query.parameters(), query.tags(), e.createdBy(), e.createdAt(), query.updatedBy(), query.updatedAt()))
                .orElse(query);
        store.write("saving query " + query.name(), () -> {
            execute("DELETE FROM vigil_saved_queries WHERE name = ?", stored.name());
            List<Map<String, String>> parameters = new ArrayList<>();
            for (QueryParameter p : stored.parameters()) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("name", p.name());
                entry.put("type", p.typeName());
                entry.put("default", p.defaultValue());
                parameters.add(entry);
            }
            execute("INSERT INTO vigil_saved_queries VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?,"
                    + " CAST(? AS TIMESTAMPTZ))", stored.name(), stored.description(), stored.kql(),
                    Json.write(parameters), Json.write(stored.tags()), stored.createdBy(), stored.createdAt().toString(),
                    stored.updatedBy(), stored.updatedAt().toString());
            return null;
        });
        return stored;
    }

    /** Deletes a saved query with its schedule and suppression state (its runs stay as history); false if absent. */
    public boolean delete(String name) {
        requireNonNull(name, "name is null");
        return store.write("deleting query " + name, () -> {
            int deleted = execute("DELETE FROM vigil_saved_queries WHERE name = ?", name);
            execute("DELETE FROM vigil_query_schedules WHERE name = ?", name);
            execute("DELETE FROM vigil_query_suppressions WHERE name = ?", name);
            return deleted > 0;
        });
    }

    // --- schedules ------------------------------------------------------------------------------------------------

    public Optional<HuntSchedule> schedule(String name) {
        requireNonNull(name, "name is null");
        return store.read("reading schedules", "vigil_query_schedules", Optional.<HuntSchedule>empty(), () -> {
            List<HuntSchedule> found = schedules("WHERE name = ?", name);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    /** Every schedule, by name. */
    public List<HuntSchedule> schedules() {
        return store.read("reading schedules", "vigil_query_schedules", List.of(), () -> schedules("", null));
    }

    private List<HuntSchedule> schedules(String where, String name) throws SQLException {
        List<HuntSchedule> schedules = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + SCHEDULE_COLUMNS
                + " FROM vigil_query_schedules " + where + " ORDER BY name")) {
            if (name != null) {
                statement.setString(1, name);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long lastRun = rows.getLong(13);
                    Instant lastRunAt = rows.wasNull() ? null : instant(lastRun);
                    schedules.add(new HuntSchedule(rows.getString(1), Duration.of(rows.getLong(2), ChronoUnit.MICROS),
                            Duration.of(rows.getLong(3), ChronoUnit.MICROS), rows.getString(4), rows.getString(5),
                            Json.read(rows.getString(6), STRINGS), Duration.of(rows.getLong(7), ChronoUnit.MICROS),
                            Json.read(rows.getString(8), STRINGS), rows.getInt(9), Json.read(rows.getString(10), TEXT_MAP),
                            rows.getString(11), instant(rows.getLong(12)), lastRunAt));
                }
            }
        }
        return schedules;
    }

    /** Stores a schedule in the open unit of work, replacing the query's earlier one. */
    public void putSchedule(HuntSchedule schedule) {
        requireNonNull(schedule, "schedule is null");
        store.write("scheduling query " + schedule.name(), () -> {
            execute("DELETE FROM vigil_query_schedules WHERE name = ?", schedule.name());
            execute("INSERT INTO vigil_query_schedules VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ),"
                    + " CAST(? AS TIMESTAMPTZ))", schedule.name(), micros(schedule.every()), micros(schedule.lookback()),
                    schedule.severity(), schedule.title(), Json.write(schedule.techniques()),
                    micros(schedule.suppress()), Json.write(schedule.groupBy()), schedule.threshold(),
                    Json.write(schedule.parameters()), schedule.createdBy(), schedule.createdAt().toString(),
                    schedule.lastRunAt() == null ? null : schedule.lastRunAt().toString());
            return null;
        });
    }

    /** Removes a query's schedule and its suppression state; false if it had none. */
    public boolean unschedule(String name) {
        requireNonNull(name, "name is null");
        return store.write("unscheduling query " + name, () -> {
            execute("DELETE FROM vigil_query_suppressions WHERE name = ?", name);
            return execute("DELETE FROM vigil_query_schedules WHERE name = ?", name) > 0;
        });
    }

    // --- runs and suppression -----------------------------------------------------------------------------------

    /** Records a run and moves its schedule's last run to the run's time. */
    void recordRun(QueryRun run) {
        store.write("recording a run of query " + run.name(), () -> {
            execute("INSERT INTO vigil_query_runs VALUES (?, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ),"
                    + " CAST(? AS TIMESTAMPTZ), ?, ?, ?, ?, ?, ?, ?, ?)", run.name(), run.runAt().toString(),
                    run.windowStart().toString(), run.windowEnd().toString(), run.rows(), run.truncated(), run.alerts(),
                    run.suppressed(), run.alreadyStored(), run.rowsWithoutEventId(), run.millis(), run.error());
            execute("UPDATE vigil_query_schedules SET last_run_at = CAST(? AS TIMESTAMPTZ) WHERE name = ?",
                    run.runAt().toString(), run.name());
            return null;
        });
    }

    /** The latest runs, newest first; of one query, or of all when {@code name} is null. */
    public List<QueryRun> runs(String name, int limit) {
        return store.read("reading query runs", "vigil_query_runs", List.of(), () -> {
            List<QueryRun> runs = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM vigil_query_runs" + (name == null ? "" : " WHERE name = ?")
                    + " ORDER BY run_at DESC, name LIMIT " + Math.max(1, limit))) {
                if (name != null) {
                    statement.setString(1, name);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        runs.add(new QueryRun(rows.getString(1), instant(rows.getLong(2)), instant(rows.getLong(3)),
                                instant(rows.getLong(4)), rows.getLong(5), rows.getBoolean(6), rows.getLong(7),
                                rows.getLong(8), rows.getLong(9), rows.getLong(10), rows.getLong(11),
                                rows.getString(12)));
                    }
                }
            }
            return runs;
        });
    }

    /** Per group key, when the query last raised an alert for it. */
    public Map<String, Instant> suppressions(String name) {
        return store.read("reading suppression state", "vigil_query_suppressions", Map.of(), () -> {
            Map<String, Instant> state = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT group_key, epoch_us(last_alert_at)"
                    + " FROM vigil_query_suppressions WHERE name = ? ORDER BY group_key")) {
                statement.setString(1, name);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        state.put(rows.getString(1), instant(rows.getLong(2)));
                    }
                }
            }
            return state;
        });
    }

    void putSuppressions(String name, Map<String, Instant> alerted) {
        if (alerted.isEmpty()) {
            return;
        }
        store.write("storing suppression state of query " + name, () -> {
            for (Map.Entry<String, Instant> entry : alerted.entrySet()) {
                execute("DELETE FROM vigil_query_suppressions WHERE name = ? AND group_key = ?", name, entry.getKey());
                execute("INSERT INTO vigil_query_suppressions VALUES (?, ?, CAST(? AS TIMESTAMPTZ))", name,
                        entry.getKey(), entry.getValue().toString());
            }
            return null;
        });
    }

    /** The ids among {@code ids} of alerts already stored. */
    Set<UUID> storedAlertIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return store.read("reading alert ids", "vigil_alerts", Set.of(), () -> {
            Set<UUID> stored = new HashSet<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT alert_id FROM vigil_alerts"
                    + " WHERE alert_id IN (" + "?, ".repeat(ids.size() - 1) + "?)")) {
                int i = 1;
                for (UUID id : ids) {
                    statement.setObject(i++, id);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        stored.add(rows.getObject(1, UUID.class));
                    }
                }
            }
            return stored;
        });
    }

    private int execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1000;
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
