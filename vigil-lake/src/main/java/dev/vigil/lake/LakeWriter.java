package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.FieldType;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes normalized events into the lake as Parquet, one file per tenant, table and UTC day of each commit.
 *
 * <p>A file is visible only when complete: it is written as {@code .tmp-*} in its partition's folder, forced to disk,
 * then renamed to {@code part-*.parquet} in one atomic step (the folder is forced too), so a reader or a crash never
 * sees half a file. In object storage DuckDB writes the file to a local temporary file and the S3 client
 * ({@link ObjectStorage}) puts it in one PUT, which the store makes visible only once whole; no DuckDB extension is
 * needed to write.
 *
 * <p>Each file holds the event's stable id ({@code event_id}), its {@code time}, the common columns, the raw record,
 * its {@code source} position and {@code ingested_at}, and the native fields as their own columns (typed by their
 * values, a field whose name clashes with one of those getting {@code _native} appended, as in the embedded store).
 * The tenant, table and day are in the path, not in the file. Quarantined records go to the tenant's
 * {@code _quarantine} table, so that nothing handed to the writer is dropped.
 *
 * <p>As an {@link EventSink} it buffers what {@link #append} receives and writes it at {@link #commit}, which returns
 * once the files are durable; the lake does not look up earlier ids, so a batch delivered twice is written twice,
 * and compaction ({@link LakeCompactor}) keeps one row per event id. Not thread-safe: confine a writer to one thread.
 */
public final class LakeWriter implements EventSink, AutoCloseable {
    private static final CommonColumn[] COMMON = CommonColumn.values();
    private static final Set<String> RESERVED = reserved();

    private record PartitionKey(TenantId tenant, String table, LocalDate day) {}

    private final LakeLayout layout;
    private final DuckDBConnection connection;
    /** The S3 client of an object-storage lake; null for a local one. */
    private final ObjectStorage objectStorage;
    private final Map<PartitionKey, List<Event>> pending = new LinkedHashMap<>();
    private final Map<TenantId, List<QuarantinedRecord>> pendingQuarantine = new LinkedHashMap<>();
    private final List<LakeFile> written = new ArrayList<>();
    private int buffers;

    public LakeWriter(LakeLayout layout) {
        this(layout, System::getenv);
    }

    /**
     * A writer whose S3 keys (for an object-storage lake) are read from {@code environment} under the variable names
     * the {@code lake.s3.*} settings give, instead of the process environment.
     */
    public LakeWriter(LakeLayout layout, java.util.function.Function<String, String> environment) {
        this.layout = requireNonNull(layout, "layout is null");
        requireNonNull(environment, "environment is null");
        // DuckDB writes each file locally; an object-storage lake gets it through the S3 client, without httpfs
        this.objectStorage = layout.isLocal() ? null : ObjectStorage.open(layout, environment);
        try {
            this.connection = LakeDuckDb.open(LakeLayout.local());
        } catch (RuntimeException e) {
            if (objectStorage != null) {
                objectStorage.close();
            }
            throw e;
        }
    }

    @Override
    public Result append(Batch batch) {
        for (Event event : batch.events()) {
            pending.computeIfAbsent(partitionOf(event), k -> new ArrayList<>()).add(event);
        }
        for (QuarantinedRecord record : batch.quarantined()) {
            pendingQuarantine.computeIfAbsent(record.tenant(), k -> new ArrayList<>()).add(record);
        }
        return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
    }

    /** Writes everything appended since the last commit; returns once every file is complete and durable. */
    @Override
    public void commit() {
        flush();
    }

    /** Like {@link #commit()}, returning the files written. */
    public List<LakeFile> flush() {
        List<LakeFile> files = new ArrayList<>();
        try {
            for (Map.Entry<PartitionKey, List<Event>> entry : pending.entrySet()) {
                PartitionKey key = entry.getKey();
                files.add(writeEvents(key, entry.getValue()));
            }
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            for (Map.Entry<TenantId, List<QuarantinedRecord>> entry : pendingQuarantine.entrySet()) {
                files.add(writeQuarantine(new PartitionKey(entry.getKey(), LakeLayout.QUARANTINE_TABLE, today),
                        entry.getValue()));
            }
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "writing Parquet into the lake " + layout + " failed: "
                    + LakeDuckDb.firstLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "writing into the lake " + layout + " failed: " + e, e);
        } finally {
            pending.clear();
            pendingQuarantine.clear();
        }
        written.addAll(files);
        return files;
    }

    /** Forgets everything appended since the last commit, writing nothing (its source will deliver it again). */
    public void discard() {
        pending.clear();
        pendingQuarantine.clear();
    }

    /** Events appended since the last commit. */
    public int pendingEvents() {
        int count = 0;
        for (List<Event> events : pending.values()) {
            count += events.size();
        }
        return count;
    }

    /**
     * Which of the events the lake already holds, by event id: each event is looked up in the one partition its
     * tenant, table and time put it in, among the files readable now (as {@link LakeSnapshot} sees them, so a
     * compaction in progress neither hides nor doubles a row). For a writer that must not write an event twice after
     * a crash left it unsure what it had written; it reads the partitions' {@code event_id} column, so keep the
     * events few (one commit's worth).
     */
    public Set<String> alreadyStored(List<Event> events) {
        Map<PartitionKey, List<String>> idsByPartition = new LinkedHashMap<>();
        for (Event event : events) {
            idsByPartition.computeIfAbsent(partitionOf(event), k -> new ArrayList<>()).add(event.id().toString());
        }
        Set<String> stored = new HashSet<>();
        for (Map.Entry<PartitionKey, List<String>> entry : idsByPartition.entrySet()) {
            stored.addAll(storedIds(entry.getKey(), entry.getValue()));
        }
        return stored;
    }

    private Set<String> storedIds(PartitionKey key, List<String> ids) {
        String partition = layout.partitionLocation(key.tenant(), key.table(), key.day());
        if (!layout.isLocal()) {
            return storedIdsInObjectStorage(partition, ids);
        }
        for (int attempt = 1; ; attempt++) {
            List<String> files = LakeSnapshot.dataFiles(Path.of(partition)).stream().map(Path::toString).toList();
            try {
                return idsIn(files, ids);
            } catch (SQLException e) {
                // a compaction may have replaced a listed file meanwhile: list the partition again
                if (attempt >= 3) {
                    throw new VigilException(ErrorCode.LAKE_FAILED, "reading the event ids of " + partition
                            + " failed: " + LakeDuckDb.firstLine(e.getMessage()), e);
                }
            }
        }
    }

    /** Which of the ids the Parquet files hold. */
    private Set<String> idsIn(List<String> files, List<String> ids) throws SQLException {
        if (files.isEmpty()) {
            return Set.of();
        }
        String buffer = "lookup_" + (++buffers);
        execute("CREATE TABLE " + buffer + " (event_id VARCHAR NOT NULL)");
        try {
            try (DuckDBAppender appender = connection.createAppender("main", buffer)) {
                for (String id : ids) {
                    appender.beginRow().append(id).endRow();
                }
            }
            Set<String> stored = new HashSet<>();
            try (Statement statement = connection.createStatement();
                    java.sql.ResultSet rows = statement.executeQuery("SELECT DISTINCT l.event_id FROM read_parquet(["
                            + files.stream().map(LakeDuckDb::literal).collect(java.util.stream.Collectors.joining(", "))
                            + "], union_by_name = true) l JOIN main." + buffer + " b USING (event_id)")) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
            return stored;
        } finally {
            execute("DROP TABLE main." + buffer);
        }
    }

    /** The ids of an object-storage partition: its files fetched to a temporary folder and read there. */
    private Set<String> storedIdsInObjectStorage(String partition, List<String> ids) {
        List<String> objects = objectStorage.list(partition, LakeLayout::isDataFile);
        if (objects.isEmpty()) {
            return Set.of();
        }
        Path folder = null;
        try {
            folder = Files.createTempDirectory("vigil-lake-ids-");
            Path local = Files.createDirectories(folder.resolve("partition"));
            for (String object : objects) {
                objectStorage.download(object, local.resolve(object.substring(object.lastIndexOf('/') + 1)));
            }
            return idsIn(LakeSnapshot.dataFiles(local).stream().map(Path::toString).toList(), ids);
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "reading the event ids of " + partition + " failed: "
                    + LakeDuckDb.firstLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "reading the event ids of " + partition + " failed: "
                    + e, e);
        } finally {
            if (folder != null) {
                try (var walk = Files.walk(folder)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary folder
                }
            }
        }
    }

    private static PartitionKey partitionOf(Event event) {
        LocalDate day = Instant.ofEpochSecond(Math.floorDiv(event.timeMicros(), 1_000_000L))
                .atZone(ZoneOffset.UTC).toLocalDate();
        return new PartitionKey(event.tenant(), LakeLayout.checkTable(event.table()), day);
    }

    /** Every file this writer has written. */
    public List<LakeFile> written() {
        return List.copyOf(written);
    }

    private LakeFile writeEvents(PartitionKey key, List<Event> events) throws SQLException, IOException {
        // the file's native columns: each field once (ignoring case, as SQL does), typed wide enough for every value
        Map<String, String> columnByField = new HashMap<>();
        Map<String, FieldType> types = new LinkedHashMap<>();
        Set<String> folded = new HashSet<>(RESERVED);
        for (Event event : events) {
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                if (field.getValue() == null) {
                    continue;
                }
                String column = columnByField.get(field.getKey());
                if (column == null) {
                    column = columnName(field.getKey(), folded);
                    columnByField.put(field.getKey(), column);
                    folded.add(column.toLowerCase(Locale.ROOT));
                }
                FieldType type = FieldType.of(field.getValue());
                types.merge(column, type, FieldType::widen);
            }
        }
        String buffer = "buffer_" + (++buffers);
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(buffer)
                .append(" (event_id VARCHAR NOT NULL, \"time\" TIMESTAMPTZ NOT NULL");
        for (CommonColumn column : COMMON) {
            ddl.append(", ").append(LakeDuckDb.quote(column.columnName())).append(" VARCHAR");
        }
        ddl.append(", raw VARCHAR NOT NULL, source VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL");
        List<String> natives = new ArrayList<>(types.keySet());
        for (String column : natives) {
            ddl.append(", ").append(LakeDuckDb.quote(column)).append(' ').append(types.get(column).sqlName());
        }
        execute(ddl.append(')').toString());
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < natives.size(); i++) {
            position.put(natives.get(i), i);
        }
        FieldType[] columnTypes = natives.stream().map(types::get).toArray(FieldType[]::new);
        long ingestedAt = Instant.now().toEpochMilli() * 1000;
        try {
            try (DuckDBAppender appender = connection.createAppender("main", buffer)) {
                Object[] values = new Object[natives.size()];
                for (Event event : events) {
                    java.util.Arrays.fill(values, null);
                    for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                        if (field.getValue() != null) {
                            values[position.get(columnByField.get(field.getKey()))] = field.getValue();
                        }
                    }
                    appender.beginRow().append(event.id().toString()).appendEpochMicros(event.timeMicros());
                    for (CommonColumn column : COMMON) {
                        text(appender, event.common(column));
                    }
                    appender.append(event.raw()).append(event.position().toString()).appendEpochMicros(ingestedAt);
                    for (int i = 0; i < values.length; i++) {
                        value(appender, columnTypes[i], values[i]);
                    }
                    appender.endRow();
                }
            }
            return copyOut(key, "SELECT * FROM main." + buffer + " ORDER BY \"time\"", events.size());
        } finally {
            execute("DROP TABLE main." + buffer);
        }
    }

    private LakeFile writeQuarantine(PartitionKey key, List<QuarantinedRecord> records) throws SQLException, IOException {
        String buffer = "buffer_" + (++buffers);
        execute("CREATE TABLE " + buffer + " (id VARCHAR NOT NULL, source VARCHAR NOT NULL, line BIGINT,"
                + " byte_offset BIGINT, reason VARCHAR NOT NULL, detail VARCHAR NOT NULL, raw BLOB NOT NULL,"
                + " raw_length BIGINT NOT NULL, quarantined_at TIMESTAMPTZ NOT NULL)");
        long now = Instant.now().toEpochMilli() * 1000;
        try {
            try (DuckDBAppender appender = connection.createAppender("main", buffer)) {
                for (QuarantinedRecord record : records) {
                    appender.beginRow().append(record.id().toString()).append(record.position().source())
                            .append(record.position().line()).append(record.position().byteOffset())
                            .append(record.reason().id()).append(record.detail()).append(record.raw())
                            .append(record.rawLength()).appendEpochMicros(now).endRow();
                }
            }
            return copyOut(key, "SELECT * FROM main." + buffer, records.size());
        } finally {
            execute("DROP TABLE main." + buffer);
        }
    }

    /** Copies the query's rows into a new file of the partition, made visible whole. */
    private LakeFile copyOut(PartitionKey key, String query, long rows) throws SQLException, IOException {
        String name = "part-" + String.format("%013d", System.currentTimeMillis()) + "-" + UUID.randomUUID() + ".parquet";
        String partition = layout.partitionLocation(key.tenant(), key.table(), key.day());
        if (!layout.isLocal()) {
            String target = partition + "/" + name;
            Path local = Files.createTempFile("vigil-lake-", ".parquet");
            try {
                Files.delete(local); // DuckDB creates it
                execute("COPY (" + query + ") TO " + LakeDuckDb.literal(local.toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
                objectStorage.put(target, local);
                return new LakeFile(key.tenant(), key.table(), key.day(), target, rows, Files.size(local));
            } finally {
                Files.deleteIfExists(local);
            }
        }
        Path folder = Path.of(partition);
        Files.createDirectories(folder);
        Path temporary = folder.resolve(".tmp-" + UUID.randomUUID() + ".parquet");
        Path target = folder.resolve(name);
        try {
            execute("COPY (" + query + ") TO " + LakeDuckDb.literal(temporary.toString())
                    + " (FORMAT parquet, COMPRESSION zstd)");
            publish(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return new LakeFile(key.tenant(), key.table(), key.day(), target.toString(), rows, Files.size(target));
    }

    /** Forces the finished file to disk, renames it into place atomically, and forces the folder's entry. */
    static void publish(Path temporary, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the lake's file system cannot rename " + temporary + " atomically", e);
        }
        forceFolder(target.getParent());
    }

    static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a folder for reading; the rename is then as durable as they make it
        }
    }

    private static String columnName(String field, Set<String> taken) {
        String name = RESERVED.contains(field.toLowerCase(Locale.ROOT)) ? field + "_native" : field;
        String candidate = name;
        int n = 2;
        while (taken.contains(candidate.toLowerCase(Locale.ROOT))) {
            candidate = name + "_" + n++;
        }
        return candidate;
    }

    private static Set<String> reserved() {
        Set<String> names = new HashSet<>(Set.of("event_id", "time", "tenant", "table", "day", "raw", "source",
                "ingested_at"));
        for (CommonColumn column : COMMON) {
            names.add(column.columnName());
        }
        return Set.copyOf(names);
    }

    /** Whether a lake column holds a native field renamed for clashing with a fixed column; its field name then. */
    public static String fieldName(String column) {
        if (column.endsWith("_native")) {
            String base = column.substring(0, column.length() - "_native".length());
            if (RESERVED.contains(base.toLowerCase(Locale.ROOT))) {
                return base;
            }
        }
        return column;
    }

    private static void text(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private static void value(DuckDBAppender appender, FieldType type, Object value) throws SQLException {
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

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() {
        if (objectStorage != null) {
            objectStorage.close();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "closing the lake writer failed: " + e.getMessage(), e);
        }
    }
}
