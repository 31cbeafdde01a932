package dev.vigil.store;

import static dev.vigil.store.Catalog.quote;
import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.FieldType;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
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
 * <p>A store is confined to the thread that uses it, like its DuckDB connection. Only one process may open a
 * tenant's database for writing; a second gets {@link ErrorCode#STORE_LOCKED}.
 */
public final class TenantStore implements EventSink, AutoCloseable {
    /** How a store is opened. */
    public enum Mode {
        READ_WRITE,
        /** Reads only, with external access (files, ATTACH, extensions) switched off and the settings locked. */
        READ_ONLY
    }

    /** Past this many native columns a table keeps further fields in {@code extra_fields} (JSON) instead. */
    static final int MAX_NATIVE_COLUMNS = 2000;
    private static final Pattern LOCK_PID = Pattern.compile("PID (\\d+)");
    private static final long EXACT_DOUBLE_LIMIT = 1L << 53;
    private static final CommonColumn[] COMMON_COLUMNS = CommonColumn.values();

    private final TenantId tenant;
    private final Path file;
    private final Mode mode;
    private final DuckDBConnection connection;
    private Catalog catalog = new Catalog();
    private boolean inTransaction;

    private TenantStore(TenantId tenant, Path file, Mode mode, DuckDBConnection connection) {
        this.tenant = tenant;
        this.file = file;
        this.mode = mode;
        this.connection = connection;
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
        Path directory = dataDirectory.resolve("tenants").resolve(tenant.value());
        Path file = directory.resolve("events.duckdb");
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
        try {
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, properties);
            TenantStore store = new TenantStore(tenant, file, mode, connection);
            store.initialize();
            return store;
        } catch (SQLException e) {
            throw translateOpenFailure(file, e);
        }
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
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS vigil_columns (
                            table_name VARCHAR NOT NULL, column_name VARCHAR NOT NULL, field_name VARCHAR NOT NULL,
                            type VARCHAR NOT NULL, first_seen TIMESTAMPTZ NOT NULL DEFAULT now())""");
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS vigil_events (
                            event_id UUID NOT NULL, table_name VARCHAR NOT NULL)""");
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS vigil_quarantine (
                            id UUID NOT NULL, tenant VARCHAR NOT NULL, source VARCHAR NOT NULL, line BIGINT,
                            byte_offset BIGINT, reason VARCHAR NOT NULL, detail VARCHAR NOT NULL, raw BLOB NOT NULL,
                            raw_length BIGINT NOT NULL, quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now())""");
                statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS batch_ids (event_id UUID)");
            }
        }
        loadCatalog();
        if (mode == Mode.READ_ONLY) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET enable_external_access = false");
                statement.execute("SET lock_configuration = true");
            }
        }
    }

    private void loadCatalog() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                                + " AND table_name NOT LIKE 'vigil\\_%' ESCAPE '\\'")) {
            while (tables.next()) {
                catalog.addTable(tables.getString(1));
            }
        }
        boolean hasColumns;
        try (Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'vigil_columns'")) {
            exists.next();
            hasColumns = exists.getLong(1) > 0;
        }
        if (!hasColumns) {
            return;
        }
        try (Statement statement = connection.createStatement();
                ResultSet columns = statement.executeQuery(
                        "SELECT table_name, column_name, field_name, type FROM vigil_columns ORDER BY rowid")) {
            while (columns.next()) {
                catalog.put(columns.getString(1), new Catalog.Column(columns.getString(2), columns.getString(3),
                        FieldType.fromSql(columns.getString(4))));
            }
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
            if (!inTransaction) {
                connection.setAutoCommit(false);
                // DuckDB's JDBC driver begins the transaction lazily, at the next statement; an appender created
                // before that would commit on its own. So open it explicitly before anything is appended.
                try (Statement begin = connection.createStatement()) {
                    begin.execute("SELECT 1");
                }
                inTransaction = true;
            }
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

    @Override
    public void commit() {
        requireWritable();
        if (!inTransaction) {
            return;
        }
        try {
            connection.commit();
            connection.setAutoCommit(true);
            inTransaction = false;
        } catch (SQLException e) {
            abort();
            throw new VigilException(ErrorCode.STORE_FAILED, "committing to " + file + " failed: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** Rolls back everything since the last commit and re-reads the catalog, whose DDL was rolled back too. */
    private void abort() {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the original failure is what the caller reports
        }
        inTransaction = false;
        reloadCatalog();
    }

    private Result storeInTransaction(Batch batch) throws SQLException {
        for (Event event : batch.events()) {
            if (!event.tenant().equals(tenant)) {
                throw new VigilException(ErrorCode.INTERNAL, "an event of tenant '" + event.tenant()
                        + "' was sent to the store of tenant '" + tenant + "'");
            }
        }
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
        }
        for (Map.Entry<String, List<Event>> entry : byTable.entrySet()) {
            evolveSchema(entry.getKey(), entry.getValue());
        }
        long ingestedAt = System.currentTimeMillis() * 1000;
        int storedNew = 0;
        for (Map.Entry<String, List<Event>> entry : byTable.entrySet()) {
            storedNew += append(entry.getKey(), entry.getValue(), ingestedAt);
        }
        try (DuckDBAppender ids = connection.createAppender("main", "vigil_events")) {
            for (Map.Entry<String, List<Event>> entry : byTable.entrySet()) {
                for (Event event : entry.getValue()) {
                    ids.beginRow().appendUUID(event.id().mostSignificantBits(), event.id().leastSignificantBits())
                            .append(entry.getKey()).endRow();
                }
            }
        }
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

    private void evolveSchema(String table, List<Event> events) throws SQLException {
        if (!catalog.hasTable(table)) {
            createTable(table);
        }
        Map<String, FieldType> wanted = new LinkedHashMap<>();
        Map<String, String> spelling = new HashMap<>();
        for (Event event : events) {
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                Object value = field.getValue();
                if (value == null) {
                    if (!wanted.containsKey(field.getKey().toLowerCase(java.util.Locale.ROOT))
                            && catalog.column(table, field.getKey()) == null) {
                        // a field only ever seen empty still becomes a column, typed as text until a value says else
                        spelling.putIfAbsent(field.getKey().toLowerCase(java.util.Locale.ROOT), field.getKey());
                        wanted.putIfAbsent(field.getKey().toLowerCase(java.util.Locale.ROOT), null);
                    }
                    continue;
                }
                String folded = field.getKey().toLowerCase(java.util.Locale.ROOT);
                spelling.putIfAbsent(folded, field.getKey());
                FieldType type = FieldType.of(value);
                wanted.merge(folded, type, (a, b) -> a == null ? b : b == null ? a : a.widen(b));
            }
        }
        for (Map.Entry<String, FieldType> entry : wanted.entrySet()) {
            String field = spelling.get(entry.getKey());
            FieldType type = entry.getValue() == null ? FieldType.VARCHAR : entry.getValue();
            Catalog.Column column = catalog.column(table, field);
            if (column == null) {
                if (catalog.columnCount(table) >= MAX_NATIVE_COLUMNS) {
                    continue; // kept in extra_fields
                }
                String name = catalog.columnNameFor(table, field);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE " + quote(table) + " ADD COLUMN " + quote(name) + " " + type.sqlName());
                }
                recordColumn(table, name, field, type);
            } else if (entry.getValue() != null && column.type() != type && column.type().widen(type) != column.type()) {
                FieldType widened = column.type().widen(type);
                if (widened == FieldType.DOUBLE && column.type() == FieldType.BIGINT && !fitsDouble(table, column)) {
                    widened = FieldType.VARCHAR;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE " + quote(table) + " ALTER COLUMN " + quote(column.name()) + " TYPE "
                            + widened.sqlName());
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE vigil_columns SET type = ? WHERE table_name = ? AND column_name = ?")) {
                    update.setString(1, widened.sqlName());
                    update.setString(2, table);
                    update.setString(3, column.name());
                    update.executeUpdate();
                }
                catalog.put(table, new Catalog.Column(column.name(), column.field(), widened));
            }
        }
    }

    /** Whether every integer stored in the column is exactly representable as a double. */
    private boolean fitsDouble(String table, Catalog.Column column) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(max(abs(" + quote(column.name()) + ")), 0) FROM "
                        + quote(table))) {
            rows.next();
            return rows.getLong(1) <= EXACT_DOUBLE_LIMIT;
        }
    }

    private void createTable(String table) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + quote(table) + " (event_id UUID NOT NULL, "
                + "\"time\" TIMESTAMPTZ NOT NULL, tenant VARCHAR NOT NULL, \"table\" VARCHAR NOT NULL");
        for (CommonColumn column : CommonColumn.values()) {
            ddl.append(", ").append(quote(column.columnName())).append(" VARCHAR");
        }
        ddl.append(", raw VARCHAR NOT NULL, source VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL,"
                + " extra_fields VARCHAR)");
        try (Statement statement = connection.createStatement()) {
            statement.execute(ddl.toString());
        }
        catalog.addTable(table);
    }

    private void recordColumn(String table, String name, String field, FieldType type) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO vigil_columns (table_name, column_name, field_name, type) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, table);
            insert.setString(2, name);
            insert.setString(3, field);
            insert.setString(4, type.sqlName());
            insert.executeUpdate();
        }
        catalog.put(table, new Catalog.Column(name, field, type));
    }

    private int append(String table, List<Event> events, long ingestedAtMicros) throws SQLException {
        List<Catalog.Column> columns = catalog.columns(table);
        FieldType[] types = new FieldType[columns.size()];
        Map<String, Integer> folded = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            types[i] = columns.get(i).type();
            folded.put(columns.get(i).field().toLowerCase(java.util.Locale.ROOT), i);
        }
        // Field names repeat from event to event: resolve each spelling once, not once per event.
        Map<String, Integer> position = new HashMap<>();
        Object[] values = new Object[columns.size()];
        try (DuckDBAppender appender = connection.createAppender("main", table)) {
            for (Event event : events) {
                java.util.Arrays.fill(values, null);
                Map<String, Object> extra = null;
                for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                    Object value = field.getValue();
                    if (value == null) {
                        continue;
                    }
                    Integer index = position.get(field.getKey());
                    if (index == null) {
                        index = folded.getOrDefault(field.getKey().toLowerCase(java.util.Locale.ROOT), -1);
                        position.put(field.getKey(), index);
                    }
                    if (index >= 0 && values[index] == null) {
                        values[index] = value;
                    } else {
                        if (extra == null) {
                            extra = new LinkedHashMap<>();
                        }
                        extra.put(field.getKey(), value);
                    }
                }
                EventId id = event.id();
                appender.beginRow()
                        .appendUUID(id.mostSignificantBits(), id.leastSignificantBits())
                        .appendEpochMicros(event.timeMicros())
                        .append(tenant.value())
                        .append(table);
                for (CommonColumn column : COMMON_COLUMNS) {
                    appendText(appender, event.common(column));
                }
                appender.append(event.raw())
                        .append(event.position().toString())
                        .appendEpochMicros(ingestedAtMicros);
                appendText(appender, extra == null ? null : Json.write(extra));
                for (int i = 0; i < values.length; i++) {
                    appendValue(appender, types[i], values[i]);
                }
                appender.endRow();
            }
        }
        return events.size();
    }

    private static void appendText(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private static void appendValue(DuckDBAppender appender, FieldType type, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type) {
            case BOOLEAN -> appender.append(((Boolean) value).booleanValue());
            case BIGINT -> appender.append(((Number) value).longValue());
            case DOUBLE -> appender.append(((Number) value).doubleValue());
            case VARCHAR -> appender.append(value.toString());
        }
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

    private void requireWritable() {
        if (mode != Mode.READ_WRITE) {
            throw new VigilException(ErrorCode.INTERNAL, "the store of tenant '" + tenant + "' was opened read-only");
        }
    }

    /** The DDL of a failed batch was rolled back: re-read the catalog so that it matches the database again. */
    private void reloadCatalog() {
        catalog = new Catalog();
        try {
            loadCatalog();
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot re-read the catalog of " + file, e);
        }
    }

    // --- reading ------------------------------------------------------------------------------------------------

    /** The event tables with their row counts and columns, in name order. */
    public List<TableInfo> tables() {
        List<TableInfo> result = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = 'main' AND table_name NOT LIKE 'vigil\\_%' ESCAPE '\\'
                        ORDER BY table_name""")) {
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
        Map<String, String> fieldByColumn = new HashMap<>();
        for (Catalog.Column column : catalog.columns(table)) {
            fieldByColumn.put(column.name().toLowerCase(java.util.Locale.ROOT), column.field());
        }
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
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.setMaxRows(maxRows + 1);
            try (ResultSet rs = statement.executeQuery(sql)) {
                var meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                    types.add(meta.getColumnTypeName(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                boolean truncated = false;
                while (rs.next()) {
                    if (rows.size() == maxRows) {
                        truncated = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(QueryResult.plain(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return new QueryResult(columns, types, rows, truncated, (System.nanoTime() - start) / 1e6);
            }
        } catch (SQLException e) {
            throw ReadOnlySql.translate(sql, e);
        }
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
