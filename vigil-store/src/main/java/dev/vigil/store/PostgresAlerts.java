package dev.vigil.store;

import static dev.vigil.store.PostgresState.setInstant;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One tenant's alerts in PostgreSQL ({@link PostgresState#alerts}), the same fields as the embedded store's
 * {@code vigil_alerts}. Every statement names the tenant this instance was made for ({@code tenant = ?} leads the
 * key), so another tenant's alerts are as unknown here as ones never raised. An append is one transaction; an alert
 * already stored (by id) is left as it is, so a batch delivered again stores nothing new.
 */
final class PostgresAlerts implements AlertRepository {
    private static final String COLUMNS = "alert_id, source, rule_id, title, level, status, \"time\", techniques,"
            + " matched_fields, entities, event_ids, table_name, incident_ref";
    /** The levels as a SQL array, least severe first; an unknown level has no position in it. */
    private static final String LEVEL_ARRAY = AlertQuery.LEVELS.stream().map(l -> "'" + l + "'")
            .collect(java.util.stream.Collectors.joining(", ", "ARRAY[", "]"));

    private final PostgresState database;
    private final TenantId tenant;

    PostgresAlerts(PostgresState database, TenantId tenant) {
        this.database = database;
        this.tenant = tenant;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    @Override
    public int append(List<Alert> alerts) {
        AlertRepository.requireTenant(tenant, alerts);
        if (alerts.isEmpty()) {
            return 0;
        }
        Map<UUID, Alert> distinct = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            distinct.putIfAbsent(alert.id(), alert);
        }
        Instant now = Instant.now();
        return database.transaction("storing " + distinct.size() + " alerts", connection -> {
            int stored = 0;
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigil_alerts (tenant, "
                    + COLUMNS + ", entity_values, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?::json,"
                    + " ?, ?, ?, ?, ?) ON CONFLICT (tenant, alert_id) DO NOTHING")) {
                for (Alert alert : distinct.values()) {
                    Set<String> values = new LinkedHashSet<>();
                    for (Alert.Entity entity : alert.entities()) {
                        values.add(entity.value());
                    }
                    statement.setString(1, tenant.value());
                    statement.setObject(2, alert.id());
                    statement.setString(3, alert.source());
                    statement.setString(4, alert.ruleId());
                    statement.setString(5, alert.title());
                    statement.setString(6, alert.level());
                    statement.setString(7, alert.status());
                    setInstant(statement, 8, IncidentStore.instant(alert.timeMicros()));
                    statement.setArray(9, connection.createArrayOf("text", alert.techniques().toArray()));
                    statement.setString(10, AlertRows.fieldsJson(alert));
                    statement.setString(11, AlertRows.entitiesJson(alert));
                    statement.setArray(12, connection.createArrayOf("uuid", alert.eventIds().stream()
                            .map(EventId::toUuid).toArray()));
                    statement.setString(13, alert.table());
                    statement.setString(14, alert.incidentRef());
                    statement.setArray(15, connection.createArrayOf("text", values.toArray()));
                    setInstant(statement, 16, now);
                    statement.addBatch();
                }
                for (int count : statement.executeBatch()) {
                    stored += Math.max(0, count);
                }
            }
            return stored;
        });
    }

    @Override
    public List<Alert> read(AlertQuery query) {
        StringBuilder where = new StringBuilder("true");
        List<Object> parameters = new ArrayList<>();
        if (!query.ruleIds().isEmpty()) {
            where.append(" AND rule_id = ANY (?)");
            parameters.add(query.ruleIds().toArray(String[]::new));
        }
        if (query.sinceMicros() != Long.MIN_VALUE) {
            where.append(" AND \"time\" >= ?");
            parameters.add(IncidentStore.instant(query.sinceMicros()));
        }
        if (query.minimumLevel() != null) {
            where.append(" AND coalesce(array_position(").append(LEVEL_ARRAY).append(", lower(level)), 0) >= ?");
            parameters.add(AlertQuery.rank(query.minimumLevel()) + 1); // array positions count from 1
        }
        parameters.add(query.limit());
        return database.read("reading alerts", connection -> alerts(connection, where.toString(), parameters,
                "\"time\" DESC, alert_id LIMIT ?"));
    }

    @Override
    public Optional<Alert> find(UUID id) {
        return database.read("reading alert " + id, connection -> alerts(connection, "alert_id = ?", List.of(id),
                "alert_id")).stream().findFirst();
    }

    @Override
    public List<Alert> byIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return database.read("reading alerts", connection -> alerts(connection, "alert_id = ANY (?)",
                List.of((Object) ids.stream().distinct().toArray(UUID[]::new)), "\"time\", alert_id"));
    }

    @Override
    public long count() {
        return database.read("counting alerts", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT count(*) FROM vigil_alerts WHERE tenant = ?")) {
                statement.setString(1, tenant.value());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    @Override
    public Set<UUID> naming(Collection<String> entityValues) {
        if (entityValues.isEmpty()) {
            return Set.of();
        }
        return database.read("finding the alerts naming " + entityValues.size() + " values", connection -> {
            Set<UUID> ids = new LinkedHashSet<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT alert_id FROM vigil_alerts"
                    + " WHERE tenant = ? AND entity_values && ? ORDER BY alert_id")) {
                statement.setString(1, tenant.value());
                statement.setArray(2, connection.createArrayOf("text", entityValues.stream().distinct().toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getObject(1, UUID.class));
                    }
                }
            }
            return ids;
        });
    }

    private List<Alert> alerts(Connection connection, String where, List<?> parameters, String orderBy)
            throws SQLException {
        List<Alert> alerts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM vigil_alerts WHERE tenant = ? AND " + where + " ORDER BY " + orderBy)) {
            statement.setString(1, tenant.value());
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                switch (value) {
                    case String[] texts -> statement.setArray(i + 2, connection.createArrayOf("text", texts));
                    case UUID[] uuids -> statement.setArray(i + 2, connection.createArrayOf("uuid", uuids));
                    case Instant instant -> setInstant(statement, i + 2, instant);
                    default -> statement.setObject(i + 2, value);
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
        return AlertRows.alert(rows, tenant, IncidentStore.micros(PostgresState.instant(rows, 7)),
                IncidentRows.strings(rows.getArray(8)));
    }
}
