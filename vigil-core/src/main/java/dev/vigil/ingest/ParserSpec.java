package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

/**
 * Which parser a record needs, and everything that parser needs to know, as a plain value: what ingest decided
 * about a record's source when it split the source into records. It lets the parsing happen elsewhere than the
 * splitting (the scale-out pipeline splits files where they are read and parses records on whichever worker gets
 * them) with the very parser {@link Ingestor} would have used.
 *
 * <p>A spec is immutable and cheap to compare; {@link #parser} builds a new parser each call, which callers cache per
 * spec. Most specs hold a whole source; a Zeek log's spec changes with each {@code #fields} header in the file.
 */
public sealed interface ParserSpec {
    /** A parser for records of this spec. */
    RecordParser parser(IngestLimits limits, Clock clock);

    /** JSON records (NDJSON, arrays, Log Analytics responses) of a producer, or {@link JsonShape#AUTO}. */
    record Json(JsonShape shape, String defaultTable) implements ParserSpec {
        public Json {
            requireNonNull(shape, "shape is null");
            requireNonNull(defaultTable, "defaultTable is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new JsonRecordParser(limits, new JsonShapes(defaultTable, shape));
        }
    }

    /** RFC 3164 and RFC 5424 syslog; zoneless times are read in {@code zone}. */
    record Syslog(ZoneId zone) implements ParserSpec {
        public Syslog {
            requireNonNull(zone, "zone is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new SyslogParser(clock, zone);
        }
    }

    record Cef(ZoneId zone) implements ParserSpec {
        public Cef {
            requireNonNull(zone, "zone is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new CefParser(zone);
        }
    }

    record Leef(ZoneId zone) implements ParserSpec {
        public Leef {
            requireNonNull(zone, "zone is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new LeefParser(zone);
        }
    }

    /** Linux audit records. */
    record Audit() implements ParserSpec {
        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new AuditParser();
        }
    }

    /** Windows events as XML. */
    record WindowsXml() implements ParserSpec {
        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new WindowsXmlParser();
        }
    }

    /** Windows events as Splunk's WinEventLog text. */
    record WinEventLogText(ZoneId zone) implements ParserSpec {
        public WinEventLogText {
            requireNonNull(zone, "zone is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new WinEventLogTextParser(zone);
        }
    }

    /** A row of a Zeek tab-separated log, under the header in force where it was read. */
    record ZeekTsv(ZeekTsvReader.Header header) implements ParserSpec {
        public ZeekTsv {
            requireNonNull(header, "header is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new ZeekTsvParser(header);
        }
    }

    /** Any text, one record per line, into {@code table}. */
    record Lines(String table) implements ParserSpec {
        public Lines {
            requireNonNull(table, "table is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new TextLineParser(table);
        }
    }

    /** A CSV row under its file's header. */
    record Csv(List<String> header, String table, ZoneId zone, char delimiter) implements ParserSpec {
        public Csv {
            header = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(header)); // names may be null
            requireNonNull(table, "table is null");
            requireNonNull(zone, "zone is null");
        }

        @Override
        public RecordParser parser(IngestLimits limits, Clock clock) {
            return new CsvRecordParser(header, table, zone, delimiter);
        }
    }
}
