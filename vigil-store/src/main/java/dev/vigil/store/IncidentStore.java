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
import dev.vigil.incident.IncidentUpdate;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.PlacedAlert;
import dev.vigil.incident.ResponseAction;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A tenant's incidents: correlation of the stored alerts, lifecycle and what the incident view reads. Reached through
 * {@link TenantStore#incidents()}.
 *
 * <p>The incidents themselves (lifecycle, placements, merges, history, decisions on actions, the correlation cursor)
 * are kept by an {@link IncidentRepository}: this store's DuckDB database ({@code vigil_incidents},
 * {@code vigil_incident_alerts}, {@code vigil_incident_changes}, {@code vigil_response_actions},
 * {@code vigil_correlation_meta}) by default, or PostgreSQL once {@link TenantStore#keepIncidentsIn} says so. What they
 * are made of, the alerts, their events, the prevalence baseline and privileged accounts, is read from this store's
 * database either way. This class checks roles and applies {@link Lifecycle} before the repository writes.
 *
 * <p>{@link #correlate} places the alerts not yet in an incident. It keeps its {@link Correlator} from one run to the
 * next while the incidents are in this store's database and nothing else changed them (the cursor is the one the last
 * run left, and no analyst's update came between), so a run of a few new alerts costs their decisions and writes, and
 * places them exactly as one run over all the alerts would. Otherwise (a newly opened store, incidents kept in
 * PostgreSQL, a new baseline, every 100,000 alerts) it restores the correlator from the
 * incidents active within the progression window before the earliest new alert (not from the whole store), computes
 * the prevalence baseline from the stored events, looks up in the events where remote entries came from (for
 * lateral-movement alerts that name no source, {@link StoredRemoteEntries}), and writes placements, new and merged
 * incidents in one unit of work of the repository, so a crash leaves either all of a run or none of it.
 */
public final class IncidentStore {
    private static final List<CommonColumn> SUMMARY_COLUMNS = List.of(CommonColumn.HOST, CommonColumn.USER,
            CommonColumn.PROCESS, CommonColumn.PARENT_PROCESS, CommonColumn.COMMAND_LINE, CommonColumn.SRC_IP,
            CommonColumn.DST_IP, CommonColumn.DOMAIN, CommonColumn.URL, CommonColumn.FILE_HASH, CommonColumn.ACTION,
            CommonColumn.OUTCOME, CommonColumn.EVENT_CODE);

    private final TenantStore store;
    private final DuckDBConnection connection;
    private final AlertTable alerts;
    /** The incidents in this store's database, unless {@link TenantStore#keepIncidentsIn} moved them. */
    private final IncidentRepository own;
    /** The correlator the last run left, kept for the next one while nothing else changed the incidents. */
    private Resident resident;

    /** Alerts a kept correlator places before it is restored afresh: bounds what it remembers. */
    static final long REBUILD_AFTER = 100_000;

    /**
     * A correlator kept between runs, with what it was built from and the repository's cursor after the run that
     * left it: a run whose cursor, baseline or policy differs builds a new one.
     */
    private record Resident(Correlator correlator, CorrelationPolicy policy, Prevalence baseline,
            IncidentRepository.Cursor cursor, long placed) {}

    IncidentStore(TenantStore store, DuckDBConnection connection, AlertTable alerts) {
        this.store = store;
        this.connection = connection;
        this.alerts = alerts;
        this.own = new DuckDbIncidents(store, connection);
    }

    /** The incidents this store reads and writes: its own database's, or the shared ones it was given. */
    public IncidentRepository repository() {
        return store.sharedIncidents().orElse(own);
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
     * <p>The alerts are read from this store; the incidents are read from and written to the
     * {@linkplain #repository() repository}, which may be another database (PostgreSQL). When it is, the run first
     * commits this store's open unit of work, so that the alerts a placement names are durable before the placement
     * is: a crash between the two leaves alerts without placements (the cursor has not moved past them, so the next
     * run places them), never placements of alerts that were rolled back. The run's placements, incidents, merges and
     * cursor are one unit of work of the repository, so a crash leaves either all of a run or none of it; alerts
     * already placed (by id) are skipped, so running again never places an alert twice.
     *
     * @param progress told what the run is doing, for long runs
     * @throws VigilException {@link ErrorCode#CORRELATION_CONFLICT} when another node placed the tenant's alerts
     *     while this run computed its own
     */
    public CorrelationSummary correlate(CorrelationPolicy policy, TacticStages stages, Instant now,
            Consumer<String> progress) {
        long start = System.nanoTime();
        if (store.alertsShared()) {
            throw new VigilException(ErrorCode.INTERNAL, "tenant '" + store.tenant() + "' keeps its alerts in a"
                    + " shared repository, where the stream pipeline correlates them (vigil stream run, vigil stream"
                    + " incidents); this store does not correlate them again");
        }
        IncidentRepository repository = repository();
        if (repository != own) {
            store.commit(); // the alerts before their placements: see above
        }
        IncidentRepository.Cursor cursor = repository.cursor();
        // Alerts are only ever appended, so their row ids grow with the order they were stored in: a run reads the
        // alerts past the last run's row id, and DuckDB skips the row groups before it.
        long last = store.read("reading the correlation watermark", "vigil_alerts", -1L, () -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT max(rowid) FROM vigil_alerts")) {
                rows.next();
                long value = rows.getLong(1);
                return rows.wasNull() ? -1L : value;
            }
        });
        // A cursor past the last alert belongs to another copy of this database (a restored backup): read them all,
        // and let the placements, keyed by alert id, tell which are placed.
        long after = cursor.alertRowid() > last ? -1 : cursor.alertRowid();
        // those already placed are looked up by the alerts' ids: a keyed probe of the placements for the few alerts
        // of a run, not a join that reads every placement
        List<Alert> read = last <= after ? List.of() : store.read("reading alerts to correlate", "vigil_alerts",
                List.<Alert>of(), () -> alerts.read("a.rowid > ? AND a.rowid <= ?", List.of(after, last),
                        "\"time\", alert_id"));
        Map<UUID, Long> placedAlready = repository.incidentsOf(read.stream().map(Alert::id).toList());
        List<Alert> fresh = read.stream().filter(a -> !placedAlready.containsKey(a.id())).toList();
        if (fresh.isEmpty()) {
            return new CorrelationSummary(0, 0, 0, 0, 0, 0, (System.nanoTime() - start) / 1_000_000);
        }
        progress.accept("computing entity prevalence from the stored events");
        Prevalence baseline = prevalence();
        long firstNew = cursor.nextNumber();
        Resident kept = resident;
        resident = null; // kept again only once this run is applied: a failed run leaves no correlator that saw it
        boolean keeps = kept != null && repository == own && kept.cursor().equals(cursor)
                && kept.baseline() == baseline && kept.policy().equals(policy) && kept.placed() < REBUILD_AFTER;
        Correlator correlator;
        // Every alert of every incident the run can touch, by incident: restored with the correlator, or read for
        // the incidents the run touched when the correlator was kept
        Map<Long, List<Alert>> members;
        if (keeps) {
            correlator = kept.correlator();
            members = new HashMap<>();
        } else {
            long horizon = fresh.get(0).timeMicros() - policy.progressionWindow().toNanos() / 1000;
            // the source of a lateral-movement alert that names none, looked up in the events around it
            correlator = new Correlator(policy, stages, baseline, new StoredRemoteEntries(store, connection),
                    firstNew);
            progress.accept("restoring incidents active since " + Instant.ofEpochSecond(0, horizon * 1000));
            // those active within the progression window
            members = restore(repository, correlator, horizon);
        }

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
        if (keeps) {
            readStoredMembers(repository, correlator, firstNew, assignments, mergedBy.keySet(), members);
        }
        int opened = 0;
        // each placement names the incident its alert ended in, after the merges of this run
        List<IncidentRepository.Placement> placements = new ArrayList<>(assignments.size());
        for (Assignment assignment : assignments) {
            placements.add(new IncidentRepository.Placement(assignment.alert(),
                    correlator.find(assignment.incident()), assignment.reason()));
            if (assignment.opened()) {
                opened++;
            }
        }
        // Incidents opened in this run, merged ones included, so that their numbers stay explained.
        List<IncidentRepository.Opened> openedIncidents = new ArrayList<>();
        for (long number = firstNew; correlator.knows(number); number++) {
            long find = correlator.find(number);
            openedIncidents.add(new IncidentRepository.Opened(number, find == number ? OptionalLong.empty()
                    : OptionalLong.of(find)));
        }
        Map<Long, Long> mergedEarlier = new TreeMap<>();
        List<IncidentChange> changes = new ArrayList<>();
        for (Map.Entry<Long, Assignment.Merge> entry : mergedBy.entrySet()) {
            long merged = entry.getKey();
            if (merged < firstNew) {
                mergedEarlier.put(merged, correlator.find(merged));
            }
            String why = entry.getValue().reason().explain(id -> id.toString().substring(0, 8));
            changes.add(new IncidentChange(correlator.find(merged), now, "vigil", "merged", "", "incident "
                    + merged + " merged in: alert " + mergingAlert.get(merged).toString().substring(0, 8)
                    + " belongs to both (" + why + ")"));
        }
        Map<Long, List<Alert>> byFinal = new TreeMap<>();
        members.forEach((number, list) -> byFinal.computeIfAbsent(correlator.find(number),
                n -> new ArrayList<>()).addAll(list));
        Set<Long> touched = new TreeSet<>();
        for (Assignment assignment : assignments) {
            touched.add(correlator.find(assignment.incident()));
        }
        List<IncidentRepository.Summary> summaries = new ArrayList<>();
        for (long number : touched) {
            List<Alert> list = byFinal.getOrDefault(number, List.of());
            if (!list.isEmpty()) {
                summaries.add(IncidentRepository.Summary.of(number, list));
            }
        }
        repository.apply(new IncidentRepository.Run(cursor, last, now, openedIncidents, placements, mergedEarlier,
                changes, summaries));
        if (repository == own) {
            // Other writers of these incidents go through this store (DuckDB admits one process), and an analyst's
            // update drops the correlator; the cursor tells a rollback or a restored database. The cursor the run
            // left: through its last alert, numbering after the incidents it opened.
            resident = new Resident(correlator, policy, baseline, new IncidentRepository.Cursor(last,
                    firstNew + openedIncidents.size()), (keeps ? kept.placed() : 0) + fresh.size());
        }
        return new CorrelationSummary(assignments.size(), opened, assignments.size() - opened, mergedBy.size(),
                touched.size(), baseline.size(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Restores the correlator from the incidents active since the horizon, and returns their alerts by incident:
     * with the alerts of this run they are every alert of every incident the run can touch.
     */
    private Map<Long, List<Alert>> restore(IncidentRepository repository, Correlator correlator, long horizonMicros) {
        Map<UUID, IncidentRepository.Active> placement = repository.activeSince(instant(horizonMicros));
        Map<Long, List<Alert>> members = new HashMap<>();
        if (placement.isEmpty()) {
            return members;
        }
        for (Alert alert : alertsById(placement.keySet())) {
            IncidentRepository.Active where = placement.get(alert.id());
            if (where != null) {
                correlator.remember(alert, where.incident(), where.resolved(), where.throughHostAlone());
                members.computeIfAbsent(where.incident(), n -> new ArrayList<>()).add(alert);
            }
        }
        return members;
    }

    /**
     * Adds to {@code members} the stored alerts of every incident stored before this run ({@code < firstNew}) that
     * the run touched: those its alerts joined, those it merged, and where they went.
     */
    private void readStoredMembers(IncidentRepository repository, Correlator correlator, long firstNew,
            List<Assignment> assignments, Set<Long> merged, Map<Long, List<Alert>> members) {
        Set<Long> touched = new TreeSet<>();
        for (Assignment assignment : assignments) {
            touched.add(assignment.incident());
            touched.add(correlator.find(assignment.incident()));
        }
        for (long number : merged) {
            touched.add(number);
            touched.add(correlator.find(number));
        }
        for (long number : touched) {
            if (number < firstNew) {
                List<Alert> stored = alertsById(repository.placements(number).keySet());
                members.computeIfAbsent(number, n -> new ArrayList<>()).addAll(stored);
            }
        }
    }

    /**
     * Drops the correlator kept between runs, so that the next run restores it from the stored incidents (as a
     * newly opened store does). For benchmarks and tests that compare the two.
     */
    public void forgetCorrelator() {
        resident = null;
    }

    private List<Alert> alertsById(Collection<UUID> ids) {
        return store.alertsById(ids);
    }

    /**
     * The prevalence baseline from the stored events: for each address, user, domain, URL and file hash the number
     * of distinct hosts whose events name it, and for each host the number of distinct users on it.
     */
    public Prevalence prevalence() {
        long events = store.overEventViews() ? store.readEvents("counting events", this::countInViews)
                : store.read("counting events", "vigil_events", 0L, () -> {
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("SELECT count(*) FROM vigil_events")) {
                        rows.next();
                        return rows.getLong(1);
                    }
                });
        // a store over event views keeps no baseline in a database of its own: it computes one from the views
        Optional<Prevalence> cached = store.sharedPrevalence(events).or(() -> store.overEventViews()
                ? Optional.empty() : cachedPrevalence(events));
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

    /** The events of every view of a store over event views. */
    private long countInViews() throws SQLException {
        long events = 0;
        for (String table : eventTables()) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + Catalog.quote(table))) {
                rows.next();
                events += rows.getLong(1);
            }
        }
        return events;
    }

    private Prevalence computePrevalence() {
        return store.readEvents("computing entity prevalence", () -> {
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

    /**
     * The event tables holding events of any of these codes (a table keeps a partition per code); all when none, and
     * all in a store over event views, whose catalog does not know which codes a view holds.
     */
    private List<String> eventTables(List<String> codes) throws SQLException {
        if (store.overEventViews()) {
            codes = List.of();
        }
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
        return repository().list(status, minimumSeverity, limit);
    }

    /**
     * The incidents that match the query, from wherever the tenant's incidents are kept (this store's database or
     * PostgreSQL), with how many match in all.
     */
    public IncidentQuery.Matches query(Principal reader, IncidentQuery query) {
        reader.require(Role.READER, "read incidents");
        return repository().query(query);
    }

    /**
     * Of these alerts, those placed in an incident not merged into another, with that incident: the incidents an
     * entity's alerts are in.
     */
    public Map<UUID, Long> incidentsOf(Principal reader, Collection<UUID> alerts) {
        reader.require(Role.READER, "read incidents");
        return repository().incidentsOf(alerts);
    }

    /** One incident, or {@link ErrorCode#INCIDENT_NOT_FOUND}; a merged incident's number leads to where it went. */
    public Incident get(Principal reader, long number) {
        reader.require(Role.READER, "read incidents");
        IncidentRepository repository = repository();
        Optional<Incident> found = repository.find(number);
        if (found.isPresent()) {
            return found.get();
        }
        OptionalLong into = repository.mergedInto(number);
        if (into.isPresent()) {
            throw new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "incident " + number + " was merged into incident "
                    + into.getAsLong(), "Use incident " + into.getAsLong() + ": vigil incidents show "
                    + into.getAsLong(), null);
        }
        throw new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "tenant '" + store.tenant() + "' has no incident "
                + number);
    }

    /** The incident's alerts in time order, each with the reason it is there. */
    public List<PlacedAlert> alertsOf(Principal reader, long number) {
        Incident incident = get(reader, number);
        Map<UUID, JoinReason> reasons = repository().placements(incident.number());
        List<Alert> members = alertsById(reasons.keySet());
        List<PlacedAlert> placed = new ArrayList<>(members.size());
        for (Alert alert : members) {
            placed.add(new PlacedAlert(alert, reasons.get(alert.id())));
        }
        return placed;
    }

    /** The recorded changes and comments of an incident, oldest first. */
    public List<IncidentChange> changesOf(Principal reader, long number) {
        Incident incident = get(reader, number);
        return repository().changes(incident.number());
    }

    /** Other incidents whose alerts name any of these entity values, with how many of their alerts do. */
    public Map<Long, Integer> related(Principal reader, long number, Set<String> entityValues, int limit) {
        reader.require(Role.READER, "read incidents");
        if (entityValues.isEmpty()) {
            return Map.of();
        }
        // the alerts naming the values are the alert repository's to find, their incidents the incidents' to tell
        Set<UUID> naming = store.alertRepository().naming(entityValues);
        Map<Long, Integer> counts = new HashMap<>();
        for (long incident : repository().incidentsOf(naming).values()) {
            if (incident != number) {
                counts.merge(incident, 1, Integer::sum);
            }
        }
        Map<Long, Integer> related = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<Long, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(Math.max(0, limit))
                .forEach(e -> related.put(e.getKey(), e.getValue()));
        return related;
    }

    /**
     * The stored events with these ids, in time order, with their common columns; unknown ids are skipped. A store
     * over event views (the lake) keeps no index of which table holds an id, so every table is searched there.
     */
    public List<EventSummary> events(Principal reader, List<EventId> ids) {
        reader.require(Role.READER, "read events");
        if (ids.isEmpty()) {
            return List.of();
        }
        String[] uuids = ids.stream().map(id -> id.toUuid().toString()).distinct().toArray(String[]::new);
        if (store.overEventViews()) {
            return store.readEvents("reading events", () -> {
                Map<String, List<String>> everywhere = new TreeMap<>();
                for (String table : eventTables()) {
                    everywhere.put(table, List.of(uuids));
                }
                // files not compacted yet may hold a record twice: the embedded store keeps it once, and so does this
                Map<EventId, EventSummary> once = new LinkedHashMap<>();
                for (EventSummary event : summaries(everywhere)) {
                    once.putIfAbsent(event.id(), event);
                }
                return List.copyOf(once.values());
            });
        }
        return store.read("reading events", "vigil_events", List.of(), () -> {
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
            return summaries(byTable);
        });
    }

    /** The events with these ids (as text) in each table, with their common columns, in time order. */
    private List<EventSummary> summaries(Map<String, List<String>> byTable) throws SQLException {
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
        return store.readEvents("looking up privileged accounts", () -> {
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
        // A store over event views (a scale-mode node) holds neither indicators (the pipeline's workers read them
        // from the config topic) nor an asset inventory: its view of an incident has no matches and no criticality.
        List<Indicator> indicators = lookups.isEmpty() || store.overEventViews() ? List.of()
                : store.indicatorsByKey(lookups);
        Map<String, String> criticality = new HashMap<>();
        for (Asset asset : store.overEventViews() ? List.<Asset>of() : store.posture().assets()) {
            if (asset.criticality() != null) {
                EntityKey.host(asset.hostname()).ifPresent(host -> criticality.merge(host.value(),
                        asset.criticality().id(), (a, b) -> a));
            }
        }
        return new IncidentFacts(incident, placed, events(reader, eventIds), privilegedUsers(reader, users),
                related(reader, number, specific, 10), indicators, attack, common::contains, criticality);
    }

    // --- changing -------------------------------------------------------------------------------------------

    /**
     * Applies an analyst's update (see {@link Lifecycle}) to the incident as stored and records its changes, in one
     * commit; updates made at once (on two nodes) apply one after the other.
     */
    public Incident update(Principal actor, long number, IncidentUpdate update, Instant now) {
        get(actor, number); // a merged incident's number names where it went
        resident = null; // a status it changes is one the kept correlator would not know
        Incident next = repository().update(number, update.severity().isPresent(),
                current -> Lifecycle.apply(current, update, actor, now));
        commitOwn();
        return next;
    }

    // --- response actions -----------------------------------------------------------------------------

    /** The recorded decisions on an incident's actions, the latest per action. */
    public Map<UUID, ResponseAction> decisions(Principal reader, long number) {
        reader.require(Role.READER, "read incidents");
        return repository().decisions(number);
    }

    /** Records a decision or an outcome of an action, and the change in the incident's history, in one commit. */
    public void record(ResponseAction action, Instant now) {
        repository().record(action, new IncidentChange(action.incident(), now, action.decidedBy().isEmpty() ? "vigil"
                : action.decidedBy(), "action", action.shortId() + " " + action.action() + " " + action.target(),
                action.status() + (action.outcome().isEmpty() ? "" : ": " + action.outcome())), now);
        commitOwn();
    }

    /** Commits this store's unit of work when the incidents are kept in it (PostgreSQL commits on its own). */
    private void commitOwn() {
        if (repository() == own) {
            store.commit();
        }
    }

    // --- plumbing -------------------------------------------------------------------------------------------

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

}
