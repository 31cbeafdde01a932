package dev.vigil.query;

import dev.vigil.query.Expression.ArrayLiteral;
import dev.vigil.query.Expression.Between;
import dev.vigil.query.Expression.Binary;
import dev.vigil.query.Expression.Call;
import dev.vigil.query.Expression.ColumnDeclaration;
import dev.vigil.query.Expression.InList;
import dev.vigil.query.Expression.Literal;
import dev.vigil.query.Expression.LiteralKind;
import dev.vigil.query.Expression.Name;
import dev.vigil.query.Expression.NamedArgument;
import dev.vigil.query.Operator.Assignment;
import dev.vigil.query.Operator.OrderKey;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the KQL dialect into {@link Statement}s. A recursive-descent parser over {@link Lexer} tokens; every error
 * names the line and column, the token found and what was expected there.
 *
 * <p>Precedence, loosest first: {@code |}, {@code or}, {@code and}, comparisons and string operators, {@code + -},
 * {@code * / %}, unary minus, then member access, indexing and calls.
 */
public final class KqlParser {
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<>", "<", "<=", ">", ">=", "=~", "!~");
    private static final Set<String> STRING_OPERATORS = Set.of("has", "!has", "has_cs", "!has_cs", "hasprefix",
            "!hasprefix", "hasprefix_cs", "!hasprefix_cs", "hassuffix", "!hassuffix", "hassuffix_cs", "!hassuffix_cs",
            "contains", "!contains", "contains_cs", "!contains_cs", "startswith", "!startswith", "startswith_cs",
            "!startswith_cs", "endswith", "!endswith", "endswith_cs", "!endswith_cs", "like", "!like", "notlike");
    private static final Set<String> LIST_OPERATORS = Set.of("in", "!in", "in~", "!in~", "has_any", "has_all");
    static final List<String> OPERATORS = List.of("where", "filter", "project", "project-away", "project-keep",
            "project-rename", "project-reorder", "extend", "summarize", "top", "sort", "order", "take", "limit",
            "distinct", "count", "join", "lookup", "union", "parse", "parse-where", "mv-expand", "mv-apply", "render",
            "as", "invoke", "evaluate", "serialize", "sample", "getschema", "make-series");

    private final String text;
    private final List<Token> tokens;
    private final IdentityHashMap<Object, ParsedQuery.Position> positions = new IdentityHashMap<>();
    private int index;

    private KqlParser(String text) {
        this.text = text;
        this.tokens = Lexer.tokenize(text);
    }

    /**
     * Parses a query: statements separated by {@code ;}, the last expression statement being the result.
     *
     * @throws KqlSyntaxException naming line:column, the token found and what was expected
     */
    public static ParsedQuery parse(String text) {
        java.util.Objects.requireNonNull(text, "text is null");
        KqlParser parser = new KqlParser(text);
        List<Statement> statements = parser.statements();
        if (statements.stream().noneMatch(s -> s instanceof Statement.Query)) {
            Token end = parser.peek();
            throw new KqlSyntaxException(end.line(), end.column(), "the query has no tabular expression after its let "
                    + "statements (found " + end.describe() + ", expected a table name or expression)",
                    "End the query with an expression such as DeviceProcessEvents | take 10.");
        }
        return new ParsedQuery(text, statements, parser.positions);
    }

    // --- statements -------------------------------------------------------------------------------------------------

    private List<Statement> statements() {
        List<Statement> statements = new ArrayList<>();
        while (true) {
            while (accept(";")) {
                // empty statements
            }
            if (peek().kind() == Token.Kind.END || peek().is("}")) {
                return statements;
            }
            statements.add(statement());
            if (!(peek().kind() == Token.Kind.END || peek().is("}"))) {
                expect(";", "';' or '|' after the statement");
            }
        }
    }

    private Statement statement() {
        Token start = peek();
        Statement statement;
        if (start.isWord("let") && peek(1).kind() == Token.Kind.IDENTIFIER) {
            next();
            String name = identifier("a name after let");
            expect("=", "'=' after let " + name);
            Expression value = isFunctionLiteral() ? functionLiteral() : pipeline();
            statement = new Statement.Let(name, value);
        } else if (start.isWord("set") && peek(1).kind() == Token.Kind.IDENTIFIER && !peek(1).is("|")) {
            next();
            StringBuilder name = new StringBuilder(identifier("an option name after set"));
            while (accept(".")) {
                name.append('.').append(identifier("an option name"));
            }
            Expression value = accept("=") ? orExpression() : null;
            statement = new Statement.Set(name.toString(), value);
        } else if (start.isWord("declare") && peek(1).isWord("query_parameters")) {
            next();
            next();
            expect("(", "'(' after declare query_parameters");
            List<ColumnDeclaration> parameters = columnDeclarations(true);
            expect(")", "')' to close the parameters");
            statement = new Statement.DeclareParameters(parameters);
        } else {
            statement = new Statement.Query(pipeline());
        }
        mark(statement, start);
        return statement;
    }

