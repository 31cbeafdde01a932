package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;

/** A buffered byte stream that knows its offset and can look one byte ahead, for readers that frame records. */
final class ByteSource {
    static final int END = -1;

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int bufferPosition;
    private int bufferLimit;
    private long bufferStartOffset;

    ByteSource(InputStream in) {
        this.in = requireNonNull(in, "in is null");
    }

    /** The next byte without consuming it, or {@link #END}. */
    int peek() throws IOException {
        if (bufferPosition == bufferLimit && !fill()) {
            return END;
        }
        return buffer[bufferPosition] & 0xFF;
    }

    /** The next byte, consumed, or {@link #END}. */
    int read() throws IOException {
        if (bufferPosition == bufferLimit && !fill()) {
            return END;
        }
        return buffer[bufferPosition++] & 0xFF;
    }

    /**
     * Copies up to {@code count} bytes into {@code target} at {@code targetOffset} (or discards them when
     * {@code target} is null) and returns how many there were before the end of the stream.
     */
    long transfer(byte[] target, int targetOffset, long count) throws IOException {
        long moved = 0;
        while (moved < count) {
            if (bufferPosition == bufferLimit && !fill()) {
                break;
            }
            int chunk = (int) Math.min(count - moved, bufferLimit - bufferPosition);
            if (target != null) {
                System.arraycopy(buffer, bufferPosition, target, targetOffset + (int) moved, chunk);
            }
            bufferPosition += chunk;
            moved += chunk;
        }
        return moved;
    }

    /** Offset in the stream of the next byte to be read. */
    long offset() {
        return bufferStartOffset + bufferPosition;
    }

    void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        bufferStartOffset += bufferLimit;
        bufferPosition = 0;
        bufferLimit = 0;
        int read = in.read(buffer, 0, buffer.length);
        while (read == 0) {
            read = in.read(buffer, 0, buffer.length); // a stream may return 0 for a non-empty request; retry
        }
        if (read < 0) {
            return false;
        }
        bufferLimit = read;
        return true;
    }
}
