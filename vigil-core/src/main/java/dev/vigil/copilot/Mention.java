package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

/**
 * One entity found in a prompt.
 *
 * @param type what it is
 * @param value the canonical value: an address without brackets, a lower-case domain, an upper-case CVE id, an
 *     ATT&CK id, the stored spelling of a linked host or user, an incident number
 * @param text the prompt text it was read from, as typed (so {@code workstaion5} for the host
 *     {@code WORKSTATION5})
 * @param start offset of {@code text} in the normalized prompt
 * @param end offset just past {@code text}
 * @param confidence 1.0 for a typed pattern or an exact dictionary hit; less for fuzzy links and guesses
 */
public record Mention(EntityType type, String value, String text, int start, int end, double confidence) {
    public Mention {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
        requireNonNull(text, "text is null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end + " for " + text);
        }
        if (!(confidence > 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1]: " + confidence);
        }
    }

    /** Whether this mention's span overlaps the other's. */
    public boolean overlaps(Mention other) {
        return start < other.end && other.start < end;
    }
}
