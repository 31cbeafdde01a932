package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A table of an answer. Cells are strings, numbers, booleans or null, so that JSON keeps their types.
 *
 * @param title what the rows are
 * @param columns column names
 * @param rows rows, each as long as {@code columns}
 */
public record Table(String title, List<String> columns, List<List<Object>> rows) {
    public Table {
        requireNonNull(title, "title is null");
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("table '" + title + "' has " + columns.size() + " columns but a row of "
                        + row.size() + " cells: " + row);
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The values of one column, in row order. */
    public List<Object> column(String name) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("table '" + title + "' has no column " + name + "; it has " + columns);
        }
        return rows.stream().map(r -> r.get(index)).toList();
    }
}
