package dev.vigil.copilot.understand;

import dev.vigil.copilot.EntityType;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incident references, numbers and durations, read from the {@link FormText} so that "incidnet 12" and "three
 * hours" are found.
 *
 * <ul>
 *   <li><b>INCIDENT</b>: "incident 12", "incident #12", "incidents 12", "inc 12", "case 12", "ticket 12" and a bare
 *       {@code #12}; the value is the number without leading zeros.
 *   <li><b>NUMBER</b>: digits, and the number words one to twenty ("top five"); not digits inside a name, a
 *       version or a clock time.
 *   <li><b>DURATION</b>: "3 hours", "90 minutes", "2d", "two weeks", in the hunting language's timespan form:
 *       {@code 3h}, {@code 90m}, {@code 2d}, {@code 14d} (weeks are days), {@code 30s}.
 * </ul>
 */
final class Quantities {
    private Quantities() {}

    private static final String NUMBER_WORD = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
            + "|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty";
    private static final Pattern INCIDENT = Pattern.compile("(?<![\\w#&])(?:(incidents?|inc|case|ticket)\\s*"
            + "(?:#|no\\.?\\s*|number\\s+)?|#)(\\d{1,9})(?![\\w.])");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.#:/\\\\-])(\\d{1,12}|" + NUMBER_WORD
            + ")(?![\\w:/\\\\-]|\\.\\d)");
    private static final Pattern DURATION = Pattern.compile("(?<![\\w.#:/\\\\-])(\\d{1,6}|" + NUMBER_WORD
            + ")(?:\\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?)|(s|m|h|d|w))(?![\\w-])");

    static void find(FormText form, String normalized, List<Candidate> into) {
        String text = form.text();
        Matcher incident = INCIDENT.matcher(text);
        while (incident.find()) {
            double confidence = incident.group(1) == null || incident.group(1).startsWith("incident") ? 1.0 : 0.9;
            add(form, normalized, incident, EntityType.INCIDENT, Long.toString(Long.parseLong(incident.group(2))),
                    confidence, into);
        }
        Matcher duration = DURATION.matcher(text);
        while (duration.find()) {
            long count = TimeExpressions.count(duration.group(1));
            String unit = duration.group(2) != null ? duration.group(2) : duration.group(3);
            String canonical = switch (unit.charAt(0)) {
                case 's' -> count + "s";
                case 'm' -> count + "m";
                case 'h' -> count + "h";
                case 'd' -> count + "d";
                default -> count * 7 + "d";
            };
            if (count > 0) {
                add(form, normalized, duration, EntityType.DURATION, canonical, 1.0, into);
            }
        }
        Matcher number = NUMBER.matcher(text);
        while (number.find()) {
            boolean digits = Character.isDigit(number.group(1).charAt(0));
            String value = digits ? number.group(1).replaceFirst("^0+(?=\\d)", "")
                    : Integer.toString(TimeExpressions.count(number.group(1)));
            add(form, normalized, number, EntityType.NUMBER, value, digits ? 1.0 : 0.8, into);
        }
    }

    private static void add(FormText form, String normalized, Matcher matcher, EntityType type, String value,
            double confidence, List<Candidate> into) {
        int start = form.sourceStart(matcher.start());
        int end = form.sourceEnd(matcher.end());
        into.add(Candidate.of(type, value, normalized.substring(start, end), start, end, confidence,
                Candidate.Source.PATTERN));
    }
}
