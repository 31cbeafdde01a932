package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The tenant's alerts in {@code vigil_alerts}, written within the caller's transaction. An alert's id is derived from
 * its tenant, rule and events, so the same detection made twice (a re-ingest, a second retro-hunt) is stored once.
 */
final class AlertTable {
    private static final String COLUMNS = "alert_id, tenant, source, rule_id, title, level, status, \"time\","
            + " techniques, matched_fields, entities, event_ids, table_name, incident_ref";
    /** The levels as a SQL list literal, least severe first; an unknown level has position 0 in it. */
    private static final String LEVEL_LIST = AlertQuery.LEVELS.stream().map(l -> "'" + l + "'")
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));

    private final DuckDBConnection connection;
    private final TenantId tenant;

    AlertTable(DuckDBConnection connection, TenantId tenant) {
        this.connection = requireNonNull(connection, "connection is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_alerts (
                    alert_id UUID NOT NULL, tenant VARCHAR NOT NULL, source VARCHAR NOT NULL, rule_id VARCHAR NOT NULL,
                    title VARCHAR NOT NULL, level VARCHAR NOT NULL, status VARCHAR NOT NULL, "time" TIMESTAMPTZ NOT NULL,
                    techniques VARCHAR[] NOT NULL, matched_fields JSON NOT NULL, entities JSON NOT NULL,
                    event_ids UUID[] NOT NULL, table_name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
                    incident_ref VARCHAR NOT NULL DEFAULT '')""");
        // Stores made before imported alerts kept their product's incident reference.
        statement.execute("ALTER TABLE vigil_alerts ADD COLUMN IF NOT EXISTS incident_ref VARCHAR DEFAULT ''");
        // Alerts of a batch are staged here, then inserted set-wise minus those already stored: one anti-join per
        // batch instead of a lookup per alert.
        statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS batch_alerts AS SELECT " + COLUMNS
                + " FROM vigil_alerts LIMIT 0");
    }

    /** Stores the alerts not stored yet (by id) and returns how many that was. */
    int append(List<Alert> alerts) throws SQLException {
        Map<UUID, Alert> distinct = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            distinct.putIfAbsent(alert.id(), alert);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM temp.batch_alerts");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "batch_alerts")) {
            for (Alert alert : distinct.values()) {
                List<UUID> eventIds = alert.eventIds().stream().map(EventId::toUuid).toList();
                appender.beginRow()
                        .appendUUID(alert.id().getMostSignificantBits(), alert.id().getLeastSignificantBits())
                        .append(alert.tenant().value())
                        .append(alert.source())
                        .append(alert.ruleId())
                        .append(alert.title())
                        .append(alert.level())
                        .append(alert.status())
                        .appendEpochMicros(alert.timeMicros())
                        .append(alert.techniques())
                        .append(AlertRows.fieldsJson(alert))
                        .append(AlertRows.entitiesJson(alert))
                        .append(eventIds)
                        .append(alert.table())
                        .append(alert.incidentRef())
                        .endRow();
            }
        }
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate("INSERT INTO vigil_alerts (" + COLUMNS + ", created_at) SELECT " + COLUMNS
                    + ", now() FROM temp.batch_alerts b WHERE NOT EXISTS"
                    + " (SELECT 1 FROM vigil_alerts a WHERE a.alert_id = b.alert_id)");
        }
    }

    List<Alert> read(AlertQuery query) throws SQLException {
        StringBuilder where = new StringBuilder("true");
        List<Object> parameters = new ArrayList<>();
        if (!query.ruleIds().isEmpty()) {
            where.append(" AND rule_id IN (").append("?, ".repeat(query.ruleIds().size() - 1)).append("?)");
            parameters.addAll(query.ruleIds());
        }
        if (query.sinceMicros() != Long.MIN_VALUE) {
            where.append(" AND \"time\" >= make_timestamptz(?::BIGINT)");
            parameters.add(query.sinceMicros());
        }
        if (query.minimumLevel() != null) {
            where.append(" AND list_position(").append(LEVEL_LIST).append(", lower(level)) >= ?");
            parameters.add(AlertQuery.rank(query.minimumLevel()) + 1); // list positions count from 1
        }
        return read(where.toString(), parameters, "\"time\" DESC, alert_id LIMIT " + query.limit());
    }

    /**
     * The alerts of {@code vigil_alerts a} that satisfy a condition, in an order; the condition may name other
     * columns of {@code a} and join through subqueries.
     */
    List<Alert> read(String where, List<?> parameters, String orderBy) throws SQLException {
        String sql = "SELECT alert_id, source, rule_id, title, level, status, epoch_us(\"time\"), techniques,"
                + " CAST(matched_fields AS VARCHAR), CAST(entities AS VARCHAR), event_ids, table_name,"
                + " coalesce(incident_ref, '') FROM vigil_alerts a WHERE " + where + " ORDER BY " + orderBy;
        List<Alert> alerts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                if (parameters.get(i) instanceof Array array) {
                    statement.setArray(i + 1, array);
                } else {
                    statement.setObject(i + 1, parameters.get(i));
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    alerts.add(alert(rows));
                }
            }
        }
        return alerts;
    }

    private Alert alert(ResultSet rows) throws SQLException {
        return AlertRows.alert(rows, tenant, rows.getLong(7), IncidentRows.strings(rows.getArray(8)));
    }

    long count() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM vigil_alerts")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
