package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Reads Windows events in Splunk's classic {@code WinEventLog} text form: each event starts with a line holding
 * only its time ({@code 03/12/2021 10:48:14 AM}), followed by {@code Key=Value} lines and a {@code Message=} that runs
 * over many lines until the next event's time line. Records are bounded by {@code maxRecordBytes}; the lines of an
 * event past the bound are dropped from its record and it is reported as oversized.
 */
public final class WinEventLogTextReader implements RecordReader {
    static final Pattern TIME_LINE = Pattern.compile("\\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M");

    private final LineRecordReader lines;
    private final int maxRecordBytes;
    private RawRecord pending;

    public WinEventLogTextReader(InputStream in, String source, int maxRecordBytes) {
        this.lines = new LineRecordReader(requireNonNull(in, "in is null"), source, maxRecordBytes, true);
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public RawRecord next() throws IOException {
        RawRecord first = pending != null ? pending : lines.next();
        pending = null;
        while (first != null && first.text().isBlank()) {
            first = lines.next(); // blank lines between events belong to neither
        }
        if (first == null) {
            return null;
        }
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        event.write(first.bytes());
        long fullLength = first.length();
        while (true) {
            RawRecord line;
            try {
                line = lines.next();
            } catch (Oversized oversized) {
                line = oversized.prefix();
                fullLength += oversized.fullLength() - line.length();
            }
            if (line == null) {
                break;
            }
            if (TIME_LINE.matcher(line.text()).matches()) {
                pending = line;
                break;
            }
            fullLength += 1 + line.length();
            if (event.size() + 1 + line.length() <= maxRecordBytes) {
                event.write('\n');
                event.write(line.bytes());
            }
        }
        byte[] bytes = event.toByteArray();
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == ' ')) {
            end--; // the blank lines before the next event are not part of this one
        }
        RawRecord record = new RawRecord(java.util.Arrays.copyOf(bytes, end), first.position());
        if (fullLength > maxRecordBytes) {
            throw new Oversized(record, fullLength);
        }
        return record;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    static boolean looksLikeOne(String head) {
        String[] firstLines = head.split("\r?\n", 3);
        return firstLines.length >= 2 && TIME_LINE.matcher(firstLines[0].strip()).matches()
                && firstLines[1].startsWith("LogName=");
    }
}
