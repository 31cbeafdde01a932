package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads an RFC 4180 CSV source row by row. The first row is the header ({@link #header()}); each later row is
 * returned as a record holding the row's exact bytes without its line end (LF or CRLF). A quoted field may span
 * lines, so a record's position is the line where its row starts. Empty lines are skipped.
 *
 * <p>Edge cases: a quote left open at the end of the input ends the row there; the row is returned as it is, and
 * {@link CsvRecordParser} rejects it. A row longer than {@code maxRecordBytes} is reported as
 * {@link RecordReader.Oversized} with its first {@code maxRecordBytes} bytes, the rest being skipped (while still
 * tracking quotes) without being buffered; reading goes on with the next row. A header row over the limit, or one
 * that is not valid CSV, fails with an {@link IOException}, since no row can be read without it.
 */
public final class CsvRecordReader implements RecordReader {
    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final ByteSource in;
    private final String source;
    private final int maxRecordBytes;
    private final char delimiter;
    private List<String> header;
    private long linesConsumed;

    public CsvRecordReader(InputStream in, String source, int maxRecordBytes, char delimiter) {
        this.in = new ByteSource(requireNonNull(in, "in is null"));
        this.source = requireNonNull(source, "source is null");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        if (delimiter >= 0x80 || delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("delimiter must be an ASCII character other than '\"', CR and LF");
        }
        this.maxRecordBytes = maxRecordBytes;
        this.delimiter = delimiter;
    }

    /** A reader of comma-separated values. */
    public CsvRecordReader(InputStream in, String source, int maxRecordBytes) {
        this(in, source, maxRecordBytes, ',');
    }

    /**
     * The column names from the first row, reading it if {@link #next()} has not yet; empty for an empty source.
     */
    public List<String> header() throws IOException {
        if (header == null) {
            readHeader();
        }
        return header;
    }

    @Override
    public RawRecord next() throws IOException {
        if (header == null) {
            readHeader();
        }
        while (true) {
            Row row = readRow();
            if (row == null) {
                return null;
            }
            if (row.bytes.fullLength() == 0) {
                continue;
            }
            RawRecord record = new RawRecord(row.bytes.toByteArray(), row.position);
            if (row.bytes.isOversized()) {
                throw new Oversized(record, row.bytes.fullLength());
            }
            return record;
        }
    }

    private void readHeader() throws IOException {
        Row row = readRow();
        while (row != null && row.bytes.fullLength() == 0) {
            row = readRow();
        }
        if (row == null) {
            header = List.of();
            return;
        }
        if (row.bytes.isOversized()) {
            throw new IOException(row.position + ": CSV header row of " + row.bytes.fullLength()
                    + " bytes is longer than the limit of " + maxRecordBytes + " bytes");
        }
        String text = TextDecoding.withoutByteOrderMark(new String(row.bytes.toByteArray(), StandardCharsets.UTF_8));
        try {
            header = List.copyOf(CsvFields.split(text, delimiter));
        } catch (RecordRejectedException e) {
            throw new IOException(row.position + ": CSV header row is malformed: " + e.detail(), e);
        }
    }

    private record Row(BoundedBytes bytes, SourcePosition position) {}

    private Row readRow() throws IOException {
        if (in.peek() == ByteSource.END) {
            return null;
        }
        SourcePosition position = new SourcePosition(source, linesConsumed + 1, in.offset());
        BoundedBytes bytes = new BoundedBytes(maxRecordBytes);
        State state = State.FIELD_START;
        int next = in.read();
        while (next != ByteSource.END) {
            if (next == '\n') {
                linesConsumed++;
                if (state != State.QUOTED) {
                    break;
                }
            }
            bytes.add(next);
            state = advance(state, next);
            next = in.read();
        }
        if (next == '\n' && bytes.last() == '\r' && state != State.QUOTED) {
            bytes.removeLast();
        }
        return new Row(bytes, position);
    }

    private State advance(State state, int value) {
        return switch (state) {
            case FIELD_START -> value == '"' ? State.QUOTED : value == delimiter ? State.FIELD_START : State.UNQUOTED;
            case UNQUOTED -> value == delimiter ? State.FIELD_START : State.UNQUOTED;
            case QUOTED -> value == '"' ? State.QUOTE_IN_QUOTED : State.QUOTED;
            case QUOTE_IN_QUOTED -> value == '"' ? State.QUOTED
                    : value == delimiter ? State.FIELD_START : State.UNQUOTED;
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
