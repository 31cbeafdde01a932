package dev.vigil.report.schedule;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.report.delivery.Destination;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A report made on a cron schedule and delivered to one or more destinations.
 *
 * <h2>When it runs</h2>
 * A slot is a minute the cron expression names. The schedule is due at {@code now} when the latest slot at or before
 * {@code now} is after {@link #lastSlot()} (or, never run, not before {@link #createdAt()}, so a new schedule does not
 * fire at once for a slot that passed before it existed). Only that latest slot runs: slots missed while Vigil was
 * down are made up by one run, not one per slot.
 *
 * @param template the report template's name
 * @param parameters the report's parameters, such as {@code period=7d}; a run adds {@code as-of} (the slot) unless
 *     set here
 * @param format {@code md}, {@code html} or {@code pdf}
 * @param lastSlot the last slot claimed for a run, or null
 */
public record ReportSchedule(String name, CronSchedule cron, String template, Map<String, String> parameters,
        String format, List<Destination> destinations, String createdBy, Instant createdAt, Instant lastSlot) {
    /** The formats a report is made in. */
    public static final List<String> FORMATS = List.of("md", "html", "pdf");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ReportSchedule {
        checkName(name);
        requireNonNull(cron, "cron is null");
        requireNonNull(template, "template is null");
        template = template.strip();
        if (template.isEmpty()) {
            throw invalid("schedule '" + name + "' names no template", "Pass --template NAME, e.g. weekly-soc.");
        }
        parameters = new TreeMap<>(parameters); // sorted, so the file and listings are stable
        parameters = java.util.Collections.unmodifiableMap(parameters);
        requireNonNull(format, "format is null");
        format = format.strip().toLowerCase(java.util.Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw invalid("unknown report format '" + format + "'", "Pass --format md, html or pdf.");
        }
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty()) {
            throw invalid("schedule '" + name + "' has no destination",
                    "Pass --to-folder DIR, --to-webhook URL or --to-email ADDRESS (with --smtp-host and --from).");
        }
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(createdAt, "createdAt is null");
    }

    /** Checks a schedule name: 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("'" + name + "' is not a valid schedule name: use 1 to 64 letters, digits, '.', '_' and"
                    + " '-', starting with a letter or digit", "Pick a name such as weekly-soc-monday.");
        }
        return name;
    }

    /** The slot to run at {@code now}, if the schedule is due. */
    public Optional<Instant> dueSlot(Instant now) {
        return cron.latestAtOrBefore(now)
                .filter(slot -> lastSlot == null ? !slot.isBefore(createdAt) : slot.isAfter(lastSlot));
    }

    /** The next slot after {@code now}, if the expression has one. */
    public Optional<Instant> nextSlot(Instant now) {
        return cron.nextAfter(now);
    }

    public ReportSchedule withLastSlot(Instant slot) {
        return new ReportSchedule(name, cron, template, parameters, format, destinations, createdBy, createdAt, slot);
    }

    /** The parameters a run at {@code slot} passes to the report maker: the schedule's, and {@code as-of}. */
    public Map<String, String> parametersAt(Instant slot) {
        Map<String, String> values = new TreeMap<>(parameters);
        values.putIfAbsent("as-of", slot.toString());
        return values;
    }

    private static VigilException invalid(String message, String fix) {
        return new VigilException(ErrorCode.REPORT_SCHEDULE_INVALID, message, fix, null);
    }
}
