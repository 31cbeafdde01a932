package dev.vigil.query;

import dev.vigil.query.Expression.Literal;
import dev.vigil.query.Operator.Assignment;
import dev.vigil.query.Plan.Column;
import dev.vigil.query.Plan.Named;
import dev.vigil.query.Scalar.Apply;
import dev.vigil.query.Scalar.Constant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Semantic analysis: binds a parsed query's names to the catalog's tables and columns, the Defender views and its own
 * let statements, checks and infers types, and builds the logical plan. Errors name the line:column of the node, what
 * was found and what was expected; an unknown table or column gets the nearest known name.
 */
final class Analyzer {
    /** What a let-bound name stands for. */
    private sealed interface Binding {
        record Tabular(Expression expression, Scope scope) implements Binding {}

        record Value(Scalar value) implements Binding {}

        record Function(Expression.FunctionLiteral function, Scope scope) implements Binding {}

        record Plan(dev.vigil.query.Plan plan) implements Binding {}
    }

    /** Let-bound names, innermost first. */
    static final class Scope {
        final Scope parent;
        final Map<String, Binding> bindings = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        Binding find(String name) {
            for (Scope scope = this; scope != null; scope = scope.parent) {
                Binding binding = scope.bindings.get(name);
                if (binding != null) {
                    return binding;
                }
            }
            return null;
        }

        Set<String> names() {
            Set<String> names = new LinkedHashSet<>();
            for (Scope scope = this; scope != null; scope = scope.parent) {
                names.addAll(scope.bindings.keySet());
            }
            return names;
        }
    }

    /** The columns an expression sees: the input's, plus columns defined earlier in the same operator. */
    record Row(List<Column> columns, Map<String, Scalar> defined, boolean aggregating) {
        static Row of(Plan plan) {
            return new Row(plan.columns(), Map.of(), false);
        }
    }

    private final HuntCatalog catalog;
    private final DefenderViews views;
    private final String tenant;
    private final ParsedQuery parsed;
    private final TimeWindow window;
    private String chart;
    private int depth;

    Analyzer(HuntCatalog catalog, DefenderViews views, String tenant, ParsedQuery parsed, TimeWindow window) {
        this.catalog = catalog;
        this.views = views;
        this.tenant = tenant;
        this.parsed = parsed;
        this.window = window;
    }

    /** The window a scheduled run is bound to, or null: then {@code now()} is the clock's. */
    TimeWindow window() {
        return window;
    }

    String chart() {
        return chart;
    }

