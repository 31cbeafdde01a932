package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import dev.vigil.model.SourcePosition;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;

/**
 * Splits a source into records the way ingest does: recognizes its format from its first bytes (unless one is
 * forced), picks the record reader that frames it (lines, JSON objects, syslog frames, CSV rows, XML events) and
 * names the parser each record needs as a {@link ParserSpec}. {@link Ingestor} reads and parses in one place; the
 * scale-out pipeline splits where the files are and parses on its workers, with the same readers and parsers.
 *
 * <p>A source is either split into records, skipped (it is not a log: an image, a text Vigil does not recognize),
 * or refused whole (binary data, a log format Vigil does not read), in which case its first
 * {@code ingest.max-record-bytes} are kept for quarantine and the rest is read only to be counted.
 */
public final class SourceSplitter {
    /** How much of a source is looked at to recognize its format (and an API response's record array). */
    private static final int HEAD_BYTES = 1 << 16;

    private final Format format;
    private final String defaultTable;
    private final IngestLimits limits;
    private final ZoneId defaultZone;

    public SourceSplitter(Format format, String defaultTable, IngestLimits limits, ZoneId defaultZone) {
        this.format = requireNonNull(format, "format is null");
        this.defaultTable = requireNonNull(defaultTable, "defaultTable is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.defaultZone = requireNonNull(defaultZone, "defaultZone is null");
    }

    /** What became of a source. */
    public sealed interface Opened permits Split, Skipped, Refused {}

    /** Not a log; nothing of it is kept. */
    public record Skipped(String reason) implements Opened {
        public Skipped {
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * Refused whole: quarantine {@code prefix} (the source's first bytes) with the reason.
     *
     * @param fullLength the source's length in bytes
     */
    public record Refused(QuarantineReason reason, String detail, RawRecord prefix, long fullLength) implements Opened {
        public Refused {
            requireNonNull(reason, "reason is null");
            requireNonNull(detail, "detail is null");
            requireNonNull(prefix, "prefix is null");
        }
    }

    /** A source split into records; confined to one thread, like its reader. Closing it closes the reader. */
    public static final class Split implements Opened, AutoCloseable {
        private final RecordReader reader;
        private final ParserSpec fixed;
        private final ZeekTsvReader zeek;
        private ParserSpec.ZeekTsv zeekSpec;

        private Split(RecordReader reader, ParserSpec fixed) {
            this.reader = reader;
            this.fixed = fixed;
            this.zeek = null;
        }

        private Split(ZeekTsvReader zeek) {
            this.reader = zeek;
            this.fixed = null;
            this.zeek = zeek;
        }

        /** The records, in source order; an over-long one comes as {@link RecordReader.Oversized}. */
        public RecordReader reader() {
            return reader;
        }

        /** The parser spec of the record {@link #reader()} returned last. */
        public ParserSpec spec() {
            if (zeek == null) {
                return fixed;
            }
            ZeekTsvReader.Header header = zeek.header();
            if (zeekSpec == null || !zeekSpec.header().equals(header)) {
                zeekSpec = new ParserSpec.ZeekTsv(header);
            }
            return zeekSpec;
        }

        /** One parser for every record of the source (a Zeek log's follows the reader's current header). */
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return zeek != null ? new ZeekTsvParser(zeek) : fixed.parser(limits, clock);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** Opens a source: recognizes its format and returns its records, or why it has none. */
    public Opened open(String name, InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 1 << 16);
        buffered.mark(HEAD_BYTES);
        byte[] head = Inputs.readHead(buffered, HEAD_BYTES, true);
        buffered.reset();
        Format format = this.format;
        FormatSniffer.Sniffed sniffed = FormatSniffer.sniff(head);
        if (format == Format.AUTO) {
            switch (sniffed.kind()) {
                case LOG -> format = sniffed.format();
                case NOT_A_LOG -> {
                    return new Skipped(sniffed.description() + ", not a log");
                }
                case UNKNOWN_TEXT -> {
                    return new Skipped("not in a log format Vigil recognizes; to read it line by line, use --format"
                            + " lines --table NAME");
                }
                case UNSUPPORTED_LOG -> {
                    return refuse(name, buffered, QuarantineReason.UNSUPPORTED_FORMAT, name + " is "
                            + sniffed.description());
                }
                case BINARY -> {
                    return refuse(name, buffered, QuarantineReason.BINARY_DATA, name + " is " + sniffed.description()
                            + ", not log text");
                }
            }
        }
        int max = limits.maxRecordBytes();
        ZoneId zone = defaultZone;
        return switch (format) {
            case AUTO -> throw new IllegalStateException("AUTO was resolved above");
            case JSON, NDJSON, EVTX_JSON, WINLOGBEAT, NXLOG, SENTINEL, DEFENDER, OCSF, ZEEK -> {
                ParserSpec json = new ParserSpec.Json(this.format.isJson() ? this.format.jsonShape() : JsonShape.AUTO,
                        defaultTable);
                if (LogAnalyticsReader.looksLikeOne(head)) {
                    yield new Split(new LogAnalyticsReader(buffered, name, max), json);
                }
                JsonEnvelope envelope = JsonEnvelope.detect(head);
                if (envelope == null) {
                    JsonRecordReader reader = new JsonRecordReader(buffered, name, max);
                    boolean evtxDump = head.length > 7
                            && new String(head, 0, 7, StandardCharsets.US_ASCII).equals("Record ");
                    yield new Split(evtxDump ? reader.skippingEvtxDumpHeaders() : reader, json);
                }
                buffered.skipNBytes(envelope.arrayOffset());
                yield new Split(JsonRecordReader.ofArray(buffered, name, max, envelope.arrayLine(),
                        envelope.arrayOffset()), json);
            }
            case SYSLOG -> new Split(sniffed.octetCounted()
                    ? new OctetCountingRecordReader(buffered, name, max)
                    : new LineRecordReader(buffered, name, max), new ParserSpec.Syslog(zone));
            case CEF -> new Split(new LineRecordReader(buffered, name, max), new ParserSpec.Cef(zone));
            case LEEF -> new Split(new LineRecordReader(buffered, name, max), new ParserSpec.Leef(zone));
            case AUDITD -> new Split(new AuditRecordReader(buffered, name, max), new ParserSpec.Audit());
            case WINDOWS_XML -> new Split(new XmlEventReader(buffered, name, max), new ParserSpec.WindowsXml());
            case WINEVENTLOG_TEXT -> new Split(new WinEventLogTextReader(buffered, name, max),
                    new ParserSpec.WinEventLogText(zone));
            case ZEEK_TSV -> new Split(new ZeekTsvReader(buffered, name, max));
            case LINES -> new Split(new LineRecordReader(buffered, name, max),
                    new ParserSpec.Lines(defaultTable.equals(IngestDefaults.DEFAULT_TABLE)
                            ? TextLineParser.DEFAULT_TABLE : defaultTable));
            case CSV -> {
                CsvRecordReader reader = new CsvRecordReader(buffered, name, max, sniffed.csvDelimiter());
                yield new Split(reader, new ParserSpec.Csv(reader.header(), csvTable(name), zone,
                        sniffed.csvDelimiter()));
            }
        };
    }

    private String csvTable(String name) {
        if (!defaultTable.equals(IngestDefaults.DEFAULT_TABLE)) {
            return defaultTable;
        }
        String candidate = JsonShapes.pascalCase(JsonShapes.fileStem(name));
        return JsonShapes.isTableName(candidate) ? candidate : IngestDefaults.DEFAULT_TABLE;
    }

    private Refused refuse(String name, InputStream in, QuarantineReason reason, String detail) throws IOException {
        byte[] prefix = in.readNBytes(limits.maxRecordBytes());
        long length = prefix.length + in.transferTo(OutputStream.nullOutputStream());
        return new Refused(reason, detail, new RawRecord(prefix, new SourcePosition(name, 0, 0)), length);
    }
}
