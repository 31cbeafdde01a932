package dev.vigil.report.schedule;

import static java.util.Objects.requireNonNull;

import dev.vigil.report.delivery.DeliveryResult;
import java.time.Instant;
import java.util.List;

/**
 * One run of a report schedule: the slot it served, the report it made, and what each destination did with it.
 *
 * @param startedAt when the run claimed its slot
 * @param finishedAt when the last delivery ended, or null while it runs (or if the process stopped during it)
 * @param fileName the report's file name, or empty if it was not made
 * @param bytes the report's size
 * @param error why the report could not be made, or empty
 */
public record ScheduleRun(String name, Instant slot, Instant startedAt, Instant finishedAt, Outcome outcome,
        String title, String fileName, long bytes, String error, List<DeliveryResult> deliveries) {
    /** How a run ended. */
    public enum Outcome {
        /** Claimed and not finished: running now, or stopped by a crash (the slot is not run again). */
        STARTED,
        /** Made and delivered everywhere. */
        DELIVERED,
        /** Made, and delivered to some destinations but not all. */
        PARTIAL,
        /** Not made, or delivered nowhere. */
        FAILED
    }

    public ScheduleRun {
        requireNonNull(name, "name is null");
        requireNonNull(slot, "slot is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(outcome, "outcome is null");
        title = title == null ? "" : title;
        fileName = fileName == null ? "" : fileName;
        error = error == null ? "" : error;
        deliveries = List.copyOf(deliveries);
    }

    static ScheduleRun started(String name, Instant slot, Instant startedAt) {
        return new ScheduleRun(name, slot, startedAt, null, Outcome.STARTED, "", "", 0, "", List.of());
    }

    /** The outcome the deliveries make: all delivered, some, or none. */
    static Outcome outcomeOf(List<DeliveryResult> deliveries) {
        long delivered = deliveries.stream().filter(DeliveryResult::delivered).count();
        return delivered == deliveries.size() && delivered > 0 ? Outcome.DELIVERED
                : delivered > 0 ? Outcome.PARTIAL : Outcome.FAILED;
    }

    public boolean failed() {
        return outcome == Outcome.FAILED || outcome == Outcome.PARTIAL;
    }
}
