package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A KQL expression: scalar expressions, tabular sources and pipelines alike, since KQL lets a name stand for either
 * and only the catalog tells them apart. Nodes carry no source positions, so that two parses of equivalent text are
 * equal; {@link ParsedQuery#position} maps a node back to its line and column.
 */
public sealed interface Expression {
    /** The kinds of literal; a datetime keeps its text as written, a timespan its {@link Timespan}. */
    enum LiteralKind { STRING, LONG, REAL, BOOL, DATETIME, TIMESPAN, NULL }

    record Literal(LiteralKind kind, Object value) implements Expression {
        public Literal {
            requireNonNull(kind, "kind is null");
        }

        static Literal string(String value) {
            return new Literal(LiteralKind.STRING, value);
        }
    }

    /** A column, table, let-bound name or {@code $left}/{@code $right}. */
    record Name(String name) implements Expression {
        public Name {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code target.name}. */
    record Member(Expression target, String name) implements Expression {
        public Member {
            requireNonNull(target, "target is null");
            requireNonNull(name, "name is null");
        }
    }

    /** {@code target[index]}, also {@code target['name']}. */
    record Index(Expression target, Expression index) implements Expression {
        public Index {
            requireNonNull(target, "target is null");
            requireNonNull(index, "index is null");
        }
    }

    /** A function call; {@code function} is as written (KQL names are case-sensitive). */
    record Call(String function, List<Expression> arguments) implements Expression {
        public Call {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code name = value} as a function argument or an option, e.g. {@code kind=inner}. */
    record NamedArgument(String name, Expression value) implements Expression {
        public NamedArgument {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code *}, as in {@code arg_max(Timestamp, *)} or {@code distinct *}. */
    record Star() implements Expression {}

    /**
     * A binary operator: arithmetic, comparison, {@code and}, {@code or}, and the string operators ({@code has},
     * {@code !contains}, {@code matches regex}, ...), spelled as in KQL.
     */
    record Binary(String operator, Expression left, Expression right) implements Expression {
        public Binary {
            requireNonNull(operator, "operator is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }

    record Unary(String operator, Expression operand) implements Expression {
        public Unary {
            requireNonNull(operator, "operator is null");
            requireNonNull(operand, "operand is null");
        }
    }

    /** {@code value in (...)} and its kin: {@code !in}, {@code in~}, {@code !in~}, {@code has_any}, {@code has_all}. */
    record InList(Expression value, String operator, List<Expression> items) implements Expression {
        public InList {
            requireNonNull(value, "value is null");
            requireNonNull(operator, "operator is null");
            items = List.copyOf(items);
        }
    }

    record Between(Expression value, Expression low, Expression high, boolean negated) implements Expression {
        public Between {
            requireNonNull(value, "value is null");
            requireNonNull(low, "low is null");
            requireNonNull(high, "high is null");
        }
    }

    /** {@code [a, b]} inside {@code dynamic(...)}. */
    record ArrayLiteral(List<Expression> items) implements Expression {
        public ArrayLiteral {
            items = List.copyOf(items);
        }
    }

    /** <code>{"k": v}</code> inside {@code dynamic(...)}. */
    record ObjectLiteral(List<NamedArgument> entries) implements Expression {
        public ObjectLiteral {
            entries = List.copyOf(entries);
        }
    }

    /** {@code (inner)}: kept so that a formatted query reads like the original. */
    record Parenthesized(Expression inner) implements Expression {
        public Parenthesized {
            requireNonNull(inner, "inner is null");
        }
    }

    /** {@code source | operator}. */
    record Pipe(Expression source, Operator operator) implements Expression {
        public Pipe {
            requireNonNull(source, "source is null");
            requireNonNull(operator, "operator is null");
        }
    }

    /** {@code union [options] T1, T2, ...} as a source. */
    record Union(List<NamedArgument> options, List<Expression> tables) implements Expression {
        public Union {
            options = List.copyOf(options);
            tables = List.copyOf(tables);
        }
    }

    /** A column declaration {@code name:type} of datatable, externaldata and function parameters. */
    record ColumnDeclaration(String name, String type, Expression defaultValue) {
        public ColumnDeclaration {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** {@code datatable(a:string, b:long) [values, ...]}. */
    record Datatable(List<ColumnDeclaration> columns, List<Expression> values) implements Expression {
        public Datatable {
            columns = List.copyOf(columns);
            values = List.copyOf(values);
        }
    }

    /** {@code externaldata(a:string) [uris] with (properties)}. */
    record ExternalData(List<ColumnDeclaration> columns, List<Expression> uris, List<NamedArgument> properties)
            implements Expression {
        public ExternalData {
            columns = List.copyOf(columns);
            uris = List.copyOf(uris);
            properties = List.copyOf(properties);
        }
    }

    /** {@code print a = 1, b}. */
    record Print(List<Operator.Assignment> columns) implements Expression {
        public Print {
            columns = List.copyOf(columns);
        }
    }

    /** {@code range x from a to b step c}. */
    record Range(String column, Expression from, Expression to, Expression step) implements Expression {
        public Range {
            requireNonNull(column, "column is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(step, "step is null");
        }
    }

    /** {@code search [in (T1, T2)] predicate}. */
    record Search(List<String> tables, Expression predicate) implements Expression {
        public Search {
            tables = List.copyOf(tables);
            requireNonNull(predicate, "predicate is null");
        }
    }

    /** A user function {@code (a:string, b:long = 1) { let ...; body }}. */
    record FunctionLiteral(List<ColumnDeclaration> parameters, List<Statement> body) implements Expression {
        public FunctionLiteral {
            parameters = List.copyOf(parameters);
            body = List.copyOf(body);
        }
    }
}
