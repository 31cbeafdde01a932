package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a Linux audit log ({@code /var/log/audit/audit.log}) and groups consecutive lines that share one
 * {@code msg=audit(SECONDS.MILLIS:SERIAL)} into one record: the lines joined with {@code \n}, positioned at the
 * first line. auditd writes the lines of one event together, so consecutive grouping suffices; lines of one event
 * that are interleaved with another event's become separate records.
 *
 * <p>Edge cases: a line without an audit id is a record on its own, for the parser to reject. A group longer than
 * {@code maxRecordBytes} is reported as {@link RecordReader.Oversized} with its first {@code maxRecordBytes} bytes
 * and its full length; an over-long single line is reported the same way and never joins a group.
 */
public final class AuditRecordReader implements RecordReader {
    private static final byte[] AUDIT_ID_START = "msg=audit(".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_AUDIT_ID_LENGTH = 64;

    private final LineRecordReader lines;
    private final int maxRecordBytes;
    private RawRecord pendingLine;
    private Oversized pendingOversized;

    public AuditRecordReader(InputStream in, String source, int maxRecordBytes) {
        requireNonNull(in, "in is null");
        requireNonNull(source, "source is null");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.lines = new LineRecordReader(in, source, maxRecordBytes);
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public RawRecord next() throws IOException {
        if (pendingOversized != null) {
            Oversized oversized = pendingOversized;
            pendingOversized = null;
            throw oversized;
        }
        RawRecord first = pendingLine != null ? pendingLine : lines.next();
        pendingLine = null;
        if (first == null) {
            return null;
        }
        String auditId = auditId(first.bytes());
        if (auditId == null) {
            return first;
        }
        BoundedBytes group = new BoundedBytes(maxRecordBytes);
        append(group, first.bytes());
        while (true) {
            RawRecord line;
            try {
                line = lines.next();
            } catch (Oversized oversized) {
                pendingOversized = oversized;
                break;
            }
            if (line == null) {
                break;
            }
            if (!auditId.equals(auditId(line.bytes()))) {
                pendingLine = line;
                break;
            }
            group.add('\n');
            append(group, line.bytes());
        }
        RawRecord record = new RawRecord(group.toByteArray(), first.position());
        if (group.isOversized()) {
            throw new Oversized(record, group.fullLength());
        }
        return record;
    }

    private static void append(BoundedBytes group, byte[] bytes) {
        for (byte b : bytes) {
            group.add(b);
        }
    }

    /** The text between {@code msg=audit(} and {@code )}, or null when the line has none. */
    static String auditId(byte[] line) {
        int limit = line.length - AUDIT_ID_START.length;
        for (int i = 0; i <= limit; i++) {
            if (Arrays.equals(line, i, i + AUDIT_ID_START.length, AUDIT_ID_START, 0, AUDIT_ID_START.length)) {
                int start = i + AUDIT_ID_START.length;
                for (int end = start; end < line.length && end - start <= MAX_AUDIT_ID_LENGTH; end++) {
                    if (line[end] == ')') {
                        return new String(line, start, end - start, StandardCharsets.US_ASCII);
                    }
                }
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