    /** {@code (a:string, b:long = 1) {}: a parameter list followed by a body. */
    private boolean isFunctionLiteral() {
        if (!peek().is("(")) {
            return false;
        }
        if (peek(1).is(")")) {
            return peek(2).is("{");
        }
        return peek(1).kind() == Token.Kind.IDENTIFIER && peek(2).is(":");
    }

    private Expression functionLiteral() {
        Token start = peek();
        expect("(", "'('");
        List<ColumnDeclaration> parameters = peek().is(")") ? List.of() : columnDeclarations(true);
        expect(")", "')' to close the parameters");
        expect("{", "'{' to open the function body");
        List<Statement> body = statements();
        expect("}", "'}' to close the function body");
        return mark(new Expression.FunctionLiteral(parameters, body), start);
    }

    private List<ColumnDeclaration> columnDeclarations(boolean defaults) {
        List<ColumnDeclaration> columns = new ArrayList<>();
        do {
            if (peek().is(")")) {
                break;
            }
            String name = columnName("a column name");
            expect(":", "':' and a type after " + name);
            String type = typeName();
            Expression defaultValue = defaults && accept("=") ? orExpression() : null;
            columns.add(new ColumnDeclaration(name, type, defaultValue));
        } while (accept(","));
        return columns;
    }

    private String typeName() {
        if (accept("(")) { // a tabular parameter: (*) or (a:string, ...)
            StringBuilder type = new StringBuilder("(");
            int depth = 1;
            while (depth > 0 && peek().kind() != Token.Kind.END) {
                Token token = next();
                if (token.is("(")) {
                    depth++;
                } else if (token.is(")")) {
                    depth--;
                }
                if (depth > 0) {
                    type.append(token.text());
                }
            }
            return type.append(')').toString();
        }
        return identifier("a type name such as string, long, datetime or dynamic");
    }

    // --- tabular expressions ----------------------------------------------------------------------------------------

    /** An expression that may continue with {@code | operator}s. */
    private Expression pipeline() {
        Token start = peek();
        Expression expression = source();
        while (peek().is("|")) {
            next();
            Token operatorStart = peek();
            Operator operator = operator();
            mark(operator, operatorStart);
            expression = mark(new Expression.Pipe(expression, operator), start);
        }
        return expression;
    }

    private Expression source() {
        Token start = peek();
        if (start.kind() == Token.Kind.IDENTIFIER) {
            String word = start.text();
            Token after = peek(1);
            if (word.equals("union") && !after.is("|") && !after.is(";") && !after.is(")") && !after.is(",")
                    && after.kind() != Token.Kind.END) {
                next();
                List<NamedArgument> options = options(Set.of("kind", "withsource", "isfuzzy"));
                return mark(new Expression.Union(options, unionTables()), start);
            }
            if (word.equals("datatable") && after.is("(")) {
                next();
                next();
                List<ColumnDeclaration> columns = columnDeclarations(false);
                expect(")", "')' to close the datatable columns");
                expect("[", "'[' and the datatable's values");
                List<Expression> values = new ArrayList<>();
                while (!peek().is("]")) {
                    values.add(orExpression());
                    if (!accept(",")) {
                        break;
                    }
                }
                expect("]", "']' to close the datatable's values");
                return mark(new Expression.Datatable(columns, values), start);
            }
            if (word.equals("externaldata") && after.is("(")) {
                next();
                next();
                List<ColumnDeclaration> columns = columnDeclarations(false);
                expect(")", "')' to close the externaldata columns");
                expect("[", "'[' and the externaldata URIs");
                List<Expression> uris = new ArrayList<>();
                while (!peek().is("]")) {
                    uris.add(orExpression());
                    if (!accept(",")) {
                        break;
                    }
                }
                expect("]", "']' to close the URIs");
                List<NamedArgument> properties = List.of();
                if (acceptWord("with")) {
                    expect("(", "'(' after with");
                    properties = namedArguments();
                    expect(")", "')' to close the properties");
                }
                return mark(new Expression.ExternalData(columns, uris, properties), start);
            }
            if (word.equals("print") && !after.is("(") && !after.is("|")) {
                next();
                return mark(new Expression.Print(assignments()), start);
            }
            if (word.equals("range") && after.kind() == Token.Kind.IDENTIFIER && peek(2).isWord("from")) {
                next();
                String column = identifier("a column name");
                expectWord("from");
                Expression from = orExpression();
                expectWord("to");
                Expression to = orExpression();
                expectWord("step");
                Expression step = orExpression();
                return mark(new Expression.Range(column, from, to, step), start);
            }
            if (word.equals("search") && !after.is("(") && !after.is("|")) {
                next();
                return mark(search(), start);
            }
        }
        return orExpression();
    }