    Plan analyze(Map<String, Object> parameters) {
        Scope scope = new Scope(null);
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            scope.bindings.put(parameter.getKey(), new Binding.Value(constantOf(parameter.getValue())));
        }
        return body(parsed.statements(), scope, null);
    }

    private static Constant constantOf(Object value) {
        return switch (value) {
            case null -> new Constant(null, KqlType.STRING);
            case Long l -> new Constant(l, KqlType.LONG);
            case Integer i -> new Constant(i.longValue(), KqlType.LONG);
            case Double d -> new Constant(d, KqlType.REAL);
            case Boolean b -> new Constant(b, KqlType.BOOL);
            case java.time.Instant instant -> new Constant(instant.toString(), KqlType.DATETIME);
            case java.time.Duration duration -> new Constant(duration.toNanos() / 1000, KqlType.TIMESPAN);
            default -> new Constant(value.toString(), KqlType.STRING);
        };
    }

    private Plan body(List<Statement> statements, Scope scope, Statement.Query[] last) {
        Plan result = null;
        for (Statement statement : statements) {
            switch (statement) {
                case Statement.Let let -> scope.bindings.put(let.name(), bind(let.value(), scope));
                case Statement.Set set -> {
                    // request options (e.g. query_now) do not change what the query reads
                }
                case Statement.DeclareParameters declare -> {
                    for (Expression.ColumnDeclaration parameter : declare.parameters()) {
                        KqlType declared = KqlType.of(parameter.type());
                        if (scope.find(parameter.name()) instanceof Binding.Value given && declared != null
                                && given.value().type() != declared) {
                            // a value passed from outside (--param) takes the type the query declares
                            scope.bindings.put(parameter.name(), new Binding.Value(convert(given.value(), declared)));
                        } else if (scope.find(parameter.name()) == null) {
                            if (parameter.defaultValue() == null) {
                                throw error(declare, "query parameter '" + parameter.name() + "' has no value",
                                        "Pass it with --param " + parameter.name() + "=VALUE.");
                            }
                            scope.bindings.put(parameter.name(), new Binding.Value(scalar(parameter.defaultValue(),
                                    new Row(List.of(), Map.of(), false), scope)));
                        }
                    }
                }
                case Statement.Query query -> result = tabular(query.expression(), scope);
            }
        }
        if (result == null) {
            throw new KqlSyntaxException(0, 0, "the query has no tabular expression");
        }
        return result;
    }

    /** A let value: a function, a tabular expression, or a scalar. */
    private Binding bind(Expression value, Scope scope) {
        if (value instanceof Expression.FunctionLiteral function) {
            return new Binding.Function(function, scope);
        }
        if (isTabular(value, scope)) {
            return new Binding.Tabular(value, scope);
        }
        return new Binding.Value(scalar(value, new Row(List.of(), Map.of(), false), scope));
    }

    private boolean isTabular(Expression expression, Scope scope) {
        return switch (expression) {
            case Expression.Pipe pipe -> true;
            case Expression.Union union -> true;
            case Expression.Datatable table -> true;
            case Expression.ExternalData data -> true;
            case Expression.Print print -> true;
            case Expression.Range range -> true;
            case Expression.Search search -> true;
            case Expression.Parenthesized p -> isTabular(p.inner(), scope);
            case Expression.Name name -> {
                Binding binding = scope.find(name.name());
                yield binding instanceof Binding.Tabular || binding instanceof Binding.Plan
                        || binding == null && (views.view(name.name()).isPresent() || catalog.table(name.name()).isPresent());
            }
            case Expression.Call call -> switch (call.function()) {
                case "materialize", "table", "view" -> true;
                default -> scope.find(call.function()) instanceof Binding.Function function
                        && !function.function().body().isEmpty()
                        && function.function().body().get(function.function().body().size() - 1)
                                instanceof Statement.Query q && isTabular(q.expression(), new Scope(function.scope()));
            };
            default -> false;
        };
    }

    // --- tabular ------------------------------------------------------------------------------------------------

    Plan tabular(Expression expression, Scope scope) {
        if (++depth > 200) {
            throw error(expression, "the query nests too deeply (or a let refers to itself)", null);
        }
        try {
            return switch (expression) {
                case Expression.Pipe pipe -> operator(tabular(pipe.source(), scope), pipe.operator(), scope);
                case Expression.Parenthesized p -> tabular(p.inner(), scope);
                case Expression.Name name -> table(name, scope);
                case Expression.Union union -> union(union.options(), union.tables(), null, scope, union);
                case Expression.Datatable table -> datatable(table, scope);
                case Expression.Print print -> {
                    List<Column> columns = new ArrayList<>();
                    List<Scalar> row = new ArrayList<>();
                    Row empty = new Row(List.of(), Map.of(), false);
                    int index = 0;
                    for (Assignment assignment : print.columns()) {
                        Scalar value = scalar(assignment.value(), empty, scope);
                        String name = assignment.name() != null ? assignment.name() : "print_" + index;
                        index++;
                        columns.add(new Column(name, name, value.type()));
                        row.add(value);
                    }
                    yield new Plan.Values(columns, List.of(row));
                }
                case Expression.ExternalData data -> throw error(data, "externaldata reads from the internet, which "
                        + "Vigil does not do: it runs offline", "Import the feed into the tenant (vigil intel import) "
                        + "and query the stored table instead.");
                case Expression.Range range -> throw unsupported(range, "range");
                case Expression.Search search -> throw unsupported(search, "search");
                case Expression.Call call -> switch (call.function()) {
                    case "materialize" -> tabular(call.arguments().get(0), scope);
                    case "table" -> call.arguments().get(0) instanceof Literal literal && literal.value() instanceof String name
                            ? table(new Expression.Name(name), scope) : tabular(call.arguments().get(0), scope);
                    default -> invoke(call, null, scope);
                };
                default -> throw error(expression, "expected a table or tabular expression, found "
                        + KqlFormatter.expression(expression), null);
            };
        } finally {
            depth--;
        }
    }

    private Plan table(Expression.Name name, Scope scope) {
        Binding binding = scope.find(name.name());
        if (binding instanceof Binding.Tabular tabular) {
            return tabular(tabular.expression(), tabular.scope());
        }
        if (binding instanceof Binding.Plan plan) {
            return plan.plan();
        }
        if (binding instanceof Binding.Function function && function.function().parameters().isEmpty()) {
            return invoke(new Expression.Call(name.name(), List.of()), null, scope);
        }
        if (binding instanceof Binding.Value) {
            throw error(name, "'" + name.name() + "' is a scalar value, not a table", null);
        }
        var view = views.view(name.name());
        if (view.isPresent()) {
            return view(view.get());
        }
        var table = catalog.table(name.name());
        if (table.isPresent()) {
            return scan(table.get());
        }
        List<String> candidates = new ArrayList<>(views.names());
        candidates.addAll(catalog.tableNames());
        candidates.addAll(scope.names());
        throw error(name, "unknown table '" + name.name() + "'" + Suggestions.didYouMean(name.name(), candidates),
                "Use one of the tenant's tables (`vigil tables`) or a Defender table Vigil provides: "
                        + String.join(", ", views.names()) + ".");
    }

    /** A stored table, with {@code Timestamp} and {@code TimeGenerated} standing for the event time. */
    private Plan.Scan scan(HuntCatalog.Table table) {
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String alias : List.of("Timestamp", "TimeGenerated")) {
            columns.add(new Column(alias, "time", KqlType.DATETIME));
            seen.add(alias.toLowerCase(Locale.ROOT));
        }
        for (HuntCatalog.Column column : table.columns()) {
            if (seen.add(column.name().toLowerCase(Locale.ROOT)) || !column.name().equalsIgnoreCase(column.sqlName())
                    && seen.add(column.sqlName())) {
                columns.add(new Column(column.name(), column.sqlName(), column.type()));
            }
        }
        return new Plan.Scan(table.name(), tenant, window, columns);
    }

    /** A Defender view: the union of its sources, each projected onto the view's columns. */
    Plan view(DefenderViews.View view) {
        List<Plan> inputs = new ArrayList<>();
        for (DefenderViews.Source source : view.sources()) {
            var table = catalog.table(source.table());
            if (table.isEmpty()) {
                continue;
            }
            Plan input = scan(table.get());
            Scope scope = new Scope(null);
            if (source.where() != null) {
                try {
                    input = new Plan.Filter(input, bool(scalar(KqlParser.parse(source.where()).body(), Row.of(input), scope)));
                } catch (KqlSyntaxException missingField) {
                    continue; // the table lacks a field the selection needs: none of its rows belong here
                }
            }
            List<Named> outputs = new ArrayList<>();
            for (Column column : view.columns()) {
                Scalar value = null;
                String mapping = source.map().get(column.name());
                if (mapping != null) {
                    try {
                        value = scalar(KqlParser.parse(mapping).body(), Row.of(input), scope);
                    } catch (KqlSyntaxException missingField) {
                        value = null; // the tenant has not stored the field: the column is null
                    }
                } else if (source.passthrough()) {
                    Column stored = find(input.columns(), column.name());
                    value = stored == null ? null : stored.ref();
                }
                outputs.add(new Named(column, value == null ? new Constant(null, column.type()) : convert(value, column.type())));
            }
            inputs.add(new Plan.Project(input, outputs));
        }
        if (inputs.isEmpty()) {
            return new Plan.Values(view.columns(), List.of());
        }
        return inputs.size() == 1 ? inputs.get(0) : new Plan.Union(inputs, view.columns());
    }

    private Plan datatable(Expression.Datatable table, Scope scope) {
        List<Column> columns = new ArrayList<>();
        for (Expression.ColumnDeclaration declaration : table.columns()) {
            columns.add(new Column(declaration.name(), declaration.name(), type(declaration.type(), table)));
        }
        if (columns.isEmpty() || table.values().size() % columns.size() != 0) {
            throw error(table, "datatable has " + table.values().size() + " values for " + columns.size()
                    + " columns (expected a multiple)", null);
        }
        List<List<Scalar>> rows = new ArrayList<>();
        Row empty = new Row(List.of(), Map.of(), false);
        for (int i = 0; i < table.values().size(); i += columns.size()) {
            List<Scalar> row = new ArrayList<>();
            for (int j = 0; j < columns.size(); j++) {
                row.add(convert(scalar(table.values().get(i + j), empty, scope), columns.get(j).type()));
            }
            rows.add(row);
        }
        return new Plan.Values(columns, rows);
    }

    private KqlType type(String name, Object at) {
        KqlType type = KqlType.of(name);
        if (type == null) {
            throw error(at, "unknown type '" + name + "' (expected string, long, int, real, bool, datetime, timespan, "
                    + "dynamic or guid)", null);
        }
        return type;
    }

    /** A user function call: its parameters bound to the arguments (and the piped input for invoke). */
    private Plan invoke(Expression.Call call, Plan input, Scope scope) {
        Binding binding = scope.find(call.function());
        if (!(binding instanceof Binding.Function function)) {
            throw error(call, "unknown tabular function '" + call.function() + "'"
                    + Suggestions.didYouMean(call.function(), scope.names()), null);
        }
        Scope inner = new Scope(function.scope());
        List<Expression.ColumnDeclaration> parameters = function.function().parameters();
        List<Expression> arguments = call.arguments();
        int offset = 0;
        if (input != null) {
            if (parameters.isEmpty()) {
                throw error(call, "function '" + call.function() + "' takes no table to invoke on", null);
            }
            inner.bindings.put(parameters.get(0).name(), new Binding.Plan(input));
            offset = 1;
        }
        for (int i = offset; i < parameters.size(); i++) {
            Expression.ColumnDeclaration parameter = parameters.get(i);
            Expression argument = i - offset < arguments.size() ? arguments.get(i - offset) : parameter.defaultValue();
            if (argument == null) {
                throw error(call, "function '" + call.function() + "' needs a value for " + parameter.name(), null);
            }
            if (parameter.type().startsWith("(")) {
                inner.bindings.put(parameter.name(), new Binding.Plan(tabular(argument, scope)));
            } else {
                inner.bindings.put(parameter.name(), new Binding.Value(scalar(argument, new Row(List.of(), Map.of(), false), scope)));
            }
        }
        return body(function.function().body(), inner, null);
    }

    private Plan union(List<Expression.NamedArgument> options, List<Expression> tables, Plan first, Scope scope, Object at) {
        List<Plan> inputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (first != null) {
            inputs.add(first);
            names.add("");
        }
        for (Expression table : tables) {
            if (table instanceof Expression.Name name && name.name().contains("*")) {
                Pattern pattern = Pattern.compile(name.name().replace("*", ".*"), Pattern.CASE_INSENSITIVE);
                List<String> matched = new ArrayList<>();
                views.names().stream().filter(n -> pattern.matcher(n).matches()).forEach(matched::add);
                catalog.tableNames().stream().filter(n -> pattern.matcher(n).matches() && !matched.contains(n))
                        .forEach(matched::add);
                for (String match : matched) {
                    inputs.add(table(new Expression.Name(match), scope));
                    names.add(match);
                }
            } else {
                inputs.add(tabular(table, scope));
                names.add(table instanceof Expression.Name name ? name.name() : "union_arg" + inputs.size());
            }
        }
        String source = null;
        boolean inner = false;
        for (Expression.NamedArgument option : options) {
            if (option.name().equals("withsource") && option.value() instanceof Expression.Name name) {
                source = name.name();
            }
            if (option.name().equals("kind") && option.value() instanceof Expression.Name name) {
                inner = name.name().equals("inner");
            }
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        List<Set<String>> present = new ArrayList<>();
        for (Plan input : inputs) {
            Set<String> names2 = new java.util.HashSet<>();
            for (Column column : input.columns()) {
                names2.add(column.name());
                Column known = byName.get(column.name());
                if (known == null) {
                    byName.put(column.name(), new Column(column.name(), uniqueSqlName(column.name(), byName.values()), column.type()));
                } else if (known.type() != column.type()) {
                    byName.put(column.name(), new Column(known.name(), known.sqlName(), KqlType.STRING));
                }
            }
            present.add(names2);
        }
        List<Column> columns = new ArrayList<>(byName.values());
        if (inner) {
            columns.removeIf(c -> present.stream().anyMatch(p -> !p.contains(c.name())));
        }
        if (source != null) {
            columns.add(0, new Column(source, uniqueSqlName(source, columns), KqlType.STRING));
        }
        if (inputs.isEmpty()) {
            throw error(at, "union matched no tables", null);
        }
        List<Plan> projected = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Plan input = inputs.get(i);
            List<Named> outputs = new ArrayList<>();
            for (Column column : columns) {
                if (source != null && column.name().equals(source)) {
                    outputs.add(new Named(column, new Constant(names.get(i), KqlType.STRING)));
                    continue;
                }
                Column found = exact(input.columns(), column.name());
                outputs.add(new Named(column, found == null ? new Constant(null, column.type()) : convert(found.ref(), column.type())));
            }
            projected.add(new Plan.Project(input, outputs));
        }
        return projected.size() == 1 ? projected.get(0) : new Plan.Union(projected, columns);
    }

    private Plan operator(Plan input, Operator operator, Scope scope) {
        return switch (operator) {
            case Operator.Where where -> new Plan.Filter(input, bool(scalar(where.predicate(), Row.of(input), scope)));
            case Operator.Extend extend -> extend(input, extend.columns(), scope, true);
            case Operator.Project project -> extend(input, project.columns(), scope, false);
            case Operator.Serialize serialize -> serialize.columns().isEmpty() ? input
                    : extend(input, serialize.columns(), scope, true);
            case Operator.ProjectAway away -> keep(input, away.patterns(), operator, false);
            case Operator.ProjectKeep keep -> keep(input, keep.patterns(), operator, true);
            case Operator.ProjectReorder reorder -> {
                List<Column> ordered = new ArrayList<>();
                for (String pattern : reorder.patterns()) {
                    for (Column column : matching(input.columns(), pattern, operator)) {
                        if (!ordered.contains(column)) {
                            ordered.add(column);
                        }
                    }
                }
                for (Column column : input.columns()) {
                    if (!ordered.contains(column)) {
                        ordered.add(column);
                    }
                }
                yield passThrough(input, ordered);
            }
            case Operator.ProjectRename rename -> {
                Map<String, String> newNames = new HashMap<>();
                for (Operator.Rename r : rename.renames()) {
                    Column column = column(input.columns(), r.oldName(), operator);
                    newNames.put(column.sqlName(), r.newName());
                }
                List<Named> outputs = new ArrayList<>();
                List<Column> taken = new ArrayList<>();
                for (Column column : input.columns()) {
                    String name = newNames.getOrDefault(column.sqlName(), column.name());
                    Column renamed = new Column(name, uniqueSqlName(name, taken), column.type());
                    taken.add(renamed);
                    outputs.add(new Named(renamed, column.ref()));
                }
                yield new Plan.Project(input, outputs);
            }
            case Operator.Summarize summarize -> summarize(input, summarize, scope);
            case Operator.Top top -> new Plan.Limit(new Plan.Sort(input, List.of(sortKey(top.key(), input, scope))),
                    count(top.count(), scope));
            case Operator.Sort sort -> {
                List<Plan.SortKey> keys = new ArrayList<>();
                for (Operator.OrderKey key : sort.keys()) {
                    keys.add(sortKey(key, input, scope));
                }
                yield new Plan.Sort(input, keys);
            }
            case Operator.Take take -> new Plan.Limit(input, count(take.count(), scope));
            case Operator.Sample sample -> new Plan.Sample(input, count(sample.count(), scope));
            case Operator.Distinct distinct -> distinct.columns().size() == 1 && distinct.columns().get(0) instanceof Expression.Star
                    ? new Plan.Distinct(input)
                    : new Plan.Distinct(extend(input, distinct.columns().stream().map(c -> new Assignment(null, c)).toList(),
                            scope, false));
            case Operator.Count count -> new Plan.Aggregate(input, List.of(), List.of(new Named(
                    new Column("Count", "Count", KqlType.LONG), new Scalar.Aggregate(SqlAggregate.COUNT, List.of(), KqlType.LONG))));
            case Operator.Join join -> join(input, join.kind(), join.right(), join.on(), scope, operator, false);
            case Operator.Lookup lookup -> join(input, lookup.kind() == null ? "leftouter" : lookup.kind(), lookup.right(),
                    lookup.on(), scope, operator, true);
            case Operator.Union union -> union(union.options(), union.tables(), input, scope, operator);
            case Operator.Parse parse -> parse(input, parse, scope);
            case Operator.MvExpand expand -> mvExpand(input, expand, scope);
            case Operator.Render render -> {
                chart = render.chart();
                yield input;
            }
            case Operator.As as -> {
                scope.bindings.put(as.name(), new Binding.Plan(input));
                yield input;
            }
            case Operator.Invoke invoke -> invoke(invoke.call(), input, scope);
            case Operator.GetSchema schema -> {
                List<List<Scalar>> rows = new ArrayList<>();
                long ordinal = 0;
                for (Column column : input.columns()) {
                    rows.add(List.of(new Constant(column.name(), KqlType.STRING), new Constant(ordinal++, KqlType.LONG),
                            new Constant(column.type().kqlName(), KqlType.STRING)));
                }
                yield new Plan.Values(List.of(new Column("ColumnName", "ColumnName", KqlType.STRING),
                        new Column("ColumnOrdinal", "ColumnOrdinal", KqlType.LONG),
                        new Column("ColumnType", "ColumnType", KqlType.STRING)), rows);
            }
            case Operator.Evaluate evaluate -> throw unsupported(operator, "evaluate " + evaluate.call().function());
            case Operator.MvApply apply -> throw unsupported(operator, "mv-apply");
            case Operator.MakeSeries series -> throw unsupported(operator, "make-series");
        };
    }

    private Scalar count(Expression expression, Scope scope) {
        Scalar count = scalar(expression, new Row(List.of(), Map.of(), false), scope);
        if (!count.type().isNumeric()) {
            throw error(expression, "expected a number of rows, found a " + count.type().kqlName(), null);
        }
        return count;
    }

    private Plan.SortKey sortKey(Operator.OrderKey key, Plan input, Scope scope) {
        Scalar value = scalar(key.value(), Row.of(input), scope);
        if (value.type() == KqlType.DYNAMIC) {
            value = convert(value, KqlType.STRING);
        }
        boolean nullsFirst = key.nullsFirst() != null ? key.nullsFirst() : key.ascending();
        return new Plan.SortKey(value, key.ascending(), nullsFirst);
    }

    private Plan passThrough(Plan input, List<Column> columns) {
        return new Plan.Project(input, columns.stream().map(c -> new Named(c, c.ref())).toList());
    }

    private Plan keep(Plan input, List<String> patterns, Object at, boolean keep) {
        Set<Column> matched = new LinkedHashSet<>();
        for (String pattern : patterns) {
            matched.addAll(matching(input.columns(), pattern, at));
        }
        return passThrough(input, input.columns().stream().filter(c -> matched.contains(c) == keep).toList());
    }

    private List<Column> matching(List<Column> columns, String pattern, Object at) {
        if (!pattern.contains("*")) {
            return List.of(column(columns, pattern, at));
        }
        Pattern regex = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
        return columns.stream().filter(c -> regex.matcher(c.name()).matches()).toList();
    }

    /** extend (keep the input's columns) or project (only the listed ones). */
    private Plan extend(Plan input, List<Assignment> assignments, Scope scope, boolean keepInput) {
        Map<String, Scalar> defined = new LinkedHashMap<>();
        Map<String, KqlType> types = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        int unnamed = 0;
        for (Assignment assignment : assignments) {
            if (!keepInput && assignment.value() instanceof Expression.Star) {
                for (Column column : input.columns()) {
                    defined.put(column.name(), column.ref());
                    order.add(column.name());
                }
                continue;
            }
            Scalar value = scalar(assignment.value(), new Row(input.columns(), defined, false), scope);
            String name = assignment.name() != null ? assignment.name() : defaultName(assignment.value());
            if (name == null) {
                name = "Column" + (++unnamed);
            }
            if (!defined.containsKey(name)) {
                order.add(name);
            }
            defined.put(name, value);
            types.put(name, value.type());
        }
        List<Named> outputs = new ArrayList<>();
        List<Column> taken = new ArrayList<>();
        if (keepInput) {
            for (Column column : input.columns()) {
                Scalar replaced = defined.remove(column.name());
                Column output = new Column(column.name(), uniqueSqlName(column.name(), taken),
                        replaced == null ? column.type() : replaced.type());
                taken.add(output);
                outputs.add(new Named(output, replaced == null ? column.ref() : replaced));
            }
        }
        for (String name : order) {
            Scalar value = defined.get(name);
            if (value == null) {
                continue;
            }
            Column output = new Column(name, uniqueSqlName(name, taken), value.type());
            taken.add(output);
            outputs.add(new Named(output, value));
        }
        return new Plan.Project(input, outputs);
    }

    /** The column name KQL gives an unnamed expression: a column keeps its name, a.b becomes a_b. */
    private static String defaultName(Expression expression) {
        return switch (expression) {
            case Expression.Name name -> name.name();
            case Expression.Member member -> {
                String target = defaultName(member.target());
                yield target == null ? null : target + "_" + member.name();
            }
            case Expression.Index index -> {
                String target = defaultName(index.target());
                yield target != null && index.index() instanceof Literal literal && literal.value() instanceof String key
                        ? target + "_" + key : null;
            }
            case Expression.Call call when (call.function().equals("bin") || call.function().equals("floor")
                    || call.function().equals("todynamic")) && !call.arguments().isEmpty() -> defaultName(call.arguments().get(0));
            case Expression.Parenthesized p -> defaultName(p.inner());
            default -> null;
        };
    }

    private Plan summarize(Plan input, Operator.Summarize summarize, Scope scope) {
        List<Named> groups = new ArrayList<>();
        List<Column> taken = new ArrayList<>();
        int unnamed = 0;
        Set<String> groupNames = new java.util.HashSet<>();
        for (Assignment group : summarize.groups()) {
            Scalar value = scalar(group.value(), Row.of(input), scope);
            if (value.type() == KqlType.DYNAMIC) {
                value = convert(value, KqlType.STRING); // groups compare by value: dynamic groups by its text
            }
            String name = group.name() != null ? group.name() : defaultName(group.value());
            if (name == null) {
                name = "Column" + (++unnamed);
            }
            Column column = new Column(name, uniqueSqlName(name, taken), value.type());
            taken.add(column);
            groupNames.add(name);
            groups.add(new Named(column, value));
        }
        List<Named> aggregates = new ArrayList<>();
        Row row = new Row(input.columns(), Map.of(), true);
        for (Assignment assignment : summarize.aggregates()) {
            if (assignment.value() instanceof Expression.Call call
                    && (call.function().equals("arg_max") || call.function().equals("arg_min"))) {
                argExtreme(call, assignment.name(), input, scope, groupNames, taken, aggregates);
                continue;
            }
            Scalar value = scalar(assignment.value(), row, scope);
            if (!containsAggregate(value)) {
                throw error(assignment.value(), "summarize needs an aggregation such as count(), dcount(x), sum(x) or "
                        + "make_set(x), found " + KqlFormatter.expression(assignment.value()), null);
            }
            String name = assignment.name() != null ? assignment.name() : aggregateName(assignment.value());
            if (name == null) {
                name = "Column" + (++unnamed);
            }
            Column column = new Column(name, uniqueSqlName(name, taken), value.type());
            taken.add(column);
            aggregates.add(new Named(column, value));
        }
        return new Plan.Aggregate(input, groups, aggregates);
    }

    /** arg_max(by, cols...): the by value's extreme, and each column's value on that row. */
    private void argExtreme(Expression.Call call, String alias, Plan input, Scope scope, Set<String> groupNames,
            List<Column> taken, List<Named> aggregates) {
        boolean max = call.function().equals("arg_max");
        if (call.arguments().isEmpty()) {
            throw error(call, call.function() + " needs the expression to maximize and the columns to return", null);
        }
        Row row = Row.of(input);
        Scalar by = scalar(call.arguments().get(0), row, scope);
        String byName = alias != null ? alias : defaultName(call.arguments().get(0));
        if (byName == null) {
            byName = max ? "max_" : "min_";
        }
        Column byColumn = new Column(byName, uniqueSqlName(byName, taken), by.type());
        taken.add(byColumn);
        aggregates.add(new Named(byColumn, new Scalar.Aggregate(max ? SqlAggregate.MAX : SqlAggregate.MIN, List.of(by), by.type())));
        Scalar orderBy = by.type() == KqlType.DYNAMIC ? convert(by, KqlType.STRING) : by;
        for (Expression argument : call.arguments().subList(1, call.arguments().size())) {
            List<Map.Entry<String, Scalar>> values = new ArrayList<>();
            if (argument instanceof Expression.Star) {
                for (Column column : input.columns()) {
                    if (!groupNames.contains(column.name()) && !column.name().equals(byName)) {
                        values.add(Map.entry(column.name(), column.ref()));
                    }
                }
            } else {
                String name = argument instanceof Expression.NamedArgument named ? named.name() : defaultName(argument);
                Expression value = argument instanceof Expression.NamedArgument named ? named.value() : argument;
                values.add(Map.entry(name == null ? "Column" + taken.size() : name, scalar(value, row, scope)));
            }
            for (Map.Entry<String, Scalar> value : values) {
                Column column = new Column(value.getKey(), uniqueSqlName(value.getKey(), taken), value.getValue().type());
                taken.add(column);
                aggregates.add(new Named(column, new Scalar.Aggregate(max ? SqlAggregate.ARG_MAX : SqlAggregate.ARG_MIN,
                        List.of(value.getValue(), orderBy), value.getValue().type())));
            }
        }
    }

    private static boolean containsAggregate(Scalar scalar) {
        return switch (scalar) {
            case Scalar.Aggregate aggregate -> true;
            case Apply apply -> apply.arguments().stream().anyMatch(Analyzer::containsAggregate);
            default -> false;
        };
    }

    private static String aggregateName(Expression expression) {
        if (!(expression instanceof Expression.Call call)) {
            return null;
        }
        String argument = call.arguments().isEmpty() ? null : defaultName(call.arguments().get(0));
        return switch (call.function()) {
            case "count" -> "count_";
            case "countif" -> "countif_";
            case "dcount", "dcountif" -> "dcount_" + argument;
            case "count_distinct" -> "count_distinct_" + argument;
            case "sum", "sumif" -> "sum_" + argument;
            case "avg", "avgif" -> "avg_" + argument;
            case "min", "minif" -> "min_" + argument;
            case "max", "maxif" -> "max_" + argument;
            case "make_set", "make_set_if" -> "set_" + argument;
            case "make_list", "make_list_if" -> "list_" + argument;
            case "any", "take_any" -> "any_" + argument;
            case "stdev" -> "stdev_" + argument;
            case "variance" -> "variance_" + argument;
            case "percentile" -> call.arguments().size() > 1 && call.arguments().get(1) instanceof Literal literal
                    ? "percentile_" + argument + "_" + literal.value() : null;
            default -> null;
        };
    }

    private Plan join(Plan left, String kindName, Expression rightExpression, List<Expression> on, Scope scope,
            Object at, boolean lookup) {
        Plan right = tabular(rightExpression, scope);
        Plan.JoinKind kind;
        boolean unique = false;
        String kindText = kindName == null ? "innerunique" : kindName.toLowerCase(Locale.ROOT);
        switch (kindText) {
            case "innerunique" -> {
                kind = Plan.JoinKind.INNER;
                unique = true;
            }
            case "inner" -> kind = Plan.JoinKind.INNER;
            case "leftouter" -> kind = Plan.JoinKind.LEFT_OUTER;
            case "rightouter" -> kind = Plan.JoinKind.RIGHT_OUTER;
            case "fullouter", "outer" -> kind = Plan.JoinKind.FULL_OUTER;
            case "leftsemi", "semi" -> kind = Plan.JoinKind.LEFT_SEMI;
            case "leftanti", "anti", "leftantisemi" -> kind = Plan.JoinKind.LEFT_ANTI;
            case "rightsemi" -> kind = Plan.JoinKind.RIGHT_SEMI;
            case "rightanti", "rightantisemi" -> kind = Plan.JoinKind.RIGHT_ANTI;
            default -> throw error(at, "unknown join kind '" + kindName + "' (expected inner, innerunique, leftouter, "
                    + "rightouter, fullouter, leftsemi, leftanti, rightsemi or rightanti)", null);
        }
        List<Scalar> leftKeys = new ArrayList<>();
        List<Scalar> rightKeys = new ArrayList<>();
        List<Expression> conditions = new ArrayList<>();
        for (Expression condition : on) {
            flattenAnd(condition, conditions);
        }
        Set<String> sharedKeys = new java.util.HashSet<>();
        for (Expression condition : conditions) {
            if (condition instanceof Expression.Name name) {
                leftKeys.add(column(left.columns(), name.name(), name).ref());
                rightKeys.add(column(right.columns(), name.name(), name).ref());
                sharedKeys.add(name.name());
            } else if (condition instanceof Expression.Binary binary && binary.operator().equals("==")) {
                Expression l = binary.left();
                Expression r = binary.right();
                if (side(l).equals("$right")) {
                    Expression swap = l;
                    l = r;
                    r = swap;
                }
                if (!side(l).equals("$left") || !side(r).equals("$right")) {
                    throw error(condition, "a join condition compares $left.column == $right.column, found "
                            + KqlFormatter.expression(condition), null);
                }
                Scalar leftKey = scalar(((Expression.Member) l).target() instanceof Expression.Name
                        ? new Expression.Name(((Expression.Member) l).name()) : l, Row.of(left), scope);
                Scalar rightKey = scalar(new Expression.Name(((Expression.Member) r).name()), Row.of(right), scope);
                leftKeys.add(leftKey);
                rightKeys.add(rightKey);
            } else {
                throw error(condition, "expected a join key: a column name or $left.a == $right.b, found "
                        + KqlFormatter.expression(condition), null);
            }
        }
        for (int i = 0; i < leftKeys.size(); i++) {
            KqlType l = leftKeys.get(i).type();
            KqlType r = rightKeys.get(i).type();
            if (l != r) {
                KqlType common = l == KqlType.DYNAMIC || r == KqlType.DYNAMIC || l == KqlType.STRING || r == KqlType.STRING
                        ? KqlType.STRING : l.isNumeric() && r.isNumeric() ? KqlType.REAL : KqlType.STRING;
                left = castKey(left, leftKeys, i, common);
                right = castKey(right, rightKeys, i, common);
            }
        }
        if (unique && !leftKeys.isEmpty()) {
            left = new Plan.FirstPerGroup(left, leftKeys, List.of());
        }
        List<Column> columns = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        boolean leftOnly = kind == Plan.JoinKind.LEFT_SEMI || kind == Plan.JoinKind.LEFT_ANTI;
        boolean rightOnly = kind == Plan.JoinKind.RIGHT_SEMI || kind == Plan.JoinKind.RIGHT_ANTI;
        if (!rightOnly) {
            for (Column column : left.columns()) {
                if (column.name().startsWith("$key")) {
                    continue; // a key cast for the join, not a column of the result
                }
                Column output = new Column(column.name(), uniqueSqlName(column.name(), columns), column.type());
                columns.add(output);
                sources.add("l." + column.sqlName());
            }
        }
        if (!leftOnly) {
            Set<String> names = new java.util.HashSet<>();
            columns.forEach(c -> names.add(c.name()));
            for (Column column : right.columns()) {
                if (lookup && sharedKeys.contains(column.name()) || column.name().startsWith("$key")) {
                    continue;
                }
                String name = column.name();
                if (!rightOnly && names.contains(name)) {
                    int n = 1;
                    while (names.contains(column.name() + n)) {
                        n++;
                    }
                    name = column.name() + n;
                }
                names.add(name);
                Column output = new Column(name, uniqueSqlName(name, columns), column.type());
                columns.add(output);
                sources.add("r." + column.sqlName());
            }
        }
        return new Plan.Join(left, right, kind, leftKeys, rightKeys, columns, sources);
    }

    /** Casts one join key to a common type by adding a key column to that side. */
    private Plan castKey(Plan side, List<Scalar> keys, int index, KqlType type) {
        Scalar key = keys.get(index);
        if (key.type() == type) {
            return side;
        }
        List<Named> outputs = new ArrayList<>(side.columns().stream().map(c -> new Named(c, c.ref())).toList());
        Column added = new Column("$key" + index, uniqueSqlName("join_key_" + index, side.columns()), type);
        outputs.add(new Named(added, convert(key, type)));
        keys.set(index, added.ref());
        return new Plan.Project(side, outputs);
    }

    private static String side(Expression expression) {
        return expression instanceof Expression.Member member && member.target() instanceof Expression.Name name
                && (name.name().equals("$left") || name.name().equals("$right")) ? name.name() : "";
    }

    private static void flattenAnd(Expression expression, List<Expression> out) {
        if (expression instanceof Expression.Binary binary && binary.operator().equals("and")) {
            flattenAnd(binary.left(), out);
            flattenAnd(binary.right(), out);
        } else if (expression instanceof Expression.Parenthesized p) {
            flattenAnd(p.inner(), out);
        } else {
            out.add(expression);
        }
    }

    private Plan parse(Plan input, Operator.Parse parse, Scope scope) {
        Scalar source = convert(scalar(parse.source(), Row.of(input), scope), KqlType.STRING);
        boolean regex = "regex".equals(parse.kind());
        StringBuilder pattern = new StringBuilder();
        List<Operator.ParsePart.Column> columns = new ArrayList<>();
        List<Operator.ParsePart> parts = parse.pattern();
        for (int i = 0; i < parts.size(); i++) {
            Operator.ParsePart part = parts.get(i);
            boolean last = i == parts.size() - 1;
            switch (part) {
                case Operator.ParsePart.Text text -> pattern.append(regex ? text.value() : DuckDbDialect.quoteRegex(text.value()));
                case Operator.ParsePart.Skip skip -> pattern.append(last ? ".*" : ".*?");
                case Operator.ParsePart.Column column -> {
                    columns.add(column);
                    KqlType type = column.type() == null ? KqlType.STRING : type(column.type(), parse);
                    pattern.append(type == KqlType.LONG ? "(-?\\d+)" : type == KqlType.REAL ? "(-?\\d+(?:\\.\\d+)?)"
                            : last ? "(.*)" : "(.*?)");
                }
            }
        }
        String regexText = "(?s)^" + (parts.get(0) instanceof Operator.ParsePart.Skip ? "" : "") + pattern;
        List<Assignment> assignments = new ArrayList<>();
        int group = 1;
        Map<String, Scalar> extracted = new LinkedHashMap<>();
        for (Operator.ParsePart.Column column : columns) {
            KqlType type = column.type() == null ? KqlType.STRING : type(column.type(), parse);
            Scalar value = new Apply(SqlFunction.EXTRACT, List.of(new Constant(regexText, KqlType.STRING),
                    new Constant((long) group++, KqlType.LONG), source), KqlType.STRING);
            extracted.put(column.name(), convert(value, type));
        }
        List<Named> outputs = new ArrayList<>();
        List<Column> taken = new ArrayList<>();
        for (Column column : input.columns()) {
            if (extracted.containsKey(column.name())) {
                continue;
            }
            Column output = new Column(column.name(), uniqueSqlName(column.name(), taken), column.type());
            taken.add(output);
            outputs.add(new Named(output, column.ref()));
        }
        for (Map.Entry<String, Scalar> entry : extracted.entrySet()) {
            Column output = new Column(entry.getKey(), uniqueSqlName(entry.getKey(), taken), entry.getValue().type());
            taken.add(output);
            outputs.add(new Named(output, entry.getValue()));
        }
        Plan projected = new Plan.Project(input, outputs);
        return "parse-where".equals(parse.kind()) ? projected : projected;
    }

    private Plan mvExpand(Plan input, Operator.MvExpand expand, Scope scope) {
        List<Assignment> assignments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Operator.ExpandItem item : expand.items()) {
            String name = item.column().name() != null ? item.column().name() : defaultName(item.column().value());
            if (name == null) {
                throw error(item.column().value(), "mv-expand needs a name for a computed value: name = expression", null);
            }
            names.add(name);
            assignments.add(new Assignment(name, new Expression.Call("todynamic", List.of(item.column().value()))));
        }
        Plan arrays = extend(input, assignments, scope, true);
        List<String> sqlColumns = new ArrayList<>();
        for (String name : names) {
            sqlColumns.add(exact(arrays.columns(), name).sqlName());
        }
        Scalar limit = expand.limit() == null ? null : count(expand.limit(), scope);
        Plan expanded = new Plan.Expand(arrays, sqlColumns, limit);
        boolean typed = expand.items().stream().anyMatch(i -> i.toType() != null);
        if (!typed) {
            return expanded;
        }
        List<Named> outputs = new ArrayList<>();
        for (Column column : expanded.columns()) {
            int index = names.indexOf(column.name());
            String toType = index < 0 ? null : expand.items().get(index).toType();
            if (toType == null) {
                outputs.add(new Named(column, column.ref()));
            } else {
                KqlType type = type(toType, expand);
                outputs.add(new Named(new Column(column.name(), column.sqlName(), type), convert(column.ref(), type)));
            }
        }
        return new Plan.Project(expanded, outputs);
    }

    // --- scalars ------------------------------------------------------------------------------------------------

    Scalar scalar(Expression expression, Row row, Scope scope) {
        return switch (expression) {
            case Literal literal -> literal(literal);
            case Expression.Name name -> name(name, row, scope);
            case Expression.Parenthesized p -> isTabularInScalar(p.inner(), scope)
                    ? subquery(p.inner(), scope) : scalar(p.inner(), row, scope);
            case Expression.Member member -> jsonPath(expression, row, scope);
            case Expression.Index index -> jsonPath(expression, row, scope);
            case Expression.Call call -> Functions.call(this, call, row, scope);
            case Expression.Binary binary -> binary(binary, row, scope);
            case Expression.Unary unary -> {
                Scalar operand = scalar(unary.operand(), row, scope);
                yield unary.operator().equals("-") ? new Apply(SqlFunction.NEGATE, List.of(number(operand)), numericType(operand))
                        : operand;
            }
            case Expression.InList in -> inList(in, row, scope);
            case Expression.Between between -> {
                Scalar value = scalar(between.value(), row, scope);
                Scalar low = scalar(between.low(), row, scope);
                Scalar high = scalar(between.high(), row, scope);
                KqlType type = value.type() == KqlType.DYNAMIC ? low.type() : value.type();
                Scalar test = new Apply(SqlFunction.BETWEEN, List.of(convert(value, type), convert(low, type), convert(high, type)),
                        KqlType.BOOL);
                yield between.negated() ? not(test) : test;
            }
            case Expression.Pipe pipe -> subquery(pipe, scope);
            case Expression.ArrayLiteral array -> new Constant(json(array), KqlType.DYNAMIC);
            case Expression.ObjectLiteral object -> new Constant(json(object), KqlType.DYNAMIC);
            case Expression.Star star -> throw error(expression, "'*' is only allowed in arg_max, arg_min, distinct "
                    + "and count", null);
            case Expression.NamedArgument named -> throw error(expression, "unexpected named argument '" + named.name()
                    + "'", null);
            default -> throw error(expression, "expected a scalar expression, found a tabular one: "
                    + KqlFormatter.expression(expression).lines().findFirst().orElse(""), null);
        };
    }

    private boolean isTabularInScalar(Expression expression, Scope scope) {
        return expression instanceof Expression.Pipe || expression instanceof Expression.Union
                || expression instanceof Expression.Datatable;
    }

    Scalar subquery(Expression expression, Scope scope) {
        Plan plan = tabular(expression, scope);
        if (plan.columns().isEmpty()) {
            throw error(expression, "the subquery has no columns", null);
        }
        return new Scalar.Subquery(plan, plan.columns().get(0).type());
    }

    private Scalar literal(Literal literal) {
        return switch (literal.kind()) {
            case STRING -> new Constant(literal.value(), KqlType.STRING);
            case LONG -> new Constant(literal.value(), KqlType.LONG);
            case REAL -> new Constant(literal.value(), KqlType.REAL);
            case BOOL -> new Constant(literal.value(), KqlType.BOOL);
            case DATETIME -> {
                String text = (String) literal.value();
                yield text.equalsIgnoreCase("null") ? new Constant(null, KqlType.DATETIME) : new Constant(text, KqlType.DATETIME);
            }
            case TIMESPAN -> new Constant(((Timespan) literal.value()).microseconds(), KqlType.TIMESPAN);
            case NULL -> new Constant(null, KqlType.DYNAMIC);
        };
    }

    private Scalar name(Expression.Name name, Row row, Scope scope) {
        Scalar defined = row.defined().get(name.name());
        if (defined != null) {
            return defined;
        }
        Column column = exact(row.columns(), name.name());
        if (column != null) {
            return column.ref();
        }
        Binding binding = scope.find(name.name());
        if (binding instanceof Binding.Value value) {
            return value.value();
        }
        if (binding instanceof Binding.Tabular || binding instanceof Binding.Plan) {
            return subquery(name, scope);
        }
        column = find(row.columns(), name.name());
        if (column != null) {
            return column.ref();
        }
        List<String> candidates = new ArrayList<>(row.columns().stream().map(Column::name).toList());
        candidates.addAll(row.defined().keySet());
        throw error(name, "unknown column '" + name.name() + "'" + Suggestions.didYouMean(name.name(), candidates),
                "Check the column name; `vigil hunt --explain` and getschema show a table's columns.");
    }

    /** a.b.c and a["b"][0]: one JSON path over the base value. */
    private Scalar jsonPath(Expression expression, Row row, Scope scope) {
        List<String> steps = new ArrayList<>();
        Expression base = expression;
        while (true) {
            if (base instanceof Expression.Member member) {
                if (member.target() instanceof Expression.Name target && (target.name().equals("$left")
                        || target.name().equals("$right"))) {
                    throw error(expression, "$left and $right are only allowed in join conditions", null);
                }
                steps.add(0, "." + jsonKey(member.name()));
                base = member.target();
            } else if (base instanceof Expression.Index index && index.index() instanceof Literal literal
                    && literal.value() != null) {
                if (literal.value() instanceof String key) {
                    steps.add(0, "." + jsonKey(key));
                } else if (literal.value() instanceof Long position) {
                    steps.add(0, position < 0 ? "[#" + position + "]" : "[" + position + "]");
                } else {
                    break;
                }
                base = index.target();
            } else {
                break;
            }
        }
        Scalar value = scalar(base, row, scope);
        if (base instanceof Expression.Index index) {
            // a computed index: a[i]
            Scalar target = scalar(index.target(), row, scope);
            Scalar position = scalar(index.index(), row, scope);
            value = new Apply(SqlFunction.JSON_PATH, List.of(toDynamic(target), new Apply(SqlFunction.STRCAT,
                    List.of(new Constant("$[", KqlType.STRING), convert(position, KqlType.STRING),
                            new Constant("]", KqlType.STRING)), KqlType.STRING)), KqlType.DYNAMIC);
        }
        if (steps.isEmpty()) {
            return value;
        }
        return new Apply(SqlFunction.JSON_PATH, List.of(toDynamic(value), new Constant("$" + String.join("", steps),
                KqlType.STRING)), KqlType.DYNAMIC);
    }

    private static String jsonKey(String key) {
        return key.matches("[A-Za-z_][A-Za-z0-9_]*") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
    }

    Scalar toDynamic(Scalar value) {
        return value.type() == KqlType.DYNAMIC ? value : new Apply(SqlFunction.PARSE_JSON, List.of(convert(value,
                KqlType.STRING)), KqlType.DYNAMIC);
    }

    private Scalar binary(Expression.Binary binary, Row row, Scope scope) {
        String operator = binary.operator();
        Scalar left = scalar(binary.left(), row, scope);
        Scalar right = scalar(binary.right(), row, scope);
        return switch (operator) {
            case "and" -> new Apply(SqlFunction.AND, List.of(bool(left), bool(right)), KqlType.BOOL);
            case "or" -> new Apply(SqlFunction.OR, List.of(bool(left), bool(right)), KqlType.BOOL);
            case "==", "!=", "<>", "<", "<=", ">", ">=" -> compare(operator, left, right);
            case "=~" -> new Apply(SqlFunction.EQ_CI, List.of(text(left), text(right)), KqlType.BOOL);
            case "!~" -> new Apply(SqlFunction.NE_CI, List.of(text(left), text(right)), KqlType.BOOL);
            case "+", "-", "*", "/", "%" -> arithmetic(operator, left, right, binary);
            case "matches regex" -> new Apply(SqlFunction.MATCHES_REGEX, List.of(text(left), text(right)), KqlType.BOOL);
            case "like" -> new Apply(SqlFunction.LIKE, List.of(text(left), text(right)), KqlType.BOOL);
            case "!like", "notlike" -> not(new Apply(SqlFunction.LIKE, List.of(text(left), text(right)), KqlType.BOOL));
            default -> {
                boolean negated = operator.startsWith("!");
                String base = negated ? operator.substring(1) : operator;
                SqlFunction function = switch (base) {
                    case "has" -> SqlFunction.HAS;
                    case "has_cs" -> SqlFunction.HAS_CS;
                    case "hasprefix", "hasprefix_cs" -> SqlFunction.HAS_PREFIX;
                    case "hassuffix", "hassuffix_cs" -> SqlFunction.HAS_SUFFIX;
                    case "contains" -> SqlFunction.CONTAINS;
                    case "contains_cs" -> SqlFunction.CONTAINS_CS;
                    case "startswith" -> SqlFunction.STARTS_WITH;
                    case "startswith_cs" -> SqlFunction.STARTS_WITH_CS;
                    case "endswith" -> SqlFunction.ENDS_WITH;
                    case "endswith_cs" -> SqlFunction.ENDS_WITH_CS;
                    default -> throw error(binary, "unknown operator '" + operator + "'", null);
                };
                Scalar test = new Apply(function, List.of(text(left), text(right)), KqlType.BOOL);
                yield negated ? not(test) : test;
            }
        };
    }

    private Scalar compare(String operator, Scalar left, Scalar right) {
        SqlFunction function = switch (operator) {
            case "==" -> SqlFunction.EQ;
            case "!=", "<>" -> SqlFunction.NE;
            case "<" -> SqlFunction.LT;
            case "<=" -> SqlFunction.LE;
            case ">" -> SqlFunction.GT;
            default -> SqlFunction.GE;
        };
        if (left instanceof Constant c && c.value() == null || right instanceof Constant d && d.value() == null) {
            Scalar other = left instanceof Constant c2 && c2.value() == null ? right : left;
            return new Apply(function == SqlFunction.NE ? SqlFunction.IS_NOT_NULL : SqlFunction.IS_NULL, List.of(other), KqlType.BOOL);
        }
        KqlType type = commonType(left, right);
        return new Apply(function, List.of(convert(left, type), convert(right, type)), KqlType.BOOL);
    }

    /**
     * The type two operands compare in: equal types as they are; a number against a string column compares as text
     * when the number is a constant (cheap, and exact for stored codes such as "4688"), else as a number; dynamic
     * takes the other side's type.
     */
    KqlType commonType(Scalar left, Scalar right) {
        KqlType l = left.type();
        KqlType r = right.type();
        if (l == r) {
            return l;
        }
        if (l == KqlType.DYNAMIC) {
            return r;
        }
        if (r == KqlType.DYNAMIC) {
            return l;
        }
        if (l.isNumeric() && r.isNumeric()) {
            return KqlType.REAL;
        }
        if (l == KqlType.STRING && r.isNumeric()) {
            return right instanceof Constant ? KqlType.STRING : r;
        }
        if (r == KqlType.STRING && l.isNumeric()) {
            return left instanceof Constant ? KqlType.STRING : l;
        }
        if (l == KqlType.DATETIME || r == KqlType.DATETIME) {
            return KqlType.DATETIME;
        }
        if (l == KqlType.BOOL || r == KqlType.BOOL) {
            return KqlType.BOOL;
        }
        if (l == KqlType.TIMESPAN || r == KqlType.TIMESPAN) {
            return KqlType.TIMESPAN;
        }
        return KqlType.STRING;
    }

    private Scalar arithmetic(String operator, Scalar left, Scalar right, Expression at) {
        KqlType l = left.type();
        KqlType r = right.type();
        if (operator.equals("-") && l == KqlType.DATETIME && r == KqlType.DATETIME) {
            return new Apply(SqlFunction.SUBTRACT, List.of(left, right), KqlType.TIMESPAN);
        }
        if ((operator.equals("+") || operator.equals("-")) && (l == KqlType.DATETIME || l == KqlType.STRING && r == KqlType.TIMESPAN)) {
            return new Apply(operator.equals("+") ? SqlFunction.ADD : SqlFunction.SUBTRACT, List.of(convert(left, KqlType.DATETIME),
                    convert(right, KqlType.TIMESPAN)), KqlType.DATETIME);
        }
        if (operator.equals("+") && r == KqlType.DATETIME) {
            return new Apply(SqlFunction.ADD, List.of(convert(right, KqlType.DATETIME), convert(left, KqlType.TIMESPAN)), KqlType.DATETIME);
        }
        if (l == KqlType.TIMESPAN && r == KqlType.TIMESPAN) {
            return switch (operator) {
                case "/" -> new Apply(SqlFunction.TIMESPAN_DIVIDE, List.of(left, right), KqlType.REAL);
                case "+" -> new Apply(SqlFunction.ADD, List.of(left, right), KqlType.TIMESPAN);
                case "-" -> new Apply(SqlFunction.SUBTRACT, List.of(left, right), KqlType.TIMESPAN);
                default -> throw error(at, "cannot apply '" + operator + "' to two timespans", null);
            };
        }
        if (l == KqlType.TIMESPAN && r.isNumeric() && (operator.equals("*") || operator.equals("/"))) {
            return new Apply(operator.equals("*") ? SqlFunction.MULTIPLY : SqlFunction.DIVIDE, List.of(left, right), KqlType.TIMESPAN);
        }
        if (r == KqlType.TIMESPAN && l.isNumeric() && operator.equals("*")) {
            return new Apply(SqlFunction.MULTIPLY, List.of(right, left), KqlType.TIMESPAN);
        }
        Scalar a = number(left);
        Scalar b = number(right);
        KqlType type = a.type() == KqlType.LONG && b.type() == KqlType.LONG ? KqlType.LONG : KqlType.REAL;
        SqlFunction function = switch (operator) {
            case "+" -> SqlFunction.ADD;
            case "-" -> SqlFunction.SUBTRACT;
            case "*" -> SqlFunction.MULTIPLY;
            case "/" -> SqlFunction.DIVIDE;
            default -> SqlFunction.MODULO;
        };
        return new Apply(function, List.of(a, b), type);
    }

    private Scalar inList(Expression.InList in, Row row, Scope scope) {
        Scalar value = scalar(in.value(), row, scope);
        String operator = in.operator();
        boolean negated = operator.startsWith("!");
        String base = negated ? operator.substring(1) : operator;
        List<Scalar> items = new ArrayList<>();
        Scalar subquery = null;
        for (Expression item : in.items()) {
            Scalar scalar = scalar(item, row, scope);
            if (scalar instanceof Scalar.Subquery query) {
                subquery = query;
            } else if (scalar instanceof Constant constant && constant.type() == KqlType.DYNAMIC && constant.value() != null) {
                items.addAll(Functions.jsonItems((String) constant.value()));
            } else {
                items.add(scalar);
            }
        }
        Scalar test;
        if (base.equals("has_any") || base.equals("has_all")) {
            if (subquery != null) {
                if (!items.isEmpty() || base.equals("has_all")) {
                    throw error(in, base + " takes either a subquery or a list of terms, not both", null);
                }
                Scalar.Subquery query = (Scalar.Subquery) subquery;
                Plan terms = query.plan();
                Column first = terms.columns().get(0);
                if (first.type() != KqlType.STRING) {
                    terms = new Plan.Project(terms, List.of(new Named(new Column(first.name(), first.sqlName(), KqlType.STRING),
                            convert(first.ref(), KqlType.STRING))));
                }
                Scalar found = new Apply(SqlFunction.HAS_ANY_SUBQUERY, List.of(text(value), new Scalar.Subquery(terms,
                        KqlType.STRING)), KqlType.BOOL);
                return negated ? not(found) : found;
            }
            List<Scalar> arguments = new ArrayList<>(List.of(text(value)));
            items.forEach(i -> arguments.add(text(i)));
            test = new Apply(base.equals("has_any") ? SqlFunction.HAS_ANY : SqlFunction.HAS_ALL, arguments, KqlType.BOOL);
        } else if (subquery != null) {
            if (!items.isEmpty()) {
                throw error(in, "in takes either a subquery or a list of values, not both", null);
            }
            Scalar.Subquery query = (Scalar.Subquery) subquery;
            KqlType type = commonType(value, query);
            Plan plan = query.plan();
            if (query.type() != type) {
                Column first = plan.columns().get(0);
                plan = new Plan.Project(plan, List.of(new Named(new Column(first.name(), first.sqlName(), type),
                        convert(first.ref(), type))));
            }
            test = new Apply(SqlFunction.IN_SUBQUERY, List.of(convert(base.equals("in~") ? text(value) : value, type),
                    new Scalar.Subquery(plan, type)), KqlType.BOOL);
        } else if (items.isEmpty()) {
            test = new Constant(false, KqlType.BOOL);
        } else {
            boolean caseInsensitive = base.equals("in~");
            KqlType type = caseInsensitive ? KqlType.STRING : value.type() == KqlType.DYNAMIC ? items.get(0).type() : value.type();
            if (type == KqlType.STRING && !caseInsensitive && items.stream().anyMatch(i -> i.type().isNumeric())
                    && value.type() != KqlType.STRING) {
                type = KqlType.REAL;
            }
            List<Scalar> arguments = new ArrayList<>();
            arguments.add(convert(value, type));
            for (Scalar item : items) {
                arguments.add(convert(item, type));
            }
            test = new Apply(caseInsensitive ? SqlFunction.IN_CI : SqlFunction.IN, arguments, KqlType.BOOL);
        }
        return negated ? not(test) : test;
    }

    // --- conversions --------------------------------------------------------------------------------------------

    Scalar not(Scalar test) {
        return new Apply(SqlFunction.NOT, List.of(bool(test)), KqlType.BOOL);
    }

    Scalar bool(Scalar value) {
        return convert(value, KqlType.BOOL);
    }

    Scalar text(Scalar value) {
        return convert(value, KqlType.STRING);
    }

    Scalar number(Scalar value) {
        return value.type().isNumeric() ? value : convert(value, KqlType.REAL);
    }

    private static KqlType numericType(Scalar value) {
        return value.type() == KqlType.LONG ? KqlType.LONG : value.type() == KqlType.TIMESPAN ? KqlType.TIMESPAN : KqlType.REAL;
    }

    /** The value in another type, as KQL's implicit and explicit conversions do (a failed conversion is null). */
    Scalar convert(Scalar value, KqlType type) {
        if (value.type() == type) {
            return value;
        }
        if (value instanceof Constant constant) {
            Object v = constant.value();
            if (v == null) {
                return new Constant(null, type);
            }
            if (type == KqlType.STRING && (constant.type().isNumeric() || constant.type() == KqlType.BOOL)) {
                return new Constant(String.valueOf(v), KqlType.STRING);
            }
            if (type == KqlType.REAL && v instanceof Number n) {
                return new Constant(n.doubleValue(), KqlType.REAL);
            }
            if (type == KqlType.DATETIME && v instanceof String text) {
                return new Constant(text, KqlType.DATETIME);
            }
            if (type == KqlType.DYNAMIC && constant.type() == KqlType.STRING) {
                return new Constant(Functions.jsonString((String) v), KqlType.DYNAMIC);
            }
        }
        SqlFunction function = switch (type) {
            case STRING -> SqlFunction.TO_STRING;
            case LONG -> SqlFunction.TO_LONG;
            case REAL -> SqlFunction.TO_REAL;
            case BOOL -> SqlFunction.TO_BOOL;
            case DATETIME -> SqlFunction.TO_DATETIME;
            case TIMESPAN -> SqlFunction.TO_TIMESPAN;
            case DYNAMIC -> SqlFunction.PARSE_JSON;
        };
        if (type == KqlType.DYNAMIC && value.type() != KqlType.STRING) {
            return new Apply(SqlFunction.PACK_ARRAY, List.of(value), KqlType.DYNAMIC) instanceof Apply
                    ? new Apply(SqlFunction.PARSE_JSON, List.of(convert(value, KqlType.STRING)), KqlType.DYNAMIC) : value;
        }
        return new Apply(function, List.of(value), type);
    }

    private static String json(Expression expression) {
        return switch (expression) {
            case Expression.ArrayLiteral array -> "[" + String.join(",", array.items().stream().map(Analyzer::json).toList()) + "]";
            case Expression.ObjectLiteral object -> "{" + String.join(",", object.entries().stream()
                    .map(e -> Functions.jsonString(e.name()) + ":" + json(e.value())).toList()) + "}";
            case Literal literal -> switch (literal.kind()) {
                case STRING, DATETIME -> Functions.jsonString(String.valueOf(literal.value()));
                case TIMESPAN -> Functions.jsonString(((Timespan) literal.value()).text());
                case NULL -> "null";
                default -> String.valueOf(literal.value());
            };
            case Expression.Unary unary when unary.operand() instanceof Literal literal -> unary.operator()
                    + literal.value();
            default -> "null";
        };
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    static Column exact(List<Column> columns, String name) {
        for (Column column : columns) {
            if (column.name().equals(name)) {
                return column;
            }
        }
        return null;
    }

    static Column find(List<Column> columns, String name) {
        Column column = exact(columns, name);
        if (column != null) {
            return column;
        }
        for (Column candidate : columns) {
            if (candidate.name().equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return null;
    }

    private Column column(List<Column> columns, String name, Object at) {
        Column column = find(columns, name);
        if (column == null) {
            throw error(at, "unknown column '" + name + "'" + Suggestions.didYouMean(name,
                    columns.stream().map(Column::name).toList()), null);
        }
        return column;
    }

    /** A SQL name unique among the columns ignoring case, as SQL engines compare identifiers. */
    static String uniqueSqlName(String name, java.util.Collection<Column> taken) {
        String candidate = name;
        int n = 2;
        while (true) {
            String current = candidate;
            if (taken.stream().noneMatch(c -> c.sqlName().equalsIgnoreCase(current))) {
                return candidate;
            }
            candidate = name + "_" + n++;
        }
    }

    KqlSyntaxException error(Object node, String message, String fix) {
        ParsedQuery.Position position = parsed.position(node);
        int line = position == null ? 0 : position.line();
        int column = position == null ? 0 : position.column();
        return fix == null ? new KqlSyntaxException(line, column, message) : new KqlSyntaxException(line, column, message, fix);
    }

    private KqlSyntaxException unsupported(Object node, String what) {
        return error(node, what + " is not supported by Vigil's KQL dialect yet", "Rewrite the step with the "
                + "supported operators (the README's Hunting section lists them).");
    }
}
