package dev.vigil.copilot.script;

import static dev.vigil.copilot.script.Literals.LITERAL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PowerShell variable assigned exactly once, to a literal string or a character array of one, is replaced by that
 * value where it is read after the assignment, so that the string passes can evaluate the expressions around it. A
 * variable written anywhere else (another assignment, {@code ++}, an index, {@code foreach}, {@code [ref]}, a static
 * method's argument such as {@code [array]::Reverse($c)}, a parameter) keeps its name everywhere.
 *
 * <p>One scan finds every variable, so the cost is linear in the text however many variables it has.
 */
final class VariableInlining implements Pass {
    private static final Set<String> AUTOMATIC = Set.of("_", "psitem", "args", "input", "this", "true", "false",
            "null", "matches", "error", "home", "host", "pid", "pwd", "shellid", "pshome", "profile",
            "executioncontext", "myinvocation", "psscriptroot", "pscmdlet", "lastexitcode", "ofs", "env",
            "psboundparameters", "foreach", "switch", "event", "sender");
    private static final Pattern WRITE_AFTER = Pattern.compile("\\s*+(?:[-+*/%]?=(?!=)|\\+\\+|--|\\[[^\\]\\r\\n]{0,200}+\\]\\s*+=(?!=))");
    private static final Pattern ASSIGNED_LITERAL = Pattern.compile("(?i)\\s*+=\\s*+(?:(" + LITERAL
            + ")|\\[char\\[\\]\\]\\s*+(?:(" + LITERAL + ")|\\(\\s*+(" + LITERAL + ")\\s*+\\))|(" + LITERAL
            + ")\\s*+\\.ToCharArray\\(\\s*+\\))[ \\t]*+(?=[;\\r\\n}]|$)");

    private record Use(int start, int end, String name, boolean quoted) {}

    private record Value(String text, boolean characters, int definedAt) {}

    @Override
    public Obfuscation obfuscation() {
        return Obfuscation.CONSTANT_VARIABLES;
    }

    @Override
    public Rewrite apply(String text, Context context) {
        if (text.indexOf('$') < 0) {
            return Rewrite.NONE;
        }
        List<Use> uses = new ArrayList<>();
        Map<String, Integer> writes = new HashMap<>();
        Map<String, Value> values = new HashMap<>();
        scan(text, uses, writes, values);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int rewrites = 0;
        String before = "";
        String after = "";
        for (Use use : uses) {
            Value value = values.get(use.name());
            if (value == null || writes.get(use.name()) != 1 || use.start() <= value.definedAt()
                    || (use.quoted() && value.characters())) {
                continue;
            }
            String replacement = use.quoted() ? escapeForDoubleQuotes(value.text())
                    : value.characters() ? "([char[]]" + Literals.quote(value.text()) + ")" : Literals.quote(value.text());
            if (rewrites == 0) {
                before = Literals.excerpt(text.substring(use.start(), use.end()), Literals.EXCERPT);
                after = Literals.excerpt(replacement, Literals.EXCERPT);
            }
            out.append(text, copied, use.start()).append(replacement);
            copied = use.end();
            rewrites++;
        }
        if (rewrites == 0) {
            return Rewrite.NONE;
        }
        out.append(text, copied, text.length());
        return new Rewrite(out.toString(), rewrites, before, after);
    }

    /** Finds every variable outside single-quoted strings and comments, and sorts it into a write or a read. */
    private static void scan(String text, List<Use> uses, Map<String, Integer> writes, Map<String, Value> values) {
        boolean quoted = false;
        int parameterDepth = 0;
        List<Boolean> parentheses = new ArrayList<>();
        Matcher writeAfter = WRITE_AFTER.matcher(text);
        Matcher assigned = ASSIGNED_LITERAL.matcher(text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '`') {
                i++;
            } else if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        quoted = false;
                    }
                } else if (c == '$') {
                    i = variable(text, i, true, uses, writes, values, writeAfter, assigned, false) - 1;
                }
            } else if (c == '\'') {
                i = skipSingleQuoted(text, i);
            } else if (c == '"') {
                quoted = true;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (c == '<' && i + 1 < text.length() && text.charAt(i + 1) == '#') {
                int end = text.indexOf("#>", i + 2);
                i = end < 0 ? text.length() : end + 1;
            } else if (c == '(') {
                boolean parameters = declaresParameters(text, i);
                parentheses.add(parameters);
                if (parameters) {
                    parameterDepth++;
                }
            } else if (c == ')' && !parentheses.isEmpty()) {
                if (parentheses.removeLast()) {
                    parameterDepth--;
                }
            } else if (c == '$') {
                i = variable(text, i, false, uses, writes, values, writeAfter, assigned, parameterDepth > 0) - 1;
            }
        }
    }

    /** Reads the variable at {@code dollar}; returns the index just after it. */
    private static int variable(String text, int dollar, boolean quoted, List<Use> uses, Map<String, Integer> writes,
            Map<String, Value> values, Matcher writeAfter, Matcher assigned, boolean parameter) {
        int end = dollar + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        if (end == dollar + 1 || end - dollar > 65) {
            return end;
        }
        if (end < text.length() && text.charAt(end) == ':') {
            return end + 1; // $env:x, $script:x: scoped, never inlined
        }
        String name = text.substring(dollar + 1, end).toLowerCase(Locale.ROOT);
        if (AUTOMATIC.contains(name)) {
            return end;
        }
        boolean write = !quoted && (parameter || writeAfter.region(end, text.length()).lookingAt()
                || writtenBefore(text, dollar));
        if (write) {
            writes.merge(name, 1, Integer::sum);
            if (!parameter && assigned.region(end, text.length()).lookingAt()) {
                String literal = assigned.group(1) != null ? assigned.group(1)
                        : assigned.group(2) != null ? assigned.group(2)
                        : assigned.group(3) != null ? assigned.group(3) : assigned.group(4);
                values.put(name, new Value(Literals.value(literal), assigned.group(1) == null, assigned.end()));
            }
        } else {
            uses.add(new Use(dollar, end, name, quoted));
        }
        return end;
    }

    /**
     * Whether what comes before the variable writes it: {@code [ref]$x}, {@code ++$x}, {@code foreach ($x in ...)},
     * or a static method's first argument such as {@code [array]::Reverse($x)}, which may change it in place.
     */
    private static boolean writtenBefore(String text, int dollar) {
        int end = dollar - 1;
        while (end >= 0 && Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        if (end < 1) {
            return false;
        }
        if (text.regionMatches(true, end - 4, "[ref]", 0, 5)
                || (text.charAt(end) == '+' || text.charAt(end) == '-') && text.charAt(end - 1) == text.charAt(end)) {
            return true;
        }
        if (text.charAt(end) != '(') {
            return false;
        }
        int word = end - 1;
        while (word >= 0 && Character.isWhitespace(text.charAt(word))) {
            word--;
        }
        int start = word;
        while (start >= 0 && (Character.isLetterOrDigit(text.charAt(start)) || text.charAt(start) == '_')) {
            start--;
        }
        return word - start == 7 && text.regionMatches(true, start + 1, "foreach", 0, 7)
                || start >= 1 && start < word && text.charAt(start) == ':' && text.charAt(start - 1) == ':';
    }

    private static int skipSingleQuoted(String text, int open) {
        int i = open + 1;
        while (i < text.length()) {
            if (text.charAt(i) == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return text.length();
    }

    /** Whether the parenthesis at {@code open} starts {@code param(...)} or {@code function name(...)}. */
    private static boolean declaresParameters(String text, int open) {
        int end = open - 1;
        while (end >= 0 && Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        int start = end;
        while (start >= 0 && (Character.isLetterOrDigit(text.charAt(start)) || text.charAt(start) == '-'
                || text.charAt(start) == '_')) {
            start--;
        }
        if (text.regionMatches(true, start + 1, "param", 0, 5) && end - start == 5) {
            return true;
        }
        int before = start;
        while (before >= 0 && Character.isWhitespace(text.charAt(before))) {
            before--;
        }
        return before >= 7 && text.regionMatches(true, before - 7, "function", 0, 8);
    }

    private static String escapeForDoubleQuotes(String value) {
        return value.replace("`", "``").replace("\"", "`\"").replace("$", "`$");
    }
}
