package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed query: its statements, and where each node began in the text (for error messages of later phases).
 * Equality is by the statements alone.
 */
public final class ParsedQuery {
    /** A 1-based line and column. */
    public record Position(int line, int column) {}

    private final String text;
    private final List<Statement> statements;
    private final Map<Object, Position> positions;

    ParsedQuery(String text, List<Statement> statements, IdentityHashMap<Object, Position> positions) {
        this.text = requireNonNull(text, "text is null");
        this.statements = List.copyOf(statements);
        this.positions = positions;
    }

    public String text() {
        return text;
    }

    public List<Statement> statements() {
        return statements;
    }

    /** Where the node began, or null for a node that was not parsed from this text. */
    public Position position(Object node) {
        return positions.get(node);
    }

    /** The query's result expression: its last expression statement. */
    public Expression body() {
        for (int i = statements.size() - 1; i >= 0; i--) {
            if (statements.get(i) instanceof Statement.Query query) {
                return query.expression();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParsedQuery parsed && parsed.statements.equals(statements);
    }

    @Override
    public int hashCode() {
        return statements.hashCode();
    }

    @Override
    public String toString() {
        return KqlFormatter.format(statements);
    }
}