    private Expression.Search search() {
        options(Set.of("kind")); // kind=case_sensitive|case_insensitive: search is always case-insensitive here
        List<String> tables = new ArrayList<>();
        if (acceptWord("in")) {
            expect("(", "'(' and table names after search in");
            do {
                tables.add(tablePattern());
            } while (accept(","));
            expect(")", "')' to close the table names");
        }
        return new Expression.Search(tables, orExpression());
    }

    private List<Expression> unionTables() {
        List<Expression> tables = new ArrayList<>();
        do {
            Token start = peek();
            if (peek().is("(")) {
                tables.add(primary());
            } else {
                String pattern = tablePattern();
                tables.add(mark(new Name(pattern), start));
            }
        } while (accept(","));
        return tables;
    }

    private String tablePattern() {
        StringBuilder pattern = new StringBuilder();
        if (peek().is("*")) {
            next();
            pattern.append('*');
        } else {
            pattern.append(columnName("a table name"));
        }
        while (peek().is("*") && adjacent()) {
            next();
            pattern.append('*');
            if (peek().kind() == Token.Kind.IDENTIFIER && adjacent()) {
                pattern.append(next().text());
            }
        }
        return pattern.toString();
    }

    /** Whether the current token follows the previous one without space. */
    private boolean adjacent() {
        return index > 0 && tokens.get(index - 1).end() == peek().offset();
    }

    private Operator operator() {
        Token start = peek();
        if (start.kind() != Token.Kind.IDENTIFIER) {
            throw error(start, "an operator after '|' (" + String.join(", ", OPERATORS) + ")");
        }
        String name = next().text();
        while (peek().is("-") && adjacent() && peek(1).kind() == Token.Kind.IDENTIFIER
                && peek(1).offset() == peek().end()) {
            next();
            name = name + "-" + next().text();
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "where", "filter" -> new Operator.Where(orExpression());
            case "project" -> new Operator.Project(assignments());
            case "project-away" -> new Operator.ProjectAway(columnPatterns());
            case "project-keep" -> new Operator.ProjectKeep(columnPatterns());
            case "project-reorder" -> new Operator.ProjectReorder(columnPatterns());
            case "project-rename" -> new Operator.ProjectRename(renames());
            case "extend" -> new Operator.Extend(assignments());
            case "summarize" -> summarize();
            case "top" -> {
                Expression count = additive();
                expectWord("by");
                yield new Operator.Top(count, orderKey());
            }
            case "sort", "order" -> {
                expectWord("by");
                List<OrderKey> keys = new ArrayList<>();
                do {
                    keys.add(orderKey());
                } while (accept(","));
                yield new Operator.Sort(name.toLowerCase(Locale.ROOT), keys);
            }
            case "take", "limit" -> new Operator.Take(name.toLowerCase(Locale.ROOT), additive());
            case "distinct" -> {
                List<Expression> columns = new ArrayList<>();
                if (peek().is("*")) {
                    next();
                    columns.add(new Expression.Star());
                } else {
                    do {
                        columns.add(orExpression());
                    } while (accept(","));
                }
                yield new Operator.Distinct(columns);
            }
            case "count" -> new Operator.Count();
            case "join" -> join();
            case "lookup" -> {
                List<NamedArgument> options = options(Set.of("kind"));
                Expression right = joinRight();
                expectWord("on");
                yield new Operator.Lookup(optionText(options, "kind"), right, joinKeys());
            }
            case "union" -> new Operator.Union(options(Set.of("kind", "withsource", "isfuzzy")), unionTables());
            case "parse", "parse-where" -> parse();
            case "mv-expand" -> mvExpand();
            case "mv-apply" -> {
                options(Set.of("with_itemindex"));
                List<Operator.ExpandItem> items = expandItems();
                expectWord("on");
                Token open = peek();
                expect("(", "'(' and a subquery after on");
                List<Operator> subquery = new ArrayList<>();
                accept("|");
                do {
                    Token operatorStart = peek();
                    subquery.add(mark(operator(), operatorStart));
                } while (accept("|"));
                expect(")", "')' to close the subquery", open);
                yield new Operator.MvApply(items, subquery);
            }
            case "render" -> {
                String chart = identifier("a chart type such as timechart, columnchart or piechart");
                List<NamedArgument> properties = List.of();
                if (acceptWord("with")) {
                    expect("(", "'(' after with");
                    properties = namedArguments();
                    expect(")", "')' to close the render properties");
                }
                yield new Operator.Render(chart, properties);
            }
            case "as" -> {
                options(Set.of("hint.materialized"));
                yield new Operator.As(columnName("a name after as"));
            }
            case "invoke" -> new Operator.Invoke(call());
            case "evaluate" -> {
                Operator.Evaluate evaluate = new Operator.Evaluate(options(null), call());
                if (accept(":")) { // the output schema some plugins take; the plugin decides the columns here
                    expect("(", "'(' and the output columns");
                    columnDeclarations(false);
                    expect(")", "')' to close the output columns");
                }
                yield evaluate;
            }
            case "serialize" -> new Operator.Serialize(peek().is("|") || atEnd() ? List.of() : assignments());
            case "sample" -> new Operator.Sample(additive());
            case "getschema" -> new Operator.GetSchema();
            case "make-series" -> makeSeries();
            default -> throw new KqlSyntaxException(start.line(), start.column(), "unknown operator '" + name
                    + "' (expected one of " + String.join(", ", OPERATORS) + ")" + Suggestions.didYouMean(name, OPERATORS),
                    "Use one of the tabular operators listed; the README's Hunting section documents the dialect.");
        };
    }

