package dev.vigil.intel.ioc;

import dev.vigil.intel.ioc.StixPattern.Comparison;
import dev.vigil.intel.ioc.StixPattern.Literal;
import dev.vigil.intel.ioc.StixPattern.ObjectPath;
import dev.vigil.intel.ioc.StixPattern.Operator;
import dev.vigil.intel.ioc.StixPattern.Qualifier;
import dev.vigil.intel.ioc.StixPattern.Step;
import dev.vigil.intel.ioc.StixPattern.TestOperator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses STIX 2.1 patterns (STIX 2.1 section 9, the grammar of {@code STIXPattern.g4}) into {@link StixPattern}
 * trees, and formats trees back into pattern text.
 *
 * <p>Precedence, loosest first: {@code FOLLOWEDBY}, {@code OR}, {@code AND} between observation expressions, and
 * {@code OR}, {@code AND} inside brackets; a qualifier applies to the observation expression just before it. Keywords
 * are upper case, as the grammar has them; string literals escape only {@code \'} and {@code \\}.
 */
public final class StixPatternParser {
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES",
            "ISSUBSET", "ISSUPERSET", "EXISTS", "IN", "WITHIN", "SECONDS", "REPEATS", "TIMES", "START", "STOP");

    private enum Kind {
        LBRACK("'['"), RBRACK("']'"), LPAREN("'('"), RPAREN("')'"), COLON("':'"), DOT("'.'"), COMMA("','"),
        STAR("'*'"), COMPARE("a comparison operator"), KEYWORD("a keyword"), IDENTIFIER("a name"),
        STRING("a string"), INTEGER("an integer"), DECIMAL("a number"), HEX("a hex literal"),
        BINARY("a binary literal"), TIMESTAMP("a timestamp"), BOOL("true or false"), END("the end of the pattern");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private record Token(Kind kind, String text, int column) {
        String describe() {
            return kind == Kind.END ? "the end of the pattern" : "'" + text + "'";
        }
    }

    private final List<Token> tokens;
    private int position;

    private StixPatternParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * The tree of a pattern.
     *
     * @throws StixPatternException naming the column, the offending token and what was expected
     */
    public static StixPattern parse(String pattern) {
        StixPatternParser parser = new StixPatternParser(tokenize(pattern));
        StixPattern tree = parser.observationExpressions();
        parser.expect(Kind.END, "the end of the pattern or an operator (AND, OR, FOLLOWEDBY)");
        return tree;
    }

    // --- observation expressions --------------------------------------------------------------------------------

    private StixPattern observationExpressions() {
        return chain(Operator.FOLLOWEDBY);
    }

    private StixPattern chain(Operator operator) {
        List<StixPattern> operands = new ArrayList<>();
        add(operands, operator, operand(operator));
        while (peekKeyword(operator.name())) {
            position++;
            add(operands, operator, operand(operator));
        }
        return operands.size() == 1 ? operands.get(0) : new StixPattern.Compound(operator, operands);
    }

    private StixPattern operand(Operator operator) {
        return switch (operator) {
            case FOLLOWEDBY -> chain(Operator.OR);
            case OR -> chain(Operator.AND);
            case AND -> qualifiedObservation();
        };
    }

    private static void add(List<StixPattern> operands, Operator operator, StixPattern operand) {
        if (operand instanceof StixPattern.Compound compound && compound.operator() == operator) {
            operands.addAll(compound.operands());
        } else {
            operands.add(operand);
        }
    }

    private StixPattern qualifiedObservation() {
        StixPattern expression;
        Token token = peek();
        if (token.kind == Kind.LBRACK) {
            position++;
            Comparison comparison = comparisonOr();
            expect(Kind.RBRACK, "']' or AND, OR");
            expression = new StixPattern.Observation(comparison);
        } else if (token.kind == Kind.LPAREN) {
            position++;
            expression = observationExpressions();
            expect(Kind.RPAREN, "')' or AND, OR, FOLLOWEDBY");
        } else {
            throw unexpected(token, "'[' or '(' to start an observation expression");
        }
        while (true) {
            if (peekKeyword("WITHIN")) {
                position++;
                Token amount = next();
                if ((amount.kind != Kind.INTEGER && amount.kind != Kind.DECIMAL) || amount.text.startsWith("-")
                        || new BigDecimal(amount.text).signum() <= 0) {
                    throw unexpected(amount, "a positive number of seconds after WITHIN");
                }
                expectKeyword("SECONDS");
                expression = new StixPattern.Qualified(expression, new Qualifier.Within(new BigDecimal(amount.text)));
            } else if (peekKeyword("REPEATS")) {
                position++;
                Token times = next();
                if (times.kind != Kind.INTEGER || new BigInteger(times.text).signum() <= 0) {
                    throw unexpected(times, "a positive integer after REPEATS");
                }
                expectKeyword("TIMES");
                expression = new StixPattern.Qualified(expression, new Qualifier.Repeats(new BigInteger(times.text)));
            } else if (peekKeyword("START")) {
                position++;
                Token start = expect(Kind.TIMESTAMP, "a timestamp t'...' after START");
                expectKeyword("STOP");
                Token stop = expect(Kind.TIMESTAMP, "a timestamp t'...' after STOP");
                expression = new StixPattern.Qualified(expression, new Qualifier.StartStop(start.text, stop.text));
            } else {
                return expression;
            }
        }
    }

    // --- comparison expressions ---------------------------------------------------------------------------------

    private Comparison comparisonOr() {
        List<Comparison> operands = new ArrayList<>();
        addJunction(operands, false, comparisonAnd());
        while (peekKeyword("OR")) {
            position++;
            addJunction(operands, false, comparisonAnd());
        }
        return operands.size() == 1 ? operands.get(0) : new Comparison.Junction(false, operands);
    }

    private Comparison comparisonAnd() {
        List<Comparison> operands = new ArrayList<>();
        addJunction(operands, true, propertyTest());
        while (peekKeyword("AND")) {
            position++;
            addJunction(operands, true, propertyTest());
        }
        return operands.size() == 1 ? operands.get(0) : new Comparison.Junction(true, operands);
    }

    private static void addJunction(List<Comparison> operands, boolean and, Comparison operand) {
        if (operand instanceof Comparison.Junction junction && junction.and() == and) {
            operands.addAll(junction.operands());
        } else {
            operands.add(operand);
        }
    }

    private Comparison propertyTest() {
        Token token = peek();
        if (token.kind == Kind.LPAREN) {
            position++;
            Comparison inner = comparisonOr();
            expect(Kind.RPAREN, "')' or AND, OR");
            return inner;
        }
        if (peekKeyword("EXISTS")) {
            position++;
            return new Comparison.Exists(objectPath());
        }
        ObjectPath path = objectPath();
        boolean negated = false;
        if (peekKeyword("NOT")) {
            position++;
            negated = true;
        }
        Token operator = next();
        TestOperator test = testOperator(operator);
        Literal value = switch (test) {
            case EQ, NEQ -> primitive(next(), "a literal after " + operator.text);
            case GT, LT, GE, LE -> orderable(next(), "a string, number or timestamp after " + operator.text);
            case IN -> set();
            case LIKE, MATCHES, ISSUBSET, ISSUPERSET -> new Literal.Text(
                    expect(Kind.STRING, "a string after " + operator.text).text);
        };
        return new Comparison.Test(path, negated, test, value);
    }

    private TestOperator testOperator(Token token) {
        if (token.kind == Kind.COMPARE) {
            return switch (token.text) {
                case "=" -> TestOperator.EQ;
                case "!=", "<>" -> TestOperator.NEQ;
                case ">" -> TestOperator.GT;
                case "<" -> TestOperator.LT;
                case ">=" -> TestOperator.GE;
                default -> TestOperator.LE;
            };
        }
        if (token.kind == Kind.KEYWORD) {
            switch (token.text) {
                case "IN":
                    return TestOperator.IN;
                case "LIKE":
                    return TestOperator.LIKE;
                case "MATCHES":
                    return TestOperator.MATCHES;
                case "ISSUBSET":
                    return TestOperator.ISSUBSET;
                case "ISSUPERSET":
                    return TestOperator.ISSUPERSET;
                default:
                    break;
            }
        }
        throw unexpected(token, "a comparison operator (=, !=, <, >, <=, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)");
    }

    private Literal set() {
        expect(Kind.LPAREN, "'(' to start the set after IN");
        List<Literal> elements = new ArrayList<>();
        if (peek().kind == Kind.RPAREN) {
            position++;
            return new Literal.Set(elements);
        }
        elements.add(primitive(next(), "a literal in the set"));
        while (peek().kind == Kind.COMMA) {
            position++;
            elements.add(primitive(next(), "a literal after ','"));
        }
        expect(Kind.RPAREN, "',' or ')' in the set");
        return new Literal.Set(elements);
    }

    private Literal primitive(Token token, String expected) {
        if (token.kind == Kind.BOOL) {
            return new Literal.Bool(token.text.equals("true"));
        }
        return orderable(token, expected);
    }

    private Literal orderable(Token token, String expected) {
        return switch (token.kind) {
            case STRING -> new Literal.Text(token.text);
            case INTEGER -> new Literal.Int(new BigInteger(token.text));
            case DECIMAL -> new Literal.Real(new BigDecimal(token.text));
            case HEX -> new Literal.Hex(token.text);
            case BINARY -> new Literal.Binary(token.text);
            case TIMESTAMP -> new Literal.Timestamp(token.text);
            default -> throw unexpected(token, expected);
        };
    }

    private ObjectPath objectPath() {
        Token type = next();
        if (type.kind != Kind.IDENTIFIER) {
            throw unexpected(type, "an object type such as ipv4-addr or file");
        }
        expect(Kind.COLON, "':' after the object type '" + type.text + "'");
        List<Step> steps = new ArrayList<>();
        Token first = next();
        if ((first.kind != Kind.IDENTIFIER && first.kind != Kind.STRING) || first.text.contains("-")
                && first.kind == Kind.IDENTIFIER) {
            throw unexpected(first, "a property name after '" + type.text + ":'");
        }
        steps.add(new Step.Property(first.text));
        while (true) {
            Token token = peek();
            if (token.kind == Kind.DOT) {
                position++;
                Token property = next();
                if ((property.kind != Kind.IDENTIFIER && property.kind != Kind.STRING)
                        || property.kind == Kind.IDENTIFIER && property.text.contains("-")) {
                    throw unexpected(property, "a property name after '.' (quote names with '-': 'SHA-256')");
                }
                steps.add(new Step.Property(property.text));
            } else if (token.kind == Kind.LBRACK) {
                position++;
                Token index = next();
                if (index.kind == Kind.STAR) {
                    steps.add(new Step.Index(null));
                } else if (index.kind == Kind.INTEGER) {
                    steps.add(new Step.Index(new BigInteger(index.text)));
                } else {
                    throw unexpected(index, "a list index or '*'");
                }
                expect(Kind.RBRACK, "']' after the list index");
            } else {
                return new ObjectPath(type.text, steps);
            }
        }
    }

    // --- tokens -------------------------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(position);
    }

    private Token next() {
        Token token = tokens.get(position);
        if (token.kind != Kind.END) {
            position++;
        }
        return token;
    }

    private boolean peekKeyword(String keyword) {
        Token token = peek();
        return token.kind == Kind.KEYWORD && token.text.equals(keyword);
    }

    private void expectKeyword(String keyword) {
        Token token = next();
        if (token.kind != Kind.KEYWORD || !token.text.equals(keyword)) {
            throw unexpected(token, keyword);
        }
    }

    private Token expect(Kind kind, String expected) {
        Token token = next();
        if (token.kind != kind) {
            throw unexpected(token, expected);
        }
        return token;
    }

    private static StixPatternException unexpected(Token token, String expected) {
        return new StixPatternException(token.column, "expected " + expected + " but found " + token.describe());
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int column = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            switch (c) {
                case '[' -> tokens.add(new Token(Kind.LBRACK, "[", column));
                case ']' -> tokens.add(new Token(Kind.RBRACK, "]", column));
                case '(' -> tokens.add(new Token(Kind.LPAREN, "(", column));
                case ')' -> tokens.add(new Token(Kind.RPAREN, ")", column));
                case ':' -> tokens.add(new Token(Kind.COLON, ":", column));
                case '.' -> tokens.add(new Token(Kind.DOT, ".", column));
                case ',' -> tokens.add(new Token(Kind.COMMA, ",", column));
                case '*' -> tokens.add(new Token(Kind.STAR, "*", column));
                default -> {
                }
            }
            if ("[]():.,*".indexOf(c) >= 0) {
                i++;
                continue;
            }
            if (c == '=' || c == '!' || c == '<' || c == '>') {
                String two = i + 1 < n ? text.substring(i, i + 2) : "";
                if (two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=")) {
                    tokens.add(new Token(Kind.COMPARE, two, column));
                    i += 2;
                } else if (c == '!') {
                    throw new StixPatternException(column, "expected '!=' but found '!'");
                } else {
                    tokens.add(new Token(Kind.COMPARE, String.valueOf(c), column));
                    i++;
                }
                continue;
            }
            if (c == '\'') {
                int[] end = new int[1];
                tokens.add(new Token(Kind.STRING, string(text, i, end), column));
                i = end[0];
                continue;
            }
            if ((c == 'h' || c == 'b' || c == 't') && i + 1 < n && text.charAt(i + 1) == '\'') {
                int[] end = new int[1];
                String body = string(text, i + 1, end);
                Kind kind = c == 'h' ? Kind.HEX : c == 'b' ? Kind.BINARY : Kind.TIMESTAMP;
                String problem = switch (kind) {
                    case HEX -> body.length() % 2 == 0 && IndicatorValues.isHex(body) || body.isEmpty() ? null
                            : "a hex literal needs an even number of hex digits";
                    case BINARY -> body.matches("[A-Za-z0-9+/]*={0,2}") && body.length() % 4 == 0 ? null
                            : "a binary literal must be base64";
                    default -> body.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z") ? null
                            : "a timestamp must be RFC 3339 in UTC, e.g. t'2024-01-01T00:00:00Z'";
                };
                if (problem != null) {
                    throw new StixPatternException(column, problem + ", not " + c + "'" + body + "'");
                }
                tokens.add(new Token(kind, body, column));
                i = end[0];
                continue;
            }
            if (c >= '0' && c <= '9' || (c == '-' || c == '+') && i + 1 < n && Character.isDigit(text.charAt(i + 1))) {
                int start = i;
                i++;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                boolean decimal = false;
                if (i + 1 < n && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
                    decimal = true;
                    i++;
                    while (i < n && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                }
                String number = text.substring(start, i).replaceFirst("^\\+", "");
                tokens.add(new Token(decimal ? Kind.DECIMAL : Kind.INTEGER, number, column));
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '-')) {
                    i++;
                }
                String word = text.substring(start, i);
                Kind kind = KEYWORDS.contains(word) ? Kind.KEYWORD
                        : word.equals("true") || word.equals("false") ? Kind.BOOL : Kind.IDENTIFIER;
                tokens.add(new Token(kind, word, column));
                continue;
            }
            throw new StixPatternException(column, "unexpected character '" + c + "'");
        }
        tokens.add(new Token(Kind.END, "", n + 1));
        return tokens;
    }

    /** The string literal starting at the quote {@code text[start]}; {@code end[0]} is set past its closing quote. */
    private static String string(String text, int start, int[] end) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 < text.length() && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '\\')) {
                    value.append(text.charAt(i + 1));
                    i += 2;
                    continue;
                }
                throw new StixPatternException(i + 1, "a string may only escape \\' and \\\\, not '\\"
                        + (i + 1 < text.length() ? String.valueOf(text.charAt(i + 1)) : "") + "'");
            }
            if (c == '\'') {
                end[0] = i + 1;
                return value.toString();
            }
            value.append(c);
            i++;
        }
        throw new StixPatternException(start + 1, "the string starting here is not closed with '");
    }

    // --- formatting ---------------------------------------------------------------------------------------------

    /** Pattern text for a tree; {@link #parse} of it gives an equal tree. */
    public static String format(StixPattern pattern) {
        StringBuilder out = new StringBuilder();
        format(pattern, out);
        return out.toString();
    }

    private static void format(StixPattern pattern, StringBuilder out) {
        switch (pattern) {
            case StixPattern.Observation observation -> {
                out.append('[');
                format(observation.comparison(), out);
                out.append(']');
            }
            case StixPattern.Compound compound -> {
                for (int i = 0; i < compound.operands().size(); i++) {
                    if (i > 0) {
                        out.append(' ').append(compound.operator().name()).append(' ');
                    }
                    StixPattern operand = compound.operands().get(i);
                    boolean parens = operand instanceof StixPattern.Compound inner
                            && inner.operator().ordinal() < compound.operator().ordinal();
                    if (parens) {
                        out.append('(');
                    }
                    format(operand, out);
                    if (parens) {
                        out.append(')');
                    }
                }
            }
            case StixPattern.Qualified qualified -> {
                boolean parens = qualified.pattern() instanceof StixPattern.Compound;
                if (parens) {
                    out.append('(');
                }
                format(qualified.pattern(), out);
                if (parens) {
                    out.append(')');
                }
                switch (qualified.qualifier()) {
                    case Qualifier.Within within -> out.append(" WITHIN ").append(within.seconds().toPlainString())
                            .append(" SECONDS");
                    case Qualifier.Repeats repeats -> out.append(" REPEATS ").append(repeats.times()).append(" TIMES");
                    case Qualifier.StartStop startStop -> out.append(" START t'").append(startStop.start())
                            .append("' STOP t'").append(startStop.stop()).append('\'');
                }
            }
        }
    }

    private static void format(Comparison comparison, StringBuilder out) {
        switch (comparison) {
            case Comparison.Test test -> {
                format(test.path(), out);
                out.append(test.negated() ? " NOT " : " ").append(test.operator().text()).append(' ');
                format(test.value(), out);
            }
            case Comparison.Exists exists -> {
                out.append("EXISTS ");
                format(exists.path(), out);
            }
            case Comparison.Junction junction -> {
                for (int i = 0; i < junction.operands().size(); i++) {
                    if (i > 0) {
                        out.append(junction.and() ? " AND " : " OR ");
                    }
                    Comparison operand = junction.operands().get(i);
                    boolean parens = operand instanceof Comparison.Junction inner && !inner.and() && junction.and();
                    if (parens) {
                        out.append('(');
                    }
                    format(operand, out);
                    if (parens) {
                        out.append(')');
                    }
                }
            }
        }
    }

    static void format(ObjectPath path, StringBuilder out) {
        out.append(path.objectType()).append(':');
        boolean first = true;
        for (Step step : path.steps()) {
            switch (step) {
                case Step.Property property -> {
                    if (!first) {
                        out.append('.');
                    }
                    if (property.name().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        out.append(property.name());
                    } else {
                        quote(property.name(), out);
                    }
                }
                case Step.Index index -> out.append('[').append(index.index() == null ? "*" : index.index()).append(']');
            }
            first = false;
        }
    }

    private static void format(Literal literal, StringBuilder out) {
        switch (literal) {
            case Literal.Text text -> quote(text.value(), out);
            case Literal.Int integer -> out.append(integer.value());
            case Literal.Real real -> out.append(real.value().toPlainString());
            case Literal.Bool bool -> out.append(bool.value());
            case Literal.Hex hex -> out.append("h'").append(hex.digits()).append('\'');
            case Literal.Binary binary -> out.append("b'").append(binary.base64()).append('\'');
            case Literal.Timestamp timestamp -> out.append("t'").append(timestamp.value()).append('\'');
            case Literal.Set set -> {
                out.append('(');
                for (int i = 0; i < set.elements().size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    format(set.elements().get(i), out);
                }
                out.append(')');
            }
        }
    }

    private static void quote(String value, StringBuilder out) {
        out.append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('\'');
    }
}
