package dev.vigil.copilot.script;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PowerShell string literals and the text rewriting the passes share. Every pattern here uses possessive or bounded
 * quantifiers, so that a match attempt never backtracks more than the text it consumes.
 */
final class Literals {
    private Literals() {}

    /**
     * A string literal whose value is known without running anything: single-quoted ({@code ''} escapes a quote), or
     * double-quoted without a {@code $} (so nothing is interpolated; a backtick escapes the next character). No
     * capturing groups, so that it can sit inside other patterns.
     */
    static final String LITERAL = "(?:'(?:[^']|'')*+'|\"(?:[^\"`$]|`[\\s\\S]|\"\")*+\")";

    /** Any string, interpolated or not: what a rewrite skips over when its own pattern does not start there. */
    private static final String ANY_STRING = "'(?:[^']|'')*+'|\"(?:[^\"`]|`[\\s\\S]|\"\")*+\"";

    private static final Pattern LITERAL_AT = Pattern.compile(LITERAL);

    /** Lengths of excerpts in layers and findings. */
    static final int EXCERPT = 160;

    /**
     * A pattern that matches {@code regex} or, failing that where a string starts, the whole string, so that a
     * rewrite sweeping the text steps over strings instead of matching inside them.
     */
    static Pattern skippingStrings(String regex, int flags) {
        return Pattern.compile("(?:" + regex + ")|(?<skipped>" + ANY_STRING + ")", flags);
    }

    /**
     * Replaces every match of a pattern made by {@link #skippingStrings}; the replacement function returns null to
     * leave a match as it is. Skipped strings are always left as they are.
     */
    static Pass.Rewrite rewrite(String text, int codeEnd, Pattern pattern, Replacement replacement) {
        Matcher matcher = pattern.matcher(text).region(0, codeEnd).useTransparentBounds(true);
        StringBuilder out = null;
        int copied = 0;
        int rewrites = 0;
        String before = "";
        String after = "";
        while (matcher.find()) {
            if (matcher.group("skipped") != null) {
                continue;
            }
            String replaced = replacement.replace(text, matcher);
            if (replaced == null || replaced.equals(matcher.group())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
                before = excerpt(matcher.group(), EXCERPT);
                after = excerpt(replaced, EXCERPT);
            }
            out.append(text, copied, matcher.start()).append(replaced);
            copied = matcher.end();
            rewrites++;
        }
        if (out == null) {
            return Pass.Rewrite.NONE;
        }
        out.append(text, copied, text.length());
        return new Pass.Rewrite(out.toString(), rewrites, before, after);
    }

    /** What replaces one match, given the whole text it is in; null leaves the match as it is. */
    @FunctionalInterface
    interface Replacement {
        String replace(String text, Matcher match);
    }

    /**
     * Where the code ends for rewriting: at the first string that is never closed, or the end of the text. PowerShell
     * would refuse a script with a string left open, and patterns that skip strings would scan to the end of the
     * text from every quote inside one. Comments ({@code #} to the end of the line, {@code <# #>}) are skipped, since
     * an apostrophe in a comment opens nothing.
     */
    static int codeEnd(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n) {
                    char d = text.charAt(j);
                    if (c == '"' && d == '`') {
                        j += 2;
                    } else if (d == c) {
                        if (j + 1 < n && text.charAt(j + 1) == c) {
                            j += 2;
                        } else {
                            break;
                        }
                    } else {
                        j++;
                    }
                }
                if (j >= n) {
                    return i;
                }
                i = j + 1;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '<' && i + 1 < n && text.charAt(i + 1) == '#') {
                int end = text.indexOf("#>", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                i++;
            }
        }
        return n;
    }

    /** The value of a literal matched by {@link #LITERAL}. */
    static String value(String literal) {
        String body = literal.substring(1, literal.length() - 1);
        if (literal.charAt(0) == '\'') {
            return body.replace("''", "'");
        }
        StringBuilder value = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '`' && i + 1 < body.length()) {
                char next = body.charAt(++i);
                value.append(switch (next) {
                    case '0' -> '\0';
                    case 'a' -> '\u0007';
                    case 'b' -> '\b';
                    case 'e' -> '\u001b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'v' -> '\u000b';
                    default -> next;
                });
            } else if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                value.append('"');
                i++;
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    /** The single-quoted literal of a value. */
    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The values of the literals in a text that holds literals separated by anything else, in order. */
    static List<String> values(String text) {
        List<String> values = new ArrayList<>();
        Matcher matcher = LITERAL_AT.matcher(text);
        while (matcher.find()) {
            values.add(value(matcher.group()));
        }
        return values;
    }

    /** The first non-whitespace character before {@code index}, or 0 at the start of the text. */
    static char previous(String text, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return 0;
    }

    /** The first non-whitespace character at or after {@code index}, or 0 at the end of the text. */
    static char next(String text, int index) {
        for (int i = index; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return 0;
    }

    /** Whether the text from {@code index} on, after whitespace, starts with the format operator {@code -f}. */
    static boolean formatOperatorAt(String text, int index) {
        int i = index;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i + 1 < text.length() && text.charAt(i) == '-' && (text.charAt(i + 1) | 0x20) == 'f'
                && (i + 2 == text.length() || !Character.isLetterOrDigit(text.charAt(i + 2)));
    }

    /** Whether the text before {@code index}, before whitespace, ends with the format operator {@code -f}. */
    static boolean formatOperatorBefore(String text, int index) {
        int i = index - 1;
        while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
            i--;
        }
        return i >= 1 && (text.charAt(i) | 0x20) == 'f' && text.charAt(i - 1) == '-';
    }

    /**
     * Whether decoded text reads as text rather than binary data: almost no control characters other than white
     * space, and no replacement characters from bytes that were not valid in the encoding.
     */
    static boolean readable(String text) {
        if (text.isEmpty()) {
            return false;
        }
        int bad = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
                bad++;
            }
        }
        return bad * 20 <= text.length();
    }

    /** The text shortened to about {@code max} characters, with an ellipsis where it was cut. */
    static String excerpt(String text, int max) {
        String flat = text.strip();
        if (flat.length() <= max) {
            return flat;
        }
        int cut = max;
        if (Character.isHighSurrogate(flat.charAt(cut - 1))) {
            cut--;
        }
        return flat.substring(0, cut) + "…";
    }
}
