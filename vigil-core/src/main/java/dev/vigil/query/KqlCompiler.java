package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the KQL dialect to SQL: lexer, parser, semantic analysis against a {@link HuntCatalog} (plus the
 * {@link DefenderViews}), logical plan, then SQL in a {@link SqlDialect}. The tenant predicate is part of every scan
 * of a stored table, and the SQL is a single SELECT: read-only by construction.
 */
public final class KqlCompiler {
    /** A column of the result: its KQL name and type. */
    public record OutputColumn(String name, KqlType type) {}

    /**
     * A compiled query.
     *
     * @param chart the {@code render} chart type, or null
     * @param tables the tables and views the query reads
     */
    public record Compiled(String kql, String sql, List<OutputColumn> columns, String chart, Set<String> tables) {
        public Compiled {
            columns = List.copyOf(columns);
            tables = Set.copyOf(tables);
        }
    }

    private final HuntCatalog catalog;
    private final DefenderViews views;
    private final SqlDialect dialect;

    public KqlCompiler(HuntCatalog catalog, SqlDialect dialect) {
        this(catalog, DefenderViews.builtIn(), dialect);
    }

    public KqlCompiler(HuntCatalog catalog, DefenderViews views, SqlDialect dialect) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.views = requireNonNull(views, "views is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
    }

    /**
     * Compiles a query for one tenant.
     *
     * @param parameters values for the query's parameters: declared ones and any name the query uses unbound
     * @throws KqlSyntaxException with line:column, the token or name and what was expected
     */
    public Compiled compile(String kql, String tenant, Map<String, Object> parameters) {
        return compile(kql, tenant, parameters, null);
    }

    /**
     * Compiles a query for one tenant over a time window, as a scheduled query runs: every scan of a stored table
     * keeps the window's events only, and {@code now()} is the window's end.
     *
     * @param parameters values for the query's parameters (String, Long, Double, Boolean, {@link java.time.Instant}
     *     for a datetime, {@link java.time.Duration} for a timespan); a declared parameter's value is converted to
     *     its declared type
     * @param window the time window, or null for all stored events and the clock's {@code now()}
     */
    public Compiled compile(String kql, String tenant, Map<String, Object> parameters, TimeWindow window) {
        requireNonNull(tenant, "tenant is null");
        ParsedQuery parsed = KqlParser.parse(kql);
        Analyzer analyzer = new Analyzer(catalog, views, tenant, parsed, window);
        Plan plan = analyzer.analyze(parameters == null ? Map.of() : parameters);
        String sql;
        try {
            sql = new SqlGenerator(dialect).statement(plan);
        } catch (UnsupportedConstructException e) {
            ParsedQuery.Position at = locate(parsed, e.spellings());
            throw at == null ? e : e.at(at.line(), at.column());
        }
        List<OutputColumn> columns = plan.columns().stream().map(c -> new OutputColumn(c.name(), c.type())).toList();
        return new Compiled(kql, sql, columns, analyzer.chart(), referencedTables(parsed));
    }

    /**
     * The parameters a query declares with {@code declare query_parameters}, in order.
     *
     * @throws KqlSyntaxException if the query does not parse, or a parameter's type is unknown
     */
    public static List<QueryParameter> declaredParameters(String kql) {
        ParsedQuery parsed = KqlParser.parse(kql);
        List<QueryParameter> parameters = new ArrayList<>();
        for (Statement statement : parsed.statements()) {
            if (statement instanceof Statement.DeclareParameters declare) {
                for (Expression.ColumnDeclaration parameter : declare.parameters()) {
                    KqlType type = KqlType.of(parameter.type());
                    if (type == null) {
                        ParsedQuery.Position at = parsed.position(declare);
                        throw new KqlSyntaxException(at == null ? 0 : at.line(), at == null ? 0 : at.column(), "unknown type '" + parameter.type()
                                + "' of query parameter '" + parameter.name() + "' (expected string, long, int, real,"
                                + " bool, datetime, timespan or dynamic)");
                    }
                    parameters.add(new QueryParameter(parameter.name(), type, parameter.type(),
                            parameter.defaultValue() == null ? null : KqlFormatter.expression(parameter.defaultValue())));
                }
            }
        }
        return parameters;
    }

    /** The table names a query reads (its let-bound names excluded); externaldata counts as "externaldata". */
    public static Set<String> referencedTables(ParsedQuery parsed) {
        Set<String> bound = new HashSet<>();
        Set<String> tables = new LinkedHashSet<>();
        collect(parsed.statements(), bound, tables);
        return tables;
    }

