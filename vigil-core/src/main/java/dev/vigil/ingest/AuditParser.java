package dev.vigil.ingest;

import dev.vigil.model.QuarantineReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Parses one Linux audit event, the lines of {@code type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): key=value ...}
 * grouped by {@link AuditRecordReader}, into table {@code LinuxAudit}.
 *
 * <p>Fields, in order: {@code AuditId} ({@code 1604994496.155:92733}), {@code RecordTypes} (the types in line order,
 * comma-joined), {@code node} when the lines carry one, then every line's {@code key=value} pairs, and
 * {@code CommandLine} when there is an {@code EXECVE} line. Rules and edge cases:
 * <ul>
 *   <li>Values lose their double or single quotes and stay text; {@code (null)} becomes null. A single-quoted
 *       {@code msg='...'} (user-space records) is itself parsed into pairs.</li>
 *   <li>A key's first occurrence keeps its bare name; a later one is stored as {@code <TYPE>.<key>}
 *       ({@code PATH.name}) and, if that is taken too, as {@code <TYPE>.<key>.<n>} with n counting from 2.</li>
 *   <li>{@code proctitle}, when unquoted, is hex as auditd writes it: it is decoded and its NUL separators become
 *       spaces. {@code CommandLine} joins the {@code EXECVE} arguments {@code a0..a(argc-1)} with spaces, decoding
 *       the unquoted (hex) ones and joining arguments split into {@code aN[i]} chunks; arguments are not re-quoted.</li>
 *   <li>The event time is the audit timestamp. Enriched logs' {@code 0x1D} separator counts as a space.</li>
 *   <li>A line that is not {@code type=... msg=audit(...):}, or whose audit id differs from the first line's, is
 *       rejected as {@code MALFORMED_AUDIT}.</li>
 * </ul>
 */
public final class AuditParser implements RecordParser {
    static final String TABLE = "LinuxAudit";
    private static final String EXPECTED_LINE = "'type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): key=value ...'";
    private static final String AUDIT_ID_START = "msg=audit(";
    private static final int MAX_AUDIT_ID_LENGTH = 64;
    private static final char GROUP_SEPARATOR = 0x1D;

    private record Pair(String key, String value, boolean quoted) {}

    private record Line(String type, String auditId, String node, List<Pair> pairs) {}

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        String text = TextDecoding.decodeStrict(record);
        List<Line> lines = new ArrayList<>();
        String[] rawLines = text.split("\n", -1);
        for (int i = 0; i < rawLines.length; i++) {
            String rawLine = rawLines[i].endsWith("\r") ? rawLines[i].substring(0, rawLines[i].length() - 1) : rawLines[i];
            if (rawLine.isBlank()) {
                continue;
            }
            Line line = parseLine(rawLine, i + 1);
            if (!lines.isEmpty() && !lines.get(0).auditId().equals(line.auditId())) {
                throw rejected("line " + (i + 1) + " has audit id '" + line.auditId() + "' but the first line has '"
                        + lines.get(0).auditId() + "'; one record holds one audit event");
            }
            lines.add(line);
        }
        if (lines.isEmpty()) {
            throw rejected("empty record; expected " + EXPECTED_LINE);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        String auditId = lines.get(0).auditId();
        fields.put("AuditId", auditId);
        StringJoiner types = new StringJoiner(",");
        lines.forEach(line -> types.add(line.type()));
        fields.put("RecordTypes", types.toString());
        if (lines.get(0).node() != null) {
            fields.put("node", lines.get(0).node());
        }
        Map<String, Pair> execveArguments = new HashMap<>();
        for (Line line : lines) {
            for (Pair pair : line.pairs()) {
                fields.put(uniqueName(fields, line.type(), pair.key()), value(pair));
                if (line.type().equals("EXECVE")) {
                    execveArguments.putIfAbsent(pair.key(), pair);
                }
            }
        }
        if (lines.stream().anyMatch(line -> line.type().equals("EXECVE"))) {
            fields.put(uniqueName(fields, "EXECVE", "CommandLine"), commandLine(execveArguments));
        }
        return new ParsedRecord(TABLE, fields, timeMicros(auditId));
    }

