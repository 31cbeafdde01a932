package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A typed, resolved scalar expression of the logical plan: what the analyzer makes of a KQL expression once names
 * are bound to columns and functions to {@link SqlFunction}s. The dialect renders it.
 */
public sealed interface Scalar {
    KqlType type();

    /** A column of the input, by its SQL name. */
    record ColumnRef(String sqlName, KqlType type) implements Scalar {
        public ColumnRef {
            requireNonNull(sqlName, "sqlName is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * A constant: String, Long, Double, Boolean, a datetime's text (DATETIME), microseconds as a Long (TIMESPAN),
     * JSON text (DYNAMIC), or null.
     */
    record Constant(Object value, KqlType type) implements Scalar {
        public Constant {
            requireNonNull(type, "type is null");
        }
    }

    record Apply(SqlFunction function, List<Scalar> arguments, KqlType type) implements Scalar {
        public Apply {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(arguments);
            requireNonNull(type, "type is null");
        }
    }

    /** The first column of a plan: as a scalar (first row), or as a set for {@code in}. */
    record Subquery(Plan plan, KqlType type) implements Scalar {
        public Subquery {
            requireNonNull(plan, "plan is null");
            requireNonNull(type, "type is null");
        }
    }

    /** An aggregate over the input's rows (only in {@link Plan.Aggregate}). */
    record Aggregate(SqlAggregate function, List<Scalar> arguments, KqlType type) implements Scalar {
        public Aggregate {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(arguments);
        }
    }
}
