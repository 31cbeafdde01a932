package dev.vigil.store;

import static dev.vigil.store.IncidentStore.instant;
import static dev.vigil.store.IncidentStore.micros;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A tenant's incidents in its embedded DuckDB database: {@code vigil_incidents}, {@code vigil_incident_alerts},
 * {@code vigil_incident_changes}, {@code vigil_response_actions} and {@code vigil_correlation_meta}. The database
 * holds one tenant, so the file is the tenant's scope. Writes join the store's unit of work.
 */
final class DuckDbIncidents implements IncidentRepository {
    private static final String INCIDENT_COLUMNS = "number, title, status, severity, classification, determination,"
            + " owner, tags, epoch_us(first_seen), epoch_us(last_seen), epoch_us(created), epoch_us(acknowledged),"
            + " epoch_us(resolved), reference, alert_count";

    /** A severity's rank, 1 (informational) to 5 (critical), 0 for anything else. */
    private static final String RANK = "list_position(['informational', 'low', 'medium', 'high', 'critical'], %s)";

    private final TenantStore store;
    private final DuckDBConnection connection;

    DuckDbIncidents(TenantStore store, DuckDBConnection connection) {
        this.store = store;
        this.connection = connection;
    }

    @Override
    public TenantId tenant() {
        return store.tenant();
    }

    // --- reading -------------------------------------------------------------------------------------------------

