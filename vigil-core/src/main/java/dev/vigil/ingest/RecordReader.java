package dev.vigil.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * Splits one source's decoded byte stream into records (lines, JSON objects, syslog frames, CSV rows). A reader
 * bounds every record by {@code ingest.max-record-bytes}: an over-long record is returned as an
 * {@link Oversized} marker holding a prefix, never buffered whole, so a 100 MB line costs no more memory than the
 * limit; after it, {@link #next()} goes on with the following record. Readers are confined to one thread.
 */
public interface RecordReader extends Closeable {
    /** The next record, or null at the end of the source. */
    RawRecord next() throws IOException;

    /**
     * A record that exceeded the size limit. {@link RawRecord#bytes()} holds its first bytes only; {@code fullLength}
     * is how long it really was.
     */
    final class Oversized extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient RawRecord prefix;
        private final long fullLength;

        public Oversized(RawRecord prefix, long fullLength) {
            super("record of " + fullLength + " bytes");
            this.prefix = prefix;
            this.fullLength = fullLength;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a marker for data, not a bug: no stack trace to fill
        }

        public RawRecord prefix() {
            return prefix;
        }

        public long fullLength() {
            return fullLength;
        }
    }
}