    private boolean atEnd() {
        return peek().kind() == Token.Kind.END || peek().is(";") || peek().is(")");
    }

    private Call call() {
        Expression expression = postfix();
        if (expression instanceof Call call) {
            return call;
        }
        throw error(peek(), "a function call");
    }

    private Operator summarize() {
        List<NamedArgument> hints = options(null);
        List<Assignment> aggregates = peek().isWord("by") ? List.of() : assignments();
        List<Assignment> groups = acceptWord("by") ? assignments() : List.of();
        return new Operator.Summarize(hints, aggregates, groups);
    }

    private Operator join() {
        List<NamedArgument> options = options(null);
        Expression right = joinRight();
        List<Expression> on = List.of();
        if (acceptWord("on")) {
            on = joinKeys();
        } else if (acceptWord("where")) {
            on = List.of(orExpression());
        }
        String kind = optionText(options, "kind");
        List<NamedArgument> hints = options.stream().filter(o -> !o.name().equals("kind")).toList();
        return new Operator.Join(kind, hints, right, on);
    }

    private Expression joinRight() {
        if (peek().is("(")) {
            Token start = next();
            Expression inner = pipeline();
            expect(")", "')' to close the right side of the join");
            return mark(new Expression.Parenthesized(inner), start);
        }
        Token start = peek();
        return mark(new Name(columnName("a table or '(' after join")), start);
    }

    private List<Expression> joinKeys() {
        List<Expression> keys = new ArrayList<>();
        do {
            keys.add(orExpression());
        } while (accept(","));
        return keys;
    }

    private static String optionText(List<NamedArgument> options, String name) {
        for (NamedArgument option : options) {
            if (option.name().equals(name)) {
                return switch (option.value()) {
                    case Name n -> n.name();
                    case Literal l -> String.valueOf(l.value());
                    default -> option.value().toString();
                };
            }
        }
        return null;
    }

    /** Options such as {@code kind=inner} or {@code hint.strategy=shuffle}; null allows any name. */
    private List<NamedArgument> options(Set<String> allowed) {
        List<NamedArgument> options = new ArrayList<>();
        while (peek().kind() == Token.Kind.IDENTIFIER) {
            int save = index;
            Token start = peek();
            StringBuilder name = new StringBuilder(next().text());
            while (peek().is(".") && peek(1).kind() == Token.Kind.IDENTIFIER) {
                next();
                name.append('.').append(next().text());
            }
            boolean known = allowed == null ? (name.toString().equals("kind") || name.toString().startsWith("hint.")
                    || name.toString().equals("withsource") || name.toString().equals("bagexpansion")
                    || name.toString().equals("with_itemindex") || name.toString().equals("isfuzzy"))
                    : allowed.contains(name.toString()) || name.toString().startsWith("hint.");
            if (!known || !peek().is("=")) {
                index = save;
                break;
            }
            next();
            Token valueToken = peek();
            Expression value = valueToken.kind() == Token.Kind.IDENTIFIER
                    ? mark(new Name(next().text()), valueToken) : primary();
            options.add(mark(new NamedArgument(name.toString(), value), start));
        }
        return options;
    }

