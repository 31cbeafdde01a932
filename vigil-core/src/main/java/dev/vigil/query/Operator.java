package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A tabular operator after a {@code |}. */
public sealed interface Operator {
    /** {@code name = value}, or a bare {@code value} whose column name KQL derives (name is then null). */
    record Assignment(String name, Expression value) {
        public Assignment {
            requireNonNull(value, "value is null");
        }
    }

    /** A sort key; KQL sorts descending unless told otherwise. {@code nullsFirst} is null when not written. */
    record OrderKey(Expression value, boolean ascending, boolean explicitDirection, Boolean nullsFirst) {
        public OrderKey {
            requireNonNull(value, "value is null");
        }
    }

    record Where(Expression predicate) implements Operator {
        public Where {
            requireNonNull(predicate, "predicate is null");
        }
    }

    record Project(List<Assignment> columns) implements Operator {
        public Project {
            columns = List.copyOf(columns);
        }
    }

    /** Column names, each possibly with {@code *} wildcards. */
    record ProjectAway(List<String> patterns) implements Operator {
        public ProjectAway {
            patterns = List.copyOf(patterns);
        }
    }

    record ProjectKeep(List<String> patterns) implements Operator {
        public ProjectKeep {
            patterns = List.copyOf(patterns);
        }
    }

    record ProjectReorder(List<String> patterns) implements Operator {
        public ProjectReorder {
            patterns = List.copyOf(patterns);
        }
    }

    record Rename(String newName, String oldName) {
        public Rename {
            requireNonNull(newName, "newName is null");
            requireNonNull(oldName, "oldName is null");
        }
    }

    record ProjectRename(List<Rename> renames) implements Operator {
        public ProjectRename {
            renames = List.copyOf(renames);
        }
    }

    record Extend(List<Assignment> columns) implements Operator {
        public Extend {
            columns = List.copyOf(columns);
        }
    }

    record Summarize(List<Expression.NamedArgument> hints, List<Assignment> aggregates, List<Assignment> groups)
            implements Operator {
        public Summarize {
            hints = List.copyOf(hints);
            aggregates = List.copyOf(aggregates);
            groups = List.copyOf(groups);
        }
    }

    record Top(Expression count, OrderKey key) implements Operator {
        public Top {
            requireNonNull(count, "count is null");
            requireNonNull(key, "key is null");
        }
    }

    /** {@code sort by} or {@code order by} (the keyword is kept for formatting). */
    record Sort(String keyword, List<OrderKey> keys) implements Operator {
        public Sort {
            requireNonNull(keyword, "keyword is null");
            keys = List.copyOf(keys);
        }
    }

    /** {@code take} or {@code limit}. */
    record Take(String keyword, Expression count) implements Operator {
        public Take {
            requireNonNull(keyword, "keyword is null");
            requireNonNull(count, "count is null");
        }
    }

    /** {@code distinct a, b} or {@code distinct *} (columns then holds one {@link Expression.Star}). */
    record Distinct(List<Expression> columns) implements Operator {
        public Distinct {
            columns = List.copyOf(columns);
        }
    }

    record Count() implements Operator {}

    /**
     * {@code join kind=K (right) on keys}. A key is a column name present on both sides, or
     * {@code $left.a == $right.b}. {@code kind} is null when not written (KQL's default is innerunique).
     */
    record Join(String kind, List<Expression.NamedArgument> hints, Expression right, List<Expression> on)
            implements Operator {
        public Join {
            hints = List.copyOf(hints);
            requireNonNull(right, "right is null");
            on = List.copyOf(on);
        }
    }

    /** {@code lookup kind=K (right) on keys}: a join that keeps every left row by default. */
    record Lookup(String kind, Expression right, List<Expression> on) implements Operator {
        public Lookup {
            requireNonNull(right, "right is null");
            on = List.copyOf(on);
        }
    }

    record Union(List<Expression.NamedArgument> options, List<Expression> tables) implements Operator {
        public Union {
            options = List.copyOf(options);
            tables = List.copyOf(tables);
        }
    }

    /** A piece of a parse pattern: a literal to match, {@code *} to skip, or a column to extract. */
    sealed interface ParsePart {
        record Text(String value) implements ParsePart {}

        record Skip() implements ParsePart {}

        record Column(String name, String type) implements ParsePart {}
    }

    /** {@code parse [kind=simple|regex|relaxed] source with pattern}. */
    record Parse(String kind, Expression source, List<ParsePart> pattern) implements Operator {
        public Parse {
            requireNonNull(source, "source is null");
            pattern = List.copyOf(pattern);
        }
    }

    /** One expanded column of mv-expand, with its target type if given ({@code to typeof(string)}). */
    record ExpandItem(Assignment column, String toType) {
        public ExpandItem {
            requireNonNull(column, "column is null");
        }
    }

    record MvExpand(List<Expression.NamedArgument> options, List<ExpandItem> items, Expression limit)
            implements Operator {
        public MvExpand {
            options = List.copyOf(options);
            items = List.copyOf(items);
        }
    }

    /** {@code mv-apply items on (operators)}: the operators run on each row's expanded items. */
    record MvApply(List<ExpandItem> items, List<Operator> subquery) implements Operator {
        public MvApply {
            items = List.copyOf(items);
            subquery = List.copyOf(subquery);
        }
    }

    /** {@code render chart with (k = v, ...)}: a hint for how to draw the result; it does not change rows. */
    record Render(String chart, List<Expression.NamedArgument> properties) implements Operator {
        public Render {
            requireNonNull(chart, "chart is null");
            properties = List.copyOf(properties);
        }
    }

    /** {@code as name}: names the result for later reference; rows pass unchanged. */
    record As(String name) implements Operator {
        public As {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code invoke function(args)}: calls a tabular function with the input as its first argument. */
    record Invoke(Expression.Call call) implements Operator {
        public Invoke {
            requireNonNull(call, "call is null");
        }
    }

    /** {@code evaluate plugin(args)}. */
    record Evaluate(List<Expression.NamedArgument> hints, Expression.Call call) implements Operator {
        public Evaluate {
            hints = List.copyOf(hints);
            requireNonNull(call, "call is null");
        }
    }

    record Serialize(List<Assignment> columns) implements Operator {
        public Serialize {
            columns = List.copyOf(columns);
        }
    }

    record Sample(Expression count) implements Operator {
        public Sample {
            requireNonNull(count, "count is null");
        }
    }

    record GetSchema() implements Operator {}

    /**
     * {@code make-series aggregates on axis from a to b step c by groups} (or {@code in range(a, b, c)}); bounds that
     * were not written are null.
     */
    record MakeSeries(List<Assignment> aggregates, Expression axis, Expression from, Expression to, Expression step,
            List<Assignment> groups) implements Operator {
        public MakeSeries {
            aggregates = List.copyOf(aggregates);
            requireNonNull(axis, "axis is null");
            requireNonNull(step, "step is null");
            groups = List.copyOf(groups);
        }
    }
}
