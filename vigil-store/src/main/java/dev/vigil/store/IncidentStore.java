package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.Correlator;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.EventSummary;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentFacts;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorValues;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentNaming;
import dev.vigil.incident.IncidentUpdate;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.PlacedAlert;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponseCard;
import dev.vigil.incident.Prevalence;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.EventId;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A tenant's incidents ({@code vigil_incidents}), which alert is in which and why ({@code vigil_incident_alerts}),
 * and every change made to them ({@code vigil_incident_changes}). Reached through {@link TenantStore#incidents()}.
 *
 * <p>{@link #correlate} places the alerts not yet in an incident. It restores the {@link Correlator} from the
 * incidents active within the progression window before the earliest new alert (not from the whole store), computes
 * the prevalence baseline from the stored events, looks up in the events where remote entries came from (for
 * lateral-movement alerts that name no source, {@link StoredRemoteEntries}), and writes placements, new and merged incidents in one unit of
 * work, so a crash leaves either all of a run or none of it.
 */
public final class IncidentStore {
    private static final String INCIDENT_COLUMNS = "number, title, status, severity, classification, determination,"
            + " owner, tags, epoch_us(first_seen), epoch_us(last_seen), epoch_us(created), epoch_us(acknowledged),"
            + " epoch_us(resolved), reference, alert_count";
    private static final List<CommonColumn> SUMMARY_COLUMNS = List.of(CommonColumn.HOST, CommonColumn.USER,
            CommonColumn.PROCESS, CommonColumn.PARENT_PROCESS, CommonColumn.COMMAND_LINE, CommonColumn.SRC_IP,
            CommonColumn.DST_IP, CommonColumn.DOMAIN, CommonColumn.URL, CommonColumn.FILE_HASH, CommonColumn.ACTION,
            CommonColumn.OUTCOME, CommonColumn.EVENT_CODE);

    private final TenantStore store;
    private final DuckDBConnection connection;
    private final AlertTable alerts;

    IncidentStore(TenantStore store, DuckDBConnection connection, AlertTable alerts) {
        this.store = store;
        this.connection = connection;
        this.alerts = alerts;
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_incidents (
                    number BIGINT NOT NULL, tenant VARCHAR NOT NULL, title VARCHAR NOT NULL, status VARCHAR NOT NULL,
                    severity VARCHAR NOT NULL, severity_set BOOLEAN NOT NULL DEFAULT false,
                    classification VARCHAR NOT NULL, determination VARCHAR NOT NULL, owner VARCHAR NOT NULL,
                    tags VARCHAR[] NOT NULL, first_seen TIMESTAMPTZ NOT NULL, last_seen TIMESTAMPTZ NOT NULL,
                    created TIMESTAMPTZ NOT NULL, acknowledged TIMESTAMPTZ, resolved TIMESTAMPTZ,
                    reference VARCHAR NOT NULL, alert_count INTEGER NOT NULL, merged_into BIGINT)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_incident_alerts (
                    alert_id UUID NOT NULL, incident BIGINT NOT NULL, reason VARCHAR NOT NULL, entity_kind VARCHAR,
                    entity_value VARCHAR, other_alert UUID, gap_us BIGINT NOT NULL, detail VARCHAR NOT NULL,
                    placed_at TIMESTAMPTZ NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_incident_changes (
                    incident BIGINT NOT NULL, changed_at TIMESTAMPTZ NOT NULL, actor VARCHAR NOT NULL, field VARCHAR NOT NULL,
                    from_value VARCHAR NOT NULL, to_value VARCHAR NOT NULL)""");
        // The prevalence baseline, computed from the events and kept until they have grown by a tenth or a day has
        // passed, so that correlating a few new alerts does not scan every event.
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_prevalence (
                    kind VARCHAR NOT NULL, value VARCHAR NOT NULL, partners INTEGER NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_prevalence_owners (address VARCHAR NOT NULL, host VARCHAR NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_prevalence_meta (
                    computed_at TIMESTAMPTZ NOT NULL, events BIGINT NOT NULL, hosts INTEGER NOT NULL,
                    users INTEGER NOT NULL)""");
        // Up to which stored alert (by row id) alerts have been placed, so that a run reads only those stored since.
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_correlation_meta (placed_through TIMESTAMPTZ NOT NULL,
                    alert_rowid BIGINT)""");
        statement.execute("ALTER TABLE vigil_correlation_meta ADD COLUMN IF NOT EXISTS alert_rowid BIGINT");
        // Decisions on proposed actions, appended; the latest row of an action is where it stands.
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_response_actions (
                    action_id UUID NOT NULL, incident BIGINT NOT NULL, action VARCHAR NOT NULL, target VARCHAR NOT NULL,
                    reason VARCHAR NOT NULL, evidence VARCHAR[] NOT NULL, status VARCHAR NOT NULL,
                    decided_by VARCHAR NOT NULL, decided_at TIMESTAMPTZ, outcome VARCHAR NOT NULL,
                    recorded_at TIMESTAMPTZ NOT NULL)""");
    }

    // --- correlation ----------------------------------------------------------------------------------------

    /**
     * Places every alert not yet in an incident, in time order.
     *
     * @param progress told what the run is doing, for long runs
     */
    public CorrelationSummary correlate(CorrelationPolicy policy, TacticStages stages, Instant now,
            Consumer<String> progress) {
        long start = System.nanoTime();
        long runStart = micros(Instant.now());
        // Alerts are only ever appended, so their row ids grow with the order they were stored in: a run reads the
        // alerts past the last run's row id, and DuckDB skips the row groups before it.
        long[] range = store.read("reading the correlation watermark", "vigil_correlation_meta",
                new long[] {-1, -1}, () -> {
                    long through = -1;
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery(
                                    "SELECT max(alert_rowid) FROM vigil_correlation_meta")) {
                        if (rows.next()) {
                            long value = rows.getLong(1);
                            through = rows.wasNull() ? -1 : value;
                        }
                    }
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("SELECT max(rowid) FROM vigil_alerts")) {
                        rows.next();
                        long last = rows.getLong(1);
                        return new long[] {through, rows.wasNull() ? -1 : last};
                    }
                });
        List<Alert> fresh = range[1] <= range[0] ? List.of() : store.read("reading alerts to correlate",
                "vigil_alerts", List.<Alert>of(), () -> alerts.read("a.rowid > ? AND a.rowid <= ? AND NOT EXISTS"
                        + " (SELECT 1 FROM vigil_incident_alerts p WHERE p.alert_id = a.alert_id)",
                        List.of(range[0], range[1]), "\"time\", alert_id"));
        if (fresh.isEmpty()) {
            return new CorrelationSummary(0, 0, 0, 0, 0, 0, (System.nanoTime() - start) / 1_000_000);
        }
        progress.accept("computing entity prevalence from the stored events");
        Prevalence baseline = prevalence();
        long horizon = fresh.get(0).timeMicros() - policy.progressionWindow().toNanos() / 1000;
        long firstNew = nextNumber();
        // the source of a lateral-movement alert that names none, looked up in the events around it
        Correlator correlator = new Correlator(policy, stages, baseline, new StoredRemoteEntries(store, connection),
                firstNew);
        progress.accept("restoring incidents active since " + Instant.ofEpochSecond(0, horizon * 1000));
        // Every alert of every incident that a new alert can reach: those active within the progression window
        Map<Long, List<Alert>> members = restore(correlator, horizon);

        progress.accept("correlating " + fresh.size() + " alerts");
        List<Assignment> assignments = new ArrayList<>(fresh.size());
        Map<Long, Assignment.Merge> mergedBy = new LinkedHashMap<>();
        Map<Long, UUID> mergingAlert = new HashMap<>();
        for (Alert alert : fresh) {
            Assignment assignment = correlator.add(alert);
            assignments.add(assignment);
            members.computeIfAbsent(assignment.incident(), n -> new ArrayList<>()).add(alert);
            for (Assignment.Merge merge : assignment.merged()) {
                mergedBy.put(merge.incident(), merge);
                mergingAlert.put(merge.incident(), alert.id());
            }
        }
        return store.write("storing incidents", () -> {
            int opened = 0;
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                    "vigil_incident_alerts")) {
                for (Assignment assignment : assignments) {
                    JoinReason reason = assignment.reason();
                    appender.beginRow()
                            .appendUUID(assignment.alert().getMostSignificantBits(),
                                    assignment.alert().getLeastSignificantBits())
                            .append(assignment.incident())
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
                    appender.append(reason.gapMicros()).append(reason.detail()).appendEpochMicros(micros(now))
                            .endRow();
                    if (assignment.opened()) {
                        opened++;
                    }
                }
            }
            // Incidents opened in this run, merged ones included, so that their numbers stay explained.
            Map<Long, List<Alert>> byFinal = new TreeMap<>();
            members.forEach((number, list) -> byFinal.computeIfAbsent(correlator.find(number),
                    n -> new ArrayList<>()).addAll(list));
            Set<Long> touched = new TreeSet<>();
            for (Assignment assignment : assignments) {
                touched.add(correlator.find(assignment.incident()));
            }
            List<Long> openedNumbers = new ArrayList<>();
            for (long number = firstNew; correlator.knows(number); number++) {
                openedNumbers.add(number);
            }
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                    "vigil_incidents")) {
                for (long number : openedNumbers) {
                    long find = correlator.find(number);
                    appender.beginRow().append(number).append(store.tenant().value()).append("").append("new")
                            .append("informational").append(false).append("undetermined").append("").append("")
                            .append(List.<String>of()).appendEpochMicros(micros(now)).appendEpochMicros(micros(now))
                            .appendEpochMicros(micros(now)).appendNull().appendNull().append("").append(0);
                    if (find == number) {
                        appender.appendNull();
                    } else {
                        appender.append(find);
                    }
                    appender.endRow();
                }
            }
            for (Map.Entry<Long, Assignment.Merge> entry : mergedBy.entrySet()) {
                long merged = entry.getKey();
                long into = correlator.find(merged);
                if (merged >= firstNew) {
                    continue; // opened in this run: its placements above already name its number, merged below
                }
                execute("UPDATE vigil_incident_alerts SET incident = ? WHERE incident = ?", into, merged);
                execute("UPDATE vigil_incidents SET merged_into = ? WHERE number = ?", into, merged);
            }
            // placements of this run name the incident each alert joined then; point them at where it went since
            if (mergedBy.keySet().stream().anyMatch(n -> n >= firstNew)) {
                execute("UPDATE vigil_incident_alerts p SET incident = m.into FROM (SELECT unnest(?::BIGINT[]) AS n,"
                        + " unnest(?::BIGINT[]) AS into) m WHERE p.incident = m.n",
                        connection.createArrayOf("BIGINT", mergedBy.keySet().stream().filter(n -> n >= firstNew)
                                .toArray()),
                        connection.createArrayOf("BIGINT", mergedBy.keySet().stream().filter(n -> n >= firstNew)
                                .map(correlator::find).toArray()));
            }
            for (Map.Entry<Long, Assignment.Merge> entry : mergedBy.entrySet()) {
                long merged = entry.getKey();
                String why = entry.getValue().reason().explain(id -> id.toString().substring(0, 8));
                insertChange(new IncidentChange(correlator.find(merged), now, "vigil", "merged", "", "incident "
                        + merged + " merged in: alert " + mergingAlert.get(merged).toString().substring(0, 8)
                        + " belongs to both (" + why + ")"));
            }
            refresh(touched, byFinal);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM vigil_correlation_meta");
            }
            execute("INSERT INTO vigil_correlation_meta VALUES (make_timestamptz(?::BIGINT), ?)", runStart,
                    range[1]);
            return new CorrelationSummary(assignments.size(), opened, assignments.size() - opened, mergedBy.size(),
                    touched.size(), baseline.size(), (System.nanoTime() - start) / 1_000_000);
        });
    }

    /**
     * Restores the correlator from the incidents active since the horizon, and returns their alerts by incident:
     * with the alerts of this run they are every alert of every incident the run can touch.
     */
    private Map<Long, List<Alert>> restore(Correlator correlator, long horizonMicros) {
        Map<UUID, long[]> placement = new HashMap<>(); // alert -> {incident, closed}
        store.read("restoring incidents", "vigil_incidents", null, () -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT p.alert_id, p.incident, i.status = 'resolved'
                    FROM vigil_incident_alerts p JOIN vigil_incidents i ON i.number = p.incident
                    WHERE i.merged_into IS NULL AND i.last_seen >= make_timestamptz(?::BIGINT)""")) {
                statement.setLong(1, horizonMicros);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        placement.put(rows.getObject(1, UUID.class), new long[] {rows.getLong(2),
                                rows.getBoolean(3) ? 1 : 0});
                    }
                }
            }
            return null;
        });
        Map<Long, List<Alert>> members = new HashMap<>();
        if (placement.isEmpty()) {
            return members;
        }
        List<Alert> placed = store.read("restoring incidents", "vigil_alerts", List.<Alert>of(), () -> alerts.read(
                "a.alert_id IN (SELECT p.alert_id FROM vigil_incident_alerts p JOIN vigil_incidents i"
                        + " ON i.number = p.incident WHERE i.merged_into IS NULL"
                        + " AND i.last_seen >= make_timestamptz(?::BIGINT))",
                List.of(horizonMicros), "\"time\", alert_id"));
        for (Alert alert : placed) {
            long[] where = placement.get(alert.id());
            if (where != null) {
                correlator.remember(alert, where[0], where[1] == 1);
                members.computeIfAbsent(where[0], n -> new ArrayList<>()).add(alert);
            }
        }
        return members;
    }

    /**
     * The prevalence baseline from the stored events: for each address, user, domain, URL and file hash the number
     * of distinct hosts whose events name it, and for each host the number of distinct users on it.
     */
    public Prevalence prevalence() {
        long events = store.read("counting events", "vigil_events", 0L, () -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM vigil_events")) {
                rows.next();
                return rows.getLong(1);
            }
        });
        Optional<Prevalence> cached = store.sharedPrevalence(events).or(() -> cachedPrevalence(events));
        if (cached.isPresent()) {
            return cached.get();
        }
        return store.prevalenceOnce(events, () -> {
            Prevalence computed = computePrevalence();
            store.sharePrevalence(computed, events); // readers cannot keep it in the database: they share it in memory
            if (store.writable()) {
                store.write("keeping the prevalence baseline", () -> {
                    savePrevalence(computed, events);
                    return null;
                });
            }
            return computed;
        });
    }

    /** The kept baseline, if it was computed over at least nine tenths of today's events within the last day. */
    private Optional<Prevalence> cachedPrevalence(long events) {
        return store.read("reading the prevalence baseline", "vigil_prevalence_meta", Optional.<Prevalence>empty(),
                () -> {
                    int hosts;
                    int users;
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("""
                                    SELECT events, hosts, users FROM vigil_prevalence_meta
                                    WHERE computed_at > now() - INTERVAL 1 DAY""")) {
                        if (!rows.next() || rows.getLong(1) < events * 0.9 || (events > 0 && rows.getLong(1) == 0)) {
                            return Optional.empty();
                        }
                        hosts = rows.getInt(2);
                        users = rows.getInt(3);
                    }
                    Prevalence.Builder builder = new Prevalence.Builder().hosts(hosts).users(users);
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("SELECT kind, value, partners FROM vigil_prevalence")) {
                        while (rows.next()) {
                            builder.add(new EntityKey(EntityKey.Kind.valueOf(rows.getString(1)), rows.getString(2)),
                                    rows.getInt(3));
                        }
                    }
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("SELECT address, host FROM vigil_prevalence_owners")) {
                        while (rows.next()) {
                            builder.owns(new EntityKey(EntityKey.Kind.IP, rows.getString(1)),
                                    new EntityKey(EntityKey.Kind.HOST, rows.getString(2)));
                        }
                    }
                    return Optional.of(builder.build());
                });
    }

    private void savePrevalence(Prevalence prevalence, long events) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM vigil_prevalence");
            statement.execute("DELETE FROM vigil_prevalence_owners");
            statement.execute("DELETE FROM vigil_prevalence_meta");
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "vigil_prevalence")) {
            for (Map.Entry<EntityKey, Integer> entry : prevalence.entries().entrySet()) {
                appender.beginRow().append(entry.getKey().kind().name()).append(entry.getKey().value())
                        .append(entry.getValue()).endRow();
            }
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                "vigil_prevalence_owners")) {
            for (Map.Entry<EntityKey, EntityKey> entry : prevalence.owners().entrySet()) {
                appender.beginRow().append(entry.getKey().value()).append(entry.getValue().value()).endRow();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO vigil_prevalence_meta VALUES (now(), ?, ?, ?)")) {
            statement.setLong(1, events);
            statement.setInt(2, prevalence.hosts());
            statement.setInt(3, prevalence.users());
            statement.executeUpdate();
        }
    }

    private Prevalence computePrevalence() {
        return store.read("computing entity prevalence", "vigil_columns", Prevalence.none(), () -> {
            List<String> tables = eventTables();
            if (tables.isEmpty()) {
                return Prevalence.none();
            }
            StringBuilder sql = new StringBuilder("SELECT DISTINCT kind, value, host FROM (");
            String union = "";
            for (String table : tables) {
                for (String column : List.of("src_ip", "dst_ip", "user", "domain", "url", "file_hash")) {
                    sql.append(union).append("SELECT '").append(column).append("' AS kind, \"").append(column)
                            .append("\" AS value, host FROM ").append(Catalog.quote(table))
                            .append(" WHERE host IS NOT NULL AND \"").append(column).append("\" IS NOT NULL");
                    union = " UNION ALL ";
                }
            }
            sql.append(")");
            Map<EntityKey, Set<String>> partners = new HashMap<>();
            Set<String> hosts = new HashSet<>();
            Set<String> users = new HashSet<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(sql.toString())) {
                while (rows.next()) {
                    Optional<EntityKey> host = EntityKey.of(new Alert.Entity("host", rows.getString(3)));
                    Optional<EntityKey> key = EntityKey.of(new Alert.Entity(rows.getString(1), rows.getString(2)));
                    if (host.isEmpty() || key.isEmpty()) {
                        continue;
                    }
                    hosts.add(host.get().value());
                    if (key.get().kind() == EntityKey.Kind.HOST) {
                        continue; // a machine account: the host itself, not a partner of it
                    }
                    partners.computeIfAbsent(key.get(), k -> new HashSet<>()).add(host.get().value());
                    if (key.get().kind() == EntityKey.Kind.USER) {
                        users.add(key.get().value());
                        partners.computeIfAbsent(host.get(), k -> new HashSet<>()).add(key.get().value());
                    }
                }
            }
            Prevalence.Builder builder = new Prevalence.Builder().hosts(hosts.size()).users(users.size());
            owners(builder);
            partners.forEach((key, set) -> {
                if (set.size() > 1) {
                    builder.add(key, set.size());
                }
            });
            return builder.build();
        });
    }

    /** Every event table: each has a partition, even one whose events carry only common columns (no vigil_columns). */
    /**
     * Which host owns which address, by the rule of {@link Prevalence#ownership}: the source addresses of Sysmon
     * network connections a host initiated.
     */
    private void owners(Prevalence.Builder builder) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement("""
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema = 'main' AND table_name = 'SysmonEvent' AND column_name IN ('Initiated', 'src_ip')""")) {
            try (ResultSet rows = check.executeQuery()) {
                if (!rows.next() || rows.getInt(1) < 2) {
                    return; // no Sysmon network connections stored yet
                }
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT DISTINCT host, src_ip FROM SysmonEvent
                        WHERE event_code = '3' AND lower(CAST("Initiated" AS VARCHAR)) = 'true'
                          AND host IS NOT NULL AND src_ip IS NOT NULL""")) {
            while (rows.next()) {
                Optional<EntityKey> host = EntityKey.of(new Alert.Entity("host", rows.getString(1)));
                Optional<EntityKey> address = EntityKey.of(new Alert.Entity("src_ip", rows.getString(2)));
                if (host.isPresent() && address.isPresent() && host.get().kind() == EntityKey.Kind.HOST) {
                    builder.owns(address.get(), host.get());
                }
            }
        }
    }

    private List<String> eventTables() throws SQLException {
        return eventTables(List.of());
    }

    /** The event tables holding events of any of these codes (a table keeps a partition per code); all when none. */
    private List<String> eventTables(List<String> codes) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT DISTINCT c.table_name FROM vigil_partitions c
                JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = 'main'
                WHERE len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], c.event_code)
                ORDER BY 1""")) {
            java.sql.Array wanted = connection.createArrayOf("VARCHAR", codes.toArray());
            statement.setArray(1, wanted);
            statement.setArray(2, wanted);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private long nextNumber() {
        return store.read("numbering incidents", "vigil_incidents", 1L, () -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT coalesce(max(number), 0) + 1 FROM vigil_incidents")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * Recomputes the touched incidents' titles, severities (unless an analyst set one), times, sizes and product
     * references from their alerts, all held in memory, in one statement.
     */
    private void refresh(Set<Long> touched, Map<Long, List<Alert>> members) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TEMPORARY TABLE IF NOT EXISTS incident_refresh (number BIGINT, title VARCHAR,
                        severity VARCHAR, first_seen BIGINT, last_seen BIGINT, alert_count INTEGER, reference VARCHAR)""");
            statement.execute("DELETE FROM temp.incident_refresh");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "incident_refresh")) {
            for (long number : touched) {
                List<Alert> list = members.getOrDefault(number, List.of());
                if (list.isEmpty()) {
                    continue;
                }
                list.sort(java.util.Comparator.comparingLong(Alert::timeMicros).thenComparing(Alert::id));
                appender.beginRow().append(number).append(IncidentNaming.title(list))
                        .append(IncidentNaming.severity(list)).append(list.getFirst().timeMicros())
                        .append(list.getLast().timeMicros()).append(list.size())
                        .append(list.stream().map(Alert::incidentRef).filter(r -> !r.isEmpty()).findFirst()
                                .orElse("")).endRow();
            }
        }
        if (touched.size() <= 64) {
            // a few incidents: one keyed update each, which the numbers' zone maps make cheap on a large table
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE vigil_incidents i SET title = r.title,
                        severity = CASE WHEN i.severity_set THEN i.severity ELSE r.severity END,
                        first_seen = make_timestamptz(r.first_seen), last_seen = make_timestamptz(r.last_seen),
                        alert_count = r.alert_count, reference = r.reference
                    FROM (SELECT * FROM temp.incident_refresh WHERE number = ?) r WHERE i.number = ?""")) {
                for (long number : touched) {
                    statement.setLong(1, number);
                    statement.setLong(2, number);
                    statement.executeUpdate();
                }
            }
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    UPDATE vigil_incidents i SET title = r.title,
                        severity = CASE WHEN i.severity_set THEN i.severity ELSE r.severity END,
                        first_seen = make_timestamptz(r.first_seen), last_seen = make_timestamptz(r.last_seen),
                        alert_count = r.alert_count, reference = r.reference
                    FROM temp.incident_refresh r WHERE i.number = r.number""");
        }
    }

    // --- reading --------------------------------------------------------------------------------------------

    /**
     * Incidents, most recently active first.
     *
     * @param status only incidents in this status, or all when empty
     * @param minimumSeverity only incidents at least this severe, or all when empty
     */
    public List<Incident> list(Principal reader, Optional<Incident.Status> status, Optional<String> minimumSeverity,
            int limit) {
        reader.require(Role.READER, "read incidents");
        StringBuilder where = new StringBuilder("merged_into IS NULL");
        List<Object> parameters = new ArrayList<>();
        status.ifPresent(s -> {
            where.append(" AND status = ?");
            parameters.add(s.toString());
        });
        minimumSeverity.ifPresent(level -> {
            where.append(" AND list_position(['informational', 'low', 'medium', 'high', 'critical'], severity) >= ?");
            parameters.add(IncidentNaming.rank(level) + 1);
        });
        return store.read("reading incidents", "vigil_incidents", List.of(), () -> incidents(where.toString(),
                parameters, "last_seen DESC, number DESC LIMIT " + Math.max(1, limit)));
    }

    /** One incident, or {@link ErrorCode#INCIDENT_NOT_FOUND}; a merged incident's number leads to where it went. */
    public Incident get(Principal reader, long number) {
        reader.require(Role.READER, "read incidents");
        List<Incident> found = store.read("reading incident " + number, "vigil_incidents", List.of(),
                () -> incidents("number = ? AND merged_into IS NULL", List.of(number), "number"));
        if (!found.isEmpty()) {
            return found.get(0);
        }
        Long into = store.read("reading incident " + number, "vigil_incidents", null, () -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT merged_into FROM vigil_incidents WHERE number = ?")) {
                statement.setLong(1, number);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? (Long) rows.getObject(1) : null;
                }
            }
        });
        if (into != null) {
            throw new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "incident " + number + " was merged into incident "
                    + into, "Use incident " + into + ": vigil incidents show " + into, null);
        }
        throw new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "tenant '" + store.tenant() + "' has no incident "
                + number);
    }

    /** The incident's alerts in time order, each with the reason it is there. */
    public List<PlacedAlert> alertsOf(Principal reader, long number) {
        Incident incident = get(reader, number);
        Map<UUID, JoinReason> reasons = new HashMap<>();
        store.read("reading incident " + number, "vigil_incident_alerts", null, () -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT alert_id, reason, entity_kind, entity_value, other_alert, gap_us, detail
                    FROM vigil_incident_alerts WHERE incident = ?""")) {
                statement.setLong(1, incident.number());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String kind = rows.getString(3);
                        EntityKey entity = kind == null ? null
                                : new EntityKey(EntityKey.Kind.valueOf(kind), rows.getString(4));
                        reasons.put(rows.getObject(1, UUID.class), new JoinReason(
                                JoinReason.Kind.valueOf(rows.getString(2)), entity, rows.getObject(5, UUID.class),
                                rows.getLong(6), rows.getString(7)));
                    }
                }
            }
            return null;
        });
        List<Alert> members = store.read("reading incident " + number, "vigil_alerts", List.<Alert>of(),
                () -> alerts.read("a.alert_id IN (SELECT alert_id FROM vigil_incident_alerts WHERE incident = ?)",
                        List.of(incident.number()), "\"time\", alert_id"));
        List<PlacedAlert> placed = new ArrayList<>(members.size());
        for (Alert alert : members) {
            placed.add(new PlacedAlert(alert, reasons.get(alert.id())));
        }
        return placed;
    }

    /** The recorded changes and comments of an incident, oldest first. */
    public List<IncidentChange> changesOf(Principal reader, long number) {
        Incident incident = get(reader, number);
        return store.read("reading incident " + number, "vigil_incident_changes", List.of(), () -> {
            List<IncidentChange> changes = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT epoch_us(changed_at), actor, field, from_value, to_value FROM vigil_incident_changes
                    WHERE incident = ? ORDER BY changed_at, rowid""")) {
                statement.setLong(1, incident.number());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        changes.add(new IncidentChange(incident.number(), instant(rows.getLong(1)),
                                rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5)));
                    }
                }
            }
            return changes;
        });
    }

    /** Other incidents whose alerts name any of these entity values, with how many of their alerts do. */
    public Map<Long, Integer> related(Principal reader, long number, Set<String> entityValues, int limit) {
        reader.require(Role.READER, "read incidents");
        if (entityValues.isEmpty()) {
            return Map.of();
        }
        return store.read("finding related incidents", "vigil_incident_alerts", Map.of(), () -> {
            Map<Long, Integer> related = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT p.incident, count(*) FROM vigil_alerts a
                    JOIN vigil_incident_alerts p ON p.alert_id = a.alert_id
                    JOIN vigil_incidents i ON i.number = p.incident AND i.merged_into IS NULL
                    WHERE p.incident <> ? AND list_has_any(json_extract_string(a.entities, '$[*].value'), ?::VARCHAR[])
                    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?""")) {
                statement.setLong(1, number);
                statement.setArray(2, connection.createArrayOf("VARCHAR", entityValues.toArray()));
                statement.setInt(3, limit);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        related.put(rows.getLong(1), rows.getInt(2));
                    }
                }
            }
            return related;
        });
    }

    /** The stored events with these ids, in time order, with their common columns; unknown ids are skipped. */
    public List<EventSummary> events(Principal reader, List<EventId> ids) {
        reader.require(Role.READER, "read events");
        if (ids.isEmpty()) {
            return List.of();
        }
        return store.read("reading events", "vigil_events", List.of(), () -> {
            String[] uuids = ids.stream().map(id -> id.toUuid().toString()).distinct().toArray(String[]::new);
            Map<String, List<String>> byTable = new TreeMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT table_name, CAST(event_id AS VARCHAR) FROM vigil_events WHERE event_id IN"
                            + " (SELECT unnest(?::VARCHAR[])::UUID)")) {
                statement.setArray(1, connection.createArrayOf("VARCHAR", uuids));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        byTable.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(rows.getString(2));
                    }
                }
            }
            List<EventSummary> events = new ArrayList<>();
            StringBuilder columns = new StringBuilder();
            for (CommonColumn column : SUMMARY_COLUMNS) {
                columns.append(", \"").append(column.columnName()).append('"');
            }
            for (Map.Entry<String, List<String>> table : byTable.entrySet()) {
                try (PreparedStatement statement = connection.prepareStatement("SELECT CAST(event_id AS VARCHAR),"
                        + " epoch_us(\"time\")" + columns + " FROM " + Catalog.quote(table.getKey())
                        + " WHERE event_id IN (SELECT unnest(?::VARCHAR[])::UUID)")) {
                    statement.setArray(1, connection.createArrayOf("VARCHAR", table.getValue().toArray()));
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            Map<String, String> common = new LinkedHashMap<>();
                            for (int i = 0; i < SUMMARY_COLUMNS.size(); i++) {
                                String value = rows.getString(i + 3);
                                if (value != null && !value.isEmpty()) {
                                    common.put(SUMMARY_COLUMNS.get(i).columnName(), value);
                                }
                            }
                            UUID uuid = UUID.fromString(rows.getString(1));
                            events.add(new EventSummary(new EventId(uuid.getMostSignificantBits(),
                                    uuid.getLeastSignificantBits()), table.getKey(), rows.getLong(2), common));
                        }
                    }
                }
            }
            events.sort(java.util.Comparator.comparingLong(EventSummary::timeMicros)
                    .thenComparing(e -> e.id().toString()));
            return events;
        });
    }

    private static final List<String> PRIVILEGE_CODES = List.of("4672", "4728", "4732", "4756");

    /**
     * Of these users, those the events show holding special privileges: a logon with special privileges (Windows
     * 4672) or membership added to a group (4728, 4732, 4756), with the id of an event that shows it.
     */
    public Map<String, EventId> privilegedUsers(Principal reader, Set<String> users) {
        reader.require(Role.READER, "read events");
        if (users.isEmpty()) {
            return Map.of();
        }
        return store.read("looking up privileged accounts", "vigil_columns", Map.of(), () -> {
            Map<String, EventId> privileged = new TreeMap<>();
            String[] names = users.stream().map(u -> u.toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);
            for (String table : eventTables(PRIVILEGE_CODES)) { // only tables that hold such events
                try (PreparedStatement statement = connection.prepareStatement("SELECT lower(\"user\"),"
                        + " CAST(min(event_id) AS VARCHAR) FROM " + Catalog.quote(table)
                        + " WHERE event_code IN ('4672', '4728', '4732', '4756')"
                        + " AND list_contains(?::VARCHAR[], lower(regexp_replace(\"user\", '^.*\\\\', '')))"
                        + " GROUP BY 1")) {
                    statement.setArray(1, connection.createArrayOf("VARCHAR", names));
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            UUID uuid = UUID.fromString(rows.getString(2));
                            String user = rows.getString(1);
                            user = user.substring(user.lastIndexOf('\\') + 1);
                            privileged.putIfAbsent(user, new EventId(uuid.getMostSignificantBits(),
                                    uuid.getLeastSignificantBits()));
                        }
                    }
                }
            }
            return privileged;
        });
    }

    /**
     * Everything the analysis of an incident reads: its alerts and their events (at most {@code maxEvents}), the
     * privileged accounts among its users, related incidents, matching indicators and the prevalence of its entities.
     */
    public IncidentFacts facts(Principal reader, long number, Optional<AttackKnowledge> attack,
            CorrelationPolicy policy, int maxEvents) {
        Incident incident = get(reader, number);
        List<PlacedAlert> placed = alertsOf(reader, number);
        List<EventId> eventIds = new ArrayList<>();
        Set<String> users = new TreeSet<>();
        Set<EntityKey> keys = new TreeSet<>();
        for (PlacedAlert p : placed) {
            for (EventId id : p.alert().eventIds()) {
                if (eventIds.size() < maxEvents) {
                    eventIds.add(id);
                }
            }
            for (Alert.Entity entity : p.alert().entities()) {
                EntityKey.of(entity).ifPresent(key -> {
                    keys.add(key);
                    if (key.kind() == EntityKey.Kind.USER) {
                        users.add(key.value());
                    }
                });
            }
        }
        Prevalence baseline = prevalence();
        Set<EntityKey> common = new HashSet<>();
        Set<String> specific = new TreeSet<>();
        List<IndicatorValues.Value> lookups = new ArrayList<>();
        for (EntityKey key : keys) {
            if (baseline.isCommon(key, policy)) {
                common.add(key);
            } else if (key.kind() != EntityKey.Kind.PROCESS) {
                specific.add(key.value());
            }
            if (key.kind() == EntityKey.Kind.IP || key.kind() == EntityKey.Kind.DOMAIN
                    || key.kind() == EntityKey.Kind.URL || key.kind() == EntityKey.Kind.FILE_HASH) {
                IndicatorValues.Value value = IndicatorValues.detect(key.value());
                if (value != null) {
                    lookups.add(value);
                }
            }
        }
        // values as alerts spell them (WORKSTATION5.theshire.local), for the related-incident search
        for (PlacedAlert p : placed) {
            for (Alert.Entity entity : p.alert().entities()) {
                EntityKey.of(entity).filter(k -> !common.contains(k) && k.kind() != EntityKey.Kind.PROCESS)
                        .ifPresent(k -> specific.add(entity.value()));
            }
        }
        List<Indicator> indicators = lookups.isEmpty() ? List.of() : store.indicatorsByKey(lookups);
        Map<String, String> criticality = new HashMap<>();
        for (Asset asset : store.posture().assets()) {
            if (asset.criticality() != null) {
                EntityKey.host(asset.hostname()).ifPresent(host -> criticality.merge(host.value(),
                        asset.criticality().id(), (a, b) -> a));
            }
        }
        return new IncidentFacts(incident, placed, events(reader, eventIds), privilegedUsers(reader, users),
                related(reader, number, specific, 10), indicators, attack, common::contains, criticality);
    }

    // --- changing -------------------------------------------------------------------------------------------

    /** Applies an analyst's update (see {@link Lifecycle}) and records its changes, in one commit. */
    public Incident update(Principal actor, long number, IncidentUpdate update, Instant now) {
        Incident incident = get(actor, number);
        Lifecycle.Updated updated = Lifecycle.apply(incident, update, actor, now);
        Incident next = updated.incident();
        store.write("updating incident " + number, () -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE vigil_incidents SET status = ?, severity = ?, severity_set = severity_set OR ?,
                        classification = ?, determination = ?, owner = ?, tags = ?::VARCHAR[],
                        acknowledged = make_timestamptz(?::BIGINT), resolved = make_timestamptz(?::BIGINT)
                    WHERE number = ?""")) {
                statement.setString(1, next.status().toString());
                statement.setString(2, next.severity());
                statement.setBoolean(3, update.severity().isPresent());
                statement.setString(4, next.classification().toString());
                statement.setString(5, next.determination());
                statement.setString(6, next.owner());
                statement.setArray(7, connection.createArrayOf("VARCHAR", next.tags().toArray()));
                setMicros(statement, 8, next.acknowledged());
                setMicros(statement, 9, next.resolved());
                statement.setLong(10, number);
                statement.executeUpdate();
            }
            for (IncidentChange change : updated.changes()) {
                insertChange(change);
            }
            return null;
        });
        store.commit();
        return next;
    }

    // --- response actions -----------------------------------------------------------------------------

    /** The recorded decisions on an incident's actions, the latest per action. */
    public Map<UUID, ResponseAction> decisions(Principal reader, long number) {
        reader.require(Role.READER, "read incidents");
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
                                strings(rows.getArray(5)), ResponseAction.Status.parse(rows.getString(6)),
                                rows.getString(7), at, rows.getString(9)));
                    }
                }
            }
            return decisions;
        });
    }

    /** Records a decision or an outcome of an action, and the change in the incident's history, in one commit. */
    public void record(ResponseAction action, Instant now) {
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
            insertChange(new IncidentChange(action.incident(), now, action.decidedBy().isEmpty() ? "vigil"
                    : action.decidedBy(), "action", action.shortId() + " " + action.action() + " " + action.target(),
                    action.status() + (action.outcome().isEmpty() ? "" : ": " + action.outcome())));
            return null;
        });
        store.commit();
    }

    void insertChange(IncidentChange change) throws SQLException {
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

    // --- plumbing -------------------------------------------------------------------------------------------

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
                            strings(rows.getArray(8)), instant(rows.getLong(9)), instant(rows.getLong(10)),
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

    private static List<String> strings(Array array) throws SQLException {
        List<String> out = new ArrayList<>();
        if (array != null) {
            for (Object value : (Object[]) array.getArray()) {
                out.add((String) value);
            }
        }
        return out;
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

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

}
