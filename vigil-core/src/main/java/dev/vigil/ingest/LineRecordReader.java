package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-delimited records (LF or CRLF; the terminator is not part of the record). Blank lines are skipped.
 * A line longer than the limit is reported as {@link RecordReader.Oversized} with its first {@code maxRecordBytes}
 * bytes, and the rest of it is skipped without being buffered; reading then continues with the next line.
 */
public final class LineRecordReader implements RecordReader {
    private final InputStream in;
    private final String source;
    private final int maxRecordBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int bufferPosition;
    private int bufferLimit;
    private long consumed; // bytes consumed before buffer[0]
    private long lineNumber;
    private byte[] line = new byte[256];

    private final boolean keepBlankLines;

    public LineRecordReader(InputStream in, String source, int maxRecordBytes) {
        this(in, source, maxRecordBytes, false);
    }

    /** A reader that returns blank lines too, as empty records, for readers that group lines into one record. */
    LineRecordReader(InputStream in, String source, int maxRecordBytes, boolean keepBlankLines) {
        this.in = requireNonNull(in, "in is null");
        this.source = requireNonNull(source, "source is null");
        this.maxRecordBytes = maxRecordBytes;
        this.keepBlankLines = keepBlankLines;
    }

    @Override
    public RawRecord next() throws IOException {
        while (true) {
            long startOffset = consumed + bufferPosition;
            int length = 0;
            long fullLength = 0;
            boolean sawAny = false;
            boolean terminated = false;
            while (!terminated) {
                if (bufferPosition == bufferLimit && !fill()) {
                    break;
                }
                sawAny = true;
                int start = bufferPosition;
                int end = start;
                while (end < bufferLimit && buffer[end] != '\n') {
                    end++;
                }
                int chunk = end - start;
                if (length < maxRecordBytes) {
                    int copy = Math.min(chunk, maxRecordBytes - length);
                    ensureCapacity(length + copy);
                    System.arraycopy(buffer, start, line, length, copy);
                    length += copy;
                }
                fullLength += chunk;
                bufferPosition = end;
                if (end < bufferLimit) {
                    bufferPosition++; // the newline
                    terminated = true;
                }
            }
            if (!sawAny) {
                return null;
            }
            lineNumber++;
            if (fullLength > 0 && fullLength <= maxRecordBytes && line[length - 1] == '\r') {
                length--;
                fullLength--;
            }
            if (!keepBlankLines && isBlank(length)) {
                if (!terminated) {
                    return null;
                }
                continue;
            }
            SourcePosition position = new SourcePosition(source, lineNumber, startOffset);
            RawRecord record = new RawRecord(Arrays.copyOf(line, length), position);
            if (fullLength > maxRecordBytes) {
                throw new Oversized(record, fullLength);
            }
            return record;
        }
    }

    private boolean isBlank(int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > line.length) {
            line = Arrays.copyOf(line, Math.max(capacity, Math.min(maxRecordBytes, line.length * 2)));
        }
    }

    private boolean fill() throws IOException {
        consumed += bufferLimit;
        bufferPosition = 0;
        bufferLimit = 0;
        int read = in.read(buffer, 0, buffer.length);
        if (read <= 0) {
            return false;
        }
        bufferLimit = read;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