    private static Line parseLine(String line, int lineNumber) throws RecordRejectedException {
        int i = 0;
        String node = null;
        if (line.startsWith("node=")) {
            int end = endOfWord(line, 0);
            node = line.substring("node=".length(), end);
            i = skipSpaces(line, end);
        }
        if (!line.startsWith("type=", i)) {
            throw rejected("line " + lineNumber + " does not start with 'type=' at column " + (i + 1) + "; expected "
                    + EXPECTED_LINE);
        }
        int typeStart = i + "type=".length();
        int typeEnd = endOfWord(line, typeStart);
        if (typeEnd == typeStart) {
            throw rejected("line " + lineNumber + " has an empty type at column " + (typeStart + 1));
        }
        String type = line.substring(typeStart, typeEnd);
        int auditStart = skipSpaces(line, typeEnd);
        if (!line.startsWith(AUDIT_ID_START, auditStart)) {
            throw rejected("line " + lineNumber + " has no 'msg=audit(' after type=" + TextDecoding.excerpt(type, 40)
                    + " at column " + (auditStart + 1) + "; expected " + EXPECTED_LINE);
        }
        int idStart = auditStart + AUDIT_ID_START.length();
        int idEnd = line.indexOf(')', idStart);
        if (idEnd < 0 || idEnd - idStart > MAX_AUDIT_ID_LENGTH) {
            throw rejected("line " + lineNumber + " has no ')' closing 'msg=audit(' at column " + (auditStart + 1));
        }
        String auditId = line.substring(idStart, idEnd);
        if (!isAuditId(auditId)) {
            throw rejected("line " + lineNumber + " has audit id '" + TextDecoding.excerpt(auditId, 40) + "' at column "
                    + (idStart + 1) + "; expected SECONDS.MILLIS:SERIAL");
        }
        if (idEnd + 1 >= line.length() || line.charAt(idEnd + 1) != ':') {
            throw rejected("line " + lineNumber + " has no ':' after 'msg=audit(" + auditId + ")' at column "
                    + (idEnd + 2));
        }
        List<Pair> pairs = new ArrayList<>();
        parsePairs(line.substring(idEnd + 2), pairs);
        return new Line(type, auditId, node, pairs);
    }

    /** Reads {@code key=value} pairs; words without {@code =} are skipped. */
    private static void parsePairs(String text, List<Pair> pairs) {
        int length = text.length();
        int i = skipSpaces(text, 0);
        while (i < length) {
            int keyStart = i;
            while (i < length && text.charAt(i) != '=' && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= length || text.charAt(i) != '=' || i == keyStart) {
                i = skipSpaces(text, endOfWord(text, i));
                continue;
            }
            String key = text.substring(keyStart, i);
            i++;
            char quote = i < length ? text.charAt(i) : 0;
            if (quote == '"' || quote == '\'') {
                int close = text.indexOf(quote, i + 1);
                int valueEnd = close < 0 ? length : close;
                String value = text.substring(i + 1, valueEnd);
                if (quote == '\'' && key.equals("msg")) {
                    parsePairs(value, pairs); // user-space records nest their own pairs in msg='...'
                } else {
                    pairs.add(new Pair(key, value, true));
                }
                i = close < 0 ? length : close + 1;
            } else {
                int valueEnd = endOfWord(text, i);
                pairs.add(new Pair(key, text.substring(i, valueEnd), false));
                i = valueEnd;
            }
            i = skipSpaces(text, i);
        }
    }

