package dev.vigil.hunt;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A saved query run as a detection, as Sentinel's scheduled analytics rules are: every {@code every}, over the
 * {@code lookback} before the run, each result row (or each group of rows) raising an alert.
 *
 * <p>A run is due when the schedule has never run, or when {@code lastRunAt + every <= now}. Its window is
 * {@code [now - lookback, now)}; a lookback longer than the interval makes windows overlap, which loses no late event
 * and duplicates no alert, since an alert's id comes from the query and its events.
 *
 * @param groupBy the result columns that make a group; empty: each row is its own alert
 * @param threshold the rows a group (or, ungrouped, the whole result) needs before it raises an alert; at least 1
 * @param suppress after an alert for a group (ungrouped: for the query), runs within this long raise nothing more for
 *     it; {@link Duration#ZERO} never suppresses
 * @param parameters the saved query's parameter values, as text
 * @param lastRunAt when it last ran, or null
 */
public record HuntSchedule(String name, Duration every, Duration lookback, String severity, String title,
        List<String> techniques, Duration suppress, List<String> groupBy, int threshold, Map<String, String> parameters,
        String createdBy, Instant createdAt, Instant lastRunAt) {
    /** The severities an alert can have, lowest first. */
    public static final List<String> SEVERITIES = List.of("informational", "low", "medium", "high", "critical");
    private static final Duration SHORTEST = Duration.ofMinutes(1);
    private static final Duration LONGEST = Duration.ofDays(90);
    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    public HuntSchedule {
        SavedQuery.checkName(name);
        requireNonNull(every, "every is null");
        requireNonNull(lookback, "lookback is null");
        requireNonNull(suppress, "suppress is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(createdAt, "createdAt is null");
        span("--every", every);
        span("--lookback", lookback);
        if (suppress.isNegative() || suppress.compareTo(LONGEST) > 0) {
            throw invalid("--suppress " + suppress + " is out of range", "Pass 0 (no suppression) up to 90d, e.g. --suppress 24h.");
        }
        severity = severity == null ? "medium" : severity.toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(severity)) {
            throw invalid("unknown severity '" + severity + "'", "Pass one of " + String.join(", ", SEVERITIES) + ".");
        }
        title = title == null ? "" : title.strip();
        techniques = techniques.stream().map(t -> t.strip().toUpperCase(Locale.ROOT)).toList();
        for (String technique : techniques) {
            if (!TECHNIQUE.matcher(technique).matches()) {
                throw invalid("'" + technique + "' is not an ATT&CK technique id",
                        "Pass technique ids such as T1059 or T1059.001, separated by commas.");
            }
        }
        groupBy = List.copyOf(groupBy);
        if (Set.copyOf(groupBy).size() != groupBy.size()) {
            throw invalid("--group-by names a column twice: " + String.join(",", groupBy), "Name each column once.");
        }
        if (threshold < 1) {
            throw invalid("--threshold must be at least 1, not " + threshold, "Pass --threshold N with N >= 1.");
        }
        parameters = Map.copyOf(parameters);
    }

    private static void span(String option, Duration value) {
        if (value.compareTo(SHORTEST) < 0 || value.compareTo(LONGEST) > 0) {
            throw invalid(option + " " + value + " is out of range", "Pass 1m to 90d, e.g. " + option + " 1h.");
        }
    }

    private static VigilException invalid(String message, String fix) {
        return new VigilException(ErrorCode.USAGE, message, fix, null);
    }

    /** Whether a run is due at {@code now}: never run, or the interval has passed since the last run. */
    public boolean isDue(Instant now) {
        return lastRunAt == null || !lastRunAt.plus(every).isAfter(now);
    }

    /** When the next run is due: now if it never ran. */
    public Instant nextRunAt(Instant now) {
        return lastRunAt == null ? now : lastRunAt.plus(every);
    }

    /** The window of a run at {@code now}: the lookback before it. */
    public TimeWindow window(Instant now) {
        return new TimeWindow(now.minus(lookback), now);
    }

    /** The alerts' rule id: {@code kql:NAME}. */
    public String ruleId() {
        return ruleId(name);
    }

    public static String ruleId(String queryName) {
        return "kql:" + queryName;
    }

    /** The same schedule, run at {@code at}. */
    public HuntSchedule ranAt(Instant at) {
        return new HuntSchedule(name, every, lookback, severity, title, techniques, suppress, groupBy, threshold,
                parameters, createdBy, createdAt, at);
    }

    /**
     * A duration option: {@code 1h}, {@code 30m}, {@code 1d}, {@code 90s}, or {@code 0} (only where zero is allowed).
     *
     * @throws VigilException {@code USAGE} naming the option
     */
    public static Duration duration(String option, String text) {
        if (text != null && text.strip().equals("0")) {
            return Duration.ZERO;
        }
        try {
            return ParameterValues.timespan(requireNonNull(text, "text is null"));
        } catch (IllegalArgumentException e) {
            throw invalid(option + " '" + text + "' is not a duration", "Pass a number and a unit: 30m, 1h, 1d.");
        }
    }

    /** A duration as people write it: {@code 1h}, {@code 90m}, {@code 1d}. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return "0";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
