package dev.vigil.report.schedule;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * A standard five-field Unix cron expression ({@code minute hour day-of-month month day-of-week}, e.g.
 * {@code 0 8 * * MON}) in a time zone, read by cron-utils. Day and month names (MON, JAN) are allowed, as are ranges,
 * lists and steps ({@code 1-5}, {@code 1,15}, {@code *}{@code /15}); Sunday is 0 or 7. When both day fields are
 * restricted, a day matching either runs, as in Vixie cron.
 *
 * <p>A slot is a minute the expression names. {@link #latestAtOrBefore(Instant)} is what a tick runs: the one latest
 * slot, so runs missed while Vigil was down are made up once, not once per missed slot.
 */
public final class CronSchedule {
    /** The fields in order, as errors name them. */
    static final List<String> FIELDS = List.of("minute", "hour", "day-of-month", "month", "day-of-week");
    private static final List<String> RANGES = List.of("0-59", "0-23", "1-31", "1-12 or JAN-DEC", "0-7 or SUN-SAT");
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime execution;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime execution) {
        this.expression = expression;
        this.zone = zone;
        this.execution = execution;
    }

    /**
     * Reads an expression.
     *
     * @param zone the zone its hours are in, an IANA id such as {@code Europe/Paris} or {@code UTC}
     * @throws VigilException {@link ErrorCode#REPORT_SCHEDULE_INVALID} naming the field at fault and its range, or
     *     the zone
     */
    public static CronSchedule parse(String expression, String zone) {
        requireNonNull(expression, "expression is null");
        String normalized = expression.strip().replaceAll("\\s+", " ");
        ZoneId zoneId = zone(zone);
        String[] fields = normalized.isEmpty() ? new String[0] : normalized.split(" ");
        if (fields.length != 5) {
            throw invalid("cron expression '" + expression + "' has " + fields.length + " field"
                    + (fields.length == 1 ? "" : "s") + "; it needs 5: minute hour day-of-month month day-of-week",
                    "Write it like '0 8 * * MON' (08:00 every Monday) or '30 6 1 * *' (06:30 on the 1st of each"
                            + " month).");
        }
        Cron cron;
        try {
            cron = PARSER.parse(normalized).validate();
        } catch (IllegalArgumentException e) {
            throw fieldError(expression, fields, e);
        }
        ExecutionTime execution = ExecutionTime.forCron(cron);
        CronSchedule schedule = new CronSchedule(normalized, zoneId, execution);
        if (schedule.nextAfter(Instant.parse("2000-01-01T00:00:00Z")).isEmpty()) {
            throw invalid("cron expression '" + expression + "' names no day that exists (such as 31 February)",
                    "Choose a day of the month every chosen month has, e.g. 1 to 28.");
        }
        return schedule;
    }

    /** Finds the first field that fails on its own, with the others left as '*', so the error can name it. */
    private static VigilException fieldError(String expression, String[] fields, IllegalArgumentException cause) {
        for (int i = 0; i < fields.length; i++) {
            String[] alone = {"*", "*", "*", "*", "*"};
            alone[i] = fields[i];
            try {
                PARSER.parse(String.join(" ", alone)).validate();
            } catch (IllegalArgumentException e) {
                return invalid("cron expression '" + expression + "': the " + FIELDS.get(i) + " field '" + fields[i]
                        + "' is not valid (" + reason(e) + ")", "The " + FIELDS.get(i) + " field takes " + RANGES.get(i)
                        + ", '*', ranges (1-5), lists (1,15) and steps (*/15).");
            }
        }
        return invalid("cron expression '" + expression + "' is not valid (" + reason(cause) + ")",
                "Write five fields: minute hour day-of-month month day-of-week, e.g. '0 8 * * MON'.");
    }

    private static String reason(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage()).replace("Failed to parse cron expression. ", "");
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw invalid("unknown time zone '" + zone + "'", "Pass an IANA zone id such as UTC, Europe/Paris or"
                    + " America/New_York.");
        }
    }

    private static VigilException invalid(String message, String fix) {
        return new VigilException(ErrorCode.REPORT_SCHEDULE_INVALID, message, fix, null);
    }

    /** The expression, its fields separated by single spaces. */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first slot strictly after {@code instant}, if the expression names one. */
    public Optional<Instant> nextAfter(Instant instant) {
        return execution.nextExecution(ZonedDateTime.ofInstant(instant, zone)).map(ZonedDateTime::toInstant);
    }

    /** The latest slot at or before {@code instant}, if any. */
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        // cron-utils' last execution is strictly before its argument; slots are whole minutes
        Instant justAfter = instant.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return execution.lastExecution(ZonedDateTime.ofInstant(justAfter, zone)).map(ZonedDateTime::toInstant)
                .filter(slot -> !slot.isAfter(instant));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule that && expression.equals(that.expression) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return expression.hashCode() * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return expression + (zone.getId().equals("UTC") ? "" : " (" + zone.getId() + ")");
    }
}
