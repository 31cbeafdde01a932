package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A statement of a query: {@code let}, {@code set}, {@code declare query_parameters}, or the query expression. */
public sealed interface Statement {
    record Let(String name, Expression value) implements Statement {
        public Let {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code set name = value;}: a request property, kept and ignored. */
    record Set(String name, Expression value) implements Statement {
        public Set {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code declare query_parameters(name:type = default, ...);}. */
    record DeclareParameters(List<Expression.ColumnDeclaration> parameters) implements Statement {
        public DeclareParameters {
            parameters = List.copyOf(parameters);
        }
    }

    record Query(Expression expression) implements Statement {
        public Query {
            requireNonNull(expression, "expression is null");
        }
    }
}