    private static String uniqueName(Map<String, Object> fields, String type, String key) {
        if (!fields.containsKey(key)) {
            return key;
        }
        String typed = type + "." + key;
        if (!fields.containsKey(typed)) {
            return typed;
        }
        int n = 2;
        while (fields.containsKey(typed + "." + n)) {
            n++; // bounded by the number of fields already stored
        }
        return typed + "." + n;
    }

    private static Object value(Pair pair) {
        if (!pair.quoted() && pair.value().equals("(null)")) {
            return null;
        }
        if (!pair.quoted() && pair.key().equals("proctitle")) {
            String decoded = decodeHex(pair.value());
            return decoded == null ? pair.value() : decoded.replace('\0', ' ').stripTrailing();
        }
        return pair.value();
    }

    private static String commandLine(Map<String, Pair> arguments) {
        int argumentCount = -1;
        Pair argc = arguments.get("argc");
        if (argc != null && argc.value().length() <= 9 && argc.value().chars().allMatch(Character::isDigit)
                && !argc.value().isEmpty()) {
            argumentCount = Math.min(Integer.parseInt(argc.value()), arguments.size()); // argc from data: bounded
        }
        StringJoiner line = new StringJoiner(" ");
        for (int n = 0; argumentCount < 0 ? n <= arguments.size() : n < argumentCount; n++) {
            String argument = argument(arguments, n);
            if (argument == null) {
                if (argumentCount < 0) {
                    break;
                }
                continue;
            }
            line.add(argument);
        }
        return line.toString();
    }

    private static String argument(Map<String, Pair> arguments, int n) {
        Pair whole = arguments.get("a" + n);
        if (whole != null) {
            return decodedArgument(whole);
        }
        StringBuilder chunks = new StringBuilder();
        boolean any = false;
        for (int chunk = 0; chunk < arguments.size(); chunk++) {
            Pair part = arguments.get("a" + n + "[" + chunk + "]");
            if (part == null) {
                break;
            }
            chunks.append(decodedArgument(part));
            any = true;
        }
        return any ? chunks.toString() : null;
    }

    /** auditd writes an argument in quotes when it is plain, and as hex when it holds spaces, quotes or controls. */
    private static String decodedArgument(Pair pair) {
        if (pair.quoted()) {
            return pair.value();
        }
        String decoded = decodeHex(pair.value());
        return decoded == null ? pair.value() : decoded;
    }

    /** The UTF-8 text of an even-length hex string, or null when it is not one. */
    private static String decodeHex(String hex) {
        if (hex.isEmpty() || hex.length() % 2 != 0) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(hex.length() / 2);
        for (int i = 0; i < hex.length(); i += 2) {
            int high = Character.digit(hex.charAt(i), 16);
            int low = Character.digit(hex.charAt(i + 1), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write(high << 4 | low);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isAuditId(String id) {
        int dot = id.indexOf('.');
        int colon = id.indexOf(':');
        return dot > 0 && colon > dot + 1 && colon < id.length() - 1 && dot <= 12
                && allDigits(id, 0, dot) && allDigits(id, dot + 1, colon) && allDigits(id, colon + 1, id.length());
    }

    private static long timeMicros(String auditId) {
        int dot = auditId.indexOf('.');
        int colon = auditId.indexOf(':');
        long seconds = Long.parseLong(auditId, 0, dot, 10);
        long micros = 0;
        int digits = 0;
        for (int i = dot + 1; i < colon && digits < 6; i++, digits++) {
            micros = micros * 10 + (auditId.charAt(i) - '0');
        }
        for (; digits < 6; digits++) {
            micros *= 10;
        }
        return seconds * 1_000_000L + micros;
    }

    private static boolean allDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return from < to;
    }

    private static int endOfWord(String text, int from) {
        int i = from;
        while (i < text.length() && !isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == GROUP_SEPARATOR;
    }

    private static RecordRejectedException rejected(String detail) {
        return new RecordRejectedException(QuarantineReason.MALFORMED_AUDIT, detail);
    }
}
