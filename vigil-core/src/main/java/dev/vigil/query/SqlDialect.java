package dev.vigil.query;

import java.util.List;
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

    /** The count of a LIMIT clause, rendered; an engine that wants another integer type casts it. */
    default String limit(String count) {
        return count;
    }

    /**
     * The join keyword of a kind; a right semi or anti join is written with its sides swapped, so it gets the left
     * form's keyword.
     */
    default String join(Plan.JoinKind kind) {
        return switch (kind) {
            case INNER -> "JOIN";
            case LEFT_OUTER -> "LEFT JOIN";
            case RIGHT_OUTER -> "RIGHT JOIN";
            case FULL_OUTER -> "FULL JOIN";
            case LEFT_SEMI, RIGHT_SEMI -> "SEMI JOIN";
            case LEFT_ANTI, RIGHT_ANTI -> "ANTI JOIN";
        };
    }

    /**
     * The first row of each group: {@code from}'s rows where {@code rowNumber} (a {@code row_number() OVER (...)}
     * call) is 1, with the input's columns.
     *
     * @param columns the input's columns, quoted, for engines that must name them
     */
    default String firstPerGroup(String from, String rowNumber, List<String> columns) {
        return "SELECT *\nFROM " + from + "\nQUALIFY " + rowNumber + " = 1";
    }

    /**
     * One row per element of the dynamic arrays in {@code expanded} (arrays of one row expand side by side), the
     * other columns repeated.
     *
     * @param columns every column of the input by SQL name, in order
     * @param expanded the columns to expand, by SQL name
     */
    default String expand(String from, List<String> columns, List<String> expanded) {
        StringBuilder replaced = new StringBuilder();
        for (String column : expanded) {
            replaced.append(replaced.isEmpty() ? "" : ", ").append(unnest(quote(column))).append(" AS ").append(quote(column));
        }
        return "SELECT * REPLACE (" + replaced + ")\nFROM " + from;
    }
}