    private Operator parse() {
        List<NamedArgument> options = options(Set.of("kind", "flags"));
        Expression source = additive();
        expectWord("with");
        List<Operator.ParsePart> pattern = new ArrayList<>();
        while (!peek().is("|") && !atEnd()) {
            Token token = peek();
            if (token.is("*")) {
                next();
                pattern.add(new Operator.ParsePart.Skip());
            } else if (token.kind() == Token.Kind.STRING) {
                pattern.add(new Operator.ParsePart.Text(string()));
            } else if (token.kind() == Token.Kind.IDENTIFIER || token.is("[")) {
                String column = columnName("a column name");
                String type = accept(":") ? typeName() : null;
                pattern.add(new Operator.ParsePart.Column(column, type));
            } else {
                throw error(token, "a string, '*' or a column name in the parse pattern");
            }
        }
        if (pattern.isEmpty()) {
            throw error(peek(), "a pattern after with");
        }
        return new Operator.Parse(optionText(options, "kind"), source, pattern);
    }

    private Operator mvExpand() {
        List<NamedArgument> options = options(Set.of("bagexpansion", "with_itemindex", "kind"));
        List<Operator.ExpandItem> items = expandItems();
        Expression limit = acceptWord("limit") ? additive() : null;
        return new Operator.MvExpand(options, items, limit);
    }

    private List<Operator.ExpandItem> expandItems() {
        List<Operator.ExpandItem> items = new ArrayList<>();
        do {
            Assignment column = assignment();
            String type = null;
            if (acceptWord("to")) {
                expectWord("typeof");
                expect("(", "'(' after typeof");
                type = identifier("a type name");
                expect(")", "')' after the type");
            }
            items.add(new Operator.ExpandItem(column, type));
        } while (accept(","));
        return items;
    }

    private Operator makeSeries() {
        List<Assignment> aggregates = new ArrayList<>();
        do {
            aggregates.add(assignment());
            if (acceptWord("default")) {
                expect("=", "'=' after default");
                orExpression();
            }
        } while (accept(","));
        expectWord("on");
        Expression axis = additive();
        Expression from = null;
        Expression to = null;
        Expression step;
        if (acceptWord("in")) {
            expectWord("range");
            expect("(", "'(' after range");
            from = orExpression();
            expect(",", "','");
            to = orExpression();
            expect(",", "','");
            step = orExpression();
            expect(")", "')'");
        } else {
            if (acceptWord("from")) {
                from = additive();
            }
            if (acceptWord("to")) {
                to = additive();
            }
            expectWord("step");
            step = additive();
        }
        List<Assignment> groups = acceptWord("by") ? assignments() : List.of();
        return new Operator.MakeSeries(aggregates, axis, from, to, step, groups);
    }

    private OrderKey orderKey() {
        Expression value = orExpression();
        boolean ascending = false;
        boolean explicit = false;
        if (acceptWord("asc")) {
            ascending = true;
            explicit = true;
        } else if (acceptWord("desc")) {
            explicit = true;
        }
        Boolean nullsFirst = null;
        if (acceptWord("nulls")) {
            if (acceptWord("first")) {
                nullsFirst = true;
            } else {
                expectWord("last");
                nullsFirst = false;
            }
        }
        return new OrderKey(value, ascending, explicit, nullsFirst);
    }

    private List<String> columnPatterns() {
        List<String> patterns = new ArrayList<>();
        do {
            patterns.add(tablePattern());
            if (peek().isWord("asc") || peek().isWord("desc")) {
                next();
            }
        } while (accept(","));
        return patterns;
    }

    private List<Operator.Rename> renames() {
        List<Operator.Rename> renames = new ArrayList<>();
        do {
            String newName = columnName("the new column name");
            expect("=", "'=' after " + newName);
            renames.add(new Operator.Rename(newName, columnName("the column to rename")));
        } while (accept(","));
        return renames;
    }

