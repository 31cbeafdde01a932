package dev.vigil.cli;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times given on the command line, such as {@code --since}: a duration back from now ({@code 30d}, {@code 24h},
 * {@code 15m}) or an ISO-8601 date or time ({@code 2024-05-01}, {@code 2024-05-01T12:00:00Z}). A date or time
 * without an offset is UTC, as the store's times are.
 */
final class TimeArguments {
    static final String ACCEPTED = "a duration back from now such as 30d, 24h or 15m, or an ISO date or time such"
            + " as 2024-05-01 or 2024-05-01T12:00:00Z (UTC unless it names an offset)";
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})\\s*([dhm])");

    private TimeArguments() {}

    /**
     * The instant an option's value names, in microseconds since the epoch.
     *
     * @param option the option's name, for the error, e.g. {@code --since}
     * @throws VigilException {@code USAGE} naming the value and the accepted forms
     */
    static long micros(String option, String value, Clock clock) {
        Instant instant = instant(option, value, clock);
        try {
            return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
        } catch (ArithmeticException e) {
            throw invalid(option, value);
        }
    }

    static Instant instant(String option, String value, Clock clock) {
        String text = value == null ? "" : value.strip();
        Matcher relative = RELATIVE.matcher(text.toLowerCase(java.util.Locale.ROOT));
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration back = switch (relative.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
            try {
                return clock.instant().minus(back);
            } catch (DateTimeException | ArithmeticException e) {
                throw invalid(option, value);
            }
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            String iso = text.replace(' ', 'T');
            if (iso.endsWith("Z") || iso.endsWith("z")) {
                return Instant.parse(iso.substring(0, iso.length() - 1) + "Z");
            }
            if (iso.matches(".*[+-]\\d{2}:?\\d{2}$") && iso.indexOf('T') > 0) {
                return OffsetDateTime.parse(iso).toInstant();
            }
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException | ArithmeticException e) {
            throw invalid(option, value);
        }
    }

    private static VigilException invalid(String option, String value) {
        return new VigilException(ErrorCode.USAGE, option + " '" + value + "' is not a time Vigil understands",
                "Give " + option + " " + ACCEPTED + ".", null);
    }
}
