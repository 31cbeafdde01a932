package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses IBM QRadar Log Event Extended Format into table {@code CommonSecurityLog} under Microsoft Sentinel column
 * names.
 *
 * <p>LEEF 1.0 is {@code LEEF:1.0|Vendor|Product|Version|EventID|} followed by tab-separated {@code key=value}
 * attributes. LEEF 2.0 is {@code LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|}: the delimiter is one
 * character ({@code ^}) or a hex code ({@code x09}, {@code 0x09}); when that field is empty or absent the delimiter
 * is a tab. Rules and edge cases:
 * <ul>
 *   <li>Anything before the first {@code LEEF:} (a syslog prefix) is ignored.</li>
 *   <li>An attribute value runs to the next delimiter; a piece without {@code =} belongs to the previous value
 *       (with the delimiter kept), since some producers do not escape the delimiter inside values.</li>
 *   <li>Known keys take their Sentinel names ({@code src} becomes {@code SourceIP}); others keep their own name.
 *       Ports and byte counts become Long when they are decimal integers. An empty value becomes null.</li>
 *   <li>The event time is {@code devTime} read with {@code devTimeFormat} (a {@code SimpleDateFormat}-style pattern
 *       such as {@code MMM dd yyyy HH:mm:ss.SSS zzz}), else {@code devTime} as epoch milliseconds or a common
 *       timestamp shape; a time without a zone is read in the default zone.</li>
 * </ul>
 */
public final class LeefParser implements RecordParser {
    private static final String MARKER = "LEEF:";
    private static final String EXPECTED_VERSION_1 = "'LEEF:1.0|Vendor|Product|Version|EventID|'";
    private static final String EXPECTED_VERSION_2 = "'LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|'";
    private static final int FIELDS_BEFORE_ATTRIBUTES = 5;
    private static final int LONGEST_DELIMITER_FIELD = 6;
    private static final int MAX_CACHED_FORMATS = 32;
    private static final Map<String, String> SENTINEL_NAMES = Map.ofEntries(
            Map.entry("src", "SourceIP"), Map.entry("dst", "DestinationIP"),
            Map.entry("srcPort", "SourcePort"), Map.entry("dstPort", "DestinationPort"),
            Map.entry("srcPostNAT", "SourceTranslatedAddress"), Map.entry("dstPostNAT", "DestinationTranslatedAddress"),
            Map.entry("usrName", "SourceUserName"), Map.entry("proto", "Protocol"), Map.entry("sev", "LogSeverity"),
            Map.entry("cat", "DeviceEventCategory"), Map.entry("srcMAC", "SourceMACAddress"),
            Map.entry("dstMAC", "DestinationMACAddress"), Map.entry("identHostName", "SourceHostName"),
            Map.entry("srcBytes", "SentBytes"), Map.entry("dstBytes", "ReceivedBytes"), Map.entry("url", "RequestURL"),
            Map.entry("action", "DeviceAction"), Map.entry("resource", "DestinationHostName"));
    private static final Set<String> NUMERIC_COLUMNS = Set.of("SourcePort", "DestinationPort", "SentBytes", "ReceivedBytes");

    private final ZoneId defaultZone;
    private final Map<String, Optional<DateTimeFormatter>> timeFormats = new ConcurrentHashMap<>();

    /** A parser that reads zoneless times as UTC. */
    public LeefParser() {
        this(ZoneOffset.UTC);
    }

    public LeefParser(ZoneId defaultZone) {
        this.defaultZone = requireNonNull(defaultZone, "defaultZone is null");
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        return parseText(TextDecoding.decodeStrict(record), 0);
    }

