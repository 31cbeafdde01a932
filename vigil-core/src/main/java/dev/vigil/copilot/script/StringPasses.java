package dev.vigil.copilot.script;

import static dev.vigil.copilot.script.Literals.LITERAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The passes that evaluate PowerShell string expressions on literals: character codes, the format operator,
 * concatenation, replacement, reversal, splitting and joining, escapes, and the wrappers that run a literal as code.
 * Each evaluates only what it can know without running anything, and leaves the rest as it is.
 */
final class StringPasses {
    private StringPasses() {}

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;
    private static final String LIT = "(" + LITERAL + ")";
    private static final String NUMBER = "(?:0x[0-9a-f]{1,6}+|\\d{1,7}+)";
    private static final String NUMBERS = NUMBER + "(?:\\s*+,\\s*+" + NUMBER + ")*+";
    private static final String EACH_AS_CHAR =
            "\\|\\s*+(?:%|ForEach-Object|foreach)\\s*+\\{\\s*+\\[char\\]\\s*+\\$_\\s*+\\}";
    /** Two literals or more separated by commas: an array. */
    private static final String ARRAY = LITERAL + "(?:\\s*+,\\s*+" + LITERAL + ")++";
    /** A literal cast to a character array. */
    private static final String CHARS = "\\[char\\[\\]\\]\\s*+(?:" + LITERAL + "|\\(\\s*+" + LITERAL + "\\s*+\\))";
    /** Operators that bind tighter than the one at hand when written just before its left operand. */
    private static final String TIGHTER_BEFORE = "+*/%.,";

    /** A pass made of rewrites applied in order, repeated while they change something, at most {@code rounds} times. */
    record Repeated(Obfuscation obfuscation, int rounds, List<Pass> rewrites) implements Pass {
        Repeated {
            rewrites = List.copyOf(rewrites);
        }

        @Override
        public Rewrite apply(String text, Context context) {
            String current = text;
            int count = 0;
            String before = "";
            String after = "";
            for (int round = 0; round < rounds; round++) {
                Rewrite rewrite = Rewrite.chain(current, rewrites, context);
                if (!rewrite.changed()) {
                    break;
                }
                if (count == 0) {
                    before = rewrite.before();
                    after = rewrite.after();
                }
                count += rewrite.rewrites();
                current = rewrite.text();
            }
            return count == 0 ? Rewrite.NONE : new Rewrite(current, count, before, after);
        }
    }

    /**
     * One pattern and what replaces its matches; null from the function leaves a match alone. The pattern is tried
     * only on text that contains one of its keywords (in lower case), which spares most texts most scans.
     */
    record Rule(Obfuscation obfuscation, List<String> keywords, Pattern pattern, Literals.Replacement replacement)
            implements Pass {
        Rule {
            keywords = List.copyOf(keywords);
        }

        /** A rule; {@code keywords} separated by {@code |}, one of which the text must contain. */
        static Rule of(Obfuscation obfuscation, String keywords, String regex, Literals.Replacement replacement) {
            return new Rule(obfuscation, List.of(keywords.split("\\|")), Literals.skippingStrings(regex, FLAGS),
                    replacement);
        }

        @Override
        public Rewrite apply(String text, Context context) {
            String lowerCase = context.lowerCase(text);
            if (keywords.stream().noneMatch(lowerCase::contains)) {
                return Rewrite.NONE;
            }
            return Literals.rewrite(text, context.codeEnd(text), pattern, replacement);
        }
    }

    // ---- character codes ----

    /** Values of automatic and environment variables that obfuscators index into, as on a default Windows install. */
    private static final Map<String, String> WELL_KNOWN = Map.of(
            "$env:comspec", "C:\\Windows\\system32\\cmd.exe",
            "$shellid", "Microsoft.PowerShell",
            "$pshome", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
            "$env:public", "C:\\Users\\Public",
            "$verbosepreference.tostring()", "SilentlyContinue");
    private static final String WELL_KNOWN_NAME =
            "(\\$env:comspec|\\$shellid|\\$pshome|\\$env:public|\\$VerbosePreference\\.ToString\\(\\s*+\\))";

