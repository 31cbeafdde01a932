package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one syslog message, RFC 5424 or RFC 3164 (BSD), telling them apart by the version number that follows
 * the PRI in RFC 5424. The result has table {@code Syslog} and Microsoft Sentinel column names: {@code Facility},
 * {@code SeverityLevel}, {@code HostName}, {@code ProcessName}, {@code ProcessID} (Long when numeric),
 * {@code SyslogMessage}, and for RFC 5424 also {@code Version}, {@code MsgId}, {@code StructuredData} (the raw text)
 * and one {@code <SD-ID>.<PARAM-NAME>} field per structured-data parameter. The NILVALUE {@code -} becomes null.
 *
 * <p>RFC 3164 edge cases:
 * <ul>
 *   <li>A missing PRI means user.notice (RFC 3164 4.3.3), but then the line must start with a timestamp, or it is
 *       not recognisably syslog and is rejected.</li>
 *   <li>The BSD timestamp has neither year nor zone: it is read in the default zone, in the current year unless
 *       that puts it more than one day after the clock's now, in which case it is last year's. An ISO-8601
 *       timestamp may stand in its place.</li>
 *   <li>With no valid timestamp after a PRI, the rest is the message (RFC 3164 4.3.2), and the time is unknown.</li>
 *   <li>The word after the timestamp is the host name unless it looks like a tag ({@code su:}, {@code sshd[42]:}),
 *       as in messages logged locally without one. The tag is only recognised in the form {@code name:} or
 *       {@code name[pid]:}; otherwise the whole content is the message (RFC 3164 5.4 example 2).</li>
 * </ul>
 *
 * <p>When the message (after an optional byte order mark) starts with {@code CEF:} or {@code LEEF:}, the payload is
 * parsed by {@link CefParser} or {@link LeefParser} and the result has table {@code CommonSecurityLog} with their
 * fields plus {@code Computer} (the syslog host name); its time is the payload's, else the syslog header's.
 */
