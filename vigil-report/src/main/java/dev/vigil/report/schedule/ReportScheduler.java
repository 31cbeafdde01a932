package dev.vigil.report.schedule;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.VigilException;
import dev.vigil.report.build.RenderedReport;
import dev.vigil.report.build.ReportMaker;
import dev.vigil.report.delivery.Delivery;
import dev.vigil.report.delivery.DeliveryResult;
import dev.vigil.report.delivery.Destination;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a tenant's due report schedules: makes each report and delivers it to every destination of its schedule.
 *
 * <h2>Each slot runs once</h2>
 * A tick first claims the slots it will run, under the schedules' lock, by writing each schedule's new last slot to
 * disk; only then does it make and deliver the reports, outside the lock. A second tick, in this process or another,
 * finds the slots claimed and runs nothing, and a crash after the claim loses that run rather than repeating it (the
 * run stays recorded as started, which {@code runs} shows). Slots missed while nothing ticked are made up by one run
 * of the latest slot ({@link ReportSchedule#dueSlot}).
 *
 * <h2>Failures</h2>
 * A report that cannot be made, or a destination that does not take it, is recorded in the run, and the other
 * schedules and destinations still run. Nothing is retried at the next tick: the slot was served, and the run record
 * says what went wrong.
 */
public final class ReportScheduler {
    /**
     * What a tick did.
     *
     * @param runs the runs made, by schedule name
     * @param notDue the schedules not due, each with its next slot (absent if it has none)
     */
    public record Tick(Instant now, List<ScheduleRun> runs, Map<String, Instant> notDue) {
        public Tick {
            runs = List.copyOf(runs);
            notDue = java.util.Collections.unmodifiableMap(new TreeMap<>(notDue));
        }

        public long failed() {
            return runs.stream().filter(ScheduleRun::failed).count();
        }
    }

    private final ReportSchedules schedules;
    private final ReportMaker maker;
    private final Function<Destination, Delivery> deliveries;
    private final Clock clock;

    /**
     * @param maker makes a report from a template, the entry point the CLI and the server share
     * @param deliveries the delivery for a destination, e.g. {@code d -> Deliveries.of(d, System::getenv)}
     * @param clock when runs start and finish, for their records
     */
    public ReportScheduler(ReportSchedules schedules, ReportMaker maker, Function<Destination, Delivery> deliveries,
            Clock clock) {
        this.schedules = requireNonNull(schedules, "schedules is null");
        this.maker = requireNonNull(maker, "maker is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Runs every due schedule at {@code now}. */
    public Tick tick(Instant now) {
        return tick(now, List.of(), false, run -> {});
    }

    /**
     * Runs the due schedules at {@code now}.
     *
     * @param only run only these schedules; empty: all
     * @param force run them even if not due, for the slot of the current minute (unless that slot already ran)
     * @param progress told of each run as it starts ({@link ScheduleRun.Outcome#STARTED}) and as it ends
     */
    public Tick tick(Instant now, Collection<String> only, boolean force, Consumer<ScheduleRun> progress) {
        requireNonNull(now, "now is null");
        List<ReportSchedule> claimed = new ArrayList<>();
        Map<String, Instant> notDue = new TreeMap<>();
        schedules.locked(() -> {
            List<ReportSchedule> all = schedules.list();
            List<ReportSchedule> updated = new ArrayList<>();
            for (ReportSchedule schedule : all) {
                java.util.Optional<Instant> slot = !only.isEmpty() && !only.contains(schedule.name())
                        ? java.util.Optional.empty() : force ? forced(schedule, now) : schedule.dueSlot(now);
                if (slot.isEmpty()) {
                    updated.add(schedule);
                    if (only.isEmpty() || only.contains(schedule.name())) {
                        schedule.nextSlot(now).ifPresent(next -> notDue.put(schedule.name(), next));
                    }
                    continue;
                }
                ReportSchedule claim = schedule.withLastSlot(slot.get());
                updated.add(claim);
                claimed.add(claim);
            }
            if (!claimed.isEmpty()) {
                schedules.write(updated); // durable before anything is made or sent
                for (ReportSchedule claim : claimed) {
                    schedules.record(ScheduleRun.started(claim.name(), claim.lastSlot(), clock.instant()));
                }
            }
            return null;
        });
        List<ScheduleRun> runs = new ArrayList<>();
        for (ReportSchedule schedule : claimed) {
            Instant startedAt = clock.instant();
            progress.accept(ScheduleRun.started(schedule.name(), schedule.lastSlot(), startedAt));
            ScheduleRun run = run(schedule, schedule.lastSlot(), startedAt);
            schedules.record(run);
            progress.accept(run);
            runs.add(run);
        }
        return new Tick(now, runs, notDue);
    }

    private static java.util.Optional<Instant> forced(ReportSchedule schedule, Instant now) {
        Instant slot = now.truncatedTo(ChronoUnit.MINUTES);
        return schedule.lastSlot() != null && !slot.isAfter(schedule.lastSlot()) ? java.util.Optional.empty()
                : java.util.Optional.of(slot);
    }

    private ScheduleRun run(ReportSchedule schedule, Instant slot, Instant startedAt) {
        Map<String, String> parameters = schedule.parametersAt(slot);
        String tenant = schedules.tenant().value();
        RenderedReport report;
        try {
            report = maker.make(tenant, schedule.template(), parameters, schedule.format());
        } catch (RuntimeException e) {
            String error = e instanceof VigilException vigil ? vigil.getMessage() + " (" + vigil.fix() + ")"
                    : e.toString();
            return new ScheduleRun(schedule.name(), slot, startedAt, clock.instant(), ScheduleRun.Outcome.FAILED, "",
                    "", 0, "the report could not be made: " + error, List.of());
        }
        Delivery.Context context = new Delivery.Context(tenant, schedule.template(), schedule.name(), slot,
                parameters);
        List<DeliveryResult> results = new ArrayList<>();
        for (Destination destination : schedule.destinations()) {
            try {
                results.add(deliveries.apply(destination).deliver(report, context));
            } catch (RuntimeException e) {
                results.add(new DeliveryResult(destination.describe(), false, "not delivered: " + e, 0));
            }
        }
        return new ScheduleRun(schedule.name(), slot, startedAt, clock.instant(), ScheduleRun.outcomeOf(results),
                report.title(), report.fileName(), report.bytes().length, "", results);
    }
}
