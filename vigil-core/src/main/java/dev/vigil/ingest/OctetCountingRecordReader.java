package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads syslog messages framed by octet counting (RFC 6587 3.4.1): {@code MSG-LEN SP SYSLOG-MSG}, repeated, where
 * MSG-LEN is the decimal byte count of the message. Whitespace and line ends between frames are skipped, since many
 * senders add a newline after each frame. Positions have line 0 and the byte offset of the frame's MSG-LEN.
 *
 * <p>Edge cases: a frame whose length prefix is not digits followed by a space (non-transparent framing mixed in,
 * or garbage) is not an error here: the rest of that line, prefix included, is returned as one record so that the
 * parser can quarantine it. A frame of length 0 is skipped. A frame cut short by the end of the stream is returned
 * as far as it goes. A frame or fallback line longer than {@code maxRecordBytes} is reported as
 * {@link RecordReader.Oversized} with its first {@code maxRecordBytes} bytes; the rest is skipped without being
 * buffered, and reading goes on with the next frame.
 */
public final class OctetCountingRecordReader implements RecordReader {
    private static final int MAX_LENGTH_DIGITS = 10;

    private final ByteSource in;
    private final String source;
    private final int maxRecordBytes;

    public OctetCountingRecordReader(InputStream in, String source, int maxRecordBytes) {
        this.in = new ByteSource(requireNonNull(in, "in is null"));
        this.source = requireNonNull(source, "source is null");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public RawRecord next() throws IOException {
        while (true) {
            int first = in.peek();
            while (first == ' ' || first == '\t' || first == '\r' || first == '\n') {
                in.read();
                first = in.peek();
            }
            if (first == ByteSource.END) {
                return null;
            }
            SourcePosition position = new SourcePosition(source, 0, in.offset());
            byte[] lengthDigits = new byte[MAX_LENGTH_DIGITS];
            int digitCount = 0;
            long frameLength = 0;
            while (digitCount < MAX_LENGTH_DIGITS && isDigit(in.peek())) {
                int digit = in.read();
                lengthDigits[digitCount++] = (byte) digit;
                frameLength = frameLength * 10 + (digit - '0');
            }
            if (digitCount == 0 || in.peek() != ' ') {
                return restOfLine(lengthDigits, digitCount, position);
            }
            in.read(); // the space after MSG-LEN
            if (frameLength == 0) {
                continue;
            }
            return frame(frameLength, position);
        }
    }

    private RawRecord frame(long frameLength, SourcePosition position) throws IOException {
        int kept = (int) Math.min(frameLength, maxRecordBytes);
        byte[] bytes = new byte[kept];
        int copied = (int) in.transfer(bytes, 0, kept);
        if (copied < kept) {
            return new RawRecord(java.util.Arrays.copyOf(bytes, copied), position); // cut short by end of stream
        }
        if (frameLength > kept) {
            long skipped = in.transfer(null, 0, frameLength - kept);
            throw new Oversized(new RawRecord(bytes, position), kept + skipped);
        }
        return new RawRecord(bytes, position);
    }

    private RawRecord restOfLine(byte[] alreadyRead, int alreadyReadCount, SourcePosition position)
            throws IOException {
        BoundedBytes line = new BoundedBytes(maxRecordBytes);
        for (int i = 0; i < alreadyReadCount; i++) {
            line.add(alreadyRead[i]);
        }
        int next = in.read();
        while (next != ByteSource.END && next != '\n') {
            line.add(next);
            next = in.read();
        }
        if (line.last() == '\r') {
            line.removeLast();
        }
        RawRecord record = new RawRecord(line.toByteArray(), position);
        if (line.isOversized()) {
            throw new Oversized(record, line.fullLength());
        }
        return record;
    }

    private static boolean isDigit(int value) {
        return value >= '0' && value <= '9';
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
