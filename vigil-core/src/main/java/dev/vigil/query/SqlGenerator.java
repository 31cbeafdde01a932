package dev.vigil.query;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a logical plan as one SQL SELECT statement: each plan node a SELECT over its input as a derived table,
 * which the engine's optimizer flattens (filters and projections move down to the scans). Engine differences go
 * through the {@link SqlDialect}. The output is a single read-only query by construction: the generator writes no
 * other kind of statement.
 */
final class SqlGenerator {
    private final SqlDialect dialect;
    private int aliases;

    SqlGenerator(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The whole query, its columns labelled with their KQL names. */
    String statement(Plan plan) {
        boolean renamed = plan.columns().stream().anyMatch(c -> !c.name().equals(c.sqlName()));
        if (!renamed) {
            return select(plan);
        }
        String columns = plan.columns().stream().map(c -> dialect.quote(c.sqlName())
                + (c.name().equals(c.sqlName()) ? "" : " AS " + dialect.quote(c.name()))).collect(Collectors.joining(", "));
        return "SELECT " + columns + "\nFROM " + derived(plan);
    }

    private String derived(Plan plan) {
        if (plan instanceof Plan.Scan scan && scan.tenant() == null) {
            return dialect.quote(scan.table());
        }
        return "(\n" + indent(select(plan)) + "\n) AS t" + (++aliases);
    }

    String select(Plan plan) {
        return switch (plan) {
            case Plan.Scan scan -> "SELECT *\nFROM " + dialect.quote(scan.table()) + "\nWHERE " + tenantPredicate(scan);
            case Plan.Filter filter -> filter.input() instanceof Plan.Scan scan
                    ? "SELECT *\nFROM " + dialect.quote(scan.table()) + "\nWHERE " + tenantPredicate(scan) + " AND "
                            + scalar(filter.predicate())
                    : "SELECT *\nFROM " + derived(filter.input()) + "\nWHERE " + scalar(filter.predicate());
            case Plan.Project project -> "SELECT " + project.outputs().stream()
                    .map(n -> scalar(n.value()) + " AS " + dialect.quote(n.column().sqlName()))
                    .collect(Collectors.joining(",\n  ")) + "\nFROM " + derived(project.input());
            case Plan.Aggregate aggregate -> {
                List<String> items = new ArrayList<>();
                for (Plan.Named group : aggregate.groups()) {
                    items.add(scalar(group.value()) + " AS " + dialect.quote(group.column().sqlName()));
                }
                for (Plan.Named value : aggregate.aggregates()) {
                    items.add(scalar(value.value()) + " AS " + dialect.quote(value.column().sqlName()));
                }
                StringBuilder sql = new StringBuilder("SELECT ").append(String.join(",\n  ", items))
                        .append("\nFROM ").append(derived(aggregate.input()));
                if (!aggregate.groups().isEmpty()) {
                    List<String> positions = new ArrayList<>();
                    for (int i = 1; i <= aggregate.groups().size(); i++) {
                        positions.add(String.valueOf(i));
                    }
                    sql.append("\nGROUP BY ").append(String.join(", ", positions));
                }
                yield sql.toString();
            }
            case Plan.FirstPerGroup first -> dialect.firstPerGroup(derived(first.input()), "row_number() OVER ("
                    + (first.partition().isEmpty() ? "" : "PARTITION BY " + first.partition().stream().map(this::scalar)
                    .collect(Collectors.joining(", ")))
                    + (first.order().isEmpty() ? "" : " ORDER BY " + orderBy(first.order())) + ")",
                    first.columns().stream().map(c -> dialect.quote(c.sqlName())).toList());
            case Plan.Sort sort -> "SELECT *\nFROM " + derived(sort.input()) + "\nORDER BY " + orderBy(sort.keys());
            case Plan.Limit limit -> limit.input() instanceof Plan.Sort sort
                    ? "SELECT *\nFROM " + derived(sort.input()) + "\nORDER BY " + orderBy(sort.keys()) + "\nLIMIT "
                            + dialect.limit(scalar(limit.count()))
                    : "SELECT *\nFROM " + derived(limit.input()) + "\nLIMIT " + dialect.limit(scalar(limit.count()));
            case Plan.Distinct distinct -> "SELECT DISTINCT *\nFROM " + derived(distinct.input());
            case Plan.Join join -> join(join);
            case Plan.Union union -> union.inputs().stream().map(input -> "(" + select(input) + ")")
                    .collect(Collectors.joining("\nUNION ALL\n"));
            case Plan.Expand expand -> dialect.expand(derived(expand.input()),
                    expand.columns().stream().map(Plan.Column::sqlName).toList(), expand.sqlColumns())
                    + (expand.limit() == null ? "" : "\nLIMIT " + dialect.limit(scalar(expand.limit())));
            case Plan.Values values -> values(values);
            case Plan.Sample sample -> "SELECT *\nFROM " + derived(sample.input()) + "\n"
                    + dialect.sample(scalar(sample.count()));
        };
    }

    private String tenantPredicate(Plan.Scan scan) {
        String tenant = dialect.quote("tenant") + " = " + dialect.constant(scan.tenant(), KqlType.STRING);
        if (scan.window() == null) {
            return tenant;
        }
        return tenant + " AND " + dialect.quote("time") + " >= " + dialect.constant(scan.window().start().toString(),
                KqlType.DATETIME) + " AND " + dialect.quote("time") + " < " + dialect.constant(
                scan.window().end().toString(), KqlType.DATETIME);
    }

    private String join(Plan.Join join) {
        String left = derived(join.left());
        int leftAlias = aliases;
        String right = derived(join.right());
        int rightAlias = aliases;
        String keyword = dialect.join(join.kind());
        boolean swapped = join.kind() == Plan.JoinKind.RIGHT_SEMI || join.kind() == Plan.JoinKind.RIGHT_ANTI;
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < join.leftKeys().size(); i++) {
            conditions.add(qualified("t" + leftAlias, join.leftKeys().get(i)) + " = "
                    + qualified("t" + rightAlias, join.rightKeys().get(i)));
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < join.columns().size(); i++) {
            String source = join.sources().get(i);
            String alias = source.startsWith("l.") ? "t" + leftAlias : "t" + rightAlias;
            items.add(alias + "." + dialect.quote(source.substring(2)) + " AS "
                    + dialect.quote(join.columns().get(i).sqlName()));
        }
        String on = conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
        return "SELECT " + String.join(",\n  ", items) + "\nFROM " + (swapped ? right + "\n" + keyword + " " + left
                : left + "\n" + keyword + " " + right) + "\nON " + on;
    }