    private static void collect(List<Statement> statements, Set<String> bound, Set<String> tables) {
        for (Statement statement : statements) {
            switch (statement) {
                case Statement.Let let -> {
                    source(let.value(), bound, tables);
                    bound.add(let.name());
                }
                case Statement.Query query -> source(query.expression(), bound, tables);
                case Statement.Set set -> {
                }
                case Statement.DeclareParameters declare -> declare.parameters().forEach(p -> bound.add(p.name()));
            }
        }
    }

    private static void source(Expression expression, Set<String> bound, Set<String> tables) {
        switch (expression) {
            case Expression.Name name -> {
                if (!bound.contains(name.name()) && !name.name().startsWith("$")) {
                    tables.add(name.name());
                }
            }
            case Expression.Pipe pipe -> {
                source(pipe.source(), bound, tables);
                switch (pipe.operator()) {
                    case Operator.Join join -> source(join.right(), bound, tables);
                    case Operator.Lookup lookup -> source(lookup.right(), bound, tables);
                    case Operator.Union union -> union.tables().forEach(t -> source(t, bound, tables));
                    case Operator.Where where -> scalars(where.predicate(), bound, tables);
                    case Operator.Extend extend -> extend.columns().forEach(c -> scalars(c.value(), bound, tables));
                    default -> {
                    }
                }
            }
            case Expression.Parenthesized p -> source(p.inner(), bound, tables);
            case Expression.Union union -> union.tables().forEach(t -> source(t, bound, tables));
            case Expression.ExternalData data -> tables.add("externaldata");
            case Expression.Call call when call.function().equals("materialize") || call.function().equals("toscalar") ->
                    call.arguments().forEach(a -> source(a, bound, tables));
            case Expression.FunctionLiteral function -> {
                Set<String> inner = new HashSet<>(bound);
                function.parameters().forEach(p -> inner.add(p.name()));
                collect(function.body(), inner, tables);
            }
            default -> scalars(expression, bound, tables);
        }
    }

    /** Subqueries inside scalar expressions: x in (T | ...), toscalar(T | ...). */
    private static void scalars(Expression expression, Set<String> bound, Set<String> tables) {
        switch (expression) {
            case Expression.Pipe pipe -> source(pipe, bound, tables);
            case Expression.Parenthesized p when p.inner() instanceof Expression.Pipe -> source(p.inner(), bound, tables);
            case Expression.InList in -> in.items().forEach(i -> {
                if (i instanceof Expression.Pipe) {
                    source(i, bound, tables);
                }
            });
            case Expression.Binary binary -> {
                scalars(binary.left(), bound, tables);
                scalars(binary.right(), bound, tables);
            }
            case Expression.Call call -> {
                if (call.function().equals("toscalar")) {
                    call.arguments().forEach(a -> source(a, bound, tables));
                }
            }
            default -> {
            }
        }
    }

    /**
     * Where the query first uses a construct: the first node, in text order, that is a call of one of the names, a
     * binary or list operator spelled so, or a pipe operator of that name ({@code mv-expand} for
     * {@link Operator.MvExpand}). Null if none is found (the construct came from a view's definition).
     */
    static ParsedQuery.Position locate(ParsedQuery parsed, List<String> spellings) {
        Set<String> names = new HashSet<>();
        for (String spelling : spellings) {
            names.add(spelling.toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "").replace(" ", ""));
        }
        ParsedQuery.Position[] best = new ParsedQuery.Position[1];
        for (Statement statement : parsed.statements()) {
            visit(statement, node -> {
                String name = switch (node) {
                    case Expression.Call call -> call.function();
                    case Expression.Binary binary -> binary.operator();
                    case Expression.InList in -> in.operator();
                    case Operator operator -> operator.getClass().getSimpleName();
                    default -> null;
                };
                ParsedQuery.Position at = parsed.position(node);
                if (name != null && at != null && names.contains(name.toLowerCase(java.util.Locale.ROOT)
                        .replace("-", "").replace("_", "").replace(" ", "").replace("!", ""))
                        && (best[0] == null || at.line() < best[0].line()
                        || at.line() == best[0].line() && at.column() < best[0].column())) {
                    best[0] = at;
                }
            });
        }
        return best[0];
    }

    /** Every node of the syntax tree under {@code node}: the tree is records, lists of them, and leaves. */
    private static void visit(Object node, java.util.function.Consumer<Object> visitor) {
        if (node instanceof List<?> list) {
            list.forEach(item -> visit(item, visitor));
        } else if (node instanceof Record record) {
            visitor.accept(record);
            for (java.lang.reflect.RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    visit(component.getAccessor().invoke(record), visitor);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component + " of a syntax tree node", e);
                }
            }
        }
    }

    /** Every name a catalog offers: its stored tables and the views. */
    public List<String> tableNames() {
        List<String> names = new ArrayList<>(views.names());
        names.addAll(catalog.tableNames());
        return names;
    }
}