    @Override
    public IncidentQuery.Matches query(IncidentQuery query) {
        if (query.matchesNothing()) {
            return IncidentQuery.Matches.none();
        }
        List<Object> parameters = new ArrayList<>();
        String where = query.where(RANK, "make_timestamptz(?::BIGINT)", IncidentStore::micros, parameters);
        return store.read("reading incidents", "vigil_incidents", IncidentQuery.Matches.none(), () -> {
            List<Incident> page = incidents(where, parameters, query.orderBy(RANK) + " LIMIT " + query.limit());
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*),"
                    + " epoch_us(min(first_seen)), epoch_us(max(last_seen)) FROM vigil_incidents WHERE " + where)) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long total = rows.getLong(1);
                    return total == 0 ? IncidentQuery.Matches.none() : new IncidentQuery.Matches(page, total,
                            Optional.of(instant(rows.getLong(2))), Optional.of(instant(rows.getLong(3))));
                }
            }
        });
    }

    @Override
    public Optional<Incident> find(long number) {
        return store.read("reading incident " + number, "vigil_incidents", List.<Incident>of(),
                () -> incidents("number = ? AND merged_into IS NULL", List.of(number), "number")).stream()
                .findFirst();
    }

    @Override
    public OptionalLong mergedInto(long number) {
        return store.read("reading incident " + number, "vigil_incidents", OptionalLong.empty(), () -> {
            OptionalLong into = OptionalLong.empty();
            long at = number;
            // merged_into names where it went then; that one may have been merged since
            for (int hops = 0; hops < 10_000; hops++) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT merged_into FROM vigil_incidents WHERE number = ?")) {
                    statement.setLong(1, at);
                    try (ResultSet rows = statement.executeQuery()) {
                        Long next = rows.next() ? (Long) rows.getObject(1) : null;
                        if (next == null) {
                            return into;
                        }
                        into = OptionalLong.of(next);
                        at = next;
                    }
                }
            }
            return into;
        });
    }

    @Override
    public Map<UUID, JoinReason> placements(long number) {
        return store.read("reading incident " + number, "vigil_incident_alerts", Map.of(), () -> {
            Map<UUID, JoinReason> reasons = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT alert_id, reason, entity_kind, entity_value, other_alert, gap_us, detail
                    FROM vigil_incident_alerts WHERE incident = ? ORDER BY placed_at, rowid""")) {
                statement.setLong(1, number);
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
        return store.read("looking up placements", "vigil_incident_alerts", Map.of(), () -> {
            Map<UUID, Long> placed = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT alert_id, incident FROM"
                    + " vigil_incident_alerts WHERE alert_id IN (SELECT unnest(?::VARCHAR[])::UUID)")) {
                statement.setArray(1, connection.createArrayOf("VARCHAR", alerts.stream().map(UUID::toString)
                        .toArray()));
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
        return store.read("reading incident " + number, "vigil_incident_changes", List.of(), () -> {
            List<IncidentChange> changes = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT epoch_us(changed_at), actor, field, from_value, to_value FROM vigil_incident_changes
                    WHERE incident = ? ORDER BY changed_at, rowid""")) {
                statement.setLong(1, number);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        changes.add(new IncidentChange(number, instant(rows.getLong(1)), rows.getString(2),
                                rows.getString(3), rows.getString(4), rows.getString(5)));
                    }
                }
            }
            return changes;
        });
    }

    @Override
    public Map<UUID, ResponseAction> decisions(long number) {
        return store.read("reading response actions", "vigil_response_actions", Map.of(), () -> {
            Map<UUID, ResponseAction> decisions = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT action_id, action, target, reason, evidence, status, decided_by, epoch_us(decided_at),
                        outcome FROM vigil_response_actions WHERE incident = ? ORDER BY recorded_at, rowid""")) {
                statement.setLong(1, number);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long decidedAt = rows.getLong(8);
                        Instant at = rows.wasNull() ? null : instant(decidedAt);
                        UUID id = rows.getObject(1, UUID.class);
                        decisions.put(id, new ResponseAction(id, number,
                                ResponseCard.Action.parse(rows.getString(2)), rows.getString(3), rows.getString(4),
                                IncidentRows.strings(rows.getArray(5)), ResponseAction.Status.parse(rows.getString(6)),
                                rows.getString(7), at, rows.getString(9)));
                    }
                }
            }
            return decisions;
        });
    }

    // --- changing ------------------------------------------------------------------------------------------------

    @Override
    public Incident update(long number, boolean severitySet, Function<Incident, Lifecycle.Updated> change) {
        // one writer per database: nothing changes the incident between reading and writing it
        Lifecycle.Updated updated = change.apply(find(number).orElseThrow(() -> notFound(number)));
        Incident next = updated.incident();
        List<IncidentChange> changes = updated.changes();
        store.write("updating incident " + next.number(), () -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE vigil_incidents SET status = ?, severity = ?, severity_set = severity_set OR ?,
                        classification = ?, determination = ?, owner = ?, tags = ?::VARCHAR[],
                        acknowledged = make_timestamptz(?::BIGINT), resolved = make_timestamptz(?::BIGINT)
                    WHERE number = ? AND merged_into IS NULL""")) {
                statement.setString(1, next.status().toString());
                statement.setString(2, next.severity());
                statement.setBoolean(3, severitySet);
                statement.setString(4, next.classification().toString());
                statement.setString(5, next.determination());
                statement.setString(6, next.owner());
                statement.setArray(7, connection.createArrayOf("VARCHAR", next.tags().toArray()));
                setMicros(statement, 8, next.acknowledged());
                setMicros(statement, 9, next.resolved());
                statement.setLong(10, next.number());
                if (statement.executeUpdate() == 0) {
                    throw notFound(next.number());
                }
            }
            for (IncidentChange recorded : changes) {
                insertChange(recorded);
            }
            return null;
        });
        return next;
    }

    @Override
    public void record(ResponseAction action, IncidentChange change, Instant now) {
        store.write("recording response action " + action.shortId(), () -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO vigil_response_actions VALUES (?, ?, ?, ?, ?, ?::VARCHAR[], ?, ?,
                        make_timestamptz(?::BIGINT), ?, make_timestamptz(?::BIGINT))""")) {
                statement.setObject(1, action.id());
                statement.setLong(2, action.incident());
                statement.setString(3, action.action().toString());
                statement.setString(4, action.target());
                statement.setString(5, action.reason());
                statement.setArray(6, connection.createArrayOf("VARCHAR", action.evidence().toArray()));
                statement.setString(7, action.status().toString());
                statement.setString(8, action.decidedBy());
                setMicros(statement, 9, action.decidedAt());
                statement.setString(10, action.outcome());
                statement.setLong(11, micros(now));
                statement.executeUpdate();
            }
            insertChange(change);
            return null;
        });
    }

    // --- correlation ---------------------------------------------------------------------------------------------

    @Override
    public Cursor cursor() {
        long through = store.read("reading the correlation watermark", "vigil_correlation_meta", -1L, () -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT max(alert_rowid) FROM vigil_correlation_meta")) {
                if (rows.next()) {
                    long value = rows.getLong(1);
                    return rows.wasNull() ? -1L : value;
                }
                return -1L;
            }
        });
        long next = store.read("numbering incidents", "vigil_incidents", 1L, () -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT coalesce(max(number), 0) + 1 FROM vigil_incidents")) {
                rows.next();
                return rows.getLong(1);
            }
        });
        return new Cursor(through, next);
    }

    @Override
    public Map<UUID, Active> activeSince(Instant horizon) {
        return store.read("restoring incidents", "vigil_incidents", Map.of(), () -> {
            Map<UUID, Active> placement = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT p.alert_id, p.incident, i.status = 'resolved',
                        p.reason = 'SHARED_ENTITY' AND p.entity_kind = 'HOST'
                    FROM vigil_incident_alerts p JOIN vigil_incidents i ON i.number = p.incident
                    WHERE i.merged_into IS NULL AND i.last_seen >= make_timestamptz(?::BIGINT)""")) {
                statement.setLong(1, micros(horizon));
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
        Cursor current = cursor();
        if (!current.equals(run.from())) {
            throw IncidentRepository.conflict(tenant(), "the run began at " + run.from() + " but the store is at "
                    + current);
        }
        store.write("storing incidents", () -> {
            long at = micros(run.at());
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                    "vigil_incidents")) {
                for (Opened opened : run.opened()) {
                    appender.beginRow().append(opened.number()).append(tenant().value()).append("").append("new")
                            .append("informational").append(false).append("undetermined").append("").append("")
                            .append(List.<String>of()).appendEpochMicros(at).appendEpochMicros(at)
                            .appendEpochMicros(at).appendNull().appendNull().append("").append(0);
                    if (opened.mergedInto().isPresent()) {
                        appender.append(opened.mergedInto().getAsLong());
                    } else {
                        appender.appendNull();
                    }
                    appender.endRow();
                }
            }
            for (Map.Entry<Long, Long> merge : run.merged().entrySet()) {
                execute("UPDATE vigil_incident_alerts SET incident = ? WHERE incident = ?", merge.getValue(),
                        merge.getKey());
                execute("UPDATE vigil_incidents SET merged_into = ? WHERE number = ?", merge.getValue(),
                        merge.getKey());
            }
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                    "vigil_incident_alerts")) {
                for (Placement placement : run.placements()) {
                    JoinReason reason = placement.reason();
                    appender.beginRow()
                            .appendUUID(placement.alert().getMostSignificantBits(),
                                    placement.alert().getLeastSignificantBits())
                            .append(placement.incident())
                            .append(reason.kind().name());
                    if (reason.entity() == null) {
                        appender.appendNull().appendNull();
                    } else {
                        appender.append(reason.entity().kind().name()).append(reason.entity().value());
                    }
                    if (reason.otherAlert() == null) {
                        appender.appendNull();
                    } else {
                        appender.appendUUID(reason.otherAlert().getMostSignificantBits(),
                                reason.otherAlert().getLeastSignificantBits());
                    }
                    appender.append(reason.gapMicros()).append(reason.detail()).appendEpochMicros(at).endRow();
                }
            }
            for (IncidentChange change : run.changes()) {
                insertChange(change);
            }
            refresh(run.summaries());
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM vigil_correlation_meta");
            }
            execute("INSERT INTO vigil_correlation_meta VALUES (make_timestamptz(?::BIGINT), ?)", at,
                    run.alertRowid());
            return null;
        });
    }

    /** Writes the refreshed summaries in one statement (or one keyed update each for a few). */
    private void refresh(List<Summary> summaries) throws SQLException {
        if (summaries.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TEMPORARY TABLE IF NOT EXISTS incident_refresh (number BIGINT, title VARCHAR,
                        severity VARCHAR, first_seen BIGINT, last_seen BIGINT, alert_count INTEGER, reference VARCHAR)""");
            statement.execute("DELETE FROM temp.incident_refresh");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "incident_refresh")) {
            for (Summary summary : summaries) {
                appender.beginRow().append(summary.number()).append(summary.title()).append(summary.severity())
                        .append(micros(summary.firstSeen())).append(micros(summary.lastSeen()))
                        .append(summary.alertCount()).append(summary.reference()).endRow();
            }
        }
        String update = """
                UPDATE vigil_incidents i SET title = r.title,
                    severity = CASE WHEN i.severity_set THEN i.severity ELSE r.severity END,
                    first_seen = make_timestamptz(r.first_seen), last_seen = make_timestamptz(r.last_seen),
                    alert_count = r.alert_count, reference = r.reference
                FROM""";
        if (summaries.size() <= 64) {
            // a few incidents: one keyed update each, which the numbers' zone maps make cheap on a large table
            try (PreparedStatement statement = connection.prepareStatement(update
                    + " (SELECT * FROM temp.incident_refresh WHERE number = ?) r WHERE i.number = ?")) {
                for (Summary summary : summaries) {
                    statement.setLong(1, summary.number());
                    statement.setLong(2, summary.number());
                    statement.executeUpdate();
                }
            }
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(update + " temp.incident_refresh r WHERE i.number = r.number");
        }
    }

    // --- plumbing ------------------------------------------------------------------------------------------------

    private VigilException notFound(long number) {
        return new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "tenant '" + tenant() + "' has no incident " + number);
    }

    private void insertChange(IncidentChange change) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO vigil_incident_changes VALUES (?, make_timestamptz(?::BIGINT), ?, ?, ?, ?)""")) {
            statement.setLong(1, change.incident());
            statement.setLong(2, micros(change.at()));
            statement.setString(3, change.actor());
            statement.setString(4, change.field());
            statement.setString(5, change.from());
            statement.setString(6, change.to());
            statement.executeUpdate();
        }
    }

    private List<Incident> incidents(String where, List<?> parameters, String orderBy) throws SQLException {
        List<Incident> incidents = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + INCIDENT_COLUMNS
                + " FROM vigil_incidents WHERE " + where + " ORDER BY " + orderBy)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    incidents.add(new Incident(rows.getLong(1), rows.getString(2),
                            Incident.Status.parse(rows.getString(3)), rows.getString(4),
                            Incident.Classification.parse(rows.getString(5)), rows.getString(6), rows.getString(7),
                            IncidentRows.strings(rows.getArray(8)), instant(rows.getLong(9)), instant(rows.getLong(10)),
                            instant(rows.getLong(11)), nullableInstant(rows, 12), nullableInstant(rows, 13),
                            rows.getString(14), rows.getInt(15)));
                }
            }
        }
        return incidents;
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }


    private static Instant nullableInstant(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : instant(value);
    }

    private static void setMicros(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, java.sql.Types.BIGINT);
        } else {
            statement.setLong(index, micros(instant));
        }
    }
}
