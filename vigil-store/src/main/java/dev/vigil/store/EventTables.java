package dev.vigil.store;

import static dev.vigil.store.Catalog.fold;
import static dev.vigil.store.Catalog.partitionTable;
import static dev.vigil.store.Catalog.quote;
import static java.util.Objects.requireNonNull;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.FieldType;
import dev.vigil.model.TenantId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes events into their tables, evolving the schema as fields appear, within the caller's transaction.
 *
 * <p>Each event table is a view over partitions (see {@link Catalog}). A field seen for the first time becomes a
 * column of its table (and of the partitions that hold it); a value that does not fit a column's type widens the
 * column in every partition, never truncating: BOOLEAN or BIGINT to DOUBLE only when every stored integer fits a
 * double exactly, anything else to VARCHAR. Past {@link #MAX_TABLE_COLUMNS} native columns, further new fields are
 * kept in {@code extra_fields} as JSON, so that a hostile input cannot grow a table without bound.
 */
final class EventTables {
    /** A partition takes in a new event kind only while its native columns stay within this width. */
    static final int PARTITION_WIDTH = 48;
    static final int MAX_TABLE_COLUMNS = 2000;
    private static final long EXACT_DOUBLE_LIMIT = 1L << 53;
    private static final CommonColumn[] COMMON_COLUMNS = CommonColumn.values();

    private final DuckDBConnection connection;
    private final TenantId tenant;
    private Catalog catalog = new Catalog();
    /** Whether DDL ran since {@link #takeEvolved()} last asked: readers of the database must re-read the catalog. */
    private boolean evolved;

    EventTables(DuckDBConnection connection, TenantId tenant) {
        this.connection = requireNonNull(connection, "connection is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + Catalog.PARTS_SCHEMA);
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_columns (
                    table_name VARCHAR NOT NULL, column_name VARCHAR NOT NULL, field_name VARCHAR NOT NULL,
                    type VARCHAR NOT NULL, first_seen TIMESTAMPTZ NOT NULL DEFAULT now())""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_partitions (
                    table_name VARCHAR NOT NULL, event_code VARCHAR NOT NULL, partition_name VARCHAR NOT NULL)""");
    }

    /** Re-reads the catalog from the database, e.g. after a rollback undid DDL. */
    void reload() throws SQLException {
        appenders.clear(); // their rows went with the rollback
        idAppender = null;
        catalog = new Catalog();
        load();
    }

    void load() throws SQLException {
        if (!exists("main", "vigil_columns")) {
            return; // a read-only store of a tenant that has never been written to
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT table_name, column_name, field_name, type FROM vigil_columns ORDER BY rowid")) {
            while (rows.next()) {
                Catalog.Table table = catalog.addTable(rows.getString(1));
                catalog.putColumn(table, new Catalog.Column(rows.getString(2), rows.getString(3),
                        FieldType.fromSql(rows.getString(4))));
            }
        }
        Map<String, Catalog.Partition> partitions = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT table_name, event_code, partition_name FROM vigil_partitions ORDER BY rowid")) {
            while (rows.next()) {
                Catalog.Table table = catalog.addTable(rows.getString(1));
                String name = rows.getString(3);
                Catalog.Partition partition = partitions.get(name);
                if (partition == null) {
                    partition = new Catalog.Partition(name);
                    partitions.put(name, partition);
                    table.partitions.add(partition);
                }
                table.byCode.put(rows.getString(2), partition);
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = '" + Catalog.PARTS_SCHEMA + "' ORDER BY table_name, ordinal_position")) {
            while (rows.next()) {
                Catalog.Partition partition = partitions.get(rows.getString(1));
                String column = rows.getString(2);
                if (partition != null && !Catalog.RESERVED.contains(fold(column))) {
                    partition.columns.add(fold(column));
                }
            }
        }
    }

    private boolean exists(String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    /** Stores the events (none of which is stored yet) and returns how many were written. */
    int write(Map<String, List<Event>> byTable, long ingestedAtMicros) throws SQLException {
        int written = 0;
        for (Map.Entry<String, List<Event>> entry : byTable.entrySet()) {
            written += writeTable(entry.getKey(), entry.getValue(), ingestedAtMicros);
        }
        if (idAppender == null) {
            idAppender = connection.createAppender("main", "vigil_events");
        }
        for (Map.Entry<String, List<Event>> entry : byTable.entrySet()) {
            for (Event event : entry.getValue()) {
                idAppender.beginRow().appendUUID(event.id().mostSignificantBits(), event.id().leastSignificantBits())
                        .append(entry.getKey()).endRow();
            }
        }
        return written;
    }

    private int writeTable(String tableName, List<Event> events, long ingestedAtMicros) throws SQLException {
        Catalog.Table table = catalog.table(tableName);
        if (table == null) {
            table = catalog.addTable(tableName);
        }
        boolean viewChanged = evolveColumns(table, events);
        Map<String, List<Event>> byCode = new LinkedHashMap<>();
        for (Event event : events) {
            String code = event.common(CommonColumn.EVENT_CODE);
            byCode.computeIfAbsent(code == null ? "" : code, c -> new ArrayList<>()).add(event);
        }
        for (Map.Entry<String, List<Event>> entry : byCode.entrySet()) {
            Set<String> columns = columnsOf(table, entry.getValue());
            Catalog.Partition partition = table.byCode.get(entry.getKey());
            if (partition == null) {
                partition = choosePartition(table, columns);
                if (partition == null) {
                    partition = createPartition(table, columns);
                    viewChanged = true;
                }
                recordPartition(table, entry.getKey(), partition);
            }
            for (String column : columns) {
                if (!partition.columns.contains(column)) {
                    closeAppender(partition); // an appender is bound to the columns it was opened with
                    Catalog.Column definition = table.byName.get(column);
                    execute("ALTER TABLE " + partitionTable(partition.name) + " ADD COLUMN " + quote(definition.name())
                            + " " + definition.type().sqlName());
                    partition.columns.add(column);
                    viewChanged = true;
                }
            }
            append(table, partition, entry.getValue(), ingestedAtMicros);
        }
        if (viewChanged) {
            replaceView(table);
        }
        return events.size();
    }

    /** Adds new fields as columns of the table and widens columns whose values no longer fit. */
    private boolean evolveColumns(Catalog.Table table, List<Event> events) throws SQLException {
        Map<String, FieldType> wanted = new LinkedHashMap<>();
        Map<String, String> spelling = new HashMap<>();
        Set<String> inexactIntegers = new HashSet<>(); // fields with an integer a double cannot hold exactly
        for (Event event : events) {
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                String name = field.getKey();
                Object value = field.getValue();
                if (value instanceof Long number && (number > EXACT_DOUBLE_LIMIT || number < -EXACT_DOUBLE_LIMIT)) {
                    inexactIntegers.add(fold(name));
                }
                Catalog.Column known = table.column(name);
                FieldType type = value == null ? null : FieldType.of(value);
                if (known != null && (type == null || known.type().widen(type) == known.type())) {
                    continue; // the common case: a known field whose value fits
                }
                String folded = fold(name);
                spelling.putIfAbsent(folded, name);
                if (type == null) {
                    wanted.putIfAbsent(folded, null);
                } else {
                    wanted.merge(folded, type, FieldType::widen); // merge treats a null (empty so far) as absent
                }
            }
        }
        boolean changed = false;
        for (Map.Entry<String, FieldType> entry : wanted.entrySet()) {
            String field = spelling.get(entry.getKey());
            Catalog.Column column = table.byField.get(entry.getKey());
            if (column == null) {
                if (table.byField.size() >= MAX_TABLE_COLUMNS) {
                    continue; // kept in extra_fields
                }
                // a field only seen empty so far is text until a value says otherwise
                FieldType type = entry.getValue() == null ? FieldType.VARCHAR : entry.getValue();
                if (type == FieldType.DOUBLE && inexactIntegers.contains(entry.getKey())) {
                    type = FieldType.VARCHAR; // a double column would round the large integers of this batch
                }
                String name = Catalog.columnNameFor(table, field);
                Catalog.Column added = new Catalog.Column(name, field, type);
                catalog.putColumn(table, added);
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO vigil_columns (table_name, column_name, field_name, type) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, table.name);
                    insert.setString(2, name);
                    insert.setString(3, field);
                    insert.setString(4, type.sqlName());
                    insert.executeUpdate();
                }
                changed = true;
            } else if (entry.getValue() != null) {
                FieldType widened = column.type().widen(entry.getValue());
                if (widened == column.type()) {
                    continue;
                }
                closeAppenders(); // the check below must see every row appended so far
                if (widened == FieldType.DOUBLE && (inexactIntegers.contains(entry.getKey())
                        || column.type() == FieldType.BIGINT && !fitsDouble(table, column))) {
                    widened = FieldType.VARCHAR;
                }
                for (Catalog.Partition partition : table.partitions) {
                    if (partition.columns.contains(fold(column.name()))) {
                        closeAppender(partition);
                        execute("ALTER TABLE " + partitionTable(partition.name) + " ALTER COLUMN " + quote(column.name())
                                + " TYPE " + widened.sqlName());
                    }
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE vigil_columns SET type = ? WHERE table_name = ? AND column_name = ?")) {
                    update.setString(1, widened.sqlName());
                    update.setString(2, table.name);
                    update.setString(3, column.name());
                    update.executeUpdate();
                }
                catalog.putColumn(table, new Catalog.Column(column.name(), column.field(), widened));
                changed = true;
            }
        }
        return changed;
    }

    /** Whether every integer stored in the column is exactly representable as a double. */
    private boolean fitsDouble(Catalog.Table table, Catalog.Column column) throws SQLException {
        for (Catalog.Partition partition : table.partitions) {
            if (!partition.columns.contains(fold(column.name()))) {
                continue;
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT coalesce(max(abs(" + quote(column.name()) + ")), 0) FROM "
                            + partitionTable(partition.name))) {
                rows.next();
                if (rows.getLong(1) > EXACT_DOUBLE_LIMIT) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The folded column names the events need (fields past the column limit have none and go to extra_fields). */
    private static Set<String> columnsOf(Catalog.Table table, List<Event> events) {
        Set<String> columns = new LinkedHashSet<>();
        Map<String, String> resolved = new HashMap<>();
        for (Event event : events) {
            for (String field : event.fields().keySet()) {
                String column = resolved.computeIfAbsent(field, f -> {
                    Catalog.Column c = table.column(f);
                    return c == null ? "" : fold(c.name());
                });
                if (!column.isEmpty()) {
                    columns.add(column);
                }
            }
        }
        return columns;
    }

    /** The partition sharing most columns with the new event kind without growing past the width, or null. */
    private static Catalog.Partition choosePartition(Catalog.Table table, Set<String> columns) {
        Catalog.Partition best = null;
        int bestShared = -1;
        for (Catalog.Partition partition : table.partitions) {
            int shared = 0;
            for (String column : columns) {
                if (partition.columns.contains(column)) {
                    shared++;
                }
            }
            int width = partition.columns.size() + columns.size() - shared;
            if (width <= PARTITION_WIDTH && shared > bestShared) {
                best = partition;
                bestShared = shared;
            }
        }
        return best;
    }

    /** Creates a partition with the fixed columns and, in the same statement, the native columns it starts with. */
    private Catalog.Partition createPartition(Catalog.Table table, Set<String> columns) throws SQLException {
        String name = table.name + "/" + (table.partitions.size() + 1);
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + partitionTable(name) + " (event_id UUID NOT NULL, "
                + "\"time\" TIMESTAMPTZ NOT NULL, tenant VARCHAR NOT NULL, \"table\" VARCHAR NOT NULL");
        for (CommonColumn column : COMMON_COLUMNS) {
            ddl.append(", ").append(quote(column.columnName())).append(" VARCHAR");
        }
        ddl.append(", raw VARCHAR NOT NULL, source VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL, extra_fields VARCHAR");
        Catalog.Partition partition = new Catalog.Partition(name);
        for (String column : columns) {
            Catalog.Column definition = table.byName.get(column);
            ddl.append(", ").append(quote(definition.name())).append(' ').append(definition.type().sqlName());
            partition.columns.add(column);
        }
        execute(ddl.append(')').toString());
        table.partitions.add(partition);
        return partition;
    }

    private void recordPartition(Catalog.Table table, String code, Catalog.Partition partition) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO vigil_partitions (table_name, event_code, partition_name) VALUES (?, ?, ?)")) {
            insert.setString(1, table.name);
            insert.setString(2, code);
            insert.setString(3, partition.name);
            insert.executeUpdate();
        }
        table.byCode.put(code, partition);
    }

    private void replaceView(Catalog.Table table) throws SQLException {
        StringBuilder view = new StringBuilder("CREATE OR REPLACE VIEW main." + quote(table.name) + " AS ");
        for (int i = 0; i < table.partitions.size(); i++) {
            view.append(i == 0 ? "" : " UNION ALL BY NAME ")
                    .append("SELECT * FROM ").append(partitionTable(table.partitions.get(i).name));
        }
        execute(view.toString());
    }

    /**
     * An appender kept open on a partition for the rest of the transaction. DuckDB's appender moves rows into the
     * table in chunks of 2,048, and each move has a fixed cost; opening one per batch would pay it per batch and
     * partition instead.
     */
    private static final class OpenAppender {
        final DuckDBAppender appender;
        final FieldType[] types;
        final Map<String, Integer> folded = new HashMap<>();
        /** Field names repeat from event to event: each spelling is resolved once. */
        final Map<String, Integer> position = new HashMap<>();

        OpenAppender(DuckDBAppender appender, List<Catalog.Column> columns) {
            this.appender = appender;
            this.types = columns.stream().map(Catalog.Column::type).toArray(FieldType[]::new);
            for (int i = 0; i < columns.size(); i++) {
                folded.put(fold(columns.get(i).field()), i);
            }
        }

        int indexOf(String field) {
            Integer index = position.get(field);
            if (index == null) {
                index = folded.getOrDefault(fold(field), -1);
                position.put(field, index);
            }
            return index;
        }
    }

    private final Map<String, OpenAppender> appenders = new HashMap<>();
    private DuckDBAppender idAppender;

    /**
     * Moves the ids appended so far into {@code vigil_events}, so that the duplicate check of the next batch in the
     * same transaction sees them.
     */
    void flushIds() throws SQLException {
        if (idAppender != null) {
            idAppender.flush();
        }
    }

    /** Moves every open appender's rows into its table; called before a commit and before DDL on a partition. */
    void closeAppenders() throws SQLException {
        SQLException failure = null;
        for (OpenAppender open : appenders.values()) {
            try {
                open.appender.close();
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
        }
        appenders.clear();
        if (idAppender != null) {
            try {
                idAppender.close();
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
            idAppender = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeAppender(Catalog.Partition partition) throws SQLException {
        OpenAppender open = appenders.remove(partition.name);
        if (open != null) {
            open.appender.close();
        }
    }

    private OpenAppender appender(Catalog.Table table, Catalog.Partition partition) throws SQLException {
        OpenAppender open = appenders.get(partition.name);
        if (open == null) {
            List<Catalog.Column> columns = new ArrayList<>();
            for (String name : partition.columns) {
                columns.add(table.byName.get(name));
            }
            open = new OpenAppender(connection.createAppender(Catalog.PARTS_SCHEMA, partition.name), columns);
            appenders.put(partition.name, open);
        }
        return open;
    }

    private void append(Catalog.Table table, Catalog.Partition partition, List<Event> events, long ingestedAtMicros)
            throws SQLException {
        OpenAppender open = appender(table, partition);
        DuckDBAppender appender = open.appender;
        Object[] values = new Object[open.types.length];
        for (Event event : events) {
            Arrays.fill(values, null);
            Map<String, Object> extra = null;
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                Object value = field.getValue();
                if (value == null) {
                    continue;
                }
                int index = open.indexOf(field.getKey());
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
                    .append(table.name);
            for (CommonColumn column : COMMON_COLUMNS) {
                appendText(appender, event.common(column));
            }
            appender.append(event.raw())
                    .append(event.position().toString())
                    .appendEpochMicros(ingestedAtMicros);
            appendText(appender, extra == null ? null : Json.write(extra));
            for (int i = 0; i < values.length; i++) {
                appendValue(appender, open.types[i], values[i]);
            }
            appender.endRow();
        }
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

    /** Runs DDL: every schema change (a table, partition, column or view) goes through here. */
    private void execute(String sql) throws SQLException {
        evolved = true;
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Whether the schema changed since the last call; resets it. */
    boolean takeEvolved() {
        boolean was = evolved;
        evolved = false;
        return was;
    }

    /** The table's name as stored (tables are found ignoring case), or null when the tenant has no such table. */
    String storedName(String tableName) {
        Catalog.Table table = catalog.table(tableName);
        return table == null ? null : table.name;
    }

    /** The names of the tables that hold events (those with a partition, hence a view), in the catalog's order. */
    List<String> tableNames() {
        return catalog.tables().stream().filter(t -> !t.partitions.isEmpty()).map(t -> t.name).toList();
    }

    /** The native field each column of a table holds, by folded column name. */
    Map<String, String> fieldsByColumn(String tableName) {
        Catalog.Table table = catalog.table(tableName);
        Map<String, String> fields = new HashMap<>();
        if (table != null) {
            table.columns().forEach(c -> fields.put(fold(c.name()), c.field()));
        }
        return fields;
    }

}
