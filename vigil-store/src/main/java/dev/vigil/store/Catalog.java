package dev.vigil.store;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.FieldType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory picture of one tenant's event tables, mirroring {@code vigil_columns}, {@code vigil_partitions} and
 * the partitions' own columns; it is changed only together with the DDL it describes.
 *
 * <p>An event table such as {@code SecurityEvent} is what users query: a view over physical partitions in the
 * {@code parts} schema. Each event code (Windows event id, CEF class id, ...) is assigned to one partition, chosen
 * among those whose columns it shares most, so that a partition holds event kinds of similar shape. A row then pays
 * only for the columns of its own kind, not for the hundreds that the other kinds of the table bring; DuckDB's cost
 * per row grows with a table's width, nulls included.
 *
 * <p>DuckDB folds identifier case, so field names that differ only in case ({@code ProcessId}, {@code ProcessID})
 * share a column, named as first seen. A native field whose name clashes with a fixed column ({@code User} and the
 * common {@code user}) is stored as {@code <name>_native}; the catalog keeps the native name beside it.
 */
final class Catalog {
    /** The columns every partition starts with, in order. */
    static final List<String> FIXED_COLUMNS;
    static final Set<String> RESERVED;
    static final String PARTS_SCHEMA = "parts";

    static {
        List<String> fixed = new ArrayList<>(List.of("event_id", "time", "tenant", "table"));
        for (CommonColumn column : CommonColumn.values()) {
            fixed.add(column.columnName());
        }
        fixed.addAll(List.of("raw", "source", "ingested_at", "extra_fields"));
        FIXED_COLUMNS = List.copyOf(fixed);
        java.util.HashSet<String> reserved = new java.util.HashSet<>();
        for (String column : FIXED_COLUMNS) {
            reserved.add(fold(column));
        }
        RESERVED = Set.copyOf(reserved);
    }

    /** A native column of a table: its stored name, the native field it holds and its type, the same in all parts. */
    record Column(String name, String field, FieldType type) {}

    /** A physical partition: its name in the {@code parts} schema and the native columns it has. */
    static final class Partition {
        final String name;
        final Set<String> columns = new LinkedHashSet<>(); // folded column names

        Partition(String name) {
            this.name = name;
        }
    }

    /** An event table: its native columns and its partitions. */
    static final class Table {
        final String name;
        final Map<String, Column> byField = new LinkedHashMap<>(); // folded field name
        final Map<String, Column> byName = new LinkedHashMap<>(); // folded column name
        final List<Partition> partitions = new ArrayList<>();
        final Map<String, Partition> byCode = new HashMap<>();

        Table(String name) {
            this.name = name;
        }

        /** Columns by the exact spelling of a field: spellings repeat from event to event, folding them does not. */
        private final Map<String, Column> bySpelling = new HashMap<>();

        Column column(String field) {
            Column column = bySpelling.get(field);
            if (column == null) {
                column = byField.get(fold(field));
                if (column != null && bySpelling.size() < 100_000) {
                    bySpelling.put(field, column);
                }
            }
            return column;
        }

        Collection<Column> columns() {
            return byField.values();
        }
    }

    private final Map<String, Table> tables = new LinkedHashMap<>();

    Table table(String name) {
        return tables.get(fold(name));
    }

    Collection<Table> tables() {
        return tables.values();
    }

    Table addTable(String name) {
        return tables.computeIfAbsent(fold(name), k -> new Table(name));
    }

    void putColumn(Table table, Column column) {
        table.byField.put(fold(column.field()), column);
        table.byName.put(fold(column.name()), column);
        table.bySpelling.clear(); // a widened column replaces the one cached under every spelling
    }

    /** The column name for a new native field: the field's own name unless it clashes with a fixed or used one. */
    static String columnNameFor(Table table, String field) {
        String name = RESERVED.contains(fold(field)) ? field + "_native" : field;
        String candidate = name;
        int n = 2;
        while (table.byName.containsKey(fold(candidate))) {
            candidate = name + "_" + n++;
        }
        return candidate;
    }

    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String partitionTable(String partition) {
        return PARTS_SCHEMA + "." + quote(partition);
    }
}
