package dev.vigil.store;

import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/**
 * A tenant's alerts in its embedded DuckDB database ({@code vigil_alerts}, see {@link AlertTable}). The database holds
 * one tenant, so the file is the tenant's scope. Appends join the store's unit of work, so that the alerts of a batch
 * are committed with its events.
 */
final class DuckDbAlerts implements AlertRepository {
    private final TenantStore store;
    private final DuckDBConnection connection;
    private final AlertTable table;

    DuckDbAlerts(TenantStore store, DuckDBConnection connection, AlertTable table) {
        this.store = store;
        this.connection = connection;
        this.table = table;
    }

    @Override
    public TenantId tenant() {
        return store.tenant();
    }

    @Override
    public int append(List<Alert> alerts) {
        AlertRepository.requireTenant(tenant(), alerts);
        if (alerts.isEmpty()) {
            return 0;
        }
        return store.write("storing " + alerts.size() + " alerts", () -> table.append(alerts));
    }

    @Override
    public List<Alert> read(AlertQuery query) {
        return store.read("reading alerts", "vigil_alerts", List.of(), () -> table.read(query));
    }

    @Override
    public Optional<Alert> find(UUID id) {
        return store.read("reading alert " + id, "vigil_alerts", Optional.<Alert>empty(),
                () -> table.read("a.alert_id = ?", List.of(id), "alert_id").stream().findFirst());
    }

    @Override
    public List<Alert> byIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return store.read("reading alerts", "vigil_alerts", List.<Alert>of(), () -> table.read(
                "a.alert_id IN (SELECT unnest(?::VARCHAR[])::UUID)", List.of(connection.createArrayOf("VARCHAR",
                        ids.stream().map(UUID::toString).distinct().toArray())), "\"time\", alert_id"));
    }

    @Override
    public long count() {
        return store.read("counting alerts", "vigil_alerts", 0L, table::count);
    }

    @Override
    public Set<UUID> naming(Collection<String> entityValues) {
        if (entityValues.isEmpty()) {
            return Set.of();
        }
        return store.read("finding the alerts naming " + entityValues.size() + " values", "vigil_alerts",
                Set.<UUID>of(), () -> {
                    Set<UUID> ids = new LinkedHashSet<>();
                    try (PreparedStatement statement = connection.prepareStatement("""
                            SELECT alert_id FROM vigil_alerts
                            WHERE list_has_any(json_extract_string(entities, '$[*].value'), ?::VARCHAR[])
                            ORDER BY alert_id""")) {
                        statement.setArray(1, connection.createArrayOf("VARCHAR", entityValues.stream().distinct()
                                .toArray()));
                        try (ResultSet rows = statement.executeQuery()) {
                            while (rows.next()) {
                                ids.add(rows.getObject(1, UUID.class));
                            }
                        }
                    }
                    return ids;
                });
    }
}
