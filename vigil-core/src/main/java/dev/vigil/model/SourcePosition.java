package dev.vigil.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a record came from: the source name (a path, {@code archive.zip!entry.json}, {@code stdin}, a listener),
 * the 1-based line it starts on (0 when the source has no lines) and its byte offset in the decoded stream.
 */
public record SourcePosition(String source, long line, long byteOffset) {
    public SourcePosition {
        requireNonNull(source, "source is null");
    }

    /** {@code source:line}, or {@code source@offset} when there is no line: what error messages cite. */
    @Override
    public String toString() {
        return line > 0 ? source + ":" + line : source + "@" + byteOffset;
    }
}
