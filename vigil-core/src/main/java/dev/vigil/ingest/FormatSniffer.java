package dev.vigil.ingest;

import java.nio.charset.StandardCharsets;

/**
 * Recognizes a text source's format from its first bytes, and binary inputs that are not logs at all.
 *
 * <p>The order matters: JSON first (a brace or bracket), then the formats with a fixed prefix (CEF, LEEF, syslog's
 * {@code <PRI>}, octet-counted syslog, auditd's {@code type=}), then CSV (the first two lines split into the same
 * number of fields, more than one), then BSD syslog without a priority ({@code May  1 10:00:00 host ...}).
 */
final class FormatSniffer {
    /** "May  1 10:00:00" or, as Cisco ASA writes it, "Oct 10 2018 12:34:56", at the start of a line. */
    private static final java.util.regex.Pattern BSD_TIMESTAMP = java.util.regex.Pattern.compile(
            "[A-Z][a-z]{2} [ 0-9]?[0-9] (?:[0-9]{4} )?[0-9]{2}:[0-9]{2}:[0-9]{2}");
    /** What kind of input a source is, when it is not a log format Vigil reads. */
    enum Kind {
        /** A log format Vigil reads: {@link Sniffed#format()} says which. */
        LOG,
        /** A file that is not a log at all (a packet capture, an executable, a document): skipped. */
        NOT_A_LOG,
        /** A log in a form Vigil cannot read (binary EVTX, zstd): quarantined whole with the reason. */
        UNSUPPORTED_LOG,
        /** Bytes that are no text and no known format: quarantined whole. */
        BINARY,
        /** Text in no format Vigil recognizes: skipped, with a hint to force one. */
        UNKNOWN_TEXT
    }

    /** What the sniffer found; {@code description} says what a non-log input is. */
    record Sniffed(Kind kind, Format format, boolean octetCounted, char csvDelimiter, String description) {
        static Sniffed of(Format format) {
            return format == null ? new Sniffed(Kind.UNKNOWN_TEXT, null, false, ',', "text in no format Vigil recognizes")
                    : new Sniffed(Kind.LOG, format, false, ',', null);
        }

        static Sniffed other(Kind kind, String description) {
            return new Sniffed(kind, null, false, ',', description);
        }
    }

    private FormatSniffer() {}

    static Sniffed sniff(byte[] head) {
        Sniffed binary = binaryKind(head);
        if (binary != null) {
            return binary;
        }
        int start = 0;
        if (Inputs.startsWith(head, 0xEF, 0xBB, 0xBF)) {
            start = 3;
        }
        while (start < head.length && Character.isWhitespace(head[start])) {
            start++;
        }
        if (start == head.length) {
            return Sniffed.of(null);
        }
        String text = new String(head, start, head.length - start, StandardCharsets.UTF_8);
        char first = text.charAt(0);
        if (first == '{' || first == '[') {
            return Sniffed.of(Format.JSON);
        }
        if (text.startsWith("Record ") && text.matches("(?s)Record \\d+\\r?\\n\\s*\\{.*")) {
            return Sniffed.of(Format.JSON); // evtx_dump -o json: "Record N" before each pretty-printed event
        }
        // evtx_dump's default output puts "Record N" before each event's XML
        boolean evtxDumpText = text.startsWith("Record ") && text.contains("<Event");
        if ((first == '<' && (text.startsWith("<?xml") || text.startsWith("<Events") || text.startsWith("<Event ")
                || text.startsWith("<Event>")) || evtxDumpText) && text.contains("<System>")) {
            return Sniffed.of(Format.WINDOWS_XML);
        }
        if (WinEventLogTextReader.looksLikeOne(text)) {
            return Sniffed.of(Format.WINEVENTLOG_TEXT);
        }
        if (text.startsWith("#separator ")) {
            return Sniffed.of(Format.ZEEK_TSV);
        }
        if (text.startsWith("CEF:")) {
            return Sniffed.of(Format.CEF);
        }
        if (text.startsWith("LEEF:")) {
            return Sniffed.of(Format.LEEF);
        }
        if (first == '<' && text.length() > 2 && Character.isDigit(text.charAt(1))) {
            return Sniffed.of(Format.SYSLOG);
        }
        if (Character.isDigit(first)) {
            int space = text.indexOf(' ');
            if (space > 0 && space < 10 && text.substring(0, space).chars().allMatch(Character::isDigit)
                    && text.length() > space + 1 && text.charAt(space + 1) == '<') {
                return new Sniffed(Kind.LOG, Format.SYSLOG, true, ',', null);
            }
        }
        String firstLine = text.lines().findFirst().orElse("");
        if (SyslogParser.CISCO.matcher(firstLine).matches()) {
            return Sniffed.of(Format.SYSLOG);
        }
        if (text.startsWith("type=") && text.contains("msg=audit(")) {
            return Sniffed.of(Format.AUDITD);
        }
        // Before CSV: a BSD syslog line often has commas, and CEF over syslog always has '|' separators.
        if (BSD_TIMESTAMP.matcher(firstLine).lookingAt()) {
            return Sniffed.of(Format.SYSLOG);
        }
        // CSV: a header and a first row that split into the same number of fields, more than one. A row whose
        // quoted field spans lines counts at least as many. Prose with a comma in its first line is not CSV.
        String[] lines = text.split("\r?\n", 3);
        if (lines.length >= 2 && !lines[1].isBlank() && !lines[0].startsWith("#")) {
            for (char delimiter : new char[] {',', '\t', ';', '|'}) {
                int fields = countFields(lines[0], delimiter);
                int rowFields = countFields(lines[1], delimiter);
                if (fields > 1 && (rowFields == fields || (lines[1].indexOf('"') >= 0 && rowFields < fields))) {
                    return new Sniffed(Kind.LOG, Format.CSV, false, delimiter, null);
                }
            }
        }
        if (text.contains("CEF:")) {
            return Sniffed.of(Format.CEF);
        }
        if (text.contains("LEEF:")) {
            return Sniffed.of(Format.LEEF);
        }
        return Sniffed.of(null);
    }

