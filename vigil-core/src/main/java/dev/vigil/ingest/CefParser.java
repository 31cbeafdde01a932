package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses ArcSight Common Event Format: {@code CEF:Version|Device Vendor|Device Product|Device Version|Device Event
 * Class ID|Name|Severity|Extension}, into table {@code CommonSecurityLog} under Microsoft Sentinel column names.
 *
 * <p>Rules and edge cases:
 * <ul>
 *   <li>Anything before the first {@code CEF:} (a syslog prefix this parser does not read) is ignored.</li>
 *   <li>Header fields unescape {@code \|} and {@code \\}; other backslashes are kept as they are.</li>
 *   <li>The seventh header field may lack its closing {@code |} when no extension follows.</li>
 *   <li>An extension value runs until the next {@code " key="} whose {@code =} is not escaped, so values may hold
 *       spaces and (leniently) bare {@code =}; values unescape {@code \=}, {@code \\}, {@code \n}, {@code \r} and
 *       {@code \|}. Trailing spaces of a value are dropped; an empty value becomes null.</li>
 *   <li>Known extension keys take their Sentinel names ({@code src} becomes {@code SourceIP}); unknown keys keep their
 *       own name; extension text before the first key is kept as {@code AdditionalExtensions}. When a key repeats,
 *       the last value wins.</li>
 *   <li>Ports, process ids, byte counts, {@code EventCount}, {@code FileSize} and {@code DeviceCustomNumberN} become
 *       Long when they are decimal integers, else stay text.</li>
 *   <li>The event time is {@code rt}, else {@code end}, else {@code start}: epoch milliseconds or
 *       {@code MMM dd yyyy HH:mm:ss[.SSS] [zone]}; a time without a zone is read in the default zone.</li>
 * </ul>
 */
public final class CefParser implements RecordParser {
    static final String TABLE = "CommonSecurityLog";
    private static final String MARKER = "CEF:";
    private static final int HEADER_FIELDS = 7;
    private static final String EXPECTED_HEADER =
            "'CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|'";
    private static final List<String> HEADER_COLUMNS = List.of(
            "DeviceVendor", "DeviceProduct", "DeviceVersion", "DeviceEventClassID", "Activity", "LogSeverity");
    private static final Map<String, String> SENTINEL_NAMES = sentinelNames();
    private static final Set<String> NUMERIC_COLUMNS = Set.of(
            "SourcePort", "DestinationPort", "SourceProcessId", "DestinationProcessId", "DeviceProcessId",
            "ReceivedBytes", "SentBytes", "EventCount", "FileSize",
            "DeviceCustomNumber1", "DeviceCustomNumber2", "DeviceCustomNumber3");
    private static final List<String> TIME_COLUMNS = List.of("ReceiptTime", "EndTime", "StartTime");

    private final ZoneId defaultZone;

    /** A parser that reads zoneless times as UTC. */
    public CefParser() {
        this(ZoneOffset.UTC);
    }

    public CefParser(ZoneId defaultZone) {
        this.defaultZone = requireNonNull(defaultZone, "defaultZone is null");
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        return parseText(TextDecoding.decodeStrict(record), 0);
    }

