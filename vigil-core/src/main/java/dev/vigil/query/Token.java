package dev.vigil.query;

import static java.util.Objects.requireNonNull;

/**
 * One lexical token of a KQL query.
 *
 * @param text the token as written (for a string, its decoded value is in {@code value})
 * @param value the decoded value of a literal (String, Long, Double, or a {@link Timespan} in ticks), else null
 * @param offset where it starts in the query text, counted in chars
 * @param end the offset just past its last char
 * @param line its 1-based line
 * @param column its 1-based column
 */
record Token(Kind kind, String text, Object value, int offset, int end, int line, int column) {
    enum Kind {
        IDENTIFIER,
        /** A negated word operator such as {@code !has} or {@code !in~}. */
        NEGATED_WORD,
        STRING,
        LONG,
        REAL,
        TIMESPAN,
        /** The raw text between the parentheses of {@code datetime(...)}. */
        DATETIME,
        SYMBOL,
        END
    }

    Token {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
    }

    boolean is(String symbolOrWord) {
        return (kind == Kind.SYMBOL || kind == Kind.IDENTIFIER || kind == Kind.NEGATED_WORD) && text.equals(symbolOrWord);
    }

    boolean isWord(String word) {
        return (kind == Kind.IDENTIFIER || kind == Kind.NEGATED_WORD) && text.equalsIgnoreCase(word);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case END -> "end of query";
            case STRING -> "string " + abbreviate(text);
            default -> "'" + abbreviate(text) + "'";
        };
    }

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > 40 ? line.substring(0, 39) + "…" : line;
    }
}
