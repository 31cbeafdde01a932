package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.hunt.HuntSchedule;
import dev.vigil.hunt.ParameterValues;
import dev.vigil.hunt.SavedQuery;
import dev.vigil.hunt.ScheduledDetection;
import dev.vigil.model.Alert;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.TimeWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs a tenant's scheduled queries: the query-based detections. {@link #tick} runs every schedule that is due, each
 * over its lookback window, turns the rows into alerts ({@link ScheduledDetection}), applies suppression, stores the
 * new alerts and records the run. Each query is its own unit of work, committed before the next starts, so a query
 * that fails records its error and the others still run.
 *
 * <p>A server calls {@code tick} on a timer (a minute suits the shortest interval, {@code 1m}); ticks need not be
 * regular, since a schedule is due whenever its interval has passed since its last run, and a late tick runs it once
 * over the lookback before the tick. Ticking twice at the same time runs nothing the second time; forcing a run over
 * the same window stores nothing twice. A store is confined to one thread, so ticks of one tenant run one at a time.
 * Correlating the new alerts into incidents is the caller's next step, as after ingest.
 */
public final class ScheduledHunts {
    /**
     * What a tick did.
     *
     * @param runs the runs, by query name
     * @param notDue the schedules that were not due, each with when it next is
     */
    public record Tick(Instant now, List<QueryRun> runs, Map<String, Instant> notDue) {
        public Tick {
            runs = List.copyOf(runs);
            notDue = Map.copyOf(notDue);
        }

        public long alerts() {
            return runs.stream().mapToLong(QueryRun::alerts).sum();
        }

        public long suppressed() {
            return runs.stream().mapToLong(QueryRun::suppressed).sum();
        }

        public long failed() {
            return runs.stream().filter(QueryRun::failed).count();
        }
    }

    private final TenantStore store;
    private final HuntRunner runner;

    public ScheduledHunts(TenantStore store) {
        this.store = requireNonNull(store, "store is null");
        this.runner = new HuntRunner(store);
    }

    /**
     * Runs the due schedules at {@code now}.
     *
     * @param only run only these queries (each still only when due unless {@code force}); empty: all
     * @param force run even those not due
     */
    public Tick tick(Instant now, Collection<String> only, boolean force, HuntRunner.Limits limits) {
        requireNonNull(now, "now is null");
        List<QueryRun> runs = new ArrayList<>();
        Map<String, Instant> notDue = new java.util.TreeMap<>();
        for (HuntSchedule schedule : store.hunts().schedules()) {
            if (!only.isEmpty() && !only.contains(schedule.name())) {
                continue;
            }
            if (!force && !schedule.isDue(now)) {
                notDue.put(schedule.name(), schedule.nextRunAt(now));
                continue;
            }
            runs.add(run(schedule, now, limits));
        }
        return new Tick(now, runs, notDue);
    }

    /** Runs one schedule over its window at {@code now}, stores its alerts and records the run, committed. */
    public QueryRun run(HuntSchedule schedule, Instant now, HuntRunner.Limits limits) {
        TimeWindow window = schedule.window(now);
        long start = System.nanoTime();
        QueryRun run;
        try {
            run = evaluate(schedule, window, now, limits, start);
        } catch (RuntimeException e) {
            // a unit of work the failure interrupted was rolled back by the store; the other queries still run
            run = new QueryRun(schedule.name(), now, window.start(), window.end(), 0, false, 0, 0, 0, 0,
                    (System.nanoTime() - start) / 1_000_000, e instanceof VigilException ? e.getMessage()
                            : String.valueOf(e));
        }
        store.hunts().recordRun(run);
        store.commit();
        return run;
    }

    private QueryRun evaluate(HuntSchedule schedule, TimeWindow window, Instant now, HuntRunner.Limits limits,
            long start) {
        Optional<SavedQuery> saved = store.hunts().query(schedule.name());
        if (saved.isEmpty()) {
            throw new VigilException(dev.vigil.model.ErrorCode.QUERY_NOT_FOUND, "the saved query '" + schedule.name()
                    + "' of this schedule no longer exists");
        }
        SavedQuery query = saved.get();
        Map<String, Object> parameters = ParameterValues.bind(query.name(), query.parameters(), schedule.parameters());
        KqlCompiler.Compiled compiled = runner.compile(query.kql(), parameters, window);
        ScheduledDetection.checkColumns(query.name(), compiled.columns().stream().map(KqlCompiler.OutputColumn::name)
                .toList(), schedule.groupBy());
        QueryResult result = runner.execute(compiled.sql(), limits);
        String title = !schedule.title().isEmpty() ? schedule.title()
                : !query.description().isEmpty() ? query.description() : "Scheduled query " + query.name();
        String table = compiled.tables().stream().findFirst().orElse("");
        ScheduledDetection.Evaluation evaluation = ScheduledDetection.evaluate(store.tenant(), schedule, title, table,
                result.columns(), result.rows(), now);
        Set<UUID> stored = store.hunts().storedAlertIds(evaluation.candidates().stream()
                .map(c -> c.alert().id()).toList());
        ScheduledDetection.Outcome outcome = ScheduledDetection.suppress(evaluation.candidates(), stored::contains,
                store.hunts().suppressions(query.name()), schedule.suppress(), now);
        List<Alert> raised = outcome.raised();
        int added = store.appendAlerts(raised);
        store.hunts().putSuppressions(query.name(), outcome.alerted());
        return new QueryRun(schedule.name(), now, window.start(), window.end(), result.rows().size(),
                result.truncated(), added, outcome.suppressed(), outcome.alreadyStored() + raised.size() - added,
                evaluation.rowsWithoutEventId(), (System.nanoTime() - start) / 1_000_000, null);
    }
}