    /** Parses the CEF found from {@code from} on; error columns count from the start of {@code text}. */
    ParsedRecord parseText(String text, int from) throws RecordRejectedException {
        int markerIndex = text.indexOf(MARKER, from);
        if (markerIndex < 0) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_CEF,
                    "no 'CEF:' found; expected " + EXPECTED_HEADER);
        }
        List<String> header = new ArrayList<>(HEADER_FIELDS);
        int extensionStart = splitHeader(text, markerIndex + MARKER.length(), header);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 1; i < HEADER_FIELDS; i++) {
            String value = header.get(i);
            fields.put(HEADER_COLUMNS.get(i - 1), value.isEmpty() ? null : value);
        }
        parseExtension(text, extensionStart, fields);
        return new ParsedRecord(TABLE, fields, eventTime(fields));
    }

    /** Fills {@code header} with the seven unescaped header fields and returns where the extension starts. */
    private static int splitHeader(String text, int start, List<String> header) throws RecordRejectedException {
        StringBuilder field = new StringBuilder();
        int i = start;
        int length = text.length();
        while (i < length && header.size() < HEADER_FIELDS) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < length && (text.charAt(i + 1) == '|' || text.charAt(i + 1) == '\\')) {
                field.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '|') {
                header.add(field.toString());
                field.setLength(0);
                i++;
            } else {
                field.append(c);
                i++;
            }
        }
        if (header.size() == HEADER_FIELDS - 1 && !field.isEmpty() && field.indexOf("=") < 0) {
            header.add(field.toString()); // severity without the closing '|': a record with no extension
            return length;
        }
        if (header.size() < HEADER_FIELDS) {
            int found = header.size() + (field.isEmpty() || field.indexOf("=") >= 0 ? 0 : 1);
            throw new RecordRejectedException(QuarantineReason.MALFORMED_CEF, "CEF header has " + found + " of "
                    + HEADER_FIELDS + " fields at column " + (start - MARKER.length() + 1) + "; expected "
                    + EXPECTED_HEADER);
        }
        return i;
    }

    private static void parseExtension(String text, int start, Map<String, Object> fields) {
        List<int[]> keys = findKeys(text, start); // each: {keyStart, equalsIndex}
        int firstKeyStart = keys.isEmpty() ? text.length() : keys.get(0)[0];
        String leading = text.substring(start, firstKeyStart).strip();
        if (!leading.isEmpty()) {
            fields.put("AdditionalExtensions", unescapeValue(leading));
        }
        for (int k = 0; k < keys.size(); k++) {
            int keyStart = keys.get(k)[0];
            int equalsIndex = keys.get(k)[1];
            int valueEnd = k + 1 < keys.size() ? keys.get(k + 1)[0] : text.length();
            String key = text.substring(keyStart, equalsIndex);
            String value = unescapeValue(text.substring(equalsIndex + 1, valueEnd).stripTrailing());
            String column = SENTINEL_NAMES.getOrDefault(key, key);
            Object typed = value.isEmpty() ? null
                    : NUMERIC_COLUMNS.contains(column) ? TextDecoding.longIfNumeric(value) : value;
            fields.put(column, typed);
        }
    }

    /**
     * Finds every {@code key=} that starts the extension or follows a space, where {@code =} is not escaped. A bare
     * {@code =} inside a value (not preceded by a word that follows a space) stays part of the value.
     */
    private static List<int[]> findKeys(String text, int start) {
        List<int[]> keys = new ArrayList<>();
        int length = text.length();
        int i = start;
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '=') {
                int keyStart = i;
                while (keyStart > start && isKeyCharacter(text.charAt(keyStart - 1))) {
                    keyStart--;
                }
                boolean startsWord = keyStart == start || text.charAt(keyStart - 1) == ' ';
                if (keyStart < i && startsWord) {
                    keys.add(new int[] {keyStart, i});
                }
            }
            i++;
        }
        return keys;
    }

    private static boolean isKeyCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                || c == '-' || c == '[' || c == ']';
    }

    private static String unescapeValue(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder unescaped = new StringBuilder(value.length());
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c != '\\' || i + 1 == length) {
                unescaped.append(c);
                continue;
            }
            char next = value.charAt(i + 1);
            switch (next) {
                case '=', '\\', '|' -> unescaped.append(next);
                case 'n' -> unescaped.append('\n');
                case 'r' -> unescaped.append('\r');
                default -> {
                    unescaped.append(c); // not a CEF escape: keep the backslash, e.g. in Windows paths
                    continue;
                }
            }
            i++;
        }
        return unescaped.toString();
    }

    private long eventTime(Map<String, Object> fields) {
        for (String column : TIME_COLUMNS) {
            if (fields.get(column) instanceof String value) {
                long micros = Timestamps.parseMicros(value, defaultZone);
                if (micros != ParsedRecord.UNKNOWN_TIME) {
                    return micros;
                }
            }
        }
        return ParsedRecord.UNKNOWN_TIME;
    }

    private static Map<String, String> sentinelNames() {
        Map<String, String> names = new HashMap<>();
        String[] pairs = {
            "act", "DeviceAction", "app", "ApplicationProtocol", "cat", "DeviceEventCategory", "cnt", "EventCount",
            "dhost", "DestinationHostName", "dmac", "DestinationMACAddress", "dntdom", "DestinationNTDomain",
            "dpid", "DestinationProcessId", "dproc", "DestinationProcessName", "dpt", "DestinationPort",
            "dst", "DestinationIP", "duid", "DestinationUserID", "duser", "DestinationUserName",
            "dvc", "DeviceAddress", "dvchost", "DeviceName", "dvcmac", "DeviceMacAddress", "dvcpid", "DeviceProcessId",
            "externalId", "ExtID", "fname", "FileName", "filePath", "FilePath", "fileHash", "FileHash",
            "fsize", "FileSize", "in", "ReceivedBytes", "out", "SentBytes", "msg", "Message",
            "outcome", "EventOutcome", "proto", "Protocol", "reason", "Reason", "request", "RequestURL",
            "requestMethod", "RequestMethod", "requestClientApplication", "RequestClientApplication",
            "rt", "ReceiptTime", "shost", "SourceHostName", "smac", "SourceMACAddress", "sntdom", "SourceNTDomain",
            "spid", "SourceProcessId", "sproc", "SourceProcessName", "spt", "SourcePort", "src", "SourceIP",
            "suid", "SourceUserID", "suser", "SourceUserName",
            "sourceTranslatedAddress", "SourceTranslatedAddress",
            "destinationTranslatedAddress", "DestinationTranslatedAddress",
            "deviceExternalId", "DeviceExternalID", "deviceFacility", "DeviceFacility",
            "start", "StartTime", "end", "EndTime",
            "flexString1", "FlexString1", "flexString1Label", "FlexString1Label",
            "flexString2", "FlexString2", "flexString2Label", "FlexString2Label",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            names.put(pairs[i], pairs[i + 1]);
        }
        for (int n = 1; n <= 6; n++) {
            names.put("cs" + n, "DeviceCustomString" + n);
            names.put("cs" + n + "Label", "DeviceCustomString" + n + "Label");
        }
        for (int n = 1; n <= 3; n++) {
            names.put("cn" + n, "DeviceCustomNumber" + n);
            names.put("cn" + n + "Label", "DeviceCustomNumber" + n + "Label");
        }
        return Map.copyOf(names);
    }
}