public final class SyslogParser implements RecordParser {
    static final String TABLE = "Syslog";
    private static final int MAX_PRIORITY = 191;
    private static final int USER_NOTICE = 13;
    private static final List<String> FACILITIES = List.of(
            "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
            "ntp", "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
            "local7");
    private static final List<String> SEVERITIES = List.of(
            "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");
    private static final List<String> MONTHS = List.of(
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final String EXPECTED_5424 =
            "'<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]'";
    private static final String NIL = "-";
    private static final int YEARS_TO_TRY = 8; // enough to reach a leap year for 29 February

    private final Clock clock;
    private final ZoneId defaultZone;
    private final CefParser cefParser;
    private final LeefParser leefParser;

    public SyslogParser(Clock clock, ZoneId defaultZone) {
        this.clock = requireNonNull(clock, "clock is null");
        this.defaultZone = requireNonNull(defaultZone, "defaultZone is null");
        this.cefParser = new CefParser(defaultZone);
        this.leefParser = new LeefParser(defaultZone);
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        String text = withoutLineEnd(TextDecoding.decodeStrict(record));
        if (text.isEmpty()) {
            throw rejected("empty record; expected a syslog message");
        }
        int priority = USER_NOTICE;
        int position = 0;
        boolean hasPriority = text.charAt(0) == '<';
        if (hasPriority) {
            int close = -1;
            for (int i = 1; i < Math.min(text.length(), 6) && close < 0; i++) {
                if (text.charAt(i) == '>') {
                    close = i;
                }
            }
            if (close < 2 || close > 4 || !allDigits(text, 1, close)) {
                String shown = close < 0 ? text.substring(0, Math.min(text.length(), 5)) : text.substring(0, close + 1);
                throw rejected("PRI '" + TextDecoding.excerpt(shown, 10)
                        + "' at column 1 is not '<', 1 to 3 digits and '>'");
            }
            priority = Integer.parseInt(text, 1, close, 10);
            if (priority > MAX_PRIORITY) {
                throw rejected("PRI " + priority + " at column 2 is out of range; expected 0 to " + MAX_PRIORITY);
            }
            position = close + 1;
            if (position == text.length()) {
                throw rejected("nothing follows the PRI at column " + (position + 1));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Facility", FACILITIES.get(priority >> 3));
        fields.put("SeverityLevel", SEVERITIES.get(priority & 7));
        int versionEnd = position;
        while (versionEnd < text.length() && versionEnd - position < 3 && isDigit(text.charAt(versionEnd))) {
            versionEnd++;
        }
        boolean rfc5424 = hasPriority && versionEnd > position && text.charAt(position) != '0'
                && versionEnd < text.length() && text.charAt(versionEnd) == ' ';
        if (rfc5424) {
            return parse5424(text, position, versionEnd, fields);
        }
        if (!hasPriority) {
            ParsedRecord cisco = parseCisco(text, fields);
            if (cisco != null) {
                return cisco;
            }
        }
        return parse3164(text, position, hasPriority, fields);
    }

    /**
     * Cisco IOS messages as a collector stores them, with no PRI and the sender's address and sequence number in
     * front: {@code 172.16.5.10 6705: Feb 17 13:40:03.673: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin ...}. The
     * {@code %FACILITY-SEVERITY-MNEMONIC} tag gives the severity and becomes the process name.
     */
    static final Pattern CISCO = Pattern.compile("^(?:(\\S+) )?(?:(\\d+): )?[*.]?([A-Z][a-z]{2} +\\d{1,2} \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?)"
            + "(?: [A-Za-z]{2,5})?: %([A-Z0-9_]+)-([0-7])-([A-Z0-9_]+): ?(.*)$", Pattern.DOTALL);

    private static final Pattern CISCO_MNEMONIC = Pattern.compile("^%([A-Z0-9_]+)-([0-7])-([A-Z0-9_]+): ?");

    /** Cisco ASA/IOS messages start with {@code %FACILITY-SEVERITY-MNEMONIC:}; the severity there is the real one. */
    private static void addCiscoMnemonic(Map<String, Object> fields, String message) {
        if (message == null || message.isEmpty() || message.charAt(0) != '%') {
            return;
        }
        Matcher matcher = CISCO_MNEMONIC.matcher(message);
        if (matcher.find()) {
            fields.put("SeverityLevel", SEVERITIES.get(Integer.parseInt(matcher.group(2))));
            fields.put("CiscoFacility", matcher.group(1));
            fields.put("MessageId", matcher.group(3));
        }
    }

    private ParsedRecord parseCisco(String text, Map<String, Object> fields) {
        Matcher matcher = CISCO.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        long[] timeMicros = {ParsedRecord.UNKNOWN_TIME};
        String timestamp = matcher.group(3);
        if (bsdTimestampEnd(timestamp, 0, timeMicros) != timestamp.length()) {
            return null;
        }
        fields.remove("Facility");
        fields.put("SeverityLevel", SEVERITIES.get(Integer.parseInt(matcher.group(5))));
        fields.put("HostName", matcher.group(1));
        fields.put("SequenceNumber", matcher.group(2) == null ? null : Long.parseLong(matcher.group(2)));
        fields.put("ProcessName", matcher.group(4) + "-" + matcher.group(5) + "-" + matcher.group(6));
        fields.put("CiscoFacility", matcher.group(4));
        fields.put("MessageId", matcher.group(6));
        fields.put("SyslogMessage", emptyToNull(matcher.group(7)));
        return new ParsedRecord(TABLE, fields, timeMicros[0]);
    }

    private ParsedRecord parse5424(String text, int versionStart, int versionEnd, Map<String, Object> fields)
            throws RecordRejectedException {
        fields.put("Version", Long.parseLong(text.substring(versionStart, versionEnd)));
        HeaderCursor cursor = new HeaderCursor(text, versionEnd + 1);
        int timestampColumn = cursor.position + 1;
        String timestamp = cursor.next("TIMESTAMP");
        String hostName = cursor.next("HOSTNAME");
        String appName = cursor.next("APP-NAME");
        String processId = cursor.next("PROCID");
        String messageId = cursor.next("MSGID");
        long timeMicros = ParsedRecord.UNKNOWN_TIME;
        if (!timestamp.equals(NIL)) {
            timeMicros = looksLikeIsoDateTime(timestamp) ? Timestamps.parseMicros(timestamp, defaultZone)
                    : ParsedRecord.UNKNOWN_TIME;
            if (timeMicros == ParsedRecord.UNKNOWN_TIME) {
                throw rejected("RFC 5424 TIMESTAMP '" + TextDecoding.excerpt(timestamp, 40) + "' at column "
                        + timestampColumn + " is not an RFC 3339 date-time");
            }
        }
        int structuredDataStart = cursor.position;
        if (structuredDataStart >= text.length()) {
            throw rejected("RFC 5424 header is missing STRUCTURED-DATA at column " + (structuredDataStart + 1)
                    + "; expected " + EXPECTED_5424);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        int structuredDataEnd = parseStructuredData(text, structuredDataStart, parameters);
        String message = null;
        if (structuredDataEnd < text.length()) {
            if (text.charAt(structuredDataEnd) != ' ') {
                throw rejected("expected a space after STRUCTURED-DATA at column " + (structuredDataEnd + 1)
                        + ", found '" + TextDecoding.excerpt(String.valueOf(text.charAt(structuredDataEnd)), 1) + "'");
            }
            message = emptyToNull(TextDecoding.withoutByteOrderMark(text.substring(structuredDataEnd + 1)));
        }
        String nilAwareHost = nilToNull(hostName);
        ParsedRecord payload = embeddedPayload(text, message, nilAwareHost, timeMicros);
        if (payload != null) {
            return payload;
        }
        fields.put("HostName", nilAwareHost);
        fields.put("ProcessName", nilToNull(appName));
        fields.put("ProcessID", processId.equals(NIL) ? null : TextDecoding.longIfNumeric(processId));
        fields.put("MsgId", nilToNull(messageId));
        fields.put("StructuredData", parameters.isEmpty() && text.charAt(structuredDataStart) == '-'
                ? null : text.substring(structuredDataStart, structuredDataEnd));
        fields.putAll(parameters);
        fields.put("SyslogMessage", message);
        String lifted = EmbeddedWindowsXml.lift(fields, "SyslogMessage");
        return new ParsedRecord(lifted == null ? TABLE : lifted, fields, timeMicros);
    }

    /** Reads the space-separated RFC 5424 header fields, each of which must be present and non-empty. */
    private static final class HeaderCursor {
        private final String text;
        private int position;

        HeaderCursor(String text, int position) {
            this.text = text;
            this.position = position;
        }

        String next(String name) throws RecordRejectedException {
            if (position >= text.length()) {
                throw rejected("RFC 5424 header is missing " + name + " at column " + (position + 1) + "; expected "
                        + EXPECTED_5424);
            }
            int end = text.indexOf(' ', position);
            if (end < 0) {
                end = text.length();
            }
            if (end == position) {
                throw rejected("RFC 5424 header has an empty " + name + " at column " + (position + 1)
                        + " (two spaces in a row); expected " + EXPECTED_5424);
            }
            String token = text.substring(position, end);
            position = end < text.length() ? end + 1 : end;
            return token;
        }
    }

    /**
     * Parses {@code -} or one or more {@code [SD-ID param="value" ...]} elements into {@code parameters} and returns
     * the index after the structured data.
     */
    private static int parseStructuredData(String text, int start, Map<String, Object> parameters)
            throws RecordRejectedException {
        int length = text.length();
        if (text.charAt(start) == '-') {
            return start + 1;
        }
        if (text.charAt(start) != '[') {
            throw rejected("RFC 5424 STRUCTURED-DATA at column " + (start + 1) + " must be '-' or start with '['");
        }
        int i = start;
        while (i < length && text.charAt(i) == '[') {
            int elementStart = i;
            i++;
            int idStart = i;
            while (i < length && isNameCharacter(text.charAt(i))) {
                i++;
            }
            if (i == idStart) {
                throw rejected("RFC 5424 SD-ID at column " + (idStart + 1) + " is empty");
            }
            String id = text.substring(idStart, i);
            while (true) {
                if (i >= length) {
                    throw rejected("RFC 5424 SD-ELEMENT '" + id + "' opened at column " + (elementStart + 1)
                            + " is not closed with ']'");
                }
                char c = text.charAt(i);
                if (c == ']') {
                    i++;
                    break;
                }
                if (c != ' ') {
                    throw rejected("unexpected '" + TextDecoding.excerpt(String.valueOf(c), 1) + "' in SD-ELEMENT '"
                            + id + "' at column " + (i + 1) + "; expected ' ' or ']'");
                }
                i++;
                int nameStart = i;
                while (i < length && isNameCharacter(text.charAt(i))) {
                    i++;
                }
                String name = text.substring(nameStart, i);
                if (name.isEmpty() || i >= length || text.charAt(i) != '=') {
                    throw rejected("expected PARAM-NAME=\"value\" in SD-ELEMENT '" + id + "' at column "
                            + (nameStart + 1));
                }
                i++;
                if (i >= length || text.charAt(i) != '"') {
                    throw rejected("expected '\"' to open the value of SD-PARAM '" + name + "' at column " + (i + 1));
                }
                int valueStart = i;
                i++;
                StringBuilder value = new StringBuilder();
                boolean closed = false;
                while (i < length && !closed) {
                    char v = text.charAt(i);
                    if (v == '\\' && i + 1 < length && isParamEscape(text.charAt(i + 1))) {
                        value.append(text.charAt(i + 1));
                        i += 2;
                    } else if (v == '"') {
                        closed = true;
                        i++;
                    } else {
                        value.append(v);
                        i++;
                    }
                }
                if (!closed) {
                    throw rejected("value of SD-PARAM '" + name + "' opened at column " + (valueStart + 1)
                            + " is not closed with '\"'");
                }
                parameters.put(id + "." + name, value.toString());
            }
        }
        return i;
    }

    private static boolean isParamEscape(char c) {
        return c == '"' || c == '\\' || c == ']';
    }

    /** SD-NAME: printable US-ASCII except '=', space, ']' and '"' (RFC 5424 6.3.2). */
    private static boolean isNameCharacter(char c) {
        return c > ' ' && c < 127 && c != '=' && c != ']' && c != '"';
    }

    private ParsedRecord parse3164(String text, int start, boolean hasPriority, Map<String, Object> fields)
            throws RecordRejectedException {
        long[] timeMicros = {ParsedRecord.UNKNOWN_TIME};
        int timestampEnd = bsdTimestampEnd(text, start, timeMicros);
        if (timestampEnd < 0) {
            timestampEnd = isoTimestampEnd(text, start, timeMicros);
        }
        String hostName = null;
        String content;
        if (timestampEnd < 0) {
            if (!hasPriority) {
                throw rejected("no PRI ('<0>' to '<191>') and no timestamp at column 1; expected RFC 3164 "
                        + "'<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG' or RFC 5424");
            }
            content = text.substring(start); // RFC 3164 4.3.2: without a timestamp it is all message
        } else {
            int i = timestampEnd;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            content = text.substring(i);
            if (!startsWithEmbeddedFormat(content)) {
                int wordEnd = content.indexOf(' ');
                String word = wordEnd < 0 ? content : content.substring(0, wordEnd);
                if (!word.isEmpty() && !word.endsWith(":") && word.indexOf('[') < 0) {
                    hostName = word;
                    content = wordEnd < 0 ? "" : content.substring(wordEnd + 1);
                }
            }
        }
        String processName = null;
        Object processId = null;
        String message = content;
        int tagEnd = tagEnd(content);
        if (tagEnd > 0 && !startsWithEmbeddedFormat(content)) {
            int bracket = content.indexOf('[');
            if (bracket >= 0 && bracket < tagEnd) {
                processName = content.substring(0, bracket);
                processId = TextDecoding.longIfNumeric(emptyToNull(content.substring(bracket + 1, tagEnd - 2)));
            } else {
                processName = content.substring(0, tagEnd - 1);
            }
            message = content.substring(Math.min(tagEnd + 1, content.length()));
        }
        message = emptyToNull(TextDecoding.withoutByteOrderMark(message));
        ParsedRecord payload = embeddedPayload(text, message, hostName, timeMicros[0]);
        if (payload != null) {
            return payload;
        }
        fields.put("HostName", hostName);
        fields.put("ProcessName", processName);
        fields.put("ProcessID", processId);
        fields.put("SyslogMessage", message);
        addCiscoMnemonic(fields, message);
        String lifted = EmbeddedWindowsXml.lift(fields, "SyslogMessage");
        return new ParsedRecord(lifted == null ? TABLE : lifted, fields, timeMicros[0]);
    }

    /**
     * The index after a {@code name:} or {@code name[pid]:} tag at the start of the content, or -1. The tag must be
     * followed by a space or the end, so that {@code CEF:0|...} or a URL is not taken for one.
     */
    private static int tagEnd(String content) {
        int i = 0;
        int length = content.length();
        while (i < length && content.charAt(i) != ' ' && content.charAt(i) != ':' && content.charAt(i) != '[') {
            i++;
        }
        if (i == 0 || i == length) {
            return -1;
        }
        if (content.charAt(i) == '[') {
            int close = content.indexOf(']', i);
            int space = content.indexOf(' ', i);
            if (close < 0 || (space >= 0 && space < close)) {
                return -1;
            }
            i = close + 1;
        }
        if (i >= length || content.charAt(i) != ':') {
            return -1;
        }
        i++;
        return i == length || content.charAt(i) == ' ' ? i : -1;
    }

    /** The index after a {@code Mmm dd hh:mm:ss[.fraction]} timestamp at {@code start}, or -1. */
    private int bsdTimestampEnd(String text, int start, long[] timeMicros) {
        int length = text.length();
        if (start + 3 >= length || text.charAt(start + 3) != ' ') {
            return -1;
        }
        int month = MONTHS.indexOf(text.substring(start, start + 3).toLowerCase(Locale.ROOT)) + 1;
        if (month == 0) {
            return -1;
        }
        int i = start + 4;
        if (i < length && text.charAt(i) == ' ') {
            i++; // day padded with a space: "Feb  5"
        }
        int dayStart = i;
        while (i < length && i - dayStart < 2 && isDigit(text.charAt(i))) {
            i++;
        }
        if (i == dayStart || i + 9 > length || text.charAt(i) != ' ') {
            return -1;
        }
        int day = Integer.parseInt(text, dayStart, i, 10);
        int timeStart = i + 1;
        int year = -1; // Cisco ASA and others write the year: "Oct 10 2018 12:34:56"
        if (timeStart + 5 < length && allDigits(text, timeStart, timeStart + 4) && text.charAt(timeStart + 4) == ' ') {
            year = Integer.parseInt(text, timeStart, timeStart + 4, 10);
            timeStart += 5;
            if (timeStart + 8 > length) {
                return -1;
            }
        }
        if (!allDigits(text, timeStart, timeStart + 2) || text.charAt(timeStart + 2) != ':'
                || !allDigits(text, timeStart + 3, timeStart + 5) || text.charAt(timeStart + 5) != ':'
                || !allDigits(text, timeStart + 6, timeStart + 8)) {
            return -1;
        }
        int end = timeStart + 8;
        int nanos = 0;
        if (end < length && text.charAt(end) == '.') {
            int fractionStart = end + 1;
            int fractionEnd = fractionStart;
            while (fractionEnd < length && fractionEnd - fractionStart < 9 && isDigit(text.charAt(fractionEnd))) {
                fractionEnd++;
            }
            if (fractionEnd == fractionStart) {
                return -1;
            }
            nanos = Integer.parseInt(text, fractionStart, fractionEnd, 10);
            for (int k = fractionEnd - fractionStart; k < 9; k++) {
                nanos *= 10;
            }
            end = fractionEnd;
        }
        if (end < length && text.charAt(end) != ' ') {
            return -1;
        }
        LocalTime time;
        try {
            time = LocalTime.of(Integer.parseInt(text, timeStart, timeStart + 2, 10),
                    Integer.parseInt(text, timeStart + 3, timeStart + 5, 10),
                    Integer.parseInt(text, timeStart + 6, timeStart + 8, 10), nanos);
        } catch (DateTimeException e) {
            return -1;
        }
        long micros;
        if (year >= 0) {
            try {
                java.time.Instant instant = LocalDate.of(year, month, day).atTime(time).atZone(defaultZone).toInstant();
                micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
            } catch (DateTimeException e) {
                return -1;
            }
        } else {
            micros = inferYear(month, day, time);
        }
        if (micros == ParsedRecord.UNKNOWN_TIME) {
            return -1;
        }
        timeMicros[0] = micros;
        return end;
    }

    /** The latest year that does not put the time more than a day after now (RFC 3164 timestamps have none). */
    private long inferYear(int month, int day, LocalTime time) {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(defaultZone));
        ZonedDateTime latestAllowed = now.plusDays(1);
        for (int year = now.getYear(); year > now.getYear() - YEARS_TO_TRY; year--) {
            ZonedDateTime candidate;
            try {
                candidate = LocalDate.of(year, month, day).atTime(time).atZone(defaultZone);
            } catch (DateTimeException e) {
                continue; // 29 February in a common year, or 31 April: try the year before
            }
            if (!candidate.isAfter(latestAllowed)) {
                return candidate.toEpochSecond() * 1_000_000L + candidate.getNano() / 1000;
            }
        }
        return ParsedRecord.UNKNOWN_TIME;
    }

    /** The index after an ISO-8601 timestamp standing in for the BSD one, or -1. */
    private int isoTimestampEnd(String text, int start, long[] timeMicros) {
        int end = text.indexOf(' ', start);
        if (end < 0) {
            end = text.length();
        }
        String token = text.substring(start, end);
        if (!looksLikeIsoDateTime(token)) {
            return -1;
        }
        long micros = Timestamps.parseMicros(token, defaultZone);
        if (micros == ParsedRecord.UNKNOWN_TIME) {
            return -1;
        }
        timeMicros[0] = micros;
        return end;
    }

    private static boolean looksLikeIsoDateTime(String token) {
        return token.length() >= 19 && token.length() <= 40 && allDigits(token, 0, 4) && token.charAt(4) == '-'
                && (token.charAt(10) == 'T' || token.charAt(10) == 't');
    }

    private static boolean startsWithEmbeddedFormat(String content) {
        String payload = TextDecoding.withoutByteOrderMark(content);
        return payload.startsWith("CEF:") || payload.startsWith("LEEF:");
    }

    /** The CEF or LEEF payload with the syslog host and time added, or null when the message is neither. */
    private ParsedRecord embeddedPayload(String text, String message, String hostName, long syslogTimeMicros)
            throws RecordRejectedException {
        if (message == null || !startsWithEmbeddedFormat(message)) {
            return null;
        }
        String payloadText = TextDecoding.withoutByteOrderMark(message);
        int payloadStart = text.length() - payloadText.length(); // the message is always the end of the line
        ParsedRecord payload = payloadText.startsWith("CEF:")
                ? cefParser.parseText(text, payloadStart)
                : leefParser.parseText(text, payloadStart);
        Map<String, Object> fields = new LinkedHashMap<>(payload.fields());
        fields.put("Computer", hostName);
        long timeMicros = payload.timeMicros() != ParsedRecord.UNKNOWN_TIME ? payload.timeMicros() : syslogTimeMicros;
        return new ParsedRecord(payload.table(), fields, timeMicros);
    }

    private static String withoutLineEnd(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r' || text.charAt(end - 1) == 0)) {
            end--;
        }
        return text.substring(0, end);
    }

    private static boolean allDigits(String text, int from, int to) {
        if (to > text.length() || from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String nilToNull(String value) {
        return NIL.equals(value) ? null : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static RecordRejectedException rejected(String detail) {
        return new RecordRejectedException(QuarantineReason.MALFORMED_SYSLOG, detail);
    }
}