    /** Parses the LEEF found from {@code from} on; error columns count from the start of {@code text}. */
    ParsedRecord parseText(String text, int from) throws RecordRejectedException {
        int markerIndex = text.indexOf(MARKER, from);
        if (markerIndex < 0) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_LEEF,
                    "no 'LEEF:' found; expected " + EXPECTED_VERSION_1 + " or " + EXPECTED_VERSION_2);
        }
        int headerStart = markerIndex + MARKER.length();
        List<String> header = new ArrayList<>(FIELDS_BEFORE_ATTRIBUTES);
        int position = headerStart;
        while (header.size() < FIELDS_BEFORE_ATTRIBUTES) {
            int pipe = text.indexOf('|', position);
            if (pipe < 0) {
                break;
            }
            header.add(text.substring(position, pipe));
            position = pipe + 1;
        }
        String version = header.isEmpty() ? text.substring(headerStart) : header.get(0);
        boolean version2 = isVersion(version, '2');
        if (!version2 && !isVersion(version, '1')) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_LEEF, "unsupported LEEF version '"
                    + TextDecoding.excerpt(version, 20) + "' at column " + (headerStart + 1) + "; expected 1.0 or 2.0");
        }
        String remainder = text.substring(position);
        if (header.size() == FIELDS_BEFORE_ATTRIBUTES - 1 && !remainder.isEmpty() && remainder.indexOf('=') < 0) {
            header.add(remainder); // the event id without its closing '|': a record with no attributes
            remainder = "";
            position = text.length();
        }
        if (header.size() < FIELDS_BEFORE_ATTRIBUTES) {
            int found = header.size() + (remainder.isEmpty() || remainder.indexOf('=') >= 0 ? 0 : 1);
            throw new RecordRejectedException(QuarantineReason.MALFORMED_LEEF, version2
                    ? "LEEF:2.0 header has " + found + " of 6 fields at column " + (markerIndex + 1) + "; expected "
                            + EXPECTED_VERSION_2
                    : "LEEF:1.0 header has " + found + " of 5 fields at column " + (markerIndex + 1) + "; expected "
                            + EXPECTED_VERSION_1);
        }
        char delimiter = '\t';
        if (version2) {
            int pipe = remainder.indexOf('|');
            if (pipe >= 0 && pipe <= LONGEST_DELIMITER_FIELD && remainder.lastIndexOf('=', pipe) < 0) {
                delimiter = delimiter(remainder.substring(0, pipe), position + 1);
                remainder = remainder.substring(pipe + 1);
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("DeviceVendor", emptyToNull(header.get(1)));
        fields.put("DeviceProduct", emptyToNull(header.get(2)));
        fields.put("DeviceVersion", emptyToNull(header.get(3)));
        fields.put("DeviceEventClassID", emptyToNull(header.get(4)));
        fields.put("LEEFVersion", version);
        parseAttributes(remainder, delimiter, fields);
        return new ParsedRecord(CefParser.TABLE, fields, eventTime(fields));
    }

    private static boolean isVersion(String version, char major) {
        return version.equals(String.valueOf(major)) || version.equals(major + ".0");
    }

    private static char delimiter(String field, int column) throws RecordRejectedException {
        if (field.isEmpty()) {
            return '\t';
        }
        if (field.length() == 1) {
            return field.charAt(0);
        }
        String lower = field.toLowerCase(Locale.ROOT);
        String hex = lower.startsWith("0x") ? lower.substring(2) : lower.startsWith("x") ? lower.substring(1) : "";
        if (!hex.isEmpty() && hex.length() <= 4 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return (char) Integer.parseInt(hex, 16);
        }
        throw new RecordRejectedException(QuarantineReason.MALFORMED_LEEF, "LEEF:2.0 delimiter '"
                + TextDecoding.excerpt(field, 20) + "' at column " + column
                + " is neither one character nor a hex code such as x09");
    }

    private static void parseAttributes(String attributes, char delimiter, Map<String, Object> fields) {
        String previousColumn = null;
        int start = 0;
        int length = attributes.length();
        while (start <= length) {
            int end = attributes.indexOf(delimiter, start);
            if (end < 0) {
                end = length;
            }
            String piece = attributes.substring(start, end);
            int equals = piece.indexOf('=');
            String key = equals > 0 ? piece.substring(0, equals).strip() : "";
            if (!key.isEmpty()) {
                String column = SENTINEL_NAMES.getOrDefault(key, key);
                String value = piece.substring(equals + 1);
                fields.put(column, value.isEmpty() ? null
                        : NUMERIC_COLUMNS.contains(column) ? TextDecoding.longIfNumeric(value) : value);
                previousColumn = column;
            } else if (!piece.isBlank() && previousColumn != null) {
                Object previous = fields.get(previousColumn);
                fields.put(previousColumn, (previous == null ? "" : previous.toString()) + delimiter + piece);
            } else if (!piece.isBlank()) {
                fields.put("AdditionalExtensions", piece);
                previousColumn = "AdditionalExtensions";
            }
            start = end + 1;
        }
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private long eventTime(Map<String, Object> fields) {
        if (!(fields.get("devTime") instanceof String devTime)) {
            return ParsedRecord.UNKNOWN_TIME;
        }
        if (fields.get("devTimeFormat") instanceof String pattern) {
            long micros = parseWithPattern(devTime.strip(), pattern);
            if (micros != ParsedRecord.UNKNOWN_TIME) {
                return micros;
            }
        }
        return Timestamps.parseMicros(devTime, defaultZone);
    }

    private long parseWithPattern(String value, String pattern) {
        Optional<DateTimeFormatter> formatter = timeFormats.get(pattern);
        if (formatter == null) {
            formatter = compile(pattern);
            if (timeFormats.size() < MAX_CACHED_FORMATS) {
                timeFormats.put(pattern, formatter); // bounded: patterns come from the data
            }
        }
        if (formatter.isEmpty()) {
            return ParsedRecord.UNKNOWN_TIME;
        }
        try {
            TemporalAccessor parsed = formatter.get().parse(value);
            ZoneId zone = parsed.query(TemporalQueries.zone());
            long epochSecond;
            if (zone != null) {
                epochSecond = ZonedDateTime.of(LocalDateTime.from(parsed), zone).toEpochSecond();
            } else {
                epochSecond = LocalDateTime.from(parsed).atZone(defaultZone).toEpochSecond();
            }
            long nanos = parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.getLong(ChronoField.NANO_OF_SECOND) : 0;
            return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nanos / 1000);
        } catch (DateTimeException | ArithmeticException e) {
            return ParsedRecord.UNKNOWN_TIME;
        }
    }

    /** SimpleDateFormat patterns are, for the letters LEEF producers use, valid java.time patterns too. */
    private static Optional<DateTimeFormatter> compile(String pattern) {
        try {
            return Optional.of(new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                    .toFormatter(Locale.ENGLISH));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
