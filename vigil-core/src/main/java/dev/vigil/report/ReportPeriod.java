package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The period a report covers: {@code from} inclusive, {@code to} exclusive. {@code to} is also the report's as-of
 * time: a report is generated for it, never for the wall clock, so the same data gives the same report.
 *
 * @param text how the period was asked for ("last 30 days", "2026-11-01 to 2026-11-29")
 */
public record ReportPeriod(Instant from, Instant to, String text) {
    public ReportPeriod {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(text, "text is null");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a period must start before it ends: " + from + " .. " + to);
        }
    }

    /**
     * A point in time rather than a span: all data up to {@code to}, for reports that describe a state (the posture
     * now, an incident, a session) rather than a period.
     */
    public static ReportPeriod upTo(Instant to) {
        return new ReportPeriod(Instant.EPOCH, to, "as of " + LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC));
    }

    /** Whether this is a point in time ({@link #upTo}) rather than a span. */
    public boolean pointInTime() {
        return from.equals(Instant.EPOCH);
    }

    /** The first day covered (UTC). */
    public LocalDate firstDay() {
        return LocalDate.ofInstant(from, ZoneOffset.UTC);
    }

    /** The last day covered (UTC): the day of the instant just before {@code to}. */
    public LocalDate lastDay() {
        return LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
    }
}
