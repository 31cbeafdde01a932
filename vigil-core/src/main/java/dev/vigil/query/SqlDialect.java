package dev.vigil.query;

import java.util.function.Function;

/**
 * How a SQL engine writes the plan's scalars: identifiers, constants, functions and aggregates. The relational shape
 * (SELECT, WHERE, GROUP BY, JOIN, UNION) is common SQL and written by {@link SqlGenerator}; what differs between
 * engines (DuckDB here; Spark SQL for the scale-out store) is behind this interface.
 */
public interface SqlDialect {
    String name();

    String quote(String identifier);

    /** A constant of the type: String, Long, Double, Boolean, datetime text, microseconds, JSON text, or null. */
    String constant(Object value, KqlType type);

    /** A scalar function call; {@code render} writes any argument. */
    String apply(Scalar.Apply apply, Function<Scalar, String> render);

    String aggregate(Scalar.Aggregate aggregate, Function<Scalar, String> render);

    /** One row per element of the dynamic (array) column, in a SELECT list. */
    String unnest(String column);

    /** The clause that draws {@code count} random rows, or null if the engine needs ORDER BY random(). */
    String sample(String count);

    String typeName(KqlType type);
}
