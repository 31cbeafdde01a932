package dev.vigil.store;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.FieldType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory picture of one tenant's tables: which native field is stored in which column, with what type. It
 * mirrors {@code vigil_columns} and is only changed together with the DDL that it describes.
 *
 * <p>DuckDB folds identifier case, so field names that differ only in case ({@code ProcessId}, {@code ProcessID})
 * share a column, named as first seen. A native field whose name clashes with a fixed column ({@code User} and the
 * common {@code user}) is stored as {@code <name>_native}; the catalog keeps the mapping so that queries can use the
 * native name.
 */
final class Catalog {
    /** The columns every event table starts with, in order. */
    static final List<String> FIXED_COLUMNS;
    static final Set<String> RESERVED;

    static {
        List<String> fixed = new ArrayList<>(List.of("event_id", "time", "tenant", "table"));
        for (CommonColumn column : CommonColumn.values()) {
            fixed.add(column.columnName());
        }
        fixed.addAll(List.of("raw", "source", "ingested_at", "extra_fields"));
        FIXED_COLUMNS = List.copyOf(fixed);
        java.util.HashSet<String> reserved = new java.util.HashSet<>();
        for (String column : FIXED_COLUMNS) {
            reserved.add(column.toLowerCase(Locale.ROOT));
        }
        RESERVED = Set.copyOf(reserved);
    }

    /** One native column. */
    record Column(String name, String field, FieldType type) {}

    /** Native columns per table, in creation order. */
    private final Map<String, LinkedHashMap<String, Column>> byTable = new HashMap<>();
    /** Lower-cased field name to column, per table. */
    private final Map<String, Map<String, Column>> byFieldFolded = new HashMap<>();

    boolean hasTable(String table) {
        return byTable.containsKey(table.toLowerCase(Locale.ROOT));
    }

    void addTable(String table) {
        byTable.putIfAbsent(table.toLowerCase(Locale.ROOT), new LinkedHashMap<>());
        byFieldFolded.putIfAbsent(table.toLowerCase(Locale.ROOT), new HashMap<>());
    }

    Column column(String table, String field) {
        Map<String, Column> folded = byFieldFolded.get(table.toLowerCase(Locale.ROOT));
        return folded == null ? null : folded.get(field.toLowerCase(Locale.ROOT));
    }

    int columnCount(String table) {
        Map<String, Column> columns = byTable.get(table.toLowerCase(Locale.ROOT));
        return columns == null ? 0 : columns.size();
    }

    List<Column> columns(String table) {
        Map<String, Column> columns = byTable.get(table.toLowerCase(Locale.ROOT));
        return columns == null ? List.of() : List.copyOf(columns.values());
    }

    void put(String table, Column column) {
        addTable(table);
        byTable.get(table.toLowerCase(Locale.ROOT)).put(column.name().toLowerCase(Locale.ROOT), column);
        byFieldFolded.get(table.toLowerCase(Locale.ROOT)).put(column.field().toLowerCase(Locale.ROOT), column);
    }

    /** The column name for a new native field: the field's own name unless it clashes with a fixed column. */
    String columnNameFor(String table, String field) {
        String name = RESERVED.contains(field.toLowerCase(Locale.ROOT)) ? field + "_native" : field;
        Map<String, Column> columns = byTable.get(table.toLowerCase(Locale.ROOT));
        String candidate = name;
        int n = 2;
        while (columns != null && columns.containsKey(candidate.toLowerCase(Locale.ROOT))) {
            candidate = name + "_" + n++;
        }
        return candidate;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
