package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The stored tables a query can read, with their columns. The store implements it from its own catalog
 * ({@code vigil_columns}); tests use {@link #of}. The Defender-shaped views ({@link DefenderViews}) are defined over
 * these tables by the compiler, not by the catalog.
 */
public interface HuntCatalog {
    /**
     * A column of a stored table.
     *
     * @param name the name queries use (the source's native field name)
     * @param sqlName the stored column's name
     */
    record Column(String name, String sqlName, KqlType type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(sqlName, "sqlName is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A stored table: its name in SQL and queries, and its columns. */
    record Table(String name, List<Column> columns) {
        public Table {
            requireNonNull(name, "name is null");
            columns = List.copyOf(columns);
        }

        /** The column of that name: exactly as written, else ignoring case; empty if none. */
        public Optional<Column> column(String columnName) {
            for (Column column : columns) {
                if (column.name().equals(columnName)) {
                    return Optional.of(column);
                }
            }
            return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
        }
    }

    /** The table of that name, exactly as written, else ignoring case. */
    Optional<Table> table(String name);

    /** Every stored table's name. */
    Collection<String> tableNames();

    /** A fixed catalog over the given tables. */
    static HuntCatalog of(List<Table> tables) {
        List<Table> copy = List.copyOf(tables);
        return new HuntCatalog() {
            @Override
            public Optional<Table> table(String name) {
                return copy.stream().filter(t -> t.name().equals(name)).findFirst()
                        .or(() -> copy.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst());
            }

            @Override
            public Collection<String> tableNames() {
                return copy.stream().map(Table::name).toList();
            }
        };
    }
}
