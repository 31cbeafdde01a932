package dev.vigil.copilot.understand;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a normalized prompt into {@link Token}s. Things an analyst pastes stay whole: fenced code blocks, commands
 * in backticks, quoted strings, Windows and Unix paths, registry keys and anything with inner dots, colons,
 * at-signs, backslashes or brackets (addresses, URLs, defanged names, file names, {@code CORP\jdoe},
 * {@code T1003.001}). Everything else splits into words and numbers on punctuation; sentence punctuation around a
 * kept run ({@code lsass.exe,} or {@code (10.0.0.1)}) is not part of it.
 */
final class Tokenizer {
    private Tokenizer() {}

    private static final String FENCE = "```";
    private static final String OPENING_PUNCTUATION = "([{<\"'";
    private static final String CLOSING_PUNCTUATION = ".,;:!?)]}>\"'";
    private static final Pattern WINDOWS_PATH = Pattern.compile("(?:[A-Za-z]:\\\\|\\\\\\\\[^\\\\]|%[A-Za-z_]+%\\\\).*");
    private static final Pattern REGISTRY_KEY = Pattern.compile(
            "(?i)(?:HKLM|HKCU|HKCR|HKU|HKCC|HKEY_[A-Z_]+|Registry\\\\Machine|Registry\\\\User)(?:\\\\.*)?");
    private static final Pattern UNIX_PATH = Pattern.compile("(?:~|\\.{1,2})?/[\\w.@+-]+/[\\w.@+/-]*|~/[\\w.@+/-]+");

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (text.startsWith(FENCE, i)) {
                int close = text.indexOf(FENCE, i + FENCE.length());
                int end = close < 0 ? n : close + FENCE.length();
                tokens.add(new Token(text.substring(i, end), i, end, Token.Kind.CODE));
                i = end;
                continue;
            }
            if (c == '`' || ((c == '"' || c == '\'') && opensQuote(text, i))) {
                int close = closingQuote(text, i, c);
                if (close > i + 1) {
                    tokens.add(new Token(text.substring(i, close + 1), i, close + 1, Token.Kind.QUOTED));
                    i = close + 1;
                    continue;
                }
            }
            if (c == '#' && i + 1 < n && isDigit(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && isDigit(text.charAt(end))) {
                    end++;
                }
                if (end == n || !Character.isLetterOrDigit(text.charAt(end))) {
                    tokens.add(new Token(text.substring(i, end), i, end, Token.Kind.REFERENCE));
                    i = end;
                    continue;
                }
            }
            int end = i;
            while (end < n && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            // a possessive is not part of the name: "jamal.novak's sign-ins" names jamal.novak
            int chunkEnd = end - i > 3 && text.startsWith("'s", end - 2) ? end - 2 : end;
            chunk(text, i, chunkEnd, tokens);
            i = end;
        }
        return List.copyOf(tokens);
    }

    /** A quote opens a string at the start of the text or after white space or an opening bracket. */
    private static boolean opensQuote(String text, int at) {
        return at == 0 || Character.isWhitespace(text.charAt(at - 1)) || "([{=:".indexOf(text.charAt(at - 1)) >= 0;
    }

    /**
     * The closing quote on the same line, followed by the end, white space or punctuation; -1 if none. Backticks
     * may span lines.
     */
    private static int closingQuote(String text, int open, char quote) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && quote != '`') {
                return -1;
            }
            if (c == quote && (i + 1 == text.length() || !Character.isLetterOrDigit(text.charAt(i + 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** A run of non-space characters: one kept token, or words and numbers. */
    private static void chunk(String text, int start, int end, List<Token> tokens) {
        while (start < end && OPENING_PUNCTUATION.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && CLOSING_PUNCTUATION.indexOf(text.charAt(end - 1)) >= 0
                && !(text.charAt(end - 1) == ']' && balanced(text, start, end, '[', ']'))
                && !(text.charAt(end - 1) == ')' && balanced(text, start, end, '(', ')'))) {
            end--;
        }
        if (start >= end) {
            return;
        }
        String run = text.substring(start, end);
        Token.Kind kind = null;
        boolean backslash = run.indexOf('\\') >= 0;
        boolean slash = run.indexOf('/') >= 0;
        if (!backslash && !slash && !hasSeparator(run)) {
            words(text, start, end, tokens); // the common case: a plain word
            return;
        }
        if (backslash && WINDOWS_PATH.matcher(run).matches()) {
            kind = Token.Kind.PATH;
        } else if (backslash && REGISTRY_KEY.matcher(run).matches()) {
            kind = Token.Kind.REGISTRY_KEY;
        } else if (slash && UNIX_PATH.matcher(run).matches() && !run.contains("://")) {
            kind = Token.Kind.PATH;
        } else if (isCompound(run)) {
            kind = Token.Kind.COMPOUND;
        }
        if (kind != null) {
            tokens.add(new Token(run, start, end, kind));
            return;
        }
        words(text, start, end, tokens);
    }

    private static boolean hasSeparator(String run) {
        for (int i = 0; i < run.length(); i++) {
            if (".:@[](){}".indexOf(run.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean balanced(String text, int start, int end, char open, char close) {
        int depth = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
            }
        }
        return depth >= 0;
    }

    private static final List<String> DEFANGED = List.of("[.]", "(.)", "{.}", "[dot]", "(dot)", "[:]", "[://]",
            "[@]", "(@)", "[at]", "[/]");

    /**
     * Whether a run has an inner separator that makes it one name: a dot, at-sign or backslash between letters or
     * digits, a colon in a URL, a time, a port or an IPv6 address, or defanging ({@code evil[.]com}). A slash
     * between plain words ({@code and/or}) and a colon after a word ({@code note:x}) split them.
     */
    private static boolean isCompound(String run) {
        String lower = run.toLowerCase(java.util.Locale.ROOT);
        for (String defanged : DEFANGED) {
            if (lower.contains(defanged)) {
                return true;
            }
        }
        if (lower.contains("://")) {
            return true;
        }
        for (int i = 1; i < run.length() - 1; i++) {
            char c = run.charAt(i);
            boolean between = Character.isLetterOrDigit(run.charAt(i - 1))
                    || Character.isLetterOrDigit(run.charAt(i + 1));
            if ((c == '.' || c == '@' || c == '\\') && between) {
                return true;
            }
            if (c == ':' && (isDigit(run.charAt(i - 1)) && isDigit(run.charAt(i + 1))
                    || run.indexOf(':', i + 1) > 0 || run.charAt(i + 1) == ':' || isDigit(run.charAt(i + 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Words: letters and digits, joined by single inner hyphens, underscores or apostrophes. */
    private static void words(String text, int start, int end, List<Token> tokens) {
        int i = start;
        while (i < end) {
            if (!Character.isLetterOrDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int wordStart = i;
            while (i < end) {
                char c = text.charAt(i);
                if (Character.isLetterOrDigit(c)) {
                    i++;
                } else if ((c == '-' || c == '_' || c == '\'') && i + 1 < end
                        && Character.isLetterOrDigit(text.charAt(i + 1))) {
                    i += 2;
                } else {
                    break;
                }
            }
            String word = text.substring(wordStart, i);
            boolean digits = word.chars().allMatch(Tokenizer::isDigit);
            tokens.add(new Token(word, wordStart, i, digits ? Token.Kind.NUMBER : Token.Kind.WORD));
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** A fenced block's code: without the fences and the language name after the opening one. */
    static String fencedContent(String block) {
        String inner = block.substring(FENCE.length(), block.endsWith(FENCE) && block.length() >= 2 * FENCE.length()
                ? block.length() - FENCE.length() : block.length());
        int lineBreak = inner.indexOf('\n');
        if (lineBreak >= 0 && inner.substring(0, lineBreak).strip().matches("[A-Za-z0-9_+-]*")) {
            inner = inner.substring(lineBreak + 1);
        }
        return inner.strip();
    }
}
