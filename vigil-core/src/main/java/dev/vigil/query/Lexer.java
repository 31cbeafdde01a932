package dev.vigil.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a KQL query into tokens. It knows every string literal form of KQL ({@code "..."} and {@code '...'} with
 * backslash escapes, verbatim {@code @"..."}, multi-line {@code ```...```} and {@code ~~~...~~~}, and the obfuscated
 * {@code h"..."} forms), {@code //} comments, numbers with timespan suffixes ({@code 1d}, {@code 30m},
 * {@code 1.5h}), the raw body of {@code datetime(...)}, and the negated word operators ({@code !has}, {@code !in~}).
 */
final class Lexer {
    private static final String SYMBOLS_3 = "!in~";
    private static final List<String> SYMBOLS_2 = List.of("==", "!=", "<>", "<=", ">=", "=~", "!~", "=>", "..");
    private static final String SYMBOLS_1 = "|()[]{},;:.=<>+-*/%!?@$~";
    private static final Map<String, Long> TIMESPAN_UNITS = Map.ofEntries(
            Map.entry("d", 864_000_000_000L), Map.entry("day", 864_000_000_000L), Map.entry("days", 864_000_000_000L),
            Map.entry("h", 36_000_000_000L), Map.entry("hr", 36_000_000_000L), Map.entry("hrs", 36_000_000_000L),
            Map.entry("hour", 36_000_000_000L), Map.entry("hours", 36_000_000_000L),
            Map.entry("m", 600_000_000L), Map.entry("min", 600_000_000L), Map.entry("minute", 600_000_000L),
            Map.entry("minutes", 600_000_000L),
            Map.entry("s", 10_000_000L), Map.entry("sec", 10_000_000L), Map.entry("second", 10_000_000L),
            Map.entry("seconds", 10_000_000L),
            Map.entry("ms", 10_000L), Map.entry("milli", 10_000L), Map.entry("millis", 10_000L),
            Map.entry("millisecond", 10_000L), Map.entry("milliseconds", 10_000L),
            Map.entry("microsecond", 10L), Map.entry("microseconds", 10L),
            Map.entry("tick", 1L), Map.entry("ticks", 1L));

    private final String text;
    private int position;
    private int line = 1;
    private int lineStart;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokenize(String text) {
        return new Lexer(text).run();
    }

