package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a script into statements: at line breaks and at semicolons outside strings and parentheses; in cmd lines
 * also at {@code &}, {@code &&} and {@code ||}. A pipeline stays one statement, as does a line continued with a
 * backtick or ending in a pipe.
 */
final class Statements {
    private Statements() {}

    /**
     * One statement.
     *
     * @param text its text, trimmed
     * @param start its offset in the script
     */
    record Statement(String text, int start) {
        Statement {
            requireNonNull(text, "text is null");
        }
    }

    private static final Pattern POWERSHELL_CODE = Pattern.compile("(?i)\\$\\w|::|-join\\b|New-Object\\b|\\bfunction\\b");
    /** Statements without a letter or digit, such as a lone brace, say nothing. */
    private static final Pattern WORDLESS = Pattern.compile("[^\\p{L}\\p{N}]*+");

    static List<Statement> split(String script, ScriptLanguage language, int max) {
        List<Statement> statements = new ArrayList<>();
        int lineStart = 0;
        while (lineStart <= script.length() && statements.size() < max) {
            int lineEnd = lineEnd(script, lineStart);
            String line = script.substring(lineStart, lineEnd);
            boolean cmd = language == ScriptLanguage.CMD && !POWERSHELL_CODE.matcher(line).find();
            splitLine(line, lineStart, cmd, statements, max);
            lineStart = lineEnd + 1;
        }
        return statements;
    }

    /** The end of the logical line at {@code start}: a backtick or a pipe before the break continues it. */
    private static int lineEnd(String script, int start) {
        int at = start;
        while (true) {
            int end = script.indexOf('\n', at);
            if (end < 0) {
                return script.length();
            }
            int last = end - 1;
            while (last >= at && (script.charAt(last) == '\r' || script.charAt(last) == ' ' || script.charAt(last) == '\t')) {
                last--;
            }
            if (last >= at && (script.charAt(last) == '`' || script.charAt(last) == '|')) {
                at = end + 1;
                continue;
            }
            return end;
        }
    }

    private static void splitLine(String line, int offset, boolean cmd, List<Statement> statements, int max) {
        boolean single = false;
        boolean quoted = false;
        int depth = 0;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (single) {
                single = c != '\'';
                continue;
            }
            if (c == '`' && !cmd) {
                i++;
            } else if (c == '^' && cmd) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                continue;
            } else if (c == '\'' && !cmd) {
                single = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == ';' && depth == 0 && !cmd) {
                add(line, start, i, offset, statements, max);
                start = i + 1;
            } else if (cmd && (c == '&' || (c == '|' && i + 1 < line.length() && line.charAt(i + 1) == '|'))) {
                add(line, start, i, offset, statements, max);
                if (i + 1 < line.length() && line.charAt(i + 1) == c) {
                    i++;
                }
                start = i + 1;
            }
        }
        add(line, start, line.length(), offset, statements, max);
    }

    private static void add(String line, int start, int end, int offset, List<Statement> statements, int max) {
        String text = line.substring(start, end);
        String trimmed = text.strip();
        if (statements.size() >= max || WORDLESS.matcher(trimmed).matches()) {
            return;
        }
        int leading = text.indexOf(trimmed.charAt(0));
        statements.add(new Statement(trimmed, offset + start + leading));
    }
}
