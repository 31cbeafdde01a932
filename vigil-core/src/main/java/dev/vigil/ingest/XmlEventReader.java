package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits Windows events saved as XML (Event Viewer's "Save as XML", {@code wevtutil qe /f:xml}, forwarded events)
 * into one record per {@code <Event ...>...</Event>}, whatever wraps them ({@code <?xml ...?>}, {@code <Events>})
 * and however they are laid out on lines. Text outside events is skipped. Records are bounded by
 * {@code maxRecordBytes} like every reader's.
 */
public final class XmlEventReader implements RecordReader {
    private static final byte[] START = "<Event".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "</Event>".getBytes(StandardCharsets.US_ASCII);

    private final ByteSource in;
    private final String source;
    private final int maxRecordBytes;
    private long line = 1;
    private byte[] record = new byte[4096];

    public XmlEventReader(InputStream in, String source, int maxRecordBytes) {
        this.in = new ByteSource(requireNonNull(in, "in is null"));
        this.source = requireNonNull(source, "source is null");
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public RawRecord next() throws IOException {
        // Find "<Event" followed by white space or '>' ("<Events>" and "<EventData>" are not events).
        int matched = 0;
        long startOffset = -1;
        long startLine = -1;
        int delimiter;
        while (true) {
            int b = read();
            if (b < 0) {
                return null;
            }
            if (matched == START.length) {
                if (b == '>' || b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                    delimiter = b;
                    break;
                }
                matched = 0;
            }
            if (b == START[matched]) {
                if (matched == 0) {
                    startOffset = in.offset() - 1;
                    startLine = line;
                }
                matched++;
            } else {
                matched = b == START[0] ? 1 : 0;
                if (matched == 1) {
                    startOffset = in.offset() - 1;
                    startLine = line;
                }
            }
        }
        int length = 0;
        long fullLength = 0;
        for (byte b : START) {
            length = append(length, b);
        }
        length = append(length, (byte) delimiter);
        fullLength = length;
        int ended = 0;
        while (ended < END.length) {
            int b = read();
            if (b < 0) {
                break; // an unterminated event: returned as it is, for the parser to reject
            }
            fullLength++;
            if (length < maxRecordBytes) {
                length = append(length, (byte) b);
            }
            ended = b == END[ended] ? ended + 1 : (b == END[0] ? 1 : 0);
        }
        RawRecord raw = new RawRecord(Arrays.copyOf(record, length), new SourcePosition(source, startLine, startOffset));
        if (fullLength > maxRecordBytes) {
            throw new Oversized(raw, fullLength);
        }
        return raw;
    }

    private int append(int length, byte b) {
        if (length == record.length) {
            record = Arrays.copyOf(record, Math.min(Math.max(maxRecordBytes, 16), record.length * 2));
        }
        record[length] = b;
        return length + 1;
    }

    private int read() throws IOException {
        int b = in.read();
        if (b == '\n') {
            line++;
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