    private List<Assignment> assignments() {
        List<Assignment> assignments = new ArrayList<>();
        do {
            assignments.add(assignment());
        } while (accept(","));
        return assignments;
    }

    private Assignment assignment() {
        Token start = peek();
        if ((start.kind() == Token.Kind.IDENTIFIER && peek(1).is("="))
                || (start.is("[") && peek(1).kind() == Token.Kind.STRING && peek(2).is("]") && peek(3).is("="))) {
            String name = columnName("a column name");
            next(); // =
            return mark(new Assignment(name, orExpression()), start);
        }
        if (start.is("(") && peek(1).kind() == Token.Kind.IDENTIFIER && peek(2).is(",")) {
            // (a, b) = f(...): a tuple assignment; only the first name is kept for the result column
            int save = index;
            next();
            List<String> names = new ArrayList<>();
            do {
                names.add(identifier("a column name"));
            } while (accept(","));
            if (accept(")") && accept("=")) {
                return mark(new Assignment(names.get(0), orExpression()), start);
            }
            index = save;
        }
        return mark(new Assignment(null, orExpression()), start);
    }

    private List<NamedArgument> namedArguments() {
        List<NamedArgument> arguments = new ArrayList<>();
        while (!peek().is(")")) {
            Token start = peek();
            String name = identifier("a property name");
            expect("=", "'=' after " + name);
            Expression value = orExpression();
            while (peek().is(",") && peek(1).kind() == Token.Kind.IDENTIFIER && !peek(2).is("=")) {
                next(); // ycolumns=a, b: a list value
                value = new Binary(",", value, new Name(next().text()));
            }
            arguments.add(mark(new NamedArgument(name, value), start));
            if (!accept(",")) {
                break;
            }
        }
        return arguments;
    }

    // --- scalar expressions -----------------------------------------------------------------------------------------

    private Expression orExpression() {
        Token start = peek();
        Expression left = andExpression();
        while (peek().isWord("or") && peek().kind() == Token.Kind.IDENTIFIER) {
            next();
            left = mark(new Binary("or", left, andExpression()), start);
        }
        return left;
    }

    private Expression andExpression() {
        Token start = peek();
        Expression left = comparison();
        while (peek().isWord("and") && peek().kind() == Token.Kind.IDENTIFIER) {
            next();
            left = mark(new Binary("and", left, comparison()), start);
        }
        return left;
    }

    private Expression comparison() {
        Token start = peek();
        Expression left = additive();
        while (true) {
            Token token = peek();
            String word = token.text().toLowerCase(Locale.ROOT);
            if (token.kind() == Token.Kind.SYMBOL && COMPARISONS.contains(token.text())) {
                next();
                left = mark(new Binary(token.text(), left, additive()), start);
            } else if ((token.kind() == Token.Kind.IDENTIFIER || token.kind() == Token.Kind.NEGATED_WORD)
                    && STRING_OPERATORS.contains(word)) {
                next();
                left = mark(new Binary(word, left, additive()), start);
            } else if (token.kind() == Token.Kind.IDENTIFIER && word.equals("matches") && peek(1).isWord("regex")) {
                next();
                next();
                left = mark(new Binary("matches regex", left, additive()), start);
            } else if ((token.kind() == Token.Kind.IDENTIFIER || token.kind() == Token.Kind.NEGATED_WORD)
                    && LIST_OPERATORS.contains(word)) {
                next();
                left = mark(new InList(left, word, listItems(word)), start);
            } else if ((token.kind() == Token.Kind.IDENTIFIER || token.kind() == Token.Kind.NEGATED_WORD)
                    && (word.equals("between") || word.equals("!between"))) {
                next();
                expect("(", "'(' after " + word);
                Expression low = additive();
                expect("..", "'..' between the bounds");
                Expression high = additive();
                expect(")", "')' to close between");
                left = mark(new Between(left, low, high, word.startsWith("!")), start);
            } else {
                return left;
            }
        }
    }

    private List<Expression> listItems(String operator) {
        if (!peek().is("(")) {
            return List.of(additive()); // a let-bound list: x in (list) and x in list read the same
        }
        next();
        List<Expression> items = new ArrayList<>();
        while (!peek().is(")")) {
            items.add(pipeline());
            if (!accept(",")) {
                break;
            }
        }
        expect(")", "',' or ')' to close the list of " + operator);
        return items;
    }