    static Pass charCodes() {
        Obfuscation kind = Obfuscation.CHAR_CODES;
        return new Repeated(kind, 4, List.of(
                Rule.of(kind, "[char[]]", "\\[char\\[\\]\\]\\s*+\\(\\s*+(" + NUMBERS + ")\\s*+\\)\\s*+-join\\s*+" + LIT,
                        (t, m) -> joinCodes(m.group(1), Literals.value(m.group(2)))),
                Rule.of(kind, "[char[]]", "-join\\s*+(?:\\[char\\[\\]\\]\\s*+\\(\\s*+(" + NUMBERS + ")\\s*+\\)"
                                + "|\\(\\s*+\\[char\\[\\]\\]\\s*+\\(\\s*+(" + NUMBERS + ")\\s*+\\)\\s*+\\))",
                        (t, m) -> joinCodes(first(m, 1, 2), "")),
                Rule.of(kind, "[char]", "\\(\\s*+(?:\\(\\s*+(" + NUMBERS + ")\\s*+\\)|(" + NUMBERS + "))\\s*+" + EACH_AS_CHAR
                                + "\\s*+\\)\\s*+-join\\s*+" + LIT,
                        (t, m) -> joinCodes(first(m, 1, 2), Literals.value(m.group(3)))),
                Rule.of(kind, "[char]", "-join\\s*+\\(\\s*+(?:\\(\\s*+(" + NUMBERS + ")\\s*+\\)|(" + NUMBERS + "))\\s*+"
                                + EACH_AS_CHAR + "\\s*+\\)",
                        (t, m) -> joinCodes(first(m, 1, 2), "")),
                Rule.of(kind, "::join(", "\\[(?:System\\.)?string\\]::join\\(\\s*+" + LIT + "\\s*+,\\s*+\\[char\\[\\]\\]\\s*+\\(\\s*+("
                                + NUMBERS + ")\\s*+\\)\\s*+\\)",
                        (t, m) -> joinCodes(m.group(2), Literals.value(m.group(1)))),
                Rule.of(kind, "[char]", "\\[char\\]\\s*+(?:(" + NUMBER + ")|\\(\\s*+(" + NUMBER + ")\\s*+\\))",
                        (t, m) -> joinCodes(first(m, 1, 2), "")),
                Rule.of(kind, "$env:|$shellid|$pshome|$verbosepreference", WELL_KNOWN_NAME + "\\[\\s*+(\\d{1,3}+(?:\\s*+,\\s*+\\d{1,3}+)++)\\s*+\\]\\s*+-join\\s*+"
                                + LIT,
                        (t, m) -> indexWellKnown(m.group(1), m.group(2), Literals.value(m.group(3)))),
                Rule.of(kind, "$env:|$shellid|$pshome|$verbosepreference", WELL_KNOWN_NAME + "\\[\\s*+(\\d{1,3}+)\\s*+\\]",
                        (t, m) -> indexWellKnown(m.group(1), m.group(2), ""))));
    }

    private static String first(Matcher matcher, int... groups) {
        for (int group : groups) {
            if (matcher.group(group) != null) {
                return matcher.group(group);
            }
        }
        return null;
    }

    private static String joinCodes(String numbers, String separator) {
        StringBuilder joined = new StringBuilder();
        for (String number : numbers.split(",")) {
            String digits = number.strip().toLowerCase(Locale.ROOT);
            int code = digits.startsWith("0x") ? Integer.parseInt(digits.substring(2), 16) : Integer.parseInt(digits);
            if (code > 0xFFFF || Character.isSurrogate((char) code)) {
                return null;
            }
            if (!joined.isEmpty()) {
                joined.append(separator);
            }
            joined.append((char) code);
        }
        return Literals.quote(joined.toString());
    }

