package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The logical plan: relational operators over typed {@link Scalar}s, independent of any SQL dialect. Every node
 * knows its output columns, each with the name queries see and the name it has in SQL.
 */
public sealed interface Plan {
    /** An output column: its KQL name, its SQL name and type. */
    record Column(String name, String sqlName, KqlType type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(sqlName, "sqlName is null");
            requireNonNull(type, "type is null");
        }

        Scalar.ColumnRef ref() {
            return new Scalar.ColumnRef(sqlName, type);
        }
    }

    record Named(Column column, Scalar value) {}

    List<Column> columns();

    /**
     * A stored table's rows of one tenant: the tenant predicate is part of every scan, and the time window's when a
     * scheduled run gives one.
     *
     * @param window the events' time range, or null for all of them
     */
    record Scan(String table, String tenant, TimeWindow window, List<Column> columns) implements Plan {
        public Scan {
            columns = List.copyOf(columns);
        }
    }

    record Filter(Plan input, Scalar predicate) implements Plan {
        @Override
        public List<Column> columns() {
            return input.columns();
        }
    }

    record Project(Plan input, List<Named> outputs) implements Plan {
        public Project {
            outputs = List.copyOf(outputs);
        }

        @Override
        public List<Column> columns() {
            return outputs.stream().map(Named::column).toList();
        }
    }

    record Aggregate(Plan input, List<Named> groups, List<Named> aggregates) implements Plan {
        public Aggregate {
            groups = List.copyOf(groups);
            aggregates = List.copyOf(aggregates);
        }

        @Override
        public List<Column> columns() {
            return java.util.stream.Stream.concat(groups.stream(), aggregates.stream()).map(Named::column).toList();
        }
    }

    /** The first row of each group by an order: {@code arg_max(x, *)}, {@code innerunique}, {@code top-nested}. */
    record FirstPerGroup(Plan input, List<Scalar> partition, List<SortKey> order) implements Plan {
        @Override
        public List<Column> columns() {
            return input.columns();
        }
    }

    record SortKey(Scalar value, boolean ascending, boolean nullsFirst) {}

    record Sort(Plan input, List<SortKey> keys) implements Plan {
        @Override
        public List<Column> columns() {
            return input.columns();
        }
    }

    record Limit(Plan input, Scalar count) implements Plan {
        @Override
        public List<Column> columns() {
            return input.columns();
        }
    }

    record Distinct(Plan input) implements Plan {
        @Override
        public List<Column> columns() {
            return input.columns();
        }
    }

    public enum JoinKind { INNER, LEFT_OUTER, RIGHT_OUTER, FULL_OUTER, LEFT_SEMI, LEFT_ANTI, RIGHT_SEMI, RIGHT_ANTI }

    /** A join on equal keys; {@code outputs} name the left columns as {@code l.x} and the right as {@code r.x}. */
    record Join(Plan left, Plan right, JoinKind kind, List<Scalar> leftKeys, List<Scalar> rightKeys,
            List<Column> columns, List<String> sources) implements Plan {}

    /** Rows of every input, matched by column name; a column an input lacks is null there. */
    record Union(List<Plan> inputs, List<Column> columns) implements Plan {}

    /** One row per element of the dynamic arrays in the columns (by SQL name). */
    record Expand(Plan input, List<String> sqlColumns, Scalar limit) implements Plan {
        @Override
        public List<Column> columns() {
            return input.columns();
        }
    }

    record Values(List<Column> columns, List<List<Scalar>> rows) implements Plan {}

    record Sample(Plan input, Scalar count) implements Plan {
        @Override
        public List<Column> columns() {
            return input.columns();
        }
    }
}