    private Expression additive() {
        Token start = peek();
        Expression left = multiplicative();
        while (peek().kind() == Token.Kind.SYMBOL && (peek().is("+") || peek().is("-"))) {
            String operator = next().text();
            left = mark(new Binary(operator, left, multiplicative()), start);
        }
        return left;
    }

    private Expression multiplicative() {
        Token start = peek();
        Expression left = unary();
        while (peek().kind() == Token.Kind.SYMBOL && (peek().is("*") || peek().is("/") || peek().is("%"))) {
            if (peek().is("*") && (peek(1).is(")") || peek(1).is(","))) {
                return left; // a trailing * is a wildcard, not a product
            }
            String operator = next().text();
            left = mark(new Binary(operator, left, unary()), start);
        }
        return left;
    }

    private Expression unary() {
        Token start = peek();
        if (start.kind() == Token.Kind.SYMBOL && (start.is("-") || start.is("+"))) {
            next();
            Expression operand = unary();
            if (start.is("-") && operand instanceof Literal literal && literal.kind() == LiteralKind.LONG
                    && literal.value() instanceof Long value) {
                return mark(new Literal(LiteralKind.LONG, -value), start);
            }
            return mark(new Expression.Unary(start.text(), operand), start);
        }
        return postfix();
    }

    private Expression postfix() {
        Token start = peek();
        Expression expression = primary();
        while (true) {
            if (peek().is(".") && !peek().is("..")) {
                next();
                if (peek().is("[")) {
                    next();
                    Expression key = orExpression();
                    expect("]", "']'");
                    expression = mark(new Expression.Index(expression, key), start);
                } else {
                    Token name = next();
                    if (name.kind() != Token.Kind.IDENTIFIER && name.kind() != Token.Kind.LONG) {
                        throw error(name, "a property name after '.'", tokens.get(index - 1));
                    }
                    expression = mark(new Expression.Member(expression, name.text()), start);
                }
            } else if (peek().is("[")) {
                next();
                Expression key = orExpression();
                expect("]", "']' to close the index");
                expression = mark(new Expression.Index(expression, key), start);
            } else {
                return expression;
            }
        }
    }

    private Expression primary() {
        Token token = peek();
        switch (token.kind()) {
            case STRING -> {
                return mark(Literal.string(string()), token);
            }
            case LONG -> {
                next();
                return mark(new Literal(LiteralKind.LONG, token.value()), token);
            }
            case REAL -> {
                next();
                return mark(new Literal(LiteralKind.REAL, token.value()), token);
            }
            case TIMESPAN -> {
                next();
                return mark(new Literal(LiteralKind.TIMESPAN, token.value()), token);
            }
            case DATETIME -> {
                next();
                return mark(new Literal(LiteralKind.DATETIME, token.value()), token);
            }
            case END -> throw error(token, "an expression");
            default -> {
                // handled below
            }
        }
        if (token.is("(")) {
            next();
            Expression inner = pipeline();
            if (peek().is(",")) { // (a, b) as a list value, e.g. a let-bound list
                List<Expression> items = new ArrayList<>(List.of(inner));
                while (accept(",")) {
                    items.add(pipeline());
                }
                expect(")", "')'");
                return mark(new Call("pack_array", items), token);
            }
            expect(")", "')' to close '('", token);
            return mark(new Expression.Parenthesized(inner), token);
        }
        if (token.is("[") && peek(1).kind() == Token.Kind.STRING && peek(2).is("]")) {
            return mark(new Name(columnName("a column name")), token);
        }
        if (token.is("*")) {
            next();
            return mark(new Expression.Star(), token);
        }
        if (token.kind() == Token.Kind.IDENTIFIER) {
            String word = token.text();
            if (word.equals("true") || word.equals("false")) {
                next();
                return mark(new Literal(LiteralKind.BOOL, word.equals("true")), token);
            }
            if (word.equals("null")) {
                next();
                return mark(new Literal(LiteralKind.NULL, null), token);
            }
            if (word.equals("dynamic") && peek(1).is("(")) {
                next();
                next();
                Expression value = peek().is(")") ? new Literal(LiteralKind.NULL, null) : dynamicValue();
                expect(")", "')' to close dynamic");
                return mark(new Call("dynamic", List.of(value)), token);
            }
            if ((word.equals("timespan") || word.equals("time")) && peek(1).is("(")) {
                next();
                next();
                Expression value = timespanBody();
                expect(")", "')' to close " + word);
                return mark(new Call(word, List.of(value)), token);
            }
            next();
            if (peek().is("(")) {
                next();
                List<Expression> arguments = new ArrayList<>();
                while (!peek().is(")")) {
                    arguments.add(argument());
                    if (!accept(",")) {
                        break;
                    }
                }
                expect(")", "',' or ')' to close the arguments of " + word, token);
                return mark(new Call(word, arguments), token);
            }
            return mark(new Name(word), token);
        }
        throw error(token, "an expression");
    }

