package dev.vigil.report.build;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.report.Audience;
import dev.vigil.report.ReportPeriod;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report's parameters, read once from the names the command line, the REST body and schedules share: {@code period}
 * ({@code 7d}, {@code 30d}, {@code 2026-11-01..2026-11-29}), {@code as-of} (a day, {@code 2026-11-29}, meaning up to
 * its end, or an instant), {@code audience}, {@code sections} and {@code without} (section ids, comma-separated),
 * {@code org}, {@code logo} (a file), {@code colour}, and the subjects and filters {@code incident}, {@code actor},
 * {@code session}, {@code host}, {@code user} and {@code severity}. An unknown name is an error that names the nearest
 * known one.
 *
 * <p>The as-of time is never the wall clock's instant: without {@code as-of} it is the end of the given day (today,
 * UTC), so that reports made on the same day from the same data are the same.
 */
public record ReportParameters(Optional<String> period, Instant asOf, Optional<Audience> audience, List<String> only,
        List<String> without, String organization, Optional<String> logo, String colour,
        Map<String, String> subjects) {
    /** The parameter names, as given without dashes. */
    public static final List<String> NAMES = List.of("period", "as-of", "audience", "sections", "without", "org",
            "logo", "colour", "incident", "actor", "session", "host", "user", "severity");
    private static final List<String> SUBJECTS = List.of("incident", "actor", "session", "host", "user", "severity");
    private static final Pattern DAYS = Pattern.compile("([1-9][0-9]{0,3})d");
    private static final Pattern RANGE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})\\.\\.(\\d{4}-\\d{2}-\\d{2})");

    public ReportParameters {
        requireNonNull(period, "period is null");
        requireNonNull(asOf, "asOf is null");
        requireNonNull(audience, "audience is null");
        only = List.copyOf(only);
        without = List.copyOf(without);
        requireNonNull(organization, "organization is null");
        requireNonNull(logo, "logo is null");
        requireNonNull(colour, "colour is null");
        subjects = java.util.Collections.unmodifiableMap(new TreeMap<>(subjects));
    }

    /**
     * Reads parameters by name (a leading {@code --} is ignored, and {@code as_of} reads as {@code as-of}).
     *
     * @param today the day the report is made, for a default as-of time
     * @throws VigilException naming the parameter and how to write it
     */
    public static ReportParameters parse(Map<String, String> values, LocalDate today) {
        Map<String, String> byName = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            String name = key.strip().replaceFirst("^--", "").replace('_', '-');
            if (name.equals("color")) {
                name = "colour";
            }
            if (!NAMES.contains(name)) {
                throw new VigilException(ErrorCode.USAGE, "'" + key + "' is not a report parameter", "Use "
                        + String.join(", ", NAMES) + nearest(name) + ".", null);
            }
            if (value != null && !value.isBlank()) {
                byName.put(name, value.strip());
            }
        });
        Instant asOf = Optional.ofNullable(byName.get("as-of")).map(ReportParameters::asOf)
                .orElse(today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Optional<Audience> audience = Optional.ofNullable(byName.get("audience")).map(word -> Audience.of(word)
                .filter(a -> a != Audience.BOTH).orElseThrow(() -> new VigilException(ErrorCode.USAGE, "'" + word
                        + "' is not an audience", "Use executive or technical.", null)));
        Map<String, String> subjects = new LinkedHashMap<>();
        SUBJECTS.forEach(s -> Optional.ofNullable(byName.get(s)).ifPresent(v -> subjects.put(s, v)));
        Optional<String> period = Optional.ofNullable(byName.get("period"));
        period.ifPresent(p -> period(p, asOf)); // checked now, so a schedule with a bad period fails when saved
        if (byName.containsKey("sections") && byName.containsKey("without")) {
            throw new VigilException(ErrorCode.USAGE, "sections and without were both given",
                    "Name the sections wanted with --sections, or those left out with --without, not both.", null);
        }
        return new ReportParameters(period, asOf, audience, ids(byName.get("sections")), ids(byName.get("without")),
                byName.getOrDefault("org", ""), Optional.ofNullable(byName.get("logo")),
                byName.getOrDefault("colour", ""), subjects);
    }

    /**
     * The period a template's report covers: the period asked for, else the template's own; a template without one
     * (an incident, the posture, a session) describes the state as of the as-of time.
     */
    public ReportPeriod periodFor(String templatePeriod) {
        String asked = period.orElse(templatePeriod);
        return asked.isBlank() ? ReportPeriod.upTo(asOf) : period(asked, asOf);
    }

    static ReportPeriod period(String text, Instant asOf) {
        Matcher days = DAYS.matcher(text);
        if (days.matches()) {
            int n = Integer.parseInt(days.group(1));
            return new ReportPeriod(asOf.minus(Duration.ofDays(n)), asOf, "last " + n + (n == 1 ? " day" : " days"));
        }
        Matcher range = RANGE.matcher(text);
        if (range.matches()) {
            try {
                LocalDate first = LocalDate.parse(range.group(1));
                LocalDate last = LocalDate.parse(range.group(2));
                if (last.isBefore(first)) {
                    throw new VigilException(ErrorCode.USAGE, "the period " + text + " ends before it starts",
                            "Write the first day, then the last: 2026-11-01..2026-11-29.", null);
                }
                return new ReportPeriod(first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                        last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), first + " to " + last);
            } catch (DateTimeParseException e) {
                throw new VigilException(ErrorCode.USAGE, "'" + text + "' holds a day that does not exist",
                        "Write real days: 2026-11-01..2026-11-29.", e);
            }
        }
        throw new VigilException(ErrorCode.USAGE, "'" + text + "' is not a period", "Write a number of days (7d,"
                + " 30d) or a range of days (2026-11-01..2026-11-29).", null);
    }

    private static Instant asOf(String text) {
        try {
            return LocalDate.parse(text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADay) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new VigilException(ErrorCode.USAGE, "'" + text + "' is not a day or an instant", "Write the"
                        + " as-of day as 2026-11-29 (the report covers up to its end) or an instant such as"
                        + " 2026-11-29T18:00:00Z.", e);
            }
        }
    }

    private static List<String> ids(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static String nearest(String name) {
        return NAMES.stream().min(Comparator.comparingInt((String n) -> distance(name, n)))
                .filter(n -> distance(name, n) <= 2).map(n -> " (did you mean '" + n + "'?)").orElse("");
    }

    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }

    /** The parameters as a report shows them: the subjects and filters, by name. */
    public Map<String, String> shown() {
        Map<String, String> shown = new TreeMap<>(subjects);
        if (!only.isEmpty()) {
            shown.put("sections", String.join(",", only));
        }
        if (!without.isEmpty()) {
            shown.put("without", String.join(",", without));
        }
        return shown;
    }
}