    /** A key over one side of a join: column references get that side's alias. */
    private String qualified(String alias, Scalar key) {
        return key instanceof Scalar.ColumnRef column ? alias + "." + dialect.quote(column.sqlName()) : scalar(key);
    }

    private String values(Plan.Values values) {
        String names = values.columns().stream().map(c -> dialect.quote(c.sqlName())).collect(Collectors.joining(", "));
        if (values.rows().isEmpty()) {
            return "SELECT " + values.columns().stream().map(c -> dialect.constant(null, c.type()) + " AS "
                    + dialect.quote(c.sqlName())).collect(Collectors.joining(", ")) + "\nWHERE FALSE";
        }
        String rows = values.rows().stream().map(row -> "(" + row.stream().map(this::scalar)
                .collect(Collectors.joining(", ")) + ")").collect(Collectors.joining(",\n  "));
        return "SELECT *\nFROM (VALUES\n  " + rows + ") AS t" + (++aliases) + "(" + names + ")";
    }

    private String orderBy(List<Plan.SortKey> keys) {
        return keys.stream().map(k -> scalar(k.value()) + (k.ascending() ? " ASC" : " DESC")
                + (k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST")).collect(Collectors.joining(", "));
    }

    String scalar(Scalar scalar) {
        return switch (scalar) {
            case Scalar.ColumnRef column -> dialect.quote(column.sqlName());
            case Scalar.Constant constant -> dialect.constant(constant.value(), constant.type());
            case Scalar.Apply apply -> dialect.apply(apply, this::scalar);
            case Scalar.Aggregate aggregate -> dialect.aggregate(aggregate, this::scalar);
            case Scalar.Subquery subquery -> {
                Plan.Column first = subquery.plan().columns().get(0);
                yield "(SELECT " + dialect.quote(first.sqlName()) + " FROM " + derived(subquery.plan()) + ")";
            }
        };
    }

    private static String indent(String sql) {
        return sql.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    }
}
