package dev.vigil.store;

import static dev.vigil.store.PostgresState.instant;
import static dev.vigil.store.PostgresState.setInstant;

import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentNaming;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponseCard;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * One tenant's incidents in PostgreSQL ({@link PostgresState#incidents}). Every statement names the tenant this
 * instance was made for ({@code tenant = ?} leads each key), so another tenant's incident numbers and alert ids are as
 * unknown here as ones never used. Each write is one transaction.
 *
 * <p>A correlation run takes the tenant's transaction-scoped advisory lock and checks the cursor it began from before
 * it writes, so two nodes correlating one tenant at once cannot both apply: the second is refused
 * ({@link ErrorCode#CORRELATION_CONFLICT}) and writes nothing. Placements are keyed by alert id, which refuses a run
 * placing an alert a second time the same way.
 */
final class PostgresIncidents implements IncidentRepository {
    private static final String INCIDENT_COLUMNS = "number, title, status, severity, classification, determination,"
            + " owner, tags, first_seen, last_seen, created, acknowledged, resolved, reference, alert_count";

    /** A severity's rank, 1 (informational) to 5 (critical), 0 for anything else. */
    private static final String RANK = "coalesce(array_position(ARRAY['informational', 'low', 'medium', 'high',"
            + " 'critical'], %s), 0)";

    private final PostgresState database;
    private final TenantId tenant;

    PostgresIncidents(PostgresState database, TenantId tenant) {
        this.database = database;
        this.tenant = tenant;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    // --- reading -------------------------------------------------------------------------------------------------

    @Override
    public IncidentQuery.Matches query(IncidentQuery query) {
        if (query.matchesNothing()) {
            return IncidentQuery.Matches.none();
        }
        List<Object> parameters = new ArrayList<>();
        String where = query.where(RANK, "?", at -> OffsetDateTime.ofInstant(at, ZoneOffset.UTC), parameters);
        return database.read("reading incidents", connection -> {
            List<Object> page = new ArrayList<>(parameters);
            page.add(query.limit());
            List<Incident> incidents = incidents(connection, where, page, query.orderBy(RANK) + " LIMIT ?");
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*), min(first_seen),"
                    + " max(last_seen) FROM vigil_incidents WHERE tenant = ? AND " + where)) {
                statement.setString(1, tenant.value());
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setObject(i + 2, parameters.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long total = rows.getLong(1);
                    return total == 0 ? IncidentQuery.Matches.none() : new IncidentQuery.Matches(incidents, total,
                            Optional.of(instant(rows, 2)), Optional.of(instant(rows, 3)));
                }
            }
        });
    }

    @Override
    public Optional<Incident> find(long number) {
        return database.read("reading incident " + number, connection -> incidents(connection,
                "number = ? AND merged_into IS NULL", List.of(number), "number")).stream().findFirst();
    }

    @Override
    public OptionalLong mergedInto(long number) {
        return database.read("reading incident " + number, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    WITH RECURSIVE chain (number, merged_into, hops) AS (
                        SELECT number, merged_into, 0 FROM vigil_incidents WHERE tenant = ? AND number = ?
                        UNION ALL
                        SELECT i.number, i.merged_into, c.hops + 1 FROM vigil_incidents i
                        JOIN chain c ON i.tenant = ? AND i.number = c.merged_into WHERE c.hops < 10000)
                    SELECT number FROM chain WHERE hops > 0 AND merged_into IS NULL""")) {
                statement.setString(1, tenant.value());
                statement.setLong(2, number);
                statement.setString(3, tenant.value());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    @Override
    public Map<UUID, JoinReason> placements(long number) {
        return database.read("reading incident " + number, connection -> {
            Map<UUID, JoinReason> reasons = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT alert_id, reason, entity_kind, entity_value, other_alert, gap_us, detail
                    FROM vigil_incident_alerts WHERE tenant = ? AND incident = ? ORDER BY placed_at, placed""")) {
                statement.setString(1, tenant.value());
                statement.setLong(2, number);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        reasons.put(rows.getObject(1, UUID.class), IncidentRows.joinReason(rows));
                    }
                }
            }
            return reasons;
        });
    }

    @Override
    public Map<UUID, Long> incidentsOf(Collection<UUID> alerts) {
        if (alerts.isEmpty()) {
            return Map.of();
        }
        return database.read("looking up placements", connection -> {
            Map<UUID, Long> placed = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT alert_id, incident FROM"
                    + " vigil_incident_alerts WHERE tenant = ? AND alert_id = ANY (?)")) {
                statement.setString(1, tenant.value());
                statement.setArray(2, connection.createArrayOf("uuid", alerts.toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        placed.put(rows.getObject(1, UUID.class), rows.getLong(2));
                    }
                }
            }
            return placed;
        });
    }

    @Override
    public List<IncidentChange> changes(long number) {
        return database.read("reading incident " + number, connection -> {
            List<IncidentChange> changes = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT changed_at, actor, field, from_value, to_value FROM vigil_incident_changes
                    WHERE tenant = ? AND incident = ? ORDER BY changed_at, seq""")) {
                statement.setString(1, tenant.value());
                statement.setLong(2, number);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        changes.add(new IncidentChange(number, instant(rows, 1), rows.getString(2),
                                rows.getString(3), rows.getString(4), rows.getString(5)));
                    }
                }
            }
            return changes;
        });
    }

    @Override
    public Map<UUID, ResponseAction> decisions(long number) {
        return database.read("reading response actions", connection -> {
            Map<UUID, ResponseAction> decisions = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT action_id, action, target, reason, evidence, status, decided_by, decided_at, outcome
                    FROM vigil_response_actions WHERE tenant = ? AND incident = ? ORDER BY recorded_at, seq""")) {
                statement.setString(1, tenant.value());
                statement.setLong(2, number);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        decisions.put(id, new ResponseAction(id, number,
                                ResponseCard.Action.parse(rows.getString(2)), rows.getString(3), rows.getString(4),
                                IncidentRows.strings(rows.getArray(5)), ResponseAction.Status.parse(rows.getString(6)),
                                rows.getString(7), instant(rows, 8), rows.getString(9)));
                    }
                }
            }
            return decisions;
        });
    }

    // --- changing ------------------------------------------------------------------------------------------------

    @Override
    public Incident update(long number, boolean severitySet, Function<Incident, Lifecycle.Updated> change) {
        return database.transaction("updating incident " + number, connection -> {
            Incident current = incidents(connection, "number = ? AND merged_into IS NULL", List.of(number),
                    "number FOR UPDATE").stream().findFirst().orElseThrow(() -> new VigilException(
                            ErrorCode.INCIDENT_NOT_FOUND, "tenant '" + tenant + "' has no incident " + number));
            Lifecycle.Updated updated = change.apply(current);
            Incident next = updated.incident();
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE vigil_incidents SET status = ?, severity = ?, severity_set = severity_set OR ?,
                        classification = ?, determination = ?, owner = ?, tags = ?, acknowledged = ?, resolved = ?
                    WHERE tenant = ? AND number = ? AND merged_into IS NULL""")) {
                statement.setString(1, next.status().toString());
                statement.setString(2, next.severity());
                statement.setBoolean(3, severitySet);
                statement.setString(4, next.classification().toString());
                statement.setString(5, next.determination());
                statement.setString(6, next.owner());
                statement.setArray(7, connection.createArrayOf("text", next.tags().toArray()));
                setInstant(statement, 8, next.acknowledged());
                setInstant(statement, 9, next.resolved());
                statement.setString(10, tenant.value());
                statement.setLong(11, next.number());
                if (statement.executeUpdate() == 0) {
                    throw new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "tenant '" + tenant + "' has no incident "
                            + next.number());
                }
            }
            insertChanges(connection, updated.changes());
            return next;
        });
    }

    @Override
    public void record(ResponseAction action, IncidentChange change, Instant now) {
        database.transaction("recording response action " + action.shortId(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO vigil_response_actions (tenant, incident, action_id, action, target, reason, evidence,
                        status, decided_by, decided_at, outcome, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                statement.setString(1, tenant.value());
                statement.setLong(2, action.incident());
                statement.setObject(3, action.id());
                statement.setString(4, action.action().toString());
                statement.setString(5, action.target());
                statement.setString(6, action.reason());
                statement.setArray(7, connection.createArrayOf("text", action.evidence().toArray()));
                statement.setString(8, action.status().toString());
                statement.setString(9, action.decidedBy());
                setInstant(statement, 10, action.decidedAt());
                statement.setString(11, action.outcome());
                setInstant(statement, 12, now);
                statement.executeUpdate();
            } catch (SQLException e) {
                if ("23503".equals(e.getSQLState())) { // no such incident for the foreign key
                    throw new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "tenant '" + tenant + "' has no incident "
                            + action.incident());
                }
                throw e;
            }
            insertChanges(connection, List.of(change));
            return null;
        });
    }

    // --- correlation ---------------------------------------------------------------------------------------------

    @Override
    public Cursor cursor() {
        return database.read("reading the correlation cursor", this::cursor);
    }

    private Cursor cursor(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT (SELECT alert_rowid FROM vigil_correlation_cursor WHERE tenant = ?),
                    (SELECT coalesce(max(number), 0) + 1 FROM vigil_incidents WHERE tenant = ?)""")) {
            statement.setString(1, tenant.value());
            statement.setString(2, tenant.value());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long through = rows.getLong(1);
                return new Cursor(rows.wasNull() ? -1 : through, rows.getLong(2));
            }
        }
    }

    @Override
    public Map<UUID, Active> activeSince(Instant horizon) {
        return database.read("restoring incidents", connection -> {
            Map<UUID, Active> placement = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT p.alert_id, p.incident, i.status = 'resolved',
                        p.reason = 'SHARED_ENTITY' AND p.entity_kind = 'HOST'
                    FROM vigil_incident_alerts p JOIN vigil_incidents i ON i.tenant = p.tenant AND i.number = p.incident
                    WHERE p.tenant = ? AND i.merged_into IS NULL AND i.last_seen >= ?""")) {
                statement.setString(1, tenant.value());
                setInstant(statement, 2, horizon);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        placement.put(rows.getObject(1, UUID.class), new Active(rows.getLong(2), rows.getBoolean(3),
                                rows.getBoolean(4)));
                    }
                }
            }
            return placement;
        });
    }

    @Override
    public void apply(Run run) {
        database.transaction("storing incidents", connection -> {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "vigil-correlation/" + tenant.value());
                lock.executeQuery().close();
            }
            Cursor current = cursor(connection);
            if (!current.equals(run.from())) {
                throw IncidentRepository.conflict(tenant, "the run began at " + run.from() + " but another node"
                        + " moved it to " + current);
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO vigil_incidents (tenant, number, title, status, severity, classification,
                        determination, owner, tags, first_seen, last_seen, created, reference, alert_count, merged_into)
                    VALUES (?, ?, '', 'new', 'informational', 'undetermined', '', '', '{}', ?, ?, ?, '', 0, ?)""")) {
                for (Opened opened : run.opened()) {
                    statement.setString(1, tenant.value());
                    statement.setLong(2, opened.number());
                    setInstant(statement, 3, run.at());
                    setInstant(statement, 4, run.at());
                    setInstant(statement, 5, run.at());
                    if (opened.mergedInto().isPresent()) {
                        statement.setLong(6, opened.mergedInto().getAsLong());
                    } else {
                        statement.setNull(6, java.sql.Types.BIGINT);
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement placements = connection.prepareStatement(
                    "UPDATE vigil_incident_alerts SET incident = ? WHERE tenant = ? AND incident = ?");
                    PreparedStatement incidents = connection.prepareStatement(
                            "UPDATE vigil_incidents SET merged_into = ? WHERE tenant = ? AND number = ?")) {
                for (Map.Entry<Long, Long> merge : run.merged().entrySet()) {
                    for (PreparedStatement statement : List.of(placements, incidents)) {
                        statement.setLong(1, merge.getValue());
                        statement.setString(2, tenant.value());
                        statement.setLong(3, merge.getKey());
                        statement.addBatch();
                    }
                }
                placements.executeBatch();
                incidents.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO vigil_incident_alerts (tenant, alert_id, incident, reason, entity_kind, entity_value,
                        other_alert, gap_us, detail, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (Placement placement : run.placements()) {
                    JoinReason reason = placement.reason();
                    statement.setString(1, tenant.value());
                    statement.setObject(2, placement.alert());
                    statement.setLong(3, placement.incident());
                    statement.setString(4, reason.kind().name());
                    statement.setString(5, reason.entity() == null ? null : reason.entity().kind().name());
                    statement.setString(6, reason.entity() == null ? null : reason.entity().value());
                    statement.setObject(7, reason.otherAlert());
                    statement.setLong(8, reason.gapMicros());
                    statement.setString(9, reason.detail());
                    setInstant(statement, 10, run.at());
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    throw IncidentRepository.conflict(tenant, "an alert of the run is placed already");
                }
                throw e;
            }
            insertChanges(connection, run.changes());
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE vigil_incidents SET title = ?, severity = CASE WHEN severity_set THEN severity ELSE ? END,
                        first_seen = ?, last_seen = ?, alert_count = ?, reference = ?
                    WHERE tenant = ? AND number = ?""")) {
                for (Summary summary : run.summaries()) {
                    statement.setString(1, summary.title());
                    statement.setString(2, summary.severity());
                    setInstant(statement, 3, summary.firstSeen());
                    setInstant(statement, 4, summary.lastSeen());
                    statement.setInt(5, summary.alertCount());
                    statement.setString(6, summary.reference());
                    statement.setString(7, tenant.value());
                    statement.setLong(8, summary.number());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO vigil_correlation_cursor (tenant, alert_rowid, placed_through) VALUES (?, ?, ?)
                    ON CONFLICT (tenant) DO UPDATE SET alert_rowid = excluded.alert_rowid,
                        placed_through = excluded.placed_through""")) {
                statement.setString(1, tenant.value());
                statement.setLong(2, run.alertRowid());
                setInstant(statement, 3, run.at());
                statement.executeUpdate();
            }
            return null;
        });
    }

    // --- plumbing ------------------------------------------------------------------------------------------------

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException at = e; at != null; at = at.getNextException()) {
            if ("23505".equals(at.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void insertChanges(Connection connection, List<IncidentChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO vigil_incident_changes (tenant, incident, changed_at, actor, field, from_value, to_value)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            for (IncidentChange change : changes) {
                statement.setString(1, tenant.value());
                statement.setLong(2, change.incident());
                setInstant(statement, 3, change.at());
                statement.setString(4, change.actor());
                statement.setString(5, change.field());
                statement.setString(6, change.from());
                statement.setString(7, change.to());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private List<Incident> incidents(Connection connection, String where, List<?> parameters, String orderBy)
            throws SQLException {
        List<Incident> incidents = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + INCIDENT_COLUMNS
                + " FROM vigil_incidents WHERE tenant = ? AND " + where + " ORDER BY " + orderBy)) {
            statement.setString(1, tenant.value());
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 2, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    incidents.add(new Incident(rows.getLong(1), rows.getString(2),
                            Incident.Status.parse(rows.getString(3)), rows.getString(4),
                            Incident.Classification.parse(rows.getString(5)), rows.getString(6), rows.getString(7),
                            IncidentRows.strings(rows.getArray(8)), instant(rows, 9), instant(rows, 10), instant(rows, 11),
                            instant(rows, 12), instant(rows, 13), rows.getString(14), rows.getInt(15)));
                }
            }
        }
        return incidents;
    }

}
