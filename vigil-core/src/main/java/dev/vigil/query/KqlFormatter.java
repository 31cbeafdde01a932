package dev.vigil.query;

import dev.vigil.query.Expression.Literal;
import dev.vigil.query.Operator.Assignment;
import dev.vigil.query.Operator.OrderKey;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes a syntax tree back as KQL, one operator per line. Parsing the output gives an equal tree (the round trip
 * the tests check), so a saved query can be stored in this canonical form.
 */
public final class KqlFormatter {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_]*");
    private static final Set<String> RESERVED = Set.of("and", "or", "by", "on", "with", "true", "false", "null", "in",
            "between", "has", "contains", "startswith", "endswith", "matches", "let", "asc", "desc", "nulls", "to",
            "from", "step", "limit", "dynamic", "datetime", "timespan", "time", "like", "has_any", "has_all",
            "hasprefix", "hassuffix", "union", "print", "range", "datatable", "externaldata", "search", "set",
            "declare", "default", "kind", "typeof", "where", "notlike");

    private KqlFormatter() {}

    public static String format(ParsedQuery query) {
        return format(query.statements());
    }

    public static String format(List<Statement> statements) {
        return statements.stream().map(KqlFormatter::statement).collect(Collectors.joining(";\n"));
    }

    private static String statement(Statement statement) {
        return switch (statement) {
            case Statement.Let let -> "let " + name(let.name()) + " = " + expression(let.value());
            case Statement.Set set -> "set " + set.name() + (set.value() == null ? "" : " = " + expression(set.value()));
            case Statement.DeclareParameters declare -> "declare query_parameters(" + declarations(declare.parameters()) + ")";
            case Statement.Query query -> expression(query.expression());
        };
    }

    private static String declarations(List<Expression.ColumnDeclaration> columns) {
        return columns.stream().map(c -> name(c.name()) + ":" + c.type()
                + (c.defaultValue() == null ? "" : " = " + expression(c.defaultValue()))).collect(Collectors.joining(", "));
    }

    static String expression(Expression expression) {
        return switch (expression) {
            case Literal literal -> literal(literal);
            case Expression.Name name -> name(name.name());
            case Expression.Member member -> expression(member.target()) + "." + member.name();
            case Expression.Index index -> expression(index.target()) + "[" + expression(index.index()) + "]";
            case Expression.Call call -> call.function() + "(" + list(call.arguments()) + ")";
            case Expression.NamedArgument argument -> argument.name() + " = " + expression(argument.value());
            case Expression.Star star -> "*";
            case Expression.Binary binary -> binary.operator().equals(",")
                    ? expression(binary.left()) + ", " + expression(binary.right())
                    : expression(binary.left()) + " " + binary.operator() + " " + expression(binary.right());
            case Expression.Unary unary -> unary.operator() + expression(unary.operand());
            case Expression.InList in -> expression(in.value()) + " " + in.operator() + " (" + list(in.items()) + ")";
            case Expression.Between between -> expression(between.value()) + (between.negated() ? " !between (" : " between (")
                    + expression(between.low()) + " .. " + expression(between.high()) + ")";
            case Expression.ArrayLiteral array -> "[" + list(array.items()) + "]";
            case Expression.ObjectLiteral object -> "{" + object.entries().stream()
                    .map(e -> string(e.name()) + ": " + expression(e.value())).collect(Collectors.joining(", ")) + "}";
            case Expression.Parenthesized parenthesized -> "(" + expression(parenthesized.inner()) + ")";
            case Expression.Pipe pipe -> expression(pipe.source()) + "\n| " + operator(pipe.operator());
            case Expression.Union union -> "union " + options(union.options()) + list(union.tables());
            case Expression.Datatable table -> "datatable(" + declarations(table.columns()) + ")[" + list(table.values()) + "]";
            case Expression.ExternalData data -> "externaldata(" + declarations(data.columns()) + ")[" + list(data.uris())
                    + "]" + (data.properties().isEmpty() ? "" : " with (" + namedList(data.properties()) + ")");
            case Expression.Print print -> "print " + assignments(print.columns());
            case Expression.Range range -> "range " + name(range.column()) + " from " + expression(range.from()) + " to "
                    + expression(range.to()) + " step " + expression(range.step());
            case Expression.Search search -> "search " + (search.tables().isEmpty() ? ""
                    : "in (" + String.join(", ", search.tables()) + ") ") + expression(search.predicate());
            case Expression.FunctionLiteral function -> "(" + declarations(function.parameters()) + ") {\n"
                    + format(function.body()) + "\n}";
        };
    }

    private static String operator(Operator operator) {
        return switch (operator) {
            case Operator.Where where -> "where " + expression(where.predicate());
            case Operator.Project project -> "project " + assignments(project.columns());
            case Operator.ProjectAway away -> "project-away " + String.join(", ", away.patterns().stream().map(KqlFormatter::pattern).toList());
            case Operator.ProjectKeep keep -> "project-keep " + String.join(", ", keep.patterns().stream().map(KqlFormatter::pattern).toList());
            case Operator.ProjectReorder reorder -> "project-reorder " + String.join(", ", reorder.patterns().stream().map(KqlFormatter::pattern).toList());
            case Operator.ProjectRename rename -> "project-rename " + rename.renames().stream()
                    .map(r -> name(r.newName()) + " = " + name(r.oldName())).collect(Collectors.joining(", "));
            case Operator.Extend extend -> "extend " + assignments(extend.columns());
            case Operator.Summarize summarize -> "summarize " + options(summarize.hints()) + assignments(summarize.aggregates())
                    + (summarize.groups().isEmpty() ? "" : (summarize.aggregates().isEmpty() ? "" : " ") + "by "
                    + assignments(summarize.groups()));
            case Operator.Top top -> "top " + expression(top.count()) + " by " + orderKey(top.key());
            case Operator.Sort sort -> sort.keyword() + " by " + sort.keys().stream().map(KqlFormatter::orderKey)
                    .collect(Collectors.joining(", "));
            case Operator.Take take -> take.keyword() + " " + expression(take.count());
            case Operator.Distinct distinct -> "distinct " + list(distinct.columns());
            case Operator.Count count -> "count";
            case Operator.Join join -> "join " + (join.kind() == null ? "" : "kind=" + join.kind() + " ")
                    + options(join.hints()) + expression(join.right())
                    + (join.on().isEmpty() ? "" : " on " + list(join.on()));
            case Operator.Lookup lookup -> "lookup " + (lookup.kind() == null ? "" : "kind=" + lookup.kind() + " ")
                    + expression(lookup.right()) + " on " + list(lookup.on());
            case Operator.Union union -> "union " + options(union.options()) + list(union.tables());
            case Operator.Parse parse -> "parse " + (parse.kind() == null ? "" : "kind=" + parse.kind() + " ")
                    + expression(parse.source()) + " with " + parse.pattern().stream().map(part -> switch (part) {
                        case Operator.ParsePart.Text text -> string(text.value());
                        case Operator.ParsePart.Skip skip -> "*";
                        case Operator.ParsePart.Column column -> name(column.name())
                                + (column.type() == null ? "" : ":" + column.type());
                    }).collect(Collectors.joining(" "));
            case Operator.MvExpand expand -> "mv-expand " + options(expand.options()) + expandItems(expand.items())
                    + (expand.limit() == null ? "" : " limit " + expression(expand.limit()));
            case Operator.MvApply apply -> "mv-apply " + expandItems(apply.items()) + " on (\n"
                    + apply.subquery().stream().map(KqlFormatter::operator).collect(Collectors.joining("\n| ")) + ")";
            case Operator.Render render -> "render " + render.chart()
                    + (render.properties().isEmpty() ? "" : " with (" + namedList(render.properties()) + ")");
            case Operator.As as -> "as " + name(as.name());
            case Operator.Invoke invoke -> "invoke " + expression(invoke.call());
            case Operator.Evaluate evaluate -> "evaluate " + options(evaluate.hints()) + expression(evaluate.call());
            case Operator.Serialize serialize -> "serialize" + (serialize.columns().isEmpty() ? "" : " " + assignments(serialize.columns()));
            case Operator.Sample sample -> "sample " + expression(sample.count());
            case Operator.GetSchema schema -> "getschema";
            case Operator.MakeSeries series -> "make-series " + assignments(series.aggregates()) + " on "
                    + expression(series.axis()) + (series.from() == null ? "" : " from " + expression(series.from()))
                    + (series.to() == null ? "" : " to " + expression(series.to())) + " step " + expression(series.step())
                    + (series.groups().isEmpty() ? "" : " by " + assignments(series.groups()));
        };
    }

    private static String expandItems(List<Operator.ExpandItem> items) {
        return items.stream().map(item -> assignment(item.column())
                + (item.toType() == null ? "" : " to typeof(" + item.toType() + ")")).collect(Collectors.joining(", "));
    }

    private static String orderKey(OrderKey key) {
        return expression(key.value()) + (key.explicitDirection() ? (key.ascending() ? " asc" : " desc") : "")
                + (key.nullsFirst() == null ? "" : key.nullsFirst() ? " nulls first" : " nulls last");
    }

    private static String options(List<Expression.NamedArgument> options) {
        return options.stream().map(o -> o.name() + "=" + expression(o.value()) + " ").collect(Collectors.joining());
    }

    private static String namedList(List<Expression.NamedArgument> arguments) {
        return arguments.stream().map(a -> a.name() + "=" + expression(a.value())).collect(Collectors.joining(", "));
    }

    private static String assignments(List<Assignment> assignments) {
        return assignments.stream().map(KqlFormatter::assignment).collect(Collectors.joining(", "));
    }

    private static String assignment(Assignment assignment) {
        return (assignment.name() == null ? "" : name(assignment.name()) + " = ") + expression(assignment.value());
    }

    private static String list(List<Expression> expressions) {
        return expressions.stream().map(KqlFormatter::expression).collect(Collectors.joining(", "));
    }

    private static String pattern(String pattern) {
        return pattern.contains("*") ? pattern : name(pattern);
    }

    static String name(String name) {
        return IDENTIFIER.matcher(name).matches() && !RESERVED.contains(name) ? name : "[" + string(name) + "]";
    }

    private static String literal(Literal literal) {
        return switch (literal.kind()) {
            case STRING -> string((String) literal.value());
            case LONG -> String.valueOf(literal.value());
            case REAL -> {
                double value = (Double) literal.value();
                String text = Double.toString(value);
                yield text.contains("Infinity") || text.contains("NaN") ? "real(" + text.toLowerCase() + ")" : text;
            }
            case BOOL -> String.valueOf(literal.value());
            case DATETIME -> "datetime(" + literal.value() + ")";
            case TIMESPAN -> ((Timespan) literal.value()).text();
            case NULL -> "null";
        };
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