    private static int countFields(String line, char delimiter) {
        int fields = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                fields++;
            }
        }
        return fields;
    }

    /** Recognizes binary inputs; null for text. */
    static Sniffed binaryKind(byte[] head) {
        if (Inputs.startsWith(head, 0xD4, 0xC3, 0xB2, 0xA1) || Inputs.startsWith(head, 0xA1, 0xB2, 0xC3, 0xD4)
                || Inputs.startsWith(head, 0x4D, 0x3C, 0xB2, 0xA1) || Inputs.startsWith(head, 0xA1, 0xB2, 0x3C, 0x4D)) {
            return Sniffed.other(Kind.NOT_A_LOG, "a pcap packet capture");
        }
        if (Inputs.startsWith(head, 0x0A, 0x0D, 0x0D, 0x0A)) {
            return Sniffed.other(Kind.NOT_A_LOG, "a pcapng packet capture");
        }
        if (Inputs.startsWith(head, 0x7F, 'E', 'L', 'F')) {
            return Sniffed.other(Kind.NOT_A_LOG, "an ELF executable");
        }
        if (Inputs.startsWith(head, 'M', 'Z')) {
            return Sniffed.other(Kind.NOT_A_LOG, "a Windows executable");
        }
        if (Inputs.startsWith(head, '%', 'P', 'D', 'F')) {
            return Sniffed.other(Kind.NOT_A_LOG, "a PDF document");
        }
        if (Inputs.startsWith(head, 0x89, 'P', 'N', 'G') || Inputs.startsWith(head, 0xFF, 0xD8, 0xFF)
                || Inputs.startsWith(head, 'G', 'I', 'F', '8')) {
            return Sniffed.other(Kind.NOT_A_LOG, "an image");
        }
        if (Inputs.startsWith(head, 'E', 'l', 'f', 'F', 'i', 'l', 'e', 0)) {
            return Sniffed.other(Kind.UNSUPPORTED_LOG,
                    "a binary Windows .evtx log; convert it to JSON first (evtx_dump -o jsonl FILE)");
        }
        if (Inputs.startsWith(head, 'P', 'A', 'R', '1')) {
            return Sniffed.other(Kind.UNSUPPORTED_LOG, "a Parquet file; export it to JSON or CSV first");
        }
        if (Inputs.startsWith(head, 0x28, 0xB5, 0x2F, 0xFD)) {
            return Sniffed.other(Kind.UNSUPPORTED_LOG, "zstd-compressed data; decompress it first (zstd -d)");
        }
        if (Inputs.startsWith(head, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return Sniffed.other(Kind.UNSUPPORTED_LOG, "xz-compressed data; decompress it first (xz -d)");
        }
        int control = 0;
        int limit = Math.min(head.length, 512);
        for (int i = 0; i < limit; i++) {
            int b = head[i] & 0xFF;
            if (b == 0) {
                return Sniffed.other(Kind.BINARY, "binary data (it contains NUL bytes)");
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != 0x0C && b != 0x1B) {
                control++;
            }
        }
        return control * 10 > limit ? Sniffed.other(Kind.BINARY, "binary data (mostly control bytes)") : null;
    }
}
