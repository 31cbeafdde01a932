package dev.vigil.copilot.understand;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The lower-case prompt as the word-level extractors read it: corrected words in place of misspelt ones ("incidnet
 * 12" reads "incident 12"), and blanks over pasted scripts and articles, whose words belong to them. Remembers where
 * each character came from, so spans found here map back to the normalized prompt.
 */
final class FormText {
    private final String text;
    private final int[] sourceStarts;
    private final int[] sourceEnds;

    private FormText(String text, int[] sourceStarts, int[] sourceEnds) {
        this.text = text;
        this.sourceStarts = sourceStarts;
        this.sourceEnds = sourceEnds;
    }

    /**
     * @param lowerCase the normalized prompt in lower case
     * @param replacements by start offset: the end of a replaced run and its replacement
     * @param blanks runs to blank, {@code [start, end)}
     */
    static FormText of(String lowerCase, NavigableMap<Integer, Map.Entry<Integer, String>> replacements,
            boolean[] blanks) {
        StringBuilder text = new StringBuilder(lowerCase.length() + 16);
        int[] starts = new int[lowerCase.length() * 2 + 16];
        int[] ends = new int[starts.length];
        int i = 0;
        while (i < lowerCase.length()) {
            Map.Entry<Integer, String> replacement = replacements.get(i);
            if (replacement != null && !blanks[i]) {
                String form = replacement.getValue();
                if (text.length() + form.length() >= starts.length) {
                    starts = Arrays.copyOf(starts, (text.length() + form.length()) * 2);
                    ends = Arrays.copyOf(ends, starts.length);
                }
                for (int j = 0; j < form.length(); j++) {
                    starts[text.length()] = i;
                    ends[text.length()] = replacement.getKey();
                    text.append(form.charAt(j));
                }
                i = replacement.getKey();
                continue;
            }
            if (text.length() + 1 >= starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
                ends = Arrays.copyOf(ends, starts.length);
            }
            starts[text.length()] = i;
            ends[text.length()] = i + 1;
            text.append(blanks[i] ? ' ' : lowerCase.charAt(i));
            i++;
        }
        return new FormText(text.toString(), Arrays.copyOf(starts, text.length()),
                Arrays.copyOf(ends, text.length()));
    }

    String text() {
        return text;
    }

    /** The normalized offset of the character at {@code start}. */
    int sourceStart(int start) {
        if (start < sourceStarts.length) {
            return sourceStarts[start];
        }
        return sourceEnds.length == 0 ? 0 : sourceEnds[sourceEnds.length - 1];
    }

    /** The normalized offset just past a span ending before {@code end}. */
    int sourceEnd(int end) {
        return end > 0 ? sourceEnds[end - 1] : 0;
    }
}