    /** {@code time(1d)}, {@code timespan(00:10:00)}, or a plain expression. */
    private Expression timespanBody() {
        Token token = peek();
        if (token.kind() == Token.Kind.LONG && peek(1).is(":")) {
            StringBuilder raw = new StringBuilder();
            while (!peek().is(")") && peek().kind() != Token.Kind.END) {
                raw.append(next().text());
            }
            return mark(Literal.string(raw.toString()), token);
        }
        return orExpression();
    }

    private Expression argument() {
        Token start = peek();
        if (start.kind() == Token.Kind.IDENTIFIER && peek(1).is("=")) {
            String name = next().text();
            next();
            return mark(new NamedArgument(name, orExpression()), start);
        }
        return pipeline();
    }

    private Expression dynamicValue() {
        Token token = peek();
        if (token.is("[")) {
            next();
            List<Expression> items = new ArrayList<>();
            while (!peek().is("]")) {
                items.add(dynamicValue());
                if (!accept(",")) {
                    break;
                }
            }
            expect("]", "',' or ']' to close the array");
            return mark(new ArrayLiteral(items), token);
        }
        if (token.is("{")) {
            next();
            List<NamedArgument> entries = new ArrayList<>();
            while (!peek().is("}")) {
                Token keyToken = peek();
                String key = keyToken.kind() == Token.Kind.STRING ? string() : identifier("a property name");
                expect(":", "':' after the property name");
                entries.add(mark(new NamedArgument(key, dynamicValue()), keyToken));
                if (!accept(",")) {
                    break;
                }
            }
            expect("}", "',' or '}' to close the object");
            return mark(new Expression.ObjectLiteral(entries), token);
        }
        return unary();
    }

    // --- tokens -----------------------------------------------------------------------------------------------------

    /** A string literal; adjacent literals concatenate, as in KQL. */
    private String string() {
        StringBuilder value = new StringBuilder((String) next().value());
        while (peek().kind() == Token.Kind.STRING) {
            value.append((String) next().value());
        }
        return value.toString();
    }

    private String identifier(String expected) {
        Token token = peek();
        if (token.kind() != Token.Kind.IDENTIFIER) {
            throw error(token, expected);
        }
        next();
        return token.text();
    }

    /** A name, or a bracketed one such as {@code ['Event ID']}. */
    private String columnName(String expected) {
        if (peek().is("[") && peek(1).kind() == Token.Kind.STRING && peek(2).is("]")) {
            next();
            String name = (String) next().value();
            next();
            return name;
        }
        if (peek().kind() == Token.Kind.STRING) {
            return (String) next().value();
        }
        return identifier(expected);
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token token = tokens.get(index);
        if (token.kind() != Token.Kind.END) {
            index++;
        }
        return token;
    }

    private boolean accept(String symbol) {
        if (peek().kind() == Token.Kind.SYMBOL && peek().text().equals(symbol)) {
            next();
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        if (peek().kind() == Token.Kind.IDENTIFIER && peek().text().equals(word)) {
            next();
            return true;
        }
        return false;
    }

    private void expect(String symbol, String expected) {
        expect(symbol, expected, null);
    }

    private void expect(String symbol, String expected, Token opening) {
        if (!accept(symbol)) {
            throw error(peek(), expected, opening);
        }
    }

    private void expectWord(String word) {
        if (!acceptWord(word)) {
            throw error(peek(), "'" + word + "'");
        }
    }

    private KqlSyntaxException error(Token found, String expected) {
        return error(found, expected, null);
    }

    private KqlSyntaxException error(Token found, String expected, Token opening) {
        String where = opening == null ? "" : " (opened at " + opening.line() + ":" + opening.column() + ")";
        return new KqlSyntaxException(found.line(), found.column(), "unexpected " + found.describe() + ", expected "
                + expected + where, "Fix the query at " + found.line() + ":" + found.column()
                + "; the README's Hunting section lists the operators and functions of the dialect.");
    }

    private <T> T mark(T node, Token at) {
        positions.putIfAbsent(node, new ParsedQuery.Position(at.line(), at.column()));
        return node;
    }
}