    private static String indexWellKnown(String name, String indexes, String separator) {
        String value = WELL_KNOWN.get(name.toLowerCase(Locale.ROOT).replaceAll("\\s++", ""));
        StringBuilder joined = new StringBuilder();
        for (String index : indexes.split(",")) {
            int at = Integer.parseInt(index.strip());
            if (value == null || at >= value.length()) {
                return null;
            }
            if (!joined.isEmpty()) {
                joined.append(separator);
            }
            joined.append(value.charAt(at));
        }
        return Literals.quote(joined.toString());
    }

    // ---- format operator ----

    static Pass formatString() {
        Obfuscation kind = Obfuscation.FORMAT_STRING;
        return new Repeated(kind, 4, List.of(Rule.of(kind, "-f",
                LIT + "\\s*+-f\\s*+(" + LITERAL + "(?:\\s*+,\\s*+" + LITERAL + ")*+)(?!\\s*+[.\\[\\w])",
                (t, m) -> {
                    String formatted = format(Literals.value(m.group(1)), Literals.values(m.group(2)));
                    return formatted == null ? null : Literals.quote(formatted);
                })));
    }

    /**
     * .NET composite formatting of strings: {@code {index[,alignment][:format]}} with {@code {{} and {@code }}}
     * escapes; a format string is ignored, as strings ignore it. Null if the format is not valid or names an argument
     * that is not there, where PowerShell would fail.
     */
    static String format(String format, List<String> arguments) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '{' && i + 1 < format.length() && format.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < format.length() && format.charAt(i + 1) == '}') {
                out.append('}');
                i += 2;
            } else if (c == '}') {
                return null;
            } else if (c == '{') {
                int close = format.indexOf('}', i);
                if (close < 0) {
                    return null;
                }
                Matcher item = FORMAT_ITEM.matcher(format.substring(i + 1, close));
                if (!item.matches()) {
                    return null;
                }
                int index = Integer.parseInt(item.group(1));
                if (index >= arguments.size()) {
                    return null;
                }
                String argument = arguments.get(index);
                int alignment = item.group(2) == null ? 0 : Integer.parseInt(item.group(2));
                if (Math.abs(alignment) > 1000) {
                    return null;
                }
                String padding = " ".repeat(Math.max(0, Math.abs(alignment) - argument.length()));
                out.append(alignment < 0 ? argument + padding : padding + argument);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static final Pattern FORMAT_ITEM = Pattern.compile("\\s*+(\\d{1,6}+)\\s*+(?:,\\s*+(-?\\d{1,6}+)\\s*+)?(?::[^{}]*+)?");

    // ---- concatenation ----

    private static final Pattern LITERAL_AT = Pattern.compile(LITERAL);
    private static final Pattern PLUS = Pattern.compile("\\s*+\\+\\s*+");
    private static final Set<String> KEYWORDS_BEFORE_PARENTHESES = Set.of("if", "elseif", "while", "until",
            "switch", "foreach", "for", "param", "catch", "trap", "function", "filter", "workflow", "data");

    static Pass concatenation() {
        Obfuscation kind = Obfuscation.CONCATENATION;
        Pass concatenate = Rule.of(kind, "+", LITERAL + "(?:\\s*+\\+\\s*+" + LITERAL + ")++", StringPasses::concatenate);
        Pass unwrap = new Pass() {
            @Override
            public Obfuscation obfuscation() {
                return kind;
            }

            @Override
            public Rewrite apply(String text, Context context) {
                return unwrapParentheses(text, context.codeEnd(text));
            }
        };
        return new Repeated(kind, 16, List.of(concatenate, unwrap));
    }

    /** The concatenation of a run of literals joined by {@code +}, less operands that a tighter operator takes. */
    private static String concatenate(String whole, Matcher matcher) {
        String text = matcher.group();
        List<int[]> operands = new ArrayList<>();
        Matcher literal = LITERAL_AT.matcher(text);
        int at = 0;
        while (at < text.length() && literal.region(at, text.length()).lookingAt()) {
            operands.add(new int[] {literal.start(), literal.end()});
            Matcher plus = PLUS.matcher(text).region(literal.end(), text.length());
            at = plus.lookingAt() ? plus.end() : text.length();
        }
        int first = 0;
        int last = operands.size() - 1;
        // + before is the same operator, left-associative: ($a + 'b') + 'c' is $a + 'bc' for strings
        char before = Literals.previous(whole, matcher.start());
        if ("*/%.,".indexOf(before) >= 0 || Literals.formatOperatorBefore(whole, matcher.start())) {
            first++;
        }
        char after = Literals.next(whole, matcher.end());
        if (after == '.' || after == '[' || after == ',' || after == '*' || after == '/' || after == '%'
                || Literals.formatOperatorAt(whole, matcher.end())) {
            last--;
        }
        if (last - first < 1) {
            return null;
        }
        StringBuilder value = new StringBuilder();
        for (int i = first; i <= last; i++) {
            int[] operand = operands.get(i);
            value.append(Literals.value(text.substring(operand[0], operand[1])));
        }
        return text.substring(0, operands.get(first)[0]) + Literals.quote(value.toString())
                + text.substring(operands.get(last)[1]);
    }

    private static final Pattern LITERAL_OR_STRING = Literals.skippingStrings(LITERAL, 0);

    /** {@code ('abc')}, {@code (('abc'))} become {@code 'abc'}, except where parentheses are syntax: calls, keywords. */
    static Pass.Rewrite unwrapParentheses(String text, int codeEnd) {
        Matcher matcher = LITERAL_OR_STRING.matcher(text).region(0, codeEnd).useTransparentBounds(true);
        StringBuilder out = null;
        int copied = 0;
        int rewrites = 0;
        String before = "";
        String after = "";
        while (matcher.find()) {
            if (matcher.group("skipped") != null) {
                continue;
            }
            int start = matcher.start();
            int end = matcher.end();
            while (true) {
                int open = start - 1;
                while (open >= copied && Character.isWhitespace(text.charAt(open))) {
                    open--;
                }
                int close = end;
                while (close < text.length() && Character.isWhitespace(text.charAt(close))) {
                    close++;
                }
                if (open < copied || close >= text.length() || text.charAt(open) != '(' || text.charAt(close) != ')'
                        || !parenthesesAreGrouping(text, open)) {
                    break;
                }
                start = open;
                end = close + 1;
            }
            if (start == matcher.start()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
                before = Literals.excerpt(text.substring(start, end), Literals.EXCERPT);
                after = Literals.excerpt(matcher.group(), Literals.EXCERPT);
            }
            out.append(text, copied, start).append(matcher.group());
            copied = end;
            rewrites++;
        }
        if (out == null) {
            return Pass.Rewrite.NONE;
        }
        out.append(text, copied, text.length());
        return new Pass.Rewrite(out.toString(), rewrites, before, after);
    }

    private static boolean parenthesesAreGrouping(String text, int open) {
        if (open == 0) {
            return true;
        }
        char before = text.charAt(open - 1);
        if (Character.isLetterOrDigit(before) || "_.]@$`)".indexOf(before) >= 0) {
            return false;
        }
        int end = open - 1;
        while (end >= 0 && Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        int start = end;
        while (start >= 0 && (Character.isLetterOrDigit(text.charAt(start)) || text.charAt(start) == '-'
                || text.charAt(start) == '_')) {
            start--;
        }
        String word = text.substring(start + 1, end + 1).toLowerCase(Locale.ROOT);
        if (KEYWORDS_BEFORE_PARENTHESES.contains(word)) {
            return false;
        }
        // function Name (...) declares parameters
        int previousEnd = start;
        while (previousEnd >= 0 && Character.isWhitespace(text.charAt(previousEnd))) {
            previousEnd--;
        }
        return !text.regionMatches(true, Math.max(0, previousEnd - 7), "function", 0, 8);
    }

    // ---- replacement ----

    static Pass replace() {
        Obfuscation kind = Obfuscation.REPLACE;
        return new Repeated(kind, 8, List.of(
                Rule.of(kind, "replace", LIT + "\\s*+-([ci]?)replace\\s*+" + LIT + "(?:\\s*+,\\s*+" + LIT + ")?(?!\\s*+[.\\[+,\\w])",
                        (t, m) -> {
                            if (operandOfTighterOperator(t, m.start())) {
                                return null;
                            }
                            String replaced = regexReplace(Literals.value(m.group(1)), Literals.value(m.group(3)),
                                    m.group(4) == null ? "" : Literals.value(m.group(4)),
                                    !m.group(2).equalsIgnoreCase("c"));
                            return replaced == null ? null : Literals.quote(replaced);
                        }),
                Rule.of(kind, ".replace(", LIT + "\\s*+\\.replace\\(\\s*+" + LIT + "\\s*+,\\s*+" + LIT + "\\s*+\\)",
                        (t, m) -> {
                            String target = Literals.value(m.group(2));
                            if (target.isEmpty()) {
                                return null;
                            }
                            return Literals.quote(Literals.value(m.group(1)).replace(target, Literals.value(m.group(3))));
                        })));
    }

    private static boolean operandOfTighterOperator(String text, int start) {
        return TIGHTER_BEFORE.indexOf(Literals.previous(text, start)) >= 0 || Literals.formatOperatorBefore(text, start);
    }

    /**
     * PowerShell's {@code -replace}, for patterns without groups, alternation or quantifiers only: those cannot
     * backtrack, so a hostile pattern costs no more than a scan. Null for any other pattern, or a replacement that
     * refers to groups.
     */
    static String regexReplace(String input, String regex, String replacement, boolean ignoreCase) {
        Pattern pattern = simplePattern(regex, ignoreCase);
        if (pattern == null || replacement.indexOf('$') >= 0) {
            return null;
        }
        return pattern.matcher(input).replaceAll(Matcher.quoteReplacement(replacement));
    }

    /** The pattern compiled if it is simple (see {@link #regexReplace}), else null. */
    static Pattern simplePattern(String regex, boolean ignoreCase) {
        if (regex.isEmpty()) {
            return null;
        }
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 >= regex.length()) {
                    return null;
                }
                char escaped = regex.charAt(++i);
                if (Character.isLetterOrDigit(escaped) && "dDwWsStnr".indexOf(escaped) < 0) {
                    return null;
                }
            } else if ("()*+?{}|".indexOf(c) >= 0) {
                return null;
            }
        }
        try {
            return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    // ---- reversal ----

    private static final String CHAR_ARRAY_OF_LITERAL = "(?:\\[char\\[\\]\\]\\s*+(?:" + LIT + "|\\(\\s*+" + LIT
            + "\\s*+\\))|" + LIT + "\\s*+\\.ToCharArray\\(\\s*+\\)|\\(\\s*+" + LIT + "\\s*+\\)\\s*+\\.ToCharArray\\(\\s*+\\))";

    static Pass reversal() {
        Obfuscation kind = Obfuscation.REVERSAL;
        return new Repeated(kind, 4, List.of(
                // 'cba'[-1..-3], 'cba'[-1..-('cba'.Length)]
                Rule.of(kind, "..", LIT + "\\s*+\\[\\s*+-1\\s*+\\.\\.\\s*+-\\s*+(?:(\\d{1,7}+)|\\(\\s*+" + LIT
                                + "\\s*+\\.Length\\s*+\\)|" + LIT + "\\s*+\\.Length)\\s*+\\]",
                        (t, m) -> {
                            String value = Literals.value(m.group(1));
                            int count;
                            if (m.group(2) != null) {
                                count = Integer.parseInt(m.group(2));
                            } else {
                                count = Literals.value(first(m, 3, 4)).length();
                            }
                            int taken = Math.min(count, value.length());
                            String tail = value.substring(value.length() - taken);
                            return charArray(new StringBuilder(tail).reverse().toString());
                        }),
                // 'cba'['cba'.Length..0], 'cba'['cba'.Length-1..0]
                Rule.of(kind, "..", LIT + "\\s*+\\[\\s*+" + LIT + "\\s*+\\.Length\\s*+(?:-\\s*+1\\s*+)?\\.\\.\\s*+0\\s*+\\]",
                        (t, m) -> {
                            String value = Literals.value(m.group(1));
                            if (!value.equals(Literals.value(m.group(2)))) {
                                return null;
                            }
                            return charArray(new StringBuilder(value).reverse().toString());
                        }),
                // $c = 'cba'.ToCharArray(); [array]::Reverse($c)
                Rule.of(kind, "reverse(", "\\$(\\w{1,64}+)\\s*+=\\s*+" + CHAR_ARRAY_OF_LITERAL
                                + "[ \\t]*+(?:;|\\r?\\n)\\s*+\\[(?:System\\.)?Array\\]::Reverse\\(\\s*+\\$(\\w{1,64}+)\\s*+\\)",
                        (t, m) -> {
                            if (!m.group(1).equalsIgnoreCase(m.group(6))) {
                                return null;
                            }
                            String value = Literals.value(first(m, 2, 3, 4, 5));
                            return "$" + m.group(1) + " = " + charArray(new StringBuilder(value).reverse().toString());
                        })));
    }

    /** A character array of a string's characters, written so the join rules read it. */
    private static String charArray(String value) {
        return "[char[]]" + Literals.quote(value);
    }

    // ---- splitting and joining ----

    static Pass splitJoin() {
        Obfuscation kind = Obfuscation.SPLIT_JOIN;
        return new Repeated(kind, 8, List.of(
                // 'a,b' -split ',' gives an array, without parentheses: the comma binds tighter than -join
                Rule.of(kind, "split", LIT + "\\s*+-([ci]?)split\\s*+" + LIT + "(?!\\s*+[.\\[+,\\w])",
                        (t, m) -> {
                            if (operandOfTighterOperator(t, m.start())) {
                                return null;
                            }
                            Pattern separator = simplePattern(Literals.value(m.group(3)), !m.group(2).equalsIgnoreCase("c"));
                            return separator == null ? null : array(List.of(separator.split(Literals.value(m.group(1)), -1)), false);
                        }),
                // 'a*b'.Split('*'): Windows PowerShell splits on any of the separator's characters
                Rule.of(kind, ".split(", LIT + "\\s*+\\.split\\(\\s*+" + LIT + "\\s*+\\)",
                        (t, m) -> {
                            String separators = Literals.value(m.group(2));
                            if (separators.isEmpty()) {
                                return null;
                            }
                            return array(splitOnAny(Literals.value(m.group(1)), separators), true);
                        }),
                // ('a','b') -join ''
                Rule.of(kind, "-join", "(?:\\(\\s*+(" + ARRAY + "|" + LITERAL + ")\\s*+\\)|(" + ARRAY + "))\\s*+-join\\s*+" + LIT
                                + "(?!\\s*+[.\\[])",
                        (t, m) -> {
                            if (operandOfTighterOperator(t, m.start())) {
                                return null;
                            }
                            return Literals.quote(String.join(Literals.value(m.group(3)), Literals.values(first(m, 1, 2))));
                        }),
                // -join ('a','b'), -join [char[]]'ab'
                Rule.of(kind, "-join", "-join\\s*+(?:\\(\\s*+(" + ARRAY + "|" + LITERAL + ")\\s*+\\)|(" + CHARS + ")|\\(\\s*+("
                                + CHARS + ")\\s*+\\))",
                        (t, m) -> Literals.quote(String.join("", Literals.values(first(m, 1, 2, 3))))),
                // [char[]]'abc' -join '-'
                Rule.of(kind, "-join", "(?:(" + CHARS + ")|\\(\\s*+(" + CHARS + ")\\s*+\\))\\s*+-join\\s*+" + LIT + "(?!\\s*+[.\\[])",
                        (t, m) -> {
                            String value = String.join("", Literals.values(first(m, 1, 2)));
                            List<String> characters = value.chars().mapToObj(c -> String.valueOf((char) c)).toList();
                            return Literals.quote(String.join(Literals.value(m.group(3)), characters));
                        }),
                // [string]::Join('', 'a','b'), [string]::Join('', [char[]]'ab'), [string]::Concat('a','b')
                Rule.of(kind, "::join(", "\\[(?:System\\.)?string\\]::join\\(\\s*+" + LIT + "\\s*+,\\s*+(?:\\(\\s*+(" + ARRAY
                                + ")\\s*+\\)|(" + ARRAY + "|" + LITERAL + ")|(" + CHARS + "))\\s*+\\)",
                        (t, m) -> {
                            String separator = Literals.value(m.group(1));
                            if (m.group(4) != null) {
                                String value = String.join("", Literals.values(m.group(4)));
                                return Literals.quote(String.join(separator,
                                        value.chars().mapToObj(c -> String.valueOf((char) c)).toList()));
                            }
                            return Literals.quote(String.join(separator, Literals.values(first(m, 2, 3))));
                        }),
                Rule.of(kind, "::concat(", "\\[(?:System\\.)?string\\]::concat\\(\\s*+(" + ARRAY + "|" + LITERAL + ")\\s*+\\)",
                        (t, m) -> Literals.quote(String.join("", Literals.values(m.group(1))))),
                Rule.of(kind, "::new(", "\\[(?:System\\.)?string\\]::new\\(\\s*+(" + CHARS + ")\\s*+\\)",
                        (t, m) -> Literals.quote(String.join("", Literals.values(m.group(1)))))));
    }

    private static List<String> splitOnAny(String value, String separators) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (separators.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        return parts;
    }

    private static String array(List<String> values, boolean parenthesized) {
        StringBuilder out = new StringBuilder(parenthesized ? "(" : "");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(Literals.quote(values.get(i)));
        }
        return out.append(parenthesized ? ")" : "").toString();
    }

    // ---- escapes ----

    /** The escapes that mean something else than the character itself, in double-quoted strings: kept. */
    private static final String SPECIAL_ESCAPES = "0abefnrtuv";

    static Pass backticks() {
        Obfuscation kind = Obfuscation.BACKTICK_ESCAPES;
        Pass ticks = new Pass() {
            @Override
            public Obfuscation obfuscation() {
                return kind;
            }

            @Override
            public Rewrite apply(String text, Context context) {
                return removeBackticks(text);
            }
        };
        // ."Split"(...), ::"SecurityProtocol": a member name written as a string
        Pass members = Rule.of(kind, ".\"|.'|::\"|::'", "(?:(?<=[\\w)\\]])\\.|::)(?:\"(\\w{1,100}+)\"|'(\\w{1,100}+)')",
                (t, m) -> (m.group().startsWith("::") ? "::" : ".") + first(m, 1, 2));
        return new Repeated(kind, 2, List.of(ticks, members));
    }

    /** Backticks before letters and digits, outside single-quoted strings, where they only obscure a word. */
    static Pass.Rewrite removeBackticks(String text) {
        if (text.indexOf('`') < 0) {
            return Pass.Rewrite.NONE;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean single = false;
        boolean quoted = false;
        int rewrites = 0;
        int first = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (single) {
                out.append(c);
                if (c == '\'') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        out.append('\'');
                        i++;
                    } else {
                        single = false;
                    }
                }
            } else if (c == '`' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                if (Character.isLetterOrDigit(next) && SPECIAL_ESCAPES.indexOf(next) < 0) {
                    if (first < 0) {
                        first = i - 1;
                    }
                    rewrites++;
                } else {
                    out.append(c);
                }
                out.append(next);
            } else {
                out.append(c);
                if (c == '"') {
                    if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        out.append('"');
                        i++;
                    } else {
                        quoted = !quoted;
                    }
                } else if (c == '\'' && !quoted) {
                    single = true;
                }
            }
        }
        if (rewrites == 0) {
            return Pass.Rewrite.NONE;
        }
        String window = text.substring(Math.max(0, first - 20), Math.min(text.length(), first + 60));
        return new Pass.Rewrite(out.toString(), rewrites, Literals.excerpt(window, Literals.EXCERPT),
                Literals.excerpt(window.replaceAll("`(?=[A-Za-z1-9&&[^abefnrtuv]])", ""), Literals.EXCERPT));
    }

    /** {@code p^o^w^e^r^s^h^e^l^l}: a caret between two word characters escapes nothing in cmd and is dropped. */
    static Pass carets() {
        Obfuscation kind = Obfuscation.CARET_ESCAPES;
        Pattern caret = Pattern.compile("(?<=[\\w.])\\^(?=[\\w.\"])");
        return new Pass() {
            @Override
            public Obfuscation obfuscation() {
                return kind;
            }

            @Override
            public Rewrite apply(String text, Context context) {
                if (text.indexOf('^') < 0) {
                    return Rewrite.NONE;
                }
                Matcher matcher = caret.matcher(text);
                if (!matcher.find()) {
                    return Rewrite.NONE;
                }
                int first = matcher.start();
                int count = (int) matcher.reset().results().count();
                String window = text.substring(Math.max(0, first - 20), Math.min(text.length(), first + 60));
                return new Rewrite(matcher.replaceAll(""), count, Literals.excerpt(window, Literals.EXCERPT),
                        Literals.excerpt(caret.matcher(window).replaceAll(""), Literals.EXCERPT));
            }
        };
    }

    // ---- running a literal ----

    private static final String SCRIPT_BLOCK = "\\[(?:System\\.Management\\.Automation\\.)?scriptblock\\]::create\\(\\s*+"
            + LIT + "\\s*+\\)";
    private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z][\\w.-]{0,99}+");

    static Pass invokeWrappers() {
        Obfuscation kind = Obfuscation.INVOKE_WRAPPER;
        return new Repeated(kind, 4, List.of(
                // iex 'code', Invoke-Expression -Command ('code')
                Rule.of(kind, "iex|invoke-expression", "(?<![\\w-])(?:iex|Invoke-Expression)(?:\\s++-Command)?\\s*+(?:\\(\\s*+" + LIT + "\\s*+\\)|"
                                + LIT + ")(?=\\s*+(?:[;\\r\\n|)}]|$))",
                        (t, m) -> code(first(m, 1, 2))),
                // 'code' | iex
                Rule.of(kind, "iex|invoke-expression", LIT + "\\s*+\\|\\s*+(?:iex|Invoke-Expression)(?![\\w-])",
                        (t, m) -> {
                            char before = Literals.previous(t, m.start());
                            return before == 0 || ";\n\r({|".indexOf(before) >= 0 ? code(m.group(1)) : null;
                        }),
                // &([scriptblock]::Create('code')), [scriptblock]::Create('code').Invoke()
                Rule.of(kind, "scriptblock", "&\\s*+(?:\\(\\s*+" + SCRIPT_BLOCK + "\\s*+\\)|" + SCRIPT_BLOCK + ")",
                        (t, m) -> code(first(m, 1, 2))),
                Rule.of(kind, "scriptblock", SCRIPT_BLOCK + "\\s*+\\.Invoke(?:ReturnAsIs)?\\(\\s*+\\)",
                        (t, m) -> code(m.group(1))),
                // &('new-object'), . 'iex': the call operator on a command name
                Rule.of(kind, "&|.(|.'|.\"|. ", "(?<![\\w$\\])`'\"])([&.])\\s*+(?:\\(\\s*+" + LIT + "\\s*+\\)|" + LIT + ")",
                        (t, m) -> {
                            String name = Literals.value(first(m, 2, 3));
                            if (!COMMAND_NAME.matcher(name).matches()) {
                                return null;
                            }
                            boolean needsSpace = m.start() > 0 && Character.isLetterOrDigit(t.charAt(m.start() - 1));
                            return (needsSpace ? " " : "") + name;
                        })));
    }

    private static String code(String literal) {
        return Literals.value(literal).strip();
    }
}
