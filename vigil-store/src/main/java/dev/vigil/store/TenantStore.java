package dev.vigil.store;

import static dev.vigil.store.Catalog.quote;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.ingest.EventSink;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IndicatorValues;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.FieldType;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.AlertSink;
import dev.vigil.sigma.RuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
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
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * One tenant's events in its own embedded DuckDB database ({@code <data>/tenants/<tenant>/events.duckdb}). Tenants
 * never share a database file, so no query through this class, however written, can see another tenant's rows; every
 * row also carries its tenant id.
 *
 * <p>As an {@link EventSink} it commits each batch in one transaction: new columns and widened types first, then the
 * events of every table, their ids, and the quarantined records. A batch is durable when {@link #store} returns
 * (DuckDB syncs its write-ahead log on commit); a crash before that leaves none of it. Records whose id is already
 * stored are skipped, which makes re-ingesting idempotent.
 *
 * <p>Beside the events it keeps the tenant's alerts ({@code vigil_alerts}), Sigma rule set ({@code vigil_rule_files},
 * {@code vigil_rules}) and threat-intelligence indicators ({@code vigil_indicators}). Every write, of events, alerts,
 * rules or indicators, joins the one open unit of work (begun by the first write after a commit) and becomes durable
 * at {@link #commit()}; a failed write discards the whole unit of work. So the alerts of a batch are committed with
 * its events, or neither is.
 *
 * <p>A store is confined to the thread that uses it, like its DuckDB connection. Only one process may open a
 * tenant's database for writing; a second gets {@link ErrorCode#STORE_LOCKED}. Within that process, other threads
 * read the same database beside the writer through {@linkplain #readers() readers}: stores on connections of their
 * own that see what is committed (DuckDB's MVCC) and refuse every write.
 */
public final class TenantStore implements EventSink, AlertSink, AutoCloseable {
    /** How a store is opened. */
    public enum Mode {
        READ_WRITE,
        /** Reads only, with external access (files, ATTACH, extensions) switched off and the settings locked. */
        READ_ONLY
    }

    private static final Pattern LOCK_PID = Pattern.compile("PID (\\d+)");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private final TenantId tenant;
    private final Path file;
    private final Mode mode;
    private final DuckDBConnection connection;
    private final EventTables tables;
    private final AlertTable alerts;
    /** The alerts in this store's database, unless {@link #keepAlertsIn} moved them. */
    private final DuckDbAlerts ownAlerts;
    private final IncidentStore incidents;
    private final RuleTables rules;
    private final IndicatorTable indicators;
    private final HuntStore hunts;
    private final SessionStore sessions;
    /** What the writer and its readers share: the version of the committed catalog. */
    private final Shared shared;
    /** A reader's: the catalog version its event tables were loaded at. */
    private long catalogLoaded;
    private SessionRepository sharedSessions;
    private IncidentRepository sharedIncidents;
    private AlertRepository sharedAlerts;
    /** Whether {@link #exposeSharedAlerts} copied the shared alerts into this store's connection. */
    private boolean alertsExposed;
    private PluginRepository sharedPlugins;
    private boolean inTransaction;
    /** Computes a stale prevalence baseline elsewhere: see {@link #refreshStaleBaselinesWith}. */
    private volatile Runnable staleBaselineRefresh;
    /** The names of the events stored in the open unit of work, published to readers at its commit. */
    private final EntityValues.Collector stored = new EntityValues.Collector();
    /**
     * Set on a store {@linkplain #overEventViews over event views} made elsewhere (the lake, in scale mode): what
     * the store keeps besides events is not there, and asking for it is an error, never an empty answer.
     */
    private String eventViewsOnly;

    /**
     * State shared by a read-write store and the readers of its database, each used by one thread at a time: the
     * writer advances the catalog version after every commit that changed the event tables' schema, and a reader
     * re-reads its catalog when it finds a newer version ({@link #refresh()}).
     */
    private static final class Shared {
        final java.util.concurrent.atomic.AtomicLong catalogVersion = new java.util.concurrent.atomic.AtomicLong();
        /** The commits of events and the names each brought, for readers that keep value dictionaries. */
        final EntityValues.Journal values = new EntityValues.Journal();
        /** The hunting catalog a reader last read, and the catalog version it was read at. */
        volatile HuntCatalogMemo huntCatalog;
        /** The prevalence baseline last computed by any store of the database: readers cannot keep theirs. */
        final Baselines baselines;

        Shared(Baselines baselines) {
            this.baselines = baselines;
        }
    }

    /**
     * The prevalence baseline (which entities are common in the organization) that the stores of one tenant's events
     * share in this process, so that it is computed once rather than by each: the stores of one database share one
     * by themselves; stores {@linkplain #overEventViews over event views}, each opened for one piece of work, share
     * the one their opener keeps per tenant. A baseline is taken while it was computed over at least nine tenths of
     * the events there are now, within the last day. Safe for use by many threads.
     */
    public static final class Baselines {
        /** The baseline last computed, or null. */
        volatile SharedBaseline baseline;
        /** Held while a store computes a baseline: one at a time, whoever asks. */
        final java.util.concurrent.locks.ReentrantLock computing = new java.util.concurrent.locks.ReentrantLock();
    }

    private record HuntCatalogMemo(long catalogVersion, dev.vigil.query.HuntCatalog catalog) {}

    /** A prevalence baseline, the events it was computed over, and when. */
    private record SharedBaseline(dev.vigil.incident.Prevalence prevalence, long events, Instant at) {}

    /**
     * The prevalence baseline that a store of this database (the writer or any of its readers) computed in this
     * process, if it was computed over at least nine tenths of {@code events} within the last day: the same rule as
     * the baseline kept in the database, which a reader cannot write.
     */
    Optional<dev.vigil.incident.Prevalence> sharedPrevalence(long events) {
        SharedBaseline kept = shared.baselines.baseline;
        if (kept == null || kept.events() < events * 0.9 || (events > 0 && kept.events() == 0)
                || kept.at().isBefore(Instant.now().minus(java.time.Duration.ofDays(1)))) {
            return Optional.empty();
        }
        return Optional.of(kept.prevalence());
    }

    /**
     * A baseline over {@code events}, computed by {@code compute} by one store of the database at a time. While
     * another store computes one, a store that has the last baseline shared (however old) takes it rather than wait
     * or scan the events a second time: a baseline is a statistic, and the one in progress is at most one growth of
     * the events newer. A store with none to take waits, then takes the new one if it is fresh enough.
     */
    dev.vigil.incident.Prevalence prevalenceOnce(long events,
            java.util.function.Supplier<dev.vigil.incident.Prevalence> compute) {
        SharedBaseline last = shared.baselines.baseline;
        Runnable refresh = staleBaselineRefresh;
        if (last != null && refresh != null) {
            refresh.run();
            return last.prevalence();
        }
        if (last != null) {
            if (!shared.baselines.computing.tryLock()) {
                return last.prevalence();
            }
        } else {
            shared.baselines.computing.lock();
        }
        try {
            return sharedPrevalence(events).orElseGet(compute);
        } finally {
            shared.baselines.computing.unlock();
        }
    }

    /**
     * Has this writer take the last baseline its database's stores shared when it has grown stale, and call
     * {@code refresh} to compute the new one elsewhere, instead of scanning every event itself: a server's writer
     * correlates while ingest waits for it, and a baseline is a statistic that can be a little behind. {@code refresh}
     * must return at once (it hands the work to a reader of the database on another thread) and tolerate being called
     * again while its work runs. A writer with no baseline shared yet still computes the first one itself.
     */
    public void refreshStaleBaselinesWith(Runnable refresh) {
        requireWritable();
        this.staleBaselineRefresh = requireNonNull(refresh, "refresh is null");
    }

    /** Offers a freshly computed baseline to the other stores of this database. */
    void sharePrevalence(dev.vigil.incident.Prevalence prevalence, long events) {
        shared.baselines.baseline = new SharedBaseline(requireNonNull(prevalence, "prevalence is null"), events, Instant.now());
    }

    private TenantStore(TenantId tenant, Path file, Mode mode, DuckDBConnection connection, Shared shared) {
        this.tenant = tenant;
        this.file = file;
        this.mode = mode;
        this.connection = connection;
        this.shared = shared;
        this.tables = new EventTables(connection, tenant);
        this.alerts = new AlertTable(connection, tenant);
        this.ownAlerts = new DuckDbAlerts(this, connection, alerts);
        this.rules = new RuleTables(connection);
        this.indicators = new IndicatorTable(connection);
        this.incidents = new IncidentStore(this, connection, alerts);
        this.hunts = new HuntStore(this, connection);
        this.sessions = new SessionStore(this, connection, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed, in read-write mode) the tenant's database under the data directory.
     *
     * @throws VigilException {@code STORE_LOCKED} if another process writes to it, {@code NOT_FOUND} when opening
     *     read-only a tenant that has no data yet
     */
    public static TenantStore open(Path dataDirectory, TenantId tenant, Mode mode) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(mode, "mode is null");
        Path file = databaseFile(dataDirectory, tenant);
        Path directory = file.getParent();
        if (mode == Mode.READ_ONLY && !Files.exists(file)) {
            throw new VigilException(ErrorCode.TABLE_NOT_FOUND, "tenant '" + tenant + "' has no data in "
                    + dataDirectory.toAbsolutePath(), "Ingest data first: vigil ingest PATH --tenant " + tenant, null);
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot create " + directory + ": " + e.getMessage(), e);
        }
        Properties properties = new Properties();
        if (mode == Mode.READ_ONLY) {
            properties.setProperty("duckdb.read_only", "true");
        }
        // Without it the driver materializes a whole result before the first row: a scan of a large table for a
        // retro-hunt would need memory for all of it. Streaming is a setting of the database instance, so every
        // connection of the store (including the one a scan duplicates) streams.
        properties.setProperty("jdbc_stream_results", "true");
        try {
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, properties);
            TenantStore store = new TenantStore(tenant, file, mode, connection, new Shared(new Baselines()));
            store.initialize();
            return store;
        } catch (SQLException e) {
            throw translateOpenFailure(file, e);
        }
    }

    /**
     * A read-only store whose event tables are the views another component already made on {@code connection}
     * (in scale mode, views over the tenant's Parquet files in the lake): hunts, SQL reads, table listings and event
     * scans read them as they read the embedded store's tables, and so does the incident view's reading of events
     * (looked up view by view, since the views keep no index of event ids). Everything else a tenant store keeps
     * (rules, indicators, posture, saved hunts; alerts, incidents and copilot sessions unless {@link #keepAlertsIn},
     * {@link #keepIncidentsIn} and {@link #keepSessionsIn} name their repositories) is not on the connection: asking
     * for it throws {@code SCALE_MODE_UNSUPPORTED} naming what was asked and {@code where}, rather than answering as
     * if the tenant had none, and every write is refused the same way.
     *
     * <p>The connection must already keep the tenant's data only (its views name only the tenant's files, and its
     * external access is locked to them); the store owns it from now on and closes it.
     *
     * @param location what the views read, as messages name it (the tenant's folder in the lake)
     * @param fieldOfColumn the native field name a view column holds (e.g. {@code Image} for {@code Image_native})
     * @param where why the rest is missing, for messages: e.g. {@code "a scale-mode node reads events from the lake"}
     */
    public static TenantStore overEventViews(TenantId tenant, DuckDBConnection connection, Path location,
            java.util.function.UnaryOperator<String> fieldOfColumn, String where) {
        return overEventViews(tenant, connection, location, fieldOfColumn, where, new Baselines());
    }

    /**
     * A store over event views, as {@link #overEventViews(TenantId, DuckDBConnection, Path,
     * java.util.function.UnaryOperator, String)} makes it, that shares the tenant's prevalence baseline with the other
     * stores over the same tenant's views given the same {@code baselines}: the incident view on a node over the lake
     * then computes it from the views once (a scan of every event) rather than for every incident shown.
     */
    public static TenantStore overEventViews(TenantId tenant, DuckDBConnection connection, Path location,
            java.util.function.UnaryOperator<String> fieldOfColumn, String where, Baselines baselines) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(baselines, "baselines is null");
        requireNonNull(connection, "connection is null");
        requireNonNull(location, "location is null");
        requireNonNull(fieldOfColumn, "fieldOfColumn is null");
        requireNonNull(where, "where is null");
        TenantStore store = new TenantStore(tenant, location, Mode.READ_ONLY, connection, new Shared(baselines));
        store.eventViewsOnly = where;
        try {
            // the catalog the store reads its native field names from, kept in the connection's own memory
            try (Statement statement = connection.createStatement()) {
                EventTables.createSchema(statement);
            }
            Map<String, List<String[]>> columns = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("""
                            SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                            JOIN information_schema.tables t
                              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                            WHERE c.table_schema = 'main' AND t.table_type = 'VIEW'
                            ORDER BY c.table_name, c.ordinal_position""")) {
                while (rows.next()) {
                    columns.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(new String[] {
                            rows.getString(2), rows.getString(3)});
                }
            }
            try (PreparedStatement column = connection.prepareStatement(
                    "INSERT INTO vigil_columns (table_name, column_name, field_name, type) VALUES (?, ?, ?, ?)");
                    PreparedStatement partition = connection.prepareStatement(
                            "INSERT INTO vigil_partitions (table_name, event_code, partition_name) VALUES (?, '', ?)")) {
                for (Map.Entry<String, List<String[]>> table : columns.entrySet()) {
                    partition.setString(1, table.getKey());
                    partition.setString(2, table.getKey());
                    partition.executeUpdate();
                    for (String[] c : table.getValue()) {
                        if (Catalog.RESERVED.contains(Catalog.fold(c[0]))) {
                            continue;
                        }
                        column.setString(1, table.getKey());
                        column.setString(2, c[0]);
                        column.setString(3, fieldOfColumn.apply(c[0]));
                        column.setString(4, FieldType.fromSql(c[1]).sqlName());
                        column.executeUpdate();
                    }
                }
            }
            store.tables.load();
            return store;
        } catch (SQLException e) {
            store.close();
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot read the event views of tenant '" + tenant
                    + "' over " + location + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** The error of asking a store over event views for what it does not have. */
    private VigilException notHere(String what) {
        return new VigilException(ErrorCode.SCALE_MODE_UNSUPPORTED, what + " for tenant '" + tenant
                + "' is not available here: " + eventViewsOnly + " (" + file + "), and keeps no "
                + "alerts, incidents, rules, indicators, posture or saved hunts of its own yet");
    }

    /** Whether the tenant has a store under the data directory, i.e. anything was ever ingested for it. */
    public static boolean exists(Path dataDirectory, TenantId tenant) {
        return Files.exists(databaseFile(dataDirectory, tenant));
    }

    /** The tenants that have a store under the data directory, by id; a folder that is no tenant id is skipped. */
    public static java.util.List<TenantId> list(Path dataDirectory) {
        Path tenants = dataDirectory.resolve("tenants");
        if (!Files.isDirectory(tenants)) {
            return java.util.List.of();
        }
        java.util.List<TenantId> found = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> children = Files.list(tenants)) {
            for (Path child : children.sorted().toList()) {
                try {
                    TenantId tenant = TenantId.of(child.getFileName().toString());
                    if (exists(dataDirectory, tenant)) {
                        found.add(tenant);
                    }
                } catch (VigilException e) {
                    // a folder that is no tenant id: not a tenant
                }
            }
        } catch (java.io.IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot list " + tenants + ": " + e.getMessage(), e);
        }
        return found;
    }

    private static Path databaseFile(Path dataDirectory, TenantId tenant) {
        return dataDirectory.resolve("tenants").resolve(tenant.value()).resolve("events.duckdb");
    }

    private static VigilException translateOpenFailure(Path file, SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("lock")) {
            Matcher pid = LOCK_PID.matcher(message);
            String holder = pid.find() ? " (held by process " + pid.group(1) + ")" : "";
            return new VigilException(ErrorCode.STORE_LOCKED, "the store " + file + " is in use by another Vigil process"
                    + holder, e);
        }
        return new VigilException(ErrorCode.STORE_FAILED, "cannot open the store " + file + ": " + firstLine(message), e);
    }

    private void initialize() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            if (mode == Mode.READ_WRITE) {
                // DuckDB folds its log into the file at every 16 MB by default, which during a bulk ingest rewrites
                // and recompresses the same partially filled row groups over and over. A larger threshold checkpoints
                // rarely; ingest checkpoints at its end, and recovery after a crash replays at most this much log.
                statement.execute("SET checkpoint_threshold = '1GB'");
                EventTables.createSchema(statement);
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS vigil_events (
                            event_id UUID NOT NULL, table_name VARCHAR NOT NULL)""");
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS vigil_quarantine (
                            id UUID NOT NULL, tenant VARCHAR NOT NULL, source VARCHAR NOT NULL, line BIGINT,
                            byte_offset BIGINT, reason VARCHAR NOT NULL, detail VARCHAR NOT NULL, raw BLOB NOT NULL,
                            raw_length BIGINT NOT NULL, quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now())""");
                statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS batch_ids (event_id UUID)");
                AlertTable.createSchema(statement);
                RuleTables.createSchema(statement);
                IndicatorTable.createSchema(statement);
                IncidentStore.createSchema(statement);
                PostureStore.createSchema(statement);
                HuntStore.createSchema(statement);
                SessionStore.createSchema(statement);
            }
        }
        tables.load();
        if (mode == Mode.READ_ONLY) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET enable_external_access = false");
                statement.execute("SET lock_configuration = true");
            }
        }
    }

    /**
     * A source of readers of this read-write store's database, made on this store's thread. The source itself may
     * be used from any thread; each reader it opens is a store of its own, on a connection duplicated from this one,
     * confined to one thread at a time like any store. A reader sees what is committed when each of its statements
     * starts (never this store's open unit of work), runs beside this store's writes and the other readers, and
     * refuses every write with {@code INTERNAL}. Close the source after its readers; closing this store does not
     * close them.
     */
    public Readers readers() {
        requireWritable();
        try {
            return new Readers(connection.duplicate());
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot open a reader of " + file + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** Opens readers of one store's database: see {@link TenantStore#readers()}. Safe for use by many threads. */
    public final class Readers implements AutoCloseable {
        /** Never queried: only duplicated, under this object's lock, so that it stays confined too. */
        private final DuckDBConnection origin;

        private Readers(DuckDBConnection origin) {
            this.origin = origin;
        }

        /** A new reader, its catalog read from what is committed now. */
        public synchronized TenantStore open() {
            try {
                TenantStore reader = new TenantStore(tenant, file, Mode.READ_ONLY, origin.duplicate(), shared);
                reader.catalogLoaded = shared.catalogVersion.get();
                try (Statement statement = reader.connection.createStatement()) {
                    statement.execute("SET TimeZone = 'UTC'");
                }
                reader.loadCatalog(false);
                return reader;
            } catch (SQLException e) {
                throw new VigilException(ErrorCode.STORE_FAILED, "cannot open a reader of " + file + ": "
                        + firstLine(e.getMessage()), e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                origin.close();
            } catch (SQLException e) {
                throw new VigilException(ErrorCode.STORE_FAILED, "closing the readers of " + file + " failed: "
                        + firstLine(e.getMessage()), e);
            }
        }
    }

    /**
     * Brings a reader's picture of the event tables up to date with what its writer has committed: call it when
     * the reader is taken up by a thread, before it reads. The catalog is re-read only when a commit changed it
     * since, and a reader never sees a schema half evolved, since it reads only what is committed. Does nothing on
     * a store opened with {@link #open}.
     */
    public void refresh() {
        if (mode == Mode.READ_WRITE) {
            return;
        }
        long version = shared.catalogVersion.get(); // read first: a commit after it makes the next refresh re-read
        if (version == catalogLoaded) {
            return;
        }
        try {
            loadCatalog(true);
            catalogLoaded = version;
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot re-read the catalog of " + file + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** A reader's catalog, read in one transaction so that its three tables agree with each other. */
    private void loadCatalog(boolean again) throws SQLException {
        connection.setAutoCommit(false);
        try {
            if (again) {
                tables.reload();
            } else {
                tables.load();
            }
        } finally {
            connection.commit();
            connection.setAutoCommit(true);
        }
    }

    public TenantId tenant() {
        return tenant;
    }

    public Path file() {
        return file;
    }

    // --- writing ------------------------------------------------------------------------------------------------

    @Override
    public Result append(Batch batch) {
        requireWritable();
        try {
            beginIfNeeded();
            return storeInTransaction(batch);
        } catch (SQLException | RuntimeException e) {
            abort();
            if (e instanceof VigilException vigil) {
                throw vigil;
            }
            throw new VigilException(ErrorCode.STORE_FAILED, "storing a batch of " + batch.size() + " records in "
                    + file + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    /** Opens the unit of work unless one is open: every write goes through here before it writes anything. */
    private void beginIfNeeded() throws SQLException {
        if (!inTransaction) {
            connection.setAutoCommit(false);
            // DuckDB's JDBC driver begins the transaction lazily, at the next statement; an appender created
            // before that would commit on its own. So open it explicitly before anything is appended.
            try (Statement begin = connection.createStatement()) {
                begin.execute("SELECT 1");
            }
            inTransaction = true;
        }
    }

    /** Work on the open unit of work (begun if needed); on any failure the whole unit of work is rolled back. */
    <T> T write(String what, SqlWork<T> work) {
        requireWritable();
        try {
            beginIfNeeded();
            return work.run();
        } catch (SQLException | RuntimeException e) {
            abort();
            if (e instanceof VigilException vigil) {
                throw vigil;
            }
            throw new VigilException(ErrorCode.STORE_FAILED, what + " in " + file + " failed: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /**
     * A read of the event tables and their catalog ({@code vigil_columns}, {@code vigil_partitions}), which a store
     * {@linkplain #overEventViews over event views} has too: unlike {@link #read}, it is not refused there.
     */
    <T> T readEvents(String what, SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, what + " from " + file + " failed: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** A read; a table that a store written by an older version lacks reads as empty. */
    <T> T read(String what, String table, T empty, SqlWork<T> work) {
        if (eventViewsOnly != null) {
            throw notHere(what.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + what.substring(1));
        }
        try {
            return hasTable(table) ? work.run() : empty;
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, what + " from " + file + " failed: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Tables known to exist. Vigil never drops a table, so a table once seen stays until a rollback undoes the DDL
     * that made it ({@link #abort} forgets them all); asking the catalog costs about 10 ms on a store with many
     * partitions, and one copilot answer reads a dozen tables.
     */
    private final Set<String> knownTables = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private boolean hasTable(String table) throws SQLException {
        if (knownTables.contains(table)) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                boolean exists = rows.getLong(1) > 0;
                if (exists) {
                    knownTables.add(table);
                }
                return exists;
            }
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    @Override
    public void commit() {
        requireWritable();
        if (!inTransaction) {
            return;
        }
        try {
            tables.closeAppenders();
            connection.commit();
            connection.setAutoCommit(true);
            inTransaction = false;
            if (tables.takeEvolved()) {
                shared.catalogVersion.incrementAndGet(); // after the commit: a reader that sees it reads the new schema
            }
            if (stored.stored()) {
                shared.values.committed(stored.take()); // after the commit, as the catalog version
            }
        } catch (SQLException e) {
            abort();
            throw new VigilException(ErrorCode.STORE_FAILED, "committing to " + file + " failed: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** Rolls back everything since the last commit and re-reads the catalog, whose DDL was rolled back too. */
    private void abort() {
        try {
            // Flush open appenders into the transaction first: flushed after the rollback they would commit alone.
            tables.closeAppenders();
        } catch (SQLException ignored) {
            // rolled back below either way
        }
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the original failure is what the caller reports
        }
        inTransaction = false;
        stored.clear();
        knownTables.clear();
        tables.takeEvolved(); // the DDL was rolled back: nothing new for the readers
        reloadCatalog();
    }

    private Result storeInTransaction(Batch batch) throws SQLException {
        for (Event event : batch.events()) {
            if (!event.tenant().equals(tenant)) {
                throw new VigilException(ErrorCode.INTERNAL, "an event of tenant '" + event.tenant()
                        + "' was sent to the store of tenant '" + tenant + "'");
            }
        }
        tables.flushIds();
        Set<UUID> existing = existingIds(batch.events());
        Map<String, List<Event>> byTable = new LinkedHashMap<>();
        int alreadyStored = 0;
        Set<UUID> seenInBatch = new HashSet<>();
        for (Event event : batch.events()) {
            UUID id = event.id().toUuid();
            if (existing.contains(id) || !seenInBatch.add(id)) {
                alreadyStored++;
                continue;
            }
            byTable.computeIfAbsent(event.table(), t -> new ArrayList<>()).add(event);
            this.stored.add(event);
        }
        for (Map.Entry<String, List<Event>> entry : byTable.entrySet()) { // once per table, not per event
            String table = entry.getKey();
            if (!TABLE_NAME.matcher(table).matches() || table.regionMatches(true, 0, "vigil_", 0, 6)) {
                Event event = entry.getValue().get(0);
                throw new VigilException(ErrorCode.INTERNAL, "event " + event.id() + " from " + event.position()
                        + " names the table '" + table + "', which is not a valid event table name");
            }
        }
        int storedNew = tables.write(byTable, System.currentTimeMillis() * 1000);
        int quarantinedNew = storeQuarantined(batch.quarantined());
        return new Result(storedNew, alreadyStored, quarantinedNew, batch.quarantined().size() - quarantinedNew);
    }

    /** The ids of this batch already stored. Ids begin with the event time, so the scan is limited to that range. */
    private Set<UUID> existingIds(List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return Set.of();
        }
        EventId min = events.get(0).id();
        EventId max = min;
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM batch_ids");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "batch_ids")) {
            for (Event event : events) {
                EventId id = event.id();
                if (id.compareTo(min) < 0) {
                    min = id;
                }
                if (id.compareTo(max) > 0) {
                    max = id;
                }
                appender.beginRow().appendUUID(id.mostSignificantBits(), id.leastSignificantBits()).endRow();
            }
        }
        Set<UUID> existing = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT e.event_id FROM vigil_events e
                WHERE e.event_id BETWEEN ?::UUID AND ?::UUID
                  AND e.event_id IN (SELECT event_id FROM temp.batch_ids)""")) {
            query.setString(1, min.toString());
            query.setString(2, max.toString());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return existing;
    }

    private int storeQuarantined(List<QuarantinedRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        Set<UUID> existing = new HashSet<>();
        StringBuilder in = new StringBuilder();
        for (QuarantinedRecord record : records) {
            in.append(in.isEmpty() ? "" : ",").append('\'').append(record.id()).append("'::UUID");
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM vigil_quarantine WHERE id IN (" + in + ")")) {
            while (rows.next()) {
                existing.add(rows.getObject(1, UUID.class));
            }
        }
        int stored = 0;
        long now = System.currentTimeMillis() * 1000;
        try (DuckDBAppender appender = connection.createAppender("main", "vigil_quarantine")) {
            for (QuarantinedRecord record : records) {
                if (!existing.add(record.id().toUuid())) {
                    continue;
                }
                appender.beginRow()
                        .appendUUID(record.id().mostSignificantBits(), record.id().leastSignificantBits())
                        .append(record.tenant().value())
                        .append(record.position().source())
                        .append(record.position().line())
                        .append(record.position().byteOffset())
                        .append(record.reason().id())
                        .append(record.detail())
                        .append(record.raw())
                        .append(record.rawLength())
                        .appendEpochMicros(now)
                        .endRow();
                stored++;
            }
        }
        return stored;
    }

    /** Whether the store was opened for writing. */
    boolean writable() {
        return mode == Mode.READ_WRITE;
    }

    private void requireWritable() {
        if (eventViewsOnly != null) {
            throw notHere("Writing");
        }
        if (mode != Mode.READ_WRITE) {
            throw new VigilException(ErrorCode.INTERNAL, "the store of tenant '" + tenant + "' was opened read-only");
        }
    }

    /** The DDL of a failed batch was rolled back: re-read the catalog so that it matches the database again. */
    private void reloadCatalog() {
        try {
            tables.reload();
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot re-read the catalog of " + file, e);
        }
    }

    // --- alerts -------------------------------------------------------------------------------------------------

    /**
     * Appends the alerts to the open unit of work (begun if needed), skipping those whose id is already stored or
     * appended; they become durable at {@link #commit()}, together with the events appended in the same unit.
     *
     * @return how many of them were new
     */
    @Override
    public int appendAlerts(List<Alert> newAlerts) {
        requireNonNull(newAlerts, "newAlerts is null");
        for (Alert alert : newAlerts) {
            if (!alert.tenant().equals(tenant)) {
                throw new VigilException(ErrorCode.INTERNAL, "an alert of tenant '" + alert.tenant()
                        + "' was sent to the store of tenant '" + tenant + "'");
            }
        }
        if (newAlerts.isEmpty()) {
            return 0;
        }
        return alertRepository().append(newAlerts);
    }

    /** Stored alerts that match the query, newest first. */
    public List<Alert> alerts(AlertQuery query) {
        requireNonNull(query, "query is null");
        return alertRepository().read(query);
    }

    /** The stored alert with this id, if there is one (an evidence reference {@code alert:<id>} names it). */
    public Optional<Alert> alert(UUID id) {
        requireNonNull(id, "id is null");
        return alertRepository().find(id);
    }

    /** The stored alerts with these ids, in time order; ids of alerts this store does not hold are skipped. */
    public List<Alert> alertsById(java.util.Collection<java.util.UUID> ids) {
        requireNonNull(ids, "ids is null");
        return alertRepository().byIds(ids);
    }

    /** How many alerts are stored. */
    public long alertCount() {
        return alertRepository().count();
    }

    /**
     * The tenant's alerts as this store reads and writes them: in its own database ({@code vigil_alerts}), or in the
     * shared repository {@link #keepAlertsIn} named.
     */
    public AlertRepository alertRepository() {
        return sharedAlerts != null ? sharedAlerts : ownAlerts;
    }

    /**
     * Keeps the tenant's alerts in {@code shared} (PostgreSQL, where {@code vigil stream incidents} stores the stream
     * pipeline's alerts) from now on, instead of in this store's database: the alert reads, the incident view and
     * the alerts an incident is made of read them there. An alert appended through this store is then durable when
     * the append returns, no longer with the events of its unit of work, and {@link IncidentStore#correlate}, which
     * follows the order alerts were stored in this database, is refused: the pipeline correlates shared alerts.
     *
     * @throws IllegalArgumentException when {@code shared} holds another tenant's alerts
     */
    public void keepAlertsIn(AlertRepository shared) {
        requireNonNull(shared, "shared is null");
        if (!shared.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the alerts of tenant '" + shared.tenant() + "' cannot be those of"
                    + " tenant '" + tenant + "'");
        }
        this.sharedAlerts = shared;
    }

    /** Whether {@link #keepAlertsIn} moved the alerts out of this store's database. */
    boolean alertsShared() {
        return sharedAlerts != null;
    }

    /** Whether this store's events are views made elsewhere ({@link #overEventViews}), without an index of ids. */
    boolean overEventViews() {
        return eventViewsOnly != null;
    }

    /** The tenant's incidents: correlation, lifecycle and what the incident view reads. */
    public IncidentStore incidents() {
        if (eventViewsOnly != null && sharedIncidents == null) {
            throw notHere("Reading incidents");
        }
        return incidents;
    }

    /** The tenant's posture: inventory, latest findings and exposure history. */
    public PostureStore posture() {
        if (eventViewsOnly != null) {
            throw notHere("Reading the posture (inventory, findings)");
        }
        return new PostureStore(this, connection);
    }

    /** The tenant's saved hunting queries, their schedules and runs: see {@link ScheduledHunts} for running them. */
    public HuntStore hunts() {
        if (eventViewsOnly != null) {
            throw notHere("Reading saved hunts");
        }
        return hunts;
    }

    /**
     * The tenant's copilot sessions: turns, pin boards, sharing and export, each operation checked per principal.
     * They are kept in this store's database unless {@link #keepSessionsIn} moved them to a shared one.
     */
    public SessionRepository sessions() {
        if (sharedSessions == null && eventViewsOnly != null) {
            throw notHere("Reading copilot sessions");
        }
        return sharedSessions != null ? sharedSessions : sessions;
    }

    /**
     * Keeps the tenant's copilot sessions in {@code shared} (PostgreSQL, in a scale-out deployment) from now on,
     * instead of in this store's database; they are then durable when each operation returns, not at
     * {@link #commit()}.
     *
     * @throws IllegalArgumentException when {@code shared} holds another tenant's sessions
     */
    public void keepSessionsIn(SessionRepository shared) {
        requireNonNull(shared, "shared is null");
        if (!shared.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the sessions of tenant '" + shared.tenant() + "' cannot be those of"
                    + " tenant '" + tenant + "'");
        }
        this.sharedSessions = shared;
    }

    /**
     * Keeps the tenant's incidents (lifecycle, placements, history, decisions on actions, the correlation cursor) in
     * {@code shared} (PostgreSQL, in a scale-out deployment) from now on, instead of in this store's database; the
     * alerts and events they are made of stay here. Changes to them are then durable when each operation returns, not
     * at {@link #commit()}.
     *
     * @throws IllegalArgumentException when {@code shared} holds another tenant's incidents
     */
    public void keepIncidentsIn(IncidentRepository shared) {
        requireNonNull(shared, "shared is null");
        if (!shared.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the incidents of tenant '" + shared.tenant() + "' cannot be those of"
                    + " tenant '" + tenant + "'");
        }
        this.sharedIncidents = shared;
    }

    /** The repository {@link #keepIncidentsIn} named, if any. */
    Optional<IncidentRepository> sharedIncidents() {
        return Optional.ofNullable(sharedIncidents);
    }

    /**
     * The tenant's installed plugins when they are kept outside the data directory (PostgreSQL, in a scale-out
     * deployment, once {@link #keepPluginsIn} said so); empty when they are in {@code DATA/plugins/TENANT/}.
     */
    public Optional<PluginRepository> sharedPlugins() {
        return Optional.ofNullable(sharedPlugins);
    }

    /**
     * Makes {@code shared} the tenant's plugins for whoever reads them through this store (the copilot's skills).
     *
     * @throws IllegalArgumentException when {@code shared} holds another tenant's plugins
     */
    public void keepPluginsIn(PluginRepository shared) {
        requireNonNull(shared, "shared is null");
        if (!shared.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the plugins of tenant '" + shared.tenant() + "' cannot be those of"
                    + " tenant '" + tenant + "'");
        }
        this.sharedPlugins = shared;
    }

    // --- rules --------------------------------------------------------------------------------------------------

    /**
     * Stores a rule file and its documents in the open unit of work (begun if needed); see {@link #putRuleFiles}.
     *
     * @param rows one per document of the file, each with this source and a ref of its own
     */
    public void putRuleFile(String source, String yaml, List<RuleRow> rows) {
        putRuleFiles(List.of(new RuleFile(source, yaml, rows)));
    }

    /**
     * Stores rule files and their documents in the open unit of work (begun if needed). Each file replaces what an
     * earlier import of the same source stored, and takes over the refs it defines from any other file; a file left
     * without documents is not kept. A document already stored under its ref keeps its enabled flag and statistics,
     * so that updating a rule pack does not re-enable what the user switched off.
     *
     * @throws IllegalArgumentException when two documents of the files share a ref
     */
    public void putRuleFiles(List<RuleFile> files) {
        requireNonNull(files, "files is null");
        Map<String, String> owners = new HashMap<>();
        for (RuleFile file : files) {
            for (RuleRow row : file.rows()) {
                String owner = owners.putIfAbsent(row.ref(), file.source());
                if (owner != null) {
                    throw new IllegalArgumentException("the ref " + row.ref() + " is defined by both " + owner
                            + " and " + file.source());
                }
            }
        }
        if (files.isEmpty()) {
            return;
        }
        write("storing " + files.size() + " rule files", () -> {
            rules.put(files);
            return null;
        });
    }

    /** Every stored document of the tenant's rule set, by source and ref. */
    public List<RuleRow> rules() {
        return read("reading the rules", "vigil_rules", List.of(), rules::list);
    }

    /**
     * The rule files (source to YAML) that hold at least one enabled document that did not fail; what detection
     * loads. Their disabled documents are to be dropped ({@link #disabledRuleRefs()}).
     */
    public Map<String, String> enabledRuleFiles() {
        return read("reading the rule files", "vigil_rule_files", Map.of(), rules::enabledFiles);
    }

    /**
     * A fingerprint of the tenant's rule set as detection loads it ({@link TenantRules}): equal fingerprints mean the
     * same compiled set, so a long-running process compiles it again only when it changed.
     */
    public String rulesVersion() {
        return read("reading the rules", "vigil_rules", "", rules::version);
    }

    /** A fingerprint of the tenant's indicators: it changes whenever one is added, updated or expired. */
    public String indicatorsVersion() {
        return read("reading the indicators", "vigil_indicators", "", indicators::version);
    }

    /** The refs of the documents the user disabled. */
    public Set<String> disabledRuleRefs() {
        return read("reading the rules", "vigil_rules", Set.of(), rules::disabledRefs);
    }

    /**
     * Enables or disables documents by ref, in the open unit of work (begun if needed).
     *
     * @return how many changed (those already in the wanted state do not count)
     * @throws VigilException {@code RULE_NOT_FOUND} naming every ref the tenant does not have; nothing changes then
     */
    public int setEnabled(Collection<String> refs, boolean enabled) {
        requireNonNull(refs, "refs is null");
        Set<String> known = new HashSet<>();
        for (RuleRow row : rules()) {
            known.add(row.ref());
        }
        List<String> unknown = new LinkedHashSet<>(refs).stream().filter(ref -> !known.contains(ref)).toList();
        if (!unknown.isEmpty()) {
            throw new VigilException(ErrorCode.RULE_NOT_FOUND, (unknown.size() == 1 ? "no rule '" + unknown.get(0)
                    + "'" : "no rules " + String.join(", ", unknown.stream().map(r -> "'" + r + "'").toList()))
                    + " in tenant '" + tenant + "'; nothing was changed");
        }
        return write((enabled ? "enabling" : "disabling") + " rules", () -> rules.setEnabled(refs, enabled));
    }

    /**
     * Adds a detector's per-rule statistics to the stored ones, in the open unit of work (begun if needed): hits and
     * evaluations add up, the mean cost is weighted by the evaluations behind each. Rules no longer stored are
     * ignored.
     */
    public void addRuleStats(List<RuleSet.RuleStats> stats) {
        requireNonNull(stats, "stats is null");
        if (stats.stream().allMatch(s -> s.evaluations() == 0)) {
            return;
        }
        write("storing rule statistics", () -> {
            rules.addStats(stats);
            return null;
        });
    }

    // --- threat intelligence ------------------------------------------------------------------------------------

    /**
     * Merges indicators into the tenant's ({@code vigil_indicators}) in the open unit of work (begun if needed): a
     * value already stored keeps one row, its provenance merged with the new one (every feed, the highest
     * confidence, the earliest first seen, the latest last seen).
     */
    public IndicatorUpsert putIndicators(Collection<Indicator> newIndicators) {
        requireNonNull(newIndicators, "newIndicators is null");
        if (newIndicators.isEmpty()) {
            return new IndicatorUpsert(0, 0, 0);
        }
        return write("storing " + newIndicators.size() + " indicators", () -> indicators.upsert(newIndicators));
    }

    /** Hands the indicators active at the instant (every stored one when it is null) to the consumer, streaming. */
    public void scanIndicators(Instant activeAt, Consumer<Indicator> consumer) {
        requireNonNull(consumer, "consumer is null");
        read("reading indicators", "vigil_indicators", null, () -> {
            indicators.scan(activeAt, consumer);
            return null;
        });
    }

    /** The indicators active at the instant; for many, prefer {@link #scanIndicators}. */
    public List<Indicator> indicators(Instant activeAt) {
        requireNonNull(activeAt, "activeAt is null");
        List<Indicator> out = new ArrayList<>();
        scanIndicators(activeAt, out::add);
        return out;
    }

    /** The most recently seen indicators active at the instant, of one type (null for all). */
    public List<Indicator> indicatorSample(IndicatorType type, Instant activeAt, int limit) {
        requireNonNull(activeAt, "activeAt is null");
        return read("reading indicators", "vigil_indicators", List.of(),
                () -> indicators.sample(type, activeAt, Math.max(1, limit)));
    }

    /**
     * The stored indicators, active or not, with these types and values (see
     * {@link IndicatorValues#matchingKeys} for those a value matches).
     */
    public List<Indicator> indicatorsByKey(Collection<IndicatorValues.Value> keys) {
        requireNonNull(keys, "keys is null");
        return keys.isEmpty() ? List.of() : read("reading indicators", "vigil_indicators", List.of(),
                () -> indicators.byKeys(keys));
    }

    /** The tenant's indicators counted at the instant: active, expired, pending, by type and feed. */
    public IndicatorCounts indicatorCounts(Instant at) {
        requireNonNull(at, "at is null");
        return read("counting indicators", "vigil_indicators",
                new IndicatorCounts(0, 0, 0, 0, Map.of(), Map.of()), () -> indicators.counts(at));
    }

    /** Removes the indicators whose validity ended by the instant, in the open unit of work; returns how many. */
    public int expireIndicators(Instant at) {
        requireNonNull(at, "at is null");
        return write("removing expired indicators", () -> indicators.expire(at));
    }

    /**
     * Where a value appears in the tenant's events and alerts (see {@link Sightings}).
     *
     * @param value the value in normal form ({@link IndicatorValues})
     */
    public Sightings sightings(IndicatorType type, String value, int recentAlerts) {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
        if (eventViewsOnly != null) {
            throw notHere("Searching sightings (events and alerts)");
        }
        try {
            return new SightingQuery(connection).run(type, value, recentAlerts);
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "searching " + file + " for " + value + " failed: "
                    + firstLine(e.getMessage()), e);
        }
    }

    // --- retro-hunt ---------------------------------------------------------------------------------------------

    /**
     * Reads the committed events of the named tables (found ignoring case; tables the tenant does not have are
     * skipped) whose time is at or after {@code sinceMicros} ({@link Long#MIN_VALUE} for all), and hands them to the
     * consumer {@code batchSize} at a time, in no particular order. Rows stream from the database on a connection of
     * their own, so memory stays constant however much is stored, and the consumer may write through this store
     * (append alerts, commit) while the scan goes on; it does not see what was written after the scan began.
     *
     * <p>Events come back with their stored id, table, time, common columns, raw record and source position, and
     * their native fields under their native names, {@code extra_fields} included, without nulls.
     */
    public void scanEvents(Collection<String> tableNames, long sinceMicros, int batchSize,
            Consumer<List<Event>> consumer) {
        requireNonNull(tableNames, "tableNames is null");
        requireNonNull(consumer, "consumer is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        Set<String> stored = new LinkedHashSet<>();
        for (String name : tableNames) {
            String table = tables.storedName(name);
            if (table != null) {
                stored.add(table);
            }
        }
        if (stored.isEmpty()) {
            return;
        }
        String current = null;
        try (DuckDBConnection scan = connection.duplicate()) {
            EventScanner scanner = new EventScanner(scan, tenant);
            for (String table : stored) {
                current = table;
                scanner.scan(table, tables.fieldsByColumn(table), sinceMicros, batchSize, consumer);
            }
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "reading the events of " + current + " from " + file
                    + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    // --- reading ------------------------------------------------------------------------------------------------

    /**
     * How far the events of this store's database have come, as this process saw them: the number of commits that
     * stored events, through this store's writer or the writer its reader was opened from. Two versions of different
     * opens of a database never compare equal, so a value kept for one version is never taken for another open's.
     */
    public DataVersion dataVersion() {
        return new DataVersion(shared, shared.values.commits());
    }

    /**
     * A point in a database's history of event commits in this process: see {@link TenantStore#dataVersion()}.
     *
     * @param database the open database, compared by identity
     * @param commits the commits that stored events so far
     */
    public record DataVersion(Object database, long commits) {
        /** Whether both versions are of the same open database, so that one can be brought up to the other. */
        public boolean sameDatabase(DataVersion other) {
            return database == other.database;
        }
    }

    /**
     * The host, user and process names of the events committed after {@code since}, or empty when they are no longer
     * known (the journal keeps the latest {@value EntityValues.Journal#KEPT} commits) or {@code since} is of another
     * open database: read the events themselves then.
     */
    public Optional<EntityValues> valuesSince(DataVersion since) {
        if (since.database() != shared) {
            return Optional.empty();
        }
        return shared.values.since(since.commits());
    }

    /** The names of the event tables, as this store's catalog knows them (no query): those holding events. */
    public List<String> tableNames() {
        return tables.tableNames();
    }

    /**
     * The event tables' hunting catalog. A reader shares what the readers of its database last read while no commit
     * changed the schema since; a writer reads it every time, since its open unit of work may hold DDL the readers do
     * not see.
     */
    dev.vigil.query.HuntCatalog huntCatalog(java.util.function.Supplier<dev.vigil.query.HuntCatalog> read) {
        if (mode == Mode.READ_WRITE) {
            return read.get();
        }
        long version = shared.catalogVersion.get(); // before reading: a catalog read after it holds at least this schema
        HuntCatalogMemo memo = shared.huntCatalog;
        if (memo != null && memo.catalogVersion() == version) {
            return memo.catalog();
        }
        dev.vigil.query.HuntCatalog catalog = read.get();
        shared.huntCatalog = new HuntCatalogMemo(version, catalog);
        return catalog;
    }

    /** The event tables with their row counts and columns, in name order. */
    public List<TableInfo> tables() {
        List<TableInfo> result = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = 'main' AND table_type = 'VIEW' ORDER BY table_name""")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String name : names) {
                result.add(describe(name));
            }
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot list the tables of " + file + ": "
                    + firstLine(e.getMessage()), e);
        }
        return result;
    }

    private TableInfo describe(String table) throws SQLException {
        long rows;
        try (Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM " + quote(table))) {
            count.next();
            rows = count.getLong(1);
        }
        Map<String, String> fieldByColumn = tables.fieldsByColumn(table);
        List<TableInfo.ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position""")) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    boolean fixed = Catalog.RESERVED.contains(name.toLowerCase(java.util.Locale.ROOT));
                    String field = fieldByColumn.get(name.toLowerCase(java.util.Locale.ROOT));
                    columns.add(new TableInfo.ColumnInfo(name, rs.getString(2), fixed ? "common" : "native",
                            field == null ? name : field));
                }
            }
        }
        return new TableInfo(table, rows, columns);
    }

    /** Counts of quarantined records by reason. */
    public Map<String, Long> quarantineCounts() {
        if (eventViewsOnly != null) {
            throw notHere("Reading the quarantine");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT reason, count(*) FROM vigil_quarantine GROUP BY reason ORDER BY reason")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot read the quarantine of " + file, e);
        }
        return counts;
    }

    /**
     * Runs one read-only query and returns at most {@code maxRows} rows. Only statements that read are accepted
     * (SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA); anything else is refused
     * before it runs, and a read-only store refuses it again underneath.
     */
    public QueryResult query(String sql, int maxRows) {
        ReadOnlySql.check(sql);
        exposeSharedAlerts(sql);
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.setMaxRows(maxRows + 1);
            try (ResultSet rs = statement.executeQuery(sql)) {
                return QueryResult.read(rs, maxRows, start);
            }
        } catch (SQLException e) {
            throw ReadOnlySql.translate(sql, e);
        }
    }

    /**
     * Runs one read-only query with bound values for its {@code ?} markers, in order: the values are never part of
     * the SQL text, so a value cannot change what the query does. The read-only check is the same as
     * {@link #query(String, int)}'s.
     *
     * @param parameters values: String, Long, Integer, Double, Boolean or null
     */
    public QueryResult query(String sql, List<Object> parameters, int maxRows) {
        ReadOnlySql.check(sql);
        exposeSharedAlerts(sql);
        long start = System.nanoTime();
        try (java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            statement.setMaxRows(maxRows + 1);
            try (ResultSet rs = statement.executeQuery()) {
                return QueryResult.read(rs, maxRows, start);
            }
        } catch (SQLException e) {
            throw ReadOnlySql.translate(sql, e);
        }
    }

    /**
     * On a store over event views whose alerts are {@linkplain #keepAlertsIn shared}, gives a query that reads
     * {@code vigil_alerts} the tenant's alerts under that name, as the embedded store has them: copied from the shared
     * repository into the store's own connection (in memory, the tenant's only) the first time a query names the
     * table, and read from there for the rest of the store's life, which on a scale-mode node is one piece of work.
     * The SQL reads over alerts (the copilot's alert counts, reports) then run unchanged.
     */
    private void exposeSharedAlerts(String sql) {
        if (eventViewsOnly == null || sharedAlerts == null || alertsExposed
                || !sql.toLowerCase(java.util.Locale.ROOT).contains("vigil_alerts")) {
            return;
        }
        List<Alert> all = sharedAlerts.read(AlertQuery.newest(Integer.MAX_VALUE));
        try (Statement statement = connection.createStatement()) {
            AlertTable.createSchema(statement);
            if (!all.isEmpty()) {
                alerts.append(all);
            }
            alertsExposed = true;
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "copying the alerts of tenant '" + tenant + "' for a"
                    + " query over " + file + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    // --- hunting (KQL): see HuntRunner ------------------------------------------------------------------------

    /** The connection hunting queries run on (confined to this store's thread, like every other use). */
    DuckDBConnection huntConnection() {
        return connection;
    }

    /** Stored column name (folded) to native field name, for the hunting catalog. */
    Map<String, String> fieldsByColumn(String table) {
        return tables.fieldsByColumn(table);
    }

    /** Forces a checkpoint, folding the write-ahead log into the database file. */
    public void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "checkpoint of " + file + " failed: "
                    + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "closing " + file + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