    static boolean isTimespanUnit(String unit) {
        return TIMESPAN_UNITS.containsKey(unit.toLowerCase(Locale.ROOT));
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (position >= text.length()) {
                tokens.add(token(Token.Kind.END, "", null, position));
                return tokens;
            }
            Token previous = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
            tokens.add(next(previous));
        }
    }

    private void skipSpaceAndComments() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\n') {
                position++;
                line++;
                lineStart = position;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF') {
                position++;
            } else if (text.startsWith("//", position)) {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else {
                return;
            }
        }
    }

    private Token next(Token previous) {
        int start = position;
        char c = text.charAt(position);
        if (text.startsWith("```", position) || text.startsWith("~~~", position)) {
            return multiLineString(start, text.substring(position, position + 3));
        }
        if (c == '"' || c == '\'') {
            return quotedString(start, start);
        }
        if ((c == '@') && position + 1 < text.length() && isQuote(text.charAt(position + 1))) {
            position++;
            return verbatimString(start);
        }
        if ((c == 'h' || c == 'H') && position + 1 < text.length()) {
            char after = text.charAt(position + 1);
            if (isQuote(after)) {
                position++;
                return quotedString(start, position);
            }
            if (after == '@' && position + 2 < text.length() && isQuote(text.charAt(position + 2))) {
                position += 2;
                return verbatimString(start);
            }
        }
        if (Character.isDigit(c) || (c == '.' && position + 1 < text.length()
                && Character.isDigit(text.charAt(position + 1)) && !(previous != null && previous.is(".")))) {
            return number(start);
        }
        if (isIdentifierStart(c)) {
            return word(start, previous);
        }
        if (c == '!' && position + 1 < text.length() && Character.isLetter(text.charAt(position + 1))) {
            position++;
            while (position < text.length() && isIdentifierPart(text.charAt(position))) {
                position++;
            }
            if (position < text.length() && text.charAt(position) == '~') {
                position++; // !in~
            }
            String word = text.substring(start, position);
            return token(Token.Kind.NEGATED_WORD, word, null, start);
        }
        if (text.startsWith(SYMBOLS_3, position)) {
            position += 4;
            return token(Token.Kind.NEGATED_WORD, SYMBOLS_3, null, start);
        }
        for (String symbol : SYMBOLS_2) {
            if (text.startsWith(symbol, position)) {
                position += 2;
                return token(Token.Kind.SYMBOL, symbol, null, start);
            }
        }
        if (SYMBOLS_1.indexOf(c) >= 0) {
            position++;
            return token(Token.Kind.SYMBOL, String.valueOf(c), null, start);
        }
        throw new KqlSyntaxException(line, start - lineStart + 1, "unexpected character '" + c + "'",
                "Remove the character, or quote it inside a string literal.");
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private Token word(int start, Token previous) {
        position++;
        while (position < text.length() && isIdentifierPart(text.charAt(position))) {
            position++;
        }
        String word = text.substring(start, position);
        if (word.equals("in") && position < text.length() && text.charAt(position) == '~') {
            position++;
            return token(Token.Kind.IDENTIFIER, "in~", null, start);
        }
        boolean member = previous != null && previous.is(".");
        if (!member && word.equals("datetime") && peekNonSpace() == '(') {
            return datetime(start);
        }
        return token(Token.Kind.IDENTIFIER, word, null, start);
    }

    private char peekNonSpace() {
        int i = position;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() ? text.charAt(i) : 0;
    }

    /** {@code datetime(2024-01-01 10:00)}: its body is not made of tokens, so it is kept raw. */
    private Token datetime(int start) {
        while (text.charAt(position) != '(') {
            position++;
        }
        int open = position;
        int close = text.indexOf(')', open);
        if (close < 0) {
            throw new KqlSyntaxException(line, start - lineStart + 1, "datetime literal is not closed (expected ')')",
                    "Write a datetime as datetime(2024-01-31) or datetime(2024-01-31 13:45:00).");
        }
        position = close + 1;
        return token(Token.Kind.DATETIME, text.substring(start, position), text.substring(open + 1, close).strip(), start);
    }

    private Token number(int start) {
        if (text.startsWith("0x", position) || text.startsWith("0X", position)) {
            position += 2;
            while (position < text.length() && Character.digit(text.charAt(position), 16) >= 0) {
                position++;
            }
            String literal = text.substring(start, position);
            return token(Token.Kind.LONG, literal, Long.parseUnsignedLong(literal.substring(2), 16), start);
        }
        boolean real = false;
        while (position < text.length() && Character.isDigit(text.charAt(position))) {
            position++;
        }
        if (position + 1 < text.length() && text.charAt(position) == '.' && Character.isDigit(text.charAt(position + 1))) {
            real = true;
            position++;
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
        } else if (position < text.length() && text.charAt(position) == '.' && !text.startsWith("..", position)
                && (position + 1 >= text.length() || !isIdentifierStart(text.charAt(position + 1)))) {
            real = true; // "1." is a real
            position++;
        }
        if (position < text.length() && (text.charAt(position) == 'e' || text.charAt(position) == 'E')) {
            int save = position;
            position++;
            if (position < text.length() && (text.charAt(position) == '+' || text.charAt(position) == '-')) {
                position++;
            }
            if (position < text.length() && Character.isDigit(text.charAt(position))) {
                real = true;
                while (position < text.length() && Character.isDigit(text.charAt(position))) {
                    position++;
                }
            } else {
                position = save;
            }
        }
        String digits = text.substring(start, position);
        int unitStart = position;
        while (position < text.length() && Character.isLetter(text.charAt(position))) {
            position++;
        }
        String unit = text.substring(unitStart, position);
        if (!unit.isEmpty()) {
            Long ticks = TIMESPAN_UNITS.get(unit.toLowerCase(Locale.ROOT));
            if (ticks == null) {
                throw new KqlSyntaxException(line, unitStart - lineStart + 1, "unknown timespan unit '" + unit
                        + "' (expected d, h, m, s, ms, microsecond or tick)",
                        "Write a timespan as a number and a unit, e.g. 7d, 12h, 30m, 10s, 500ms.");
            }
            double amount = Double.parseDouble(digits);
            String literal = text.substring(start, position);
            return token(Token.Kind.TIMESPAN, literal, new Timespan(Math.round(amount * ticks), literal), start);
        }
        if (real) {
            return token(Token.Kind.REAL, digits, Double.parseDouble(digits), start);
        }
        try {
            return token(Token.Kind.LONG, digits, Long.parseLong(digits), start);
        } catch (NumberFormatException e) {
            return token(Token.Kind.REAL, digits, Double.parseDouble(digits), start);
        }
    }

    private Token quotedString(int start, int quoteAt) {
        char quote = text.charAt(quoteAt);
        position = quoteAt + 1;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (position >= text.length() || text.charAt(position) == '\n') {
                throw unterminated(start, quote);
            }
            char c = text.charAt(position);
            if (c == quote) {
                position++;
                break;
            }
            if (c == '\\' && position + 1 < text.length()) {
                char escaped = text.charAt(position + 1);
                position += 2;
                switch (escaped) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '0' -> value.append('\0');
                    case 'u' -> {
                        if (position + 4 <= text.length()) {
                            value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                            position += 4;
                        }
                    }
                    default -> value.append(escaped); // \\ \" \' and any other escaped char stand for themselves
                }
                continue;
            }
            value.append(c);
            position++;
        }
        return token(Token.Kind.STRING, text.substring(start, position), value.toString(), start);
    }

    private Token verbatimString(int start) {
        char quote = text.charAt(position);
        position++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (position >= text.length() || text.charAt(position) == '\n') {
                throw unterminated(start, quote);
            }
            char c = text.charAt(position);
            if (c == quote) {
                if (position + 1 < text.length() && text.charAt(position + 1) == quote) {
                    value.append(quote); // a doubled quote stands for one
                    position += 2;
                    continue;
                }
                position++;
                break;
            }
            value.append(c);
            position++;
        }
        return token(Token.Kind.STRING, text.substring(start, position), value.toString(), start);
    }

    private Token multiLineString(int start, String fence) {
        int startLine = line;
        int startColumn = start - lineStart + 1;
        int close = text.indexOf(fence, position + 3);
        if (close < 0) {
            throw new KqlSyntaxException(startLine, startColumn, "multi-line string is not closed (expected " + fence + ")",
                    "Close the string with " + fence + ".");
        }
        String value = text.substring(position + 3, close);
        position = close + 3;
        Token token = new Token(Token.Kind.STRING, text.substring(start, position), value, start, position, startLine,
                startColumn);
        for (int i = start; i < position; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return token;
    }

    private KqlSyntaxException unterminated(int start, char quote) {
        return new KqlSyntaxException(line, start - lineStart + 1, "string literal is not closed (expected " + quote
                + " before the end of the line)", "Close the string with " + quote + "; use ``` for a string over several lines.");
    }

    private Token token(Token.Kind kind, String tokenText, Object value, int start) {
        return new Token(kind, tokenText, value, start, position, line, start - lineStart + 1);
    }
}
