package dev.vigil.copilot.understand;

/**
 * A run of the normalized prompt, {@code [start, end)}, as {@code char} offsets.
 *
 * @param start the first character
 * @param end just past the last character
 */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end);
        }
    }

    /** Whether the two spans share a character. */
    public boolean overlaps(int otherStart, int otherEnd) {
        return start < otherEnd && otherStart < end;
    }

    /** The spanned text. */
    public String of(String text) {
        return text.substring(start, end);
    }
}
