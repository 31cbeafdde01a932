package dev.vigil.ingest;

import java.util.Arrays;

/**
 * Collects a record's bytes up to a limit while counting all of them, so that an over-long record costs no more
 * memory than the limit and can still report its full length.
 */
final class BoundedBytes {
    private final int limit;
    private byte[] bytes = new byte[256];
    private int kept;
    private long fullLength;

    BoundedBytes(int limit) {
        this.limit = limit;
    }

    void add(int value) {
        if (kept < limit) {
            if (kept == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(limit, bytes.length * 2L));
            }
            bytes[kept++] = (byte) value;
        }
        fullLength++;
    }

    /** Drops the last byte, e.g. the CR of a CRLF line end. */
    void removeLast() {
        if (fullLength <= kept) {
            kept--;
        }
        fullLength--;
    }

    int last() {
        return fullLength == kept && kept > 0 ? bytes[kept - 1] & 0xFF : -1;
    }

    long fullLength() {
        return fullLength;
    }

    boolean isOversized() {
        return fullLength > limit;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, kept);
    }
}
