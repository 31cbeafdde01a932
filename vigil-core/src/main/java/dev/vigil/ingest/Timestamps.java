package dev.vigil.ingest;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * Parses the timestamps found in security logs into microseconds since the epoch, keeping their zone. A timestamp
 * without a zone is read in the given default zone (UTC unless configured), which is what Windows {@code UtcTime}
 * and most exports mean. Returns {@link ParsedRecord#UNKNOWN_TIME} for text that is not a timestamp; never throws.
 *
 * <p>The common ISO-8601 shapes ({@code 2024-05-01T10:00:00.1234567Z}, with a space instead of {@code T}, with an
 * offset or none, with up to nine fraction digits) take a hand-written fast path, since every event has one; the
 * rest (RFC 1123, {@code 01/05/2024 10:00:00}, epoch numbers) go through {@link DateTimeFormatter}.
 */
public final class Timestamps {
    private static final List<DateTimeFormatter> FALLBACK_WITH_ZONE = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ISO_ZONED_DATE_TIME,
            DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss[.SSS] zzz", Locale.ROOT),
            DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss[.SSS] XXX", Locale.ROOT));
    private static final List<DateTimeFormatter> FALLBACK_LOCAL = List.of(
            DateTimeFormatter.ofPattern("M/d/yyyy[ h:mm:ss[.SSS] a][ H:mm:ss[.SSS]]", Locale.ROOT),
            // Azure portal exports: "5/1/2024, 10:00:00.123 AM"
            DateTimeFormatter.ofPattern("M/d/yyyy, h:mm:ss[.SSS] a", Locale.ROOT),
            DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss[.SSS]", Locale.ROOT),
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss[ Z]", Locale.ROOT));

    private Timestamps() {}

    public static long parseMicros(String text) {
        return parseMicros(text, ZoneOffset.UTC);
    }

    public static long parseMicros(String text, ZoneId defaultZone) {
        if (text == null) {
            return ParsedRecord.UNKNOWN_TIME;
        }
        String s = text.strip();
        if (s.length() < 8) {
            return ParsedRecord.UNKNOWN_TIME;
        }
        long fast = parseIso(s, defaultZone);
        if (fast != ParsedRecord.UNKNOWN_TIME) {
            return fast;
        }
        return parseSlow(s, defaultZone);
    }

    /** Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude (years 1973 to 2286). */
    public static long fromEpochNumber(double value) {
        double abs = Math.abs(value);
        if (!(abs < 1e19)) {
            return ParsedRecord.UNKNOWN_TIME; // past nanoseconds in 2286, or NaN: not a time, and would overflow
        } else if (abs >= 1e17) {
            return (long) (value / 1000);
        } else if (abs >= 1e14) {
            return (long) value;
        } else if (abs >= 1e11) {
            return (long) (value * 1000);
        } else if (abs >= 1e8) {
            return (long) (value * 1_000_000);
        }
        return ParsedRecord.UNKNOWN_TIME;
    }

    private static long parseIso(String s, ZoneId defaultZone) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return ParsedRecord.UNKNOWN_TIME;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != ' ' && t != 't') {
            return ParsedRecord.UNKNOWN_TIME;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 60) {
            return ParsedRecord.UNKNOWN_TIME;
        }
        int i = 19;
        long nanos = 0;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
            int fractionDigits = 0;
            while (i < n && Character.isDigit(s.charAt(i))) {
                if (fractionDigits < 9) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                    fractionDigits++;
                }
                i++;
            }
            if (fractionDigits == 0) {
                return ParsedRecord.UNKNOWN_TIME;
            }
            for (int k = fractionDigits; k < 9; k++) {
                nanos *= 10;
            }
        }
        while (i < n && s.charAt(i) == ' ') {
            i++;
        }
        long offsetSeconds;
        if (i == n) {
            if (defaultZone instanceof ZoneOffset offset) {
                offsetSeconds = offset.getTotalSeconds();
            } else {
                return parseSlow(s, defaultZone);
            }
        } else {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i == n - 1) {
                offsetSeconds = 0;
            } else if ((z == '+' || z == '-') && (n - i == 6 || n - i == 5 || n - i == 3)) {
                int oh = digits(s, i + 1, 2);
                int om = n - i == 3 ? 0 : digits(s, n - 2, 2);
                if (oh < 0 || om < 0 || oh > 18 || (n - i == 6 && s.charAt(i + 3) != ':')) {
                    return ParsedRecord.UNKNOWN_TIME;
                }
                offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
            } else if (s.regionMatches(true, i, "UTC", 0, 3) && i + 3 == n) {
                offsetSeconds = 0;
            } else {
                return ParsedRecord.UNKNOWN_TIME;
            }
        }
        if (second == 60) {
            second = 59; // leap second: keep the instant within the minute
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return ParsedRecord.UNKNOWN_TIME;
        }
        long epochSeconds = days * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSeconds * 1_000_000L + nanos / 1000;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long parseSlow(String s, ZoneId defaultZone) {
        if (isNumber(s)) {
            try {
                return fromEpochNumber(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                return ParsedRecord.UNKNOWN_TIME;
            }
        }
        for (DateTimeFormatter formatter : FALLBACK_WITH_ZONE) {
            try {
                TemporalAccessor parsed = formatter.parse(s);
                return toMicros(ZonedDateTime.from(parsed).toInstant().getEpochSecond(), parsed);
            } catch (DateTimeException e) {
                // try the next shape
            }
        }
        try {
            LocalDateTime local = LocalDateTime.parse(s.replace(' ', 'T'));
            return toMicros(local.atZone(defaultZone).toEpochSecond(), local);
        } catch (DateTimeParseException e) {
            // try the next shape
        }
        try {
            OffsetDateTime offset = OffsetDateTime.parse(s.replace(' ', 'T'));
            return toMicros(offset.toEpochSecond(), offset);
        } catch (DateTimeParseException e) {
            // try the next shape
        }
        for (DateTimeFormatter formatter : FALLBACK_LOCAL) {
            try {
                TemporalAccessor parsed = formatter.parse(s);
                if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                    return toMicros(OffsetDateTime.from(parsed).toEpochSecond(), parsed);
                }
                LocalDateTime local = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                        ? LocalDateTime.from(parsed)
                        : LocalDate.from(parsed).atStartOfDay();
                return toMicros(local.atZone(defaultZone).toEpochSecond(), parsed);
            } catch (DateTimeException e) {
                // try the next shape
            }
        }
        return ParsedRecord.UNKNOWN_TIME;
    }

    private static long toMicros(long epochSeconds, TemporalAccessor parsed) {
        long nanos = parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.getLong(ChronoField.NANO_OF_SECOND) : 0;
        return epochSeconds * 1_000_000L + nanos / 1000;
    }

    private static boolean isNumber(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots <= 1;
    }

    /** Formats epoch microseconds as ISO-8601 UTC with microseconds, as answers and summaries show them. */
    public static String format(long micros) {
        return DateTimeFormatter.ISO_INSTANT.format(
                java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000));
    }
}
