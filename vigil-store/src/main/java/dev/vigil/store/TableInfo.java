package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An event table as stored: its name, row count and columns.
 *
 * @param columns in storage order: the common columns first, then native fields in the order first seen
 */
public record TableInfo(String name, long rows, List<ColumnInfo> columns) {
    public TableInfo {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
    }

    /**
     * @param kind {@code common} for the normalized columns every table has, {@code native} for the source's fields
     * @param field the native field name the column holds (differs from the column name only on a clash)
     */
    public record ColumnInfo(String name, String type, String kind, String field) {}
}
