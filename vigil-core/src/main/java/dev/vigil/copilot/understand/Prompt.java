package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;

/**
 * A prompt as the planner reads it: normalized, lower-cased for matching, and tokenized, with a way back to the
 * original text.
 *
 * <p>Normalization, in order:
 * <ul>
 *   <li>Unicode NFKC, so full-width letters, ligatures and compatibility digits read as their plain forms
 *       ({@code ＷＳ５} is {@code WS5}, {@code …} is {@code ...}).
 *   <li>Typographic quotes become {@code '} and {@code "}; hyphens, dashes and the minus sign become {@code -}, so a
 *       command line pasted from a word processor ({@code powershell –enc}) reads as typed.
 *   <li>Zero-width characters and soft hyphens disappear.
 *   <li>Runs of white space become one space, or one line break when the run holds a line break (a pasted script
 *       or article keeps its lines); leading and trailing white space go.
 * </ul>
 * Case is kept in {@link #text()}: host names and command lines are shown as written. {@link #lowerCase()} has the
 * same length and offsets, one character for one.
 *
 * <p>Immutable.
 */
public final class Prompt {
    private static final String ZERO_WIDTH = "\u200B\u200C\u200D\u2060\uFEFF\u00AD";

    private final String original;
    private final String text;
    private final String lowerCase;
    private final int[] originalStarts;
    private final int[] originalEnds;
    private final List<Token> tokens;

    private Prompt(String original, String text, int[] originalStarts, int[] originalEnds) {
        this.original = original;
        this.text = text;
        this.originalStarts = originalStarts;
        this.originalEnds = originalEnds;
        char[] lower = text.toCharArray();
        for (int i = 0; i < lower.length; i++) {
            lower[i] = Character.toLowerCase(lower[i]);
        }
        this.lowerCase = new String(lower);
        this.tokens = Tokenizer.tokenize(text);
    }

    /** Normalizes and tokenizes a prompt. */
    public static Prompt of(String original) {
        requireNonNull(original, "original is null");
        boolean compatible = Normalizer.isNormalized(original, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(original.length());
        int[] starts = new int[original.length() * 2 + 4];
        int[] ends = new int[starts.length];
        int spaceStart = -1;
        int spaceEnd = -1;
        boolean lineBreak = false;
        int i = 0;
        while (i < original.length()) {
            // A base character and the combining marks after it normalize together.
            int runStart = i;
            i += Character.charCount(original.codePointAt(i));
            while (i < original.length() && isCombining(original.codePointAt(i))) {
                i += Character.charCount(original.codePointAt(i));
            }
            // Already in NFKC (as most prompts are), a run is itself: no copy.
            CharSequence run = compatible ? original.subSequence(runStart, i)
                    : Normalizer.normalize(original.substring(runStart, i), Normalizer.Form.NFKC);
            for (int j = 0; j < run.length(); j++) {
                char c = fold(run.charAt(j));
                if (ZERO_WIDTH.indexOf(c) >= 0) {
                    continue;
                }
                if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                    if (spaceStart < 0) {
                        spaceStart = runStart;
                    }
                    spaceEnd = i;
                    lineBreak |= c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085';
                    continue;
                }
                if (out.length() + 2 > starts.length) {
                    starts = Arrays.copyOf(starts, starts.length * 2);
                    ends = Arrays.copyOf(ends, ends.length * 2);
                }
                if (spaceStart >= 0 && out.length() > 0) {
                    starts[out.length()] = spaceStart;
                    ends[out.length()] = spaceEnd;
                    out.append(lineBreak ? '\n' : ' ');
                }
                spaceStart = -1;
                lineBreak = false;
                starts[out.length()] = runStart;
                ends[out.length()] = i;
                out.append(c);
            }
        }
        int length = out.length();
        return new Prompt(original, out.toString(), Arrays.copyOf(starts, length), Arrays.copyOf(ends, length));
    }

    private static boolean isCombining(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** Typographic quotes and dashes as their ASCII forms. */
    private static char fold(char c) {
        return switch (c) {
            case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032' -> '\'';
            case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB' -> '"';
            case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63' -> '-';
            default -> c;
        };
    }

    /** The prompt as the user wrote it. */
    public String original() {
        return original;
    }

    /** The normalized prompt, in its original case. All offsets of the planner refer to it. */
    public String text() {
        return text;
    }

    /** The normalized prompt in lower case, character for character: the same length and offsets. */
    public String lowerCase() {
        return lowerCase;
    }

    /** The tokens of the normalized prompt, in order. */
    public List<Token> tokens() {
        return tokens;
    }

    /** The original text behind a span of the normalized text, to quote back to the user as written. */
    public String originalText(int start, int end) {
        if (start < 0 || end > text.length() || end < start) {
            throw new IndexOutOfBoundsException("span " + start + ".." + end + " outside 0.." + text.length());
        }
        if (start == end) {
            return "";
        }
        return original.substring(originalStarts[start], originalEnds[end - 1]);
    }

    @Override
    public String toString() {
        return text;
    }
}
