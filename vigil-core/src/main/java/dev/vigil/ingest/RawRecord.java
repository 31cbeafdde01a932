package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.SourcePosition;
import java.nio.charset.StandardCharsets;

/**
 * One record as read from a source, before parsing: its exact bytes and where they came from. The bytes are what the
 * store keeps as {@code raw} and what quarantine keeps for a record that could not be parsed. The array is owned by
 * the record once passed in; readers hand over a fresh array per record.
 */
public record RawRecord(byte[] bytes, SourcePosition position) {
    public RawRecord {
        requireNonNull(bytes, "bytes is null");
        requireNonNull(position, "position is null");
    }

    public static RawRecord of(String text, SourcePosition position) {
        return new RawRecord(text.getBytes(StandardCharsets.UTF_8), position);
    }

    /** The bytes decoded as UTF-8; callers check validity first where it matters. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int length() {
        return bytes.length;
    }
}
