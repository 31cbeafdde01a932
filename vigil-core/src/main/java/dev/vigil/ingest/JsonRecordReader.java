package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream of JSON objects into one record per object, whatever the framing: NDJSON, pretty-printed objects
 * one after another, or a top-level array of objects. It scans the bytes for the object's extent (braces outside
 * strings) without parsing, so each record keeps its exact bytes.
 *
 * <p>The framing is learned from the first object: if it fits on one line, the stream is taken as NDJSON, and from
 * then on a line ends a record even if its braces do not balance. So a truncated line is quarantined alone instead
 * of swallowing the lines after it. Text between objects that is not JSON is returned up to the end of its line as a
 * record of its own, which the parser then rejects. Records are bounded by {@code maxRecordBytes}.
 */
public final class JsonRecordReader implements RecordReader {
    private final InputStream in;
    private final String source;
    private final int maxRecordBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long consumed;
    private long line = 1;
    private byte[] record = new byte[1024];
    private Boolean lineMode; // null until the first object has been seen
    private boolean started;

    private final boolean oneArray;
    private boolean finished;

    public JsonRecordReader(InputStream in, String source, int maxRecordBytes) {
        this(in, source, maxRecordBytes, false, 1, 0);
    }

    private JsonRecordReader(InputStream in, String source, int maxRecordBytes, boolean oneArray, long line,
            long offset) {
        this.in = requireNonNull(in, "in is null");
        this.source = requireNonNull(source, "source is null");
        this.maxRecordBytes = maxRecordBytes;
        this.oneArray = oneArray;
        this.line = line;
        this.consumed = offset;
    }

    /**
     * A reader of the objects of one array, for the array of an API response ({@link JsonEnvelope}): the stream
     * starts at the array's {@code [} (at the given line and offset of the whole source, which positions report), and
     * the records end with the array's {@code ]}; what follows it is not read.
     */
    static JsonRecordReader ofArray(InputStream in, String source, int maxRecordBytes, long line, long offset) {
        return new JsonRecordReader(in, source, maxRecordBytes, true, line, offset);
    }

    private static final java.util.regex.Pattern EVTX_DUMP_HEADER = java.util.regex.Pattern.compile("Record \\d{1,19}");
    private boolean skipEvtxDumpHeaders;

    /**
     * Has the reader pass over the {@code Record N} lines that {@code evtx_dump -o json} writes before each event,
     * which are the tool's separators, not records.
     */
    JsonRecordReader skippingEvtxDumpHeaders() {
        this.skipEvtxDumpHeaders = true;
        return this;
    }

    @Override
    public RawRecord next() throws IOException {
        while (true) {
            RawRecord record = readOne();
            if (record == null || !skipEvtxDumpHeaders || record.length() > 32 || record.length() == 0
                    || record.bytes()[0] == '{' || !EVTX_DUMP_HEADER.matcher(record.text().strip()).matches()) {
                return record;
            }
        }
    }

    private RawRecord readOne() throws IOException {
        // Skip whitespace and the punctuation of a top-level array.
        while (true) {
            if (finished || (position == limit && !fill())) {
                return null;
            }
            byte b = buffer[position];
            if (oneArray && b == ']') {
                finished = true; // the wrapped array ends here; the rest of the response is not records
                return null;
            }
            if (!started) {
                started = true;
                if (b == (byte) 0xEF && skipBom()) {
                    continue;
                }
            }
            if (b == '\n') {
                line++;
                position++;
            } else if (b == ' ' || b == '\t' || b == '\r' || b == ',' || b == '[' || b == ']') {
                position++;
            } else {
                break;
            }
        }
        long startOffset = consumed + position;
        long startLine = line;
        boolean object = buffer[position] == '{';
        int length = 0;
        long fullLength = 0;
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean multiLine = false;
        scan:
        while (true) {
            if (position == limit && !fill()) {
                break;
            }
            byte b = buffer[position];
            if (b == '\n') {
                if (!object || Boolean.TRUE.equals(lineMode) || inString) {
                    // A raw newline cannot be inside a JSON string, and in NDJSON it ends the record.
                    break;
                }
                line++;
                multiLine = true;
            }
            position++;
            fullLength++;
            if (length < maxRecordBytes) {
                if (length == record.length) {
                    record = Arrays.copyOf(record, Math.min(maxRecordBytes, record.length * 2));
                }
                record[length++] = b;
            }
            if (!object) {
                continue;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
                if (depth == 0) {
                    break scan;
                }
            }
        }
        if (object && depth == 0 && lineMode == null) {
            lineMode = !multiLine;
        }
        SourcePosition where = new SourcePosition(source, startLine, startOffset);
        RawRecord raw = new RawRecord(Arrays.copyOf(record, length), where);
        if (fullLength > maxRecordBytes) {
            throw new Oversized(raw, fullLength);
        }
        return raw;
    }

    private boolean skipBom() throws IOException {
        // Need three bytes in view; a BOM split across reads is vanishingly rare and then just rejected as text.
        if (limit - position >= 3 && buffer[position + 1] == (byte) 0xBB && buffer[position + 2] == (byte) 0xBF) {
            position += 3;
            return true;
        }
        return false;
    }

    private boolean fill() throws IOException {
        consumed += limit;
        position = 0;
        limit = 0;
        int read = in.read(buffer, 0, buffer.length);
        if (read <= 0) {
            return false;
        }
        limit = read;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
