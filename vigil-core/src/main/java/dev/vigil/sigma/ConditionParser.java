package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses a Sigma condition. Precedence, least to most binding: {@code or}, {@code and}, {@code not},
 * {@code x of pattern}, parentheses. Keywords are case-insensitive; {@code 1 of} and {@code any of} mean the same.
 *
 * <pre>
 * or    := and ("or" and)*
 * and   := not ("and" not)*
 * not   := "not" not | atom
 * atom  := "(" or ")" | ("1" | "any" | "all") "of" (pattern | "them") | identifier
 * </pre>
 *
 * <p>The deprecated aggregation syntax ({@code | count() by x > 5}) is refused with a pointer to correlation rules.
 */
public final class ConditionParser {

    private final String text;
    private final List<Token> tokens;
    private int next;

    private ConditionParser(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** @throws SigmaSyntaxException naming the column (1-based) and what was expected */
    public static Condition parse(String text) {
        ConditionParser parser = new ConditionParser(text);
        if (parser.tokens.isEmpty()) {
            throw new SigmaSyntaxException(1, "the condition is empty; name a search identifier, e.g. 'selection'");
        }
        Condition condition = parser.or();
        if (parser.next < parser.tokens.size()) {
            Token t = parser.tokens.get(parser.next);
            throw new SigmaSyntaxException(t.column, "unexpected '" + t.text + "' after a complete condition;"
                    + " join conditions with 'and' or 'or'");
        }
        return condition;
    }

    private Condition or() {
        List<Condition> operands = new ArrayList<>();
        operands.add(and());
        while (accept("or")) {
            operands.add(and());
        }
        return operands.size() == 1 ? operands.getFirst() : new Condition.Or(operands);
    }

    private Condition and() {
        List<Condition> operands = new ArrayList<>();
        operands.add(not());
        while (accept("and")) {
            operands.add(not());
        }
        return operands.size() == 1 ? operands.getFirst() : new Condition.And(operands);
    }

    private Condition not() {
        if (accept("not")) {
            return new Condition.Not(not());
        }
        return atom();
    }

    private Condition atom() {
        Token t = take("a search identifier, 'not', '(' or '1 of'");
        String word = t.text.toLowerCase(Locale.ROOT);
        switch (word) {
            case "(" -> {
                Condition inner = or();
                Token close = take("')'");
                if (!close.text.equals(")")) {
                    throw new SigmaSyntaxException(close.column, "expected ')' to close the '(' at column " + t.column
                            + ", found '" + close.text + "'");
                }
                return inner;
            }
            case ")" -> throw new SigmaSyntaxException(t.column, "unexpected ')' with no matching '('");
            case "and", "or", "of", "them" -> throw new SigmaSyntaxException(t.column,
                    "expected a search identifier before '" + t.text + "'");
            default -> {
                if (peekIs("of")) {
                    boolean all;
                    if (word.equals("all")) {
                        all = true;
                    } else if (word.equals("1") || word.equals("any")) {
                        all = false;
                    } else {
                        throw new SigmaSyntaxException(t.column, "'" + t.text + " of' is not allowed; use '1 of',"
                                + " 'any of' or 'all of'");
                    }
                    next++;
                    Token target = take("a search identifier pattern or 'them' after 'of'");
                    if (target.text.equals("(") || target.text.equals(")")) {
                        throw new SigmaSyntaxException(target.column, "expected a search identifier pattern or 'them'"
                                + " after 'of', found '" + target.text + "'");
                    }
                    String pattern = target.text.equalsIgnoreCase("them") ? null : target.text;
                    return new Condition.Quantified(all, pattern);
                }
                if (t.text.contains("*")) {
                    throw new SigmaSyntaxException(t.column, "the pattern '" + t.text + "' needs a quantifier:"
                            + " write '1 of " + t.text + "' or 'all of " + t.text + "'");
                }
                return new Condition.Ref(t.text);
            }
        }
    }

    private boolean accept(String keyword) {
        if (peekIs(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean peekIs(String keyword) {
        return next < tokens.size() && tokens.get(next).text.equalsIgnoreCase(keyword);
    }

    private Token take(String expected) {
        if (next >= tokens.size()) {
            throw new SigmaSyntaxException(text.length() + 1, "the condition ends early; expected " + expected);
        }
        return tokens.get(next++);
    }

    private record Token(String text, int column) {}

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '|') {
                throw new SigmaSyntaxException(i + 1, "the aggregation syntax '| count() ...' was removed from Sigma;"
                        + " write a correlation rule (type event_count or value_count) instead");
            } else if (c == '(' || c == ')') {
                tokens.add(new Token(String.valueOf(c), i + 1));
                i++;
            } else if (isWordChar(c)) {
                int start = i;
                while (i < text.length() && isWordChar(text.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(text.substring(start, i), start + 1));
            } else {
                throw new SigmaSyntaxException(i + 1, "unexpected character '" + c + "'; a condition holds search"
                        + " identifiers, 'and', 'or', 'not', '1 of', 'all of', 'them' and parentheses");
            }
        }
        return tokens;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '*' || c == '-' || c == '.';
    }
}
