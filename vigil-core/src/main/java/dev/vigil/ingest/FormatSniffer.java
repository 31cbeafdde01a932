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
    /** What the sniffer found. {@code binaryKind} is set, and format null, for binary inputs. */
    record Sniffed(Format format, boolean octetCounted, char csvDelimiter, String binaryKind) {
        static Sniffed of(Format format) {
            return new Sniffed(format, false, ',', null);
        }

        static Sniffed binary(String kind) {
            return new Sniffed(null, false, ',', kind);
        }
    }

    private FormatSniffer() {}

    static Sniffed sniff(byte[] head) {
        String binary = binaryKind(head);
        if (binary != null) {
            return Sniffed.binary(binary);
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
                return new Sniffed(Format.SYSLOG, true, ',', null);
            }
        }
        if (text.startsWith("type=") && text.contains("msg=audit(")) {
            return Sniffed.of(Format.AUDITD);
        }
        String[] lines = text.split("\r?\n", 3);
        if (lines.length >= 2 || head.length < 512) {
            for (char delimiter : new char[] {',', '\t', ';', '|'}) {
                int fields = countFields(lines[0], delimiter);
                if (fields > 1 && (lines.length < 2 || lines[1].isEmpty() || countFields(lines[1], delimiter) == fields
                        || lines[1].indexOf('"') >= 0)) {
                    return new Sniffed(Format.CSV, false, delimiter, null);
                }
            }
        }
        if (text.length() > 16 && text.substring(0, 3).matches("[A-Z][a-z]{2}") && text.charAt(3) == ' '
                && text.charAt(9) == ':' && text.charAt(12) == ':') {
            return Sniffed.of(Format.SYSLOG);
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

    /** Names binary formats people mistake for logs; null for text. */
    static String binaryKind(byte[] head) {
        if (Inputs.startsWith(head, 0xD4, 0xC3, 0xB2, 0xA1) || Inputs.startsWith(head, 0xA1, 0xB2, 0xC3, 0xD4)
                || Inputs.startsWith(head, 0x4D, 0x3C, 0xB2, 0xA1) || Inputs.startsWith(head, 0xA1, 0xB2, 0x3C, 0x4D)) {
            return "a pcap packet capture";
        }
        if (Inputs.startsWith(head, 0x0A, 0x0D, 0x0D, 0x0A)) {
            return "a pcapng packet capture";
        }
        if (Inputs.startsWith(head, 'E', 'l', 'f', 'F', 'i', 'l', 'e', 0)) {
            return "a binary Windows .evtx log (convert it to JSON with evtx_dump first)";
        }
        if (Inputs.startsWith(head, 0x7F, 'E', 'L', 'F')) {
            return "an ELF executable";
        }
        if (Inputs.startsWith(head, 'M', 'Z')) {
            return "a Windows executable";
        }
        if (Inputs.startsWith(head, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        if (Inputs.startsWith(head, 'P', 'A', 'R', '1')) {
            return "a Parquet file";
        }
        if (Inputs.startsWith(head, 0x28, 0xB5, 0x2F, 0xFD)) {
            return "zstd-compressed data (decompress it first)";
        }
        if (Inputs.startsWith(head, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return "xz-compressed data (decompress it first)";
        }
        int control = 0;
        int limit = Math.min(head.length, 512);
        for (int i = 0; i < limit; i++) {
            int b = head[i] & 0xFF;
            if (b == 0) {
                return "binary data (it contains NUL bytes)";
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != 0x0C && b != 0x1B) {
                control++;
            }
        }
        return control * 10 > limit ? "binary data (mostly control bytes)" : null;
    }
}
