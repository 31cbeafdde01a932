package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.hunt.HuntSchedule;
import dev.vigil.hunt.ParameterValues;
import dev.vigil.hunt.SavedQuery;
import dev.vigil.hunt.ScheduledDetection;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.QueryRun;
import dev.vigil.store.ScheduledHunts;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code vigil hunt schedule|schedules|unschedule|tick|runs}: saved queries run as detections. */
final class HuntScheduleCommands {
    private HuntScheduleCommands() {}

    static Map<String, Object> json(HuntSchedule schedule, QueryRun lastRun, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", schedule.name());
        body.put("every", HuntSchedule.format(schedule.every()));
        body.put("lookback", HuntSchedule.format(schedule.lookback()));
        body.put("severity", schedule.severity());
        body.put("title", schedule.title());
        body.put("techniques", schedule.techniques());
        body.put("suppress", HuntSchedule.format(schedule.suppress()));
        body.put("group_by", schedule.groupBy());
        body.put("threshold", schedule.threshold());
        body.put("parameters", schedule.parameters());
        if (now != null) {
            body.put("created_by", schedule.createdBy());
            body.put("created_at", schedule.createdAt().toString());
            body.put("last_run_at", schedule.lastRunAt() == null ? null : schedule.lastRunAt().toString());
            body.put("next_run_at", schedule.nextRunAt(now).toString());
            body.put("due", schedule.isDue(now));
            body.put("last_run", lastRun == null ? null : run(lastRun));
        }
        return body;
    }

    /** A schedule as {@code export} writes it, for {@code import}: it runs at the next tick. */
    static HuntSchedule fromJson(String name, JsonNode node, Principal principal, Instant now) {
        List<String> techniques = new ArrayList<>();
        node.path("techniques").forEach(t -> techniques.add(t.asString()));
        List<String> groupBy = new ArrayList<>();
        node.path("group_by").forEach(g -> groupBy.add(g.asString()));
        Map<String, String> parameters = new LinkedHashMap<>();
        node.path("parameters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asString()));
        return new HuntSchedule(name, HuntSchedule.duration("every", node.path("every").asString()),
                HuntSchedule.duration("lookback", node.path("lookback").asString()), node.path("severity").asString(),
                node.path("title").asString(""), techniques, HuntSchedule.duration("suppress",
                node.path("suppress").asString("0")), groupBy, node.path("threshold").asInt(1), parameters,
                principal.name(), now, null);
    }

    static Map<String, Object> run(QueryRun run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", run.name());
        body.put("run_at", run.runAt().toString());
        body.put("window_start", run.windowStart().toString());
        body.put("window_end", run.windowEnd().toString());
        body.put("rows", run.rows());
        body.put("truncated", run.truncated());
        body.put("alerts", run.alerts());
        body.put("suppressed", run.suppressed());
        body.put("already_stored", run.alreadyStored());
        body.put("rows_without_event_id", run.rowsWithoutEventId());
        body.put("milliseconds", run.millis());
        body.put("error", run.error());
        return body;
    }

    private static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
    }

    /** {@code vigil hunt schedule NAME}. */
    @Command(name = "schedule", mixinStandardHelpOptions = true,
            description = {"Run a saved query as a detection: every --every over the --lookback before the run; each"
                    + " result row (or each --group-by group with at least --threshold rows) raises an alert.",
                    "Alerts have source 'kql' and rule id 'kql:NAME', cite the events of their rows (the query must"
                            + " output event_id, or event_ids = make_set(event_id) after a summarize), take their"
                            + " entities from columns such as DeviceName, AccountName, RemoteIP, SHA256, and are"
                            + " correlated into incidents. After an alert for a group (ungrouped: for the query),"
                            + " further ones within --suppress are counted as suppressed, not stored.",
                    "Nothing runs until 'vigil hunt tick' (which a server calls on a timer)."},
            footer = {"", "Examples:",
                    "  vigil hunt schedule encoded-ps --every 1h --lookback 1h --severity high --techniques T1059.001",
                    "  vigil hunt schedule brute-force --every 15m --lookback 1h --group-by DeviceName,AccountName --threshold 10 --suppress 6h",
                    "Exit codes: 0 scheduled, 2 an invalid option or a query that cannot raise alerts, 3 no such query."})
    static final class Schedule implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The saved query.")
        String name;

        @Option(names = "--every", required = true, paramLabel = "DURATION", description = "How often it runs: 5m, 1h, 1d (1m to 90d).")
        String every;

        @Option(names = "--lookback", paramLabel = "DURATION", description = "The window before each run it reads (default: --every).")
        String lookback;

        @Option(names = "--severity", paramLabel = "LEVEL", defaultValue = "medium",
                description = "informational, low, medium, high or critical (default: ${DEFAULT-VALUE}).")
        String severity;

        @Option(names = "--title", paramLabel = "TEXT", description = "The alerts' title (default: the query's description, else its name).")
        String title;

        @Option(names = "--techniques", split = ",", paramLabel = "ID", description = "ATT&CK technique ids, e.g. T1059.001,T1027.")
        List<String> techniques = new ArrayList<>();

        @Option(names = "--suppress", paramLabel = "DURATION", defaultValue = "0",
                description = "After an alert for a group, suppress further ones for this long (default: 0, none).")
        String suppress;

        @Option(names = "--group-by", split = ",", paramLabel = "COLUMN", description = "Result columns whose values make one alert per group.")
        List<String> groupBy = new ArrayList<>();

        @Option(names = "--threshold", paramLabel = "N", defaultValue = "1",
                description = "Rows a group (ungrouped: the result) needs to raise alerts (default: ${DEFAULT-VALUE}).")
        int threshold;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A value for the query's parameter (repeatable).")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Option(names = "--json", description = "Print the schedule as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Principal principal = actor.principal();
            principal.require(Role.ANALYST, "schedule queries");
            SavedQuery.checkName(name);
            if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
                throw HuntQueryCommands.notFound(config.tenant().value(), name);
            }
            Instant now = Instant.now();
            Duration interval = HuntSchedule.duration("--every", every);
            HuntSchedule schedule = new HuntSchedule(name, interval,
                    lookback == null ? interval : HuntSchedule.duration("--lookback", lookback), severity, title,
                    techniques, HuntSchedule.duration("--suppress", suppress), groupBy, threshold, parameters,
                    principal.name(), now, null);
            PrintWriter out = spec.commandLine().getOut();
            try (TenantStore store = HuntQueryCommands.openForWriting(config)) {
                SavedQuery query = HuntQueryCommands.find(store, name);
                Map<String, Object> values = ParameterValues.bind(name, query.parameters(), parameters);
                KqlCompiler.Compiled compiled = new HuntRunner(store).compile(query.kql(), values, schedule.window(now));
                ScheduledDetection.checkColumns(name, compiled.columns().stream().map(KqlCompiler.OutputColumn::name)
                        .toList(), schedule.groupBy());
                boolean existed = store.hunts().schedule(name).isPresent();
                store.hunts().putSchedule(schedule);
                store.commit();
                if (json) {
                    out.println(Output.json(HuntScheduleCommands.json(schedule, null, now)));
                } else {
                    out.println((existed ? "Rescheduled" : "Scheduled") + " query '" + name + "': every "
                            + HuntSchedule.format(schedule.every()) + " over the last "
                            + HuntSchedule.format(schedule.lookback()) + ", severity " + schedule.severity()
                            + (schedule.groupBy().isEmpty() ? ", one alert per row" : ", one alert per "
                                    + String.join(", ", schedule.groupBy()))
                            + (schedule.threshold() > 1 ? " with at least " + schedule.threshold() + " rows" : "")
                            + (schedule.suppress().isZero() ? "" : ", suppressed for "
                                    + HuntSchedule.format(schedule.suppress()) + " after an alert") + ".");
                    out.println("It runs at the next 'vigil hunt tick'.");
                }
            }
            return 0;
        }
    }

    /** {@code vigil hunt schedules}. */
    @Command(name = "schedules", mixinStandardHelpOptions = true,
            description = "List the tenant's scheduled queries: their schedule, last run and when they are due next.")
    static final class Schedules implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the schedules as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            Map<String, QueryRun> lastRuns = new LinkedHashMap<>();
            List<HuntSchedule> schedules = CommonOptions.readIfPresent(config, store -> {
                List<HuntSchedule> stored = store.hunts().schedules();
                for (HuntSchedule schedule : stored) {
                    store.hunts().runs(schedule.name(), 1).forEach(r -> lastRuns.put(r.name(), r));
                }
                return stored;
            }, List.of());
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("schedules", schedules.stream().map(s -> HuntScheduleCommands.json(s, lastRuns.get(s.name()), now)).toList());
                out.println(Output.json(body));
                return 0;
            }
            if (schedules.isEmpty()) {
                out.println("Tenant '" + config.tenant() + "' has no scheduled query. Schedule a saved one with:"
                        + " vigil hunt schedule NAME --every 1h");
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (HuntSchedule s : schedules) {
                QueryRun last = lastRuns.get(s.name());
                rows.add(Arrays.asList(s.name(), HuntSchedule.format(s.every()), HuntSchedule.format(s.lookback()),
                        s.severity(), String.join(",", s.groupBy()), s.threshold(), HuntSchedule.format(s.suppress()),
                        time(s.lastRunAt()), s.isDue(now) ? "due" : time(s.nextRunAt(now)),
                        last == null ? "" : last.failed() ? "error: " + last.error()
                                : last.alerts() + " alerts, " + last.suppressed() + " suppressed"));
            }
            out.print(Output.table(List.of("name", "every", "lookback", "severity", "group by", "threshold", "suppress",
                    "last run", "next run", "last result"), rows));
            return 0;
        }
    }

    /** {@code vigil hunt unschedule NAME}. */
    @Command(name = "unschedule", mixinStandardHelpOptions = true,
            description = "Stop running a saved query as a detection; the query, its alerts and its runs stay.")
    static final class Unschedule implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The scheduled query.")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            actor.principal().require(Role.ANALYST, "unschedule queries");
            SavedQuery.checkName(name);
            VigilException notScheduled = new VigilException(ErrorCode.QUERY_NOT_FOUND, "query '" + name
                    + "' of tenant '" + config.tenant() + "' is not scheduled");
            try (TenantStore store = CommonOptions.open(config, TenantStore.Mode.READ_WRITE, () -> notScheduled)) {
                if (!store.hunts().unschedule(name)) {
                    throw notScheduled;
                }
                store.commit();
            }
            spec.commandLine().getOut().println("Unscheduled query '" + name + "'; it stays saved.");
            return 0;
        }
    }

    /** {@code vigil hunt tick}. */
    @Command(name = "tick", mixinStandardHelpOptions = true,
            description = {"Run every scheduled query that is due (never run, or its interval has passed since its last"
                    + " run) over its lookback window, store the alerts it raises and correlate them into incidents.",
                    "A server calls this on a timer; run it from cron (e.g. every minute) until then. A query that"
                            + " fails records its error in its run and the others still run. Alerts are identified by"
                            + " query and events, so overlapping windows store nothing twice."},
            footer = {"", "Examples:", "  vigil hunt tick", "  vigil hunt tick --now 2024-05-01T13:00:00Z --json",
                    "  vigil hunt tick --query encoded-ps --force",
                    "Exit codes: 0 ok, 7 some queries failed (their errors are recorded; the others ran)."})
    static final class Tick implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--now", paramLabel = "TIME",
                description = "Run as of this time instead of the clock: an ISO date or time (UTC unless it names an"
                        + " offset), or 2h, 1d back from now. Windows end here.")
        String now;

        @Option(names = "--query", paramLabel = "NAME", description = "Run only this scheduled query (repeatable).")
        List<String> only = new ArrayList<>();

        @Option(names = "--force", description = "Run the queries even if they are not due.")
        boolean force;

        @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000", description = "Most rows a query may return (default: ${DEFAULT-VALUE}).")
        int maxRows;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "Cancel a query after this long (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--json", description = "Print the runs as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Instant at = now == null ? Instant.now() : TimeArguments.instant("--now", now, Clock.systemUTC());
            at = at.truncatedTo(ChronoUnit.MICROS);
            only.forEach(SavedQuery::checkName);
            ScheduledHunts.Tick tick;
            CorrelationSummary incidents = null;
            if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
                tick = new ScheduledHunts.Tick(at, List.of(), Map.of());
            } else {
                try (TenantStore store = HuntQueryCommands.openForWriting(config)) {
                    for (String name : only) {
                        if (store.hunts().schedule(name).isEmpty()) {
                            throw new VigilException(ErrorCode.QUERY_NOT_FOUND, "query '" + name + "' of tenant '"
                                    + config.tenant() + "' is not scheduled");
                        }
                    }
                    tick = new ScheduledHunts(store).tick(at, only, force, HuntLimitOptions.limits(maxRows,
                            timeoutSeconds));
                    if (tick.alerts() > 0) {
                        incidents = Incidents.correlate(store, config, err);
                    }
                }
            }
            for (QueryRun run : tick.runs()) {
                var log = Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value())
                        .addKeyValue("query", run.name()).addKeyValue("rows", run.rows())
                        .addKeyValue("alerts", run.alerts()).addKeyValue("suppressed", run.suppressed())
                        .addKeyValue("millis", run.millis());
                if (run.failed()) {
                    log.addKeyValue("error", run.error()).log("scheduled query failed");
                } else {
                    log.log("scheduled query ran");
                }
            }
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("now", tick.now().toString());
                body.put("runs", tick.runs().stream().map(HuntScheduleCommands::run).toList());
                Map<String, String> notDue = new LinkedHashMap<>();
                tick.notDue().forEach((name, next) -> notDue.put(name, next.toString()));
                body.put("not_due", notDue);
                body.put("alerts", tick.alerts());
                body.put("suppressed", tick.suppressed());
                body.put("failed", tick.failed());
                if (incidents != null) {
                    body.put("incidents", incidents);
                }
                out.println(Output.json(body));
            } else {
                if (tick.runs().isEmpty()) {
                    out.println("No scheduled query was due at " + time(tick.now()) + (tick.notDue().isEmpty() ? ""
                            : " (next: " + tick.notDue().entrySet().stream().map(e -> e.getKey() + " at "
                                    + time(e.getValue())).reduce((a, b) -> a + ", " + b).orElse("") + ")") + ".");
                } else {
                    List<List<Object>> rows = new ArrayList<>();
                    for (QueryRun run : tick.runs()) {
                        rows.add(Arrays.asList(run.name(), time(run.windowStart()) + " .. " + time(run.windowEnd()),
                                run.rows(), run.alerts(), run.suppressed(), run.alreadyStored(), run.millis(),
                                run.failed() ? "error: " + run.error() : run.truncated() ? "cut at --max-rows" : "ok"));
                    }
                    out.print(Output.table(List.of("query", "window", "rows", "alerts", "suppressed", "already stored",
                            "ms", "result"), rows));
                    out.printf(Locale.ROOT, "Ran %d scheduled queries at %s: %d alerts, %d suppressed, %d failed.%n",
                            tick.runs().size(), time(tick.now()), tick.alerts(), tick.suppressed(), tick.failed());
                }
                if (incidents != null) {
                    out.println(Incidents.line(incidents));
                }
            }
            return tick.failed() == 0 ? 0 : Main.EXIT_PARTIAL;
        }
    }

    /** {@code vigil hunt runs [NAME]}. */
    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = "Show the latest runs of scheduled queries: window, rows, alerts, suppressed, duration, error.")
    static final class Runs implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this query's runs.")
        String name;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Most runs to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print the runs as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            List<QueryRun> runs = CommonOptions.readIfPresent(config, store -> store.hunts().runs(name, limit),
                    List.of());
            if (json) {
                out.println(Output.json(Map.of("tenant", config.tenant().value(),
                        "runs", runs.stream().map(HuntScheduleCommands::run).toList())));
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (QueryRun run : runs) {
                rows.add(Arrays.asList(run.name(), time(run.runAt()), HuntSchedule.format(Duration.between(
                        run.windowStart(), run.windowEnd())), run.rows(), run.alerts(), run.suppressed(), run.millis(),
                        run.failed() ? "error: " + run.error() : "ok"));
            }
            out.print(Output.table(List.of("query", "run at", "lookback", "rows", "alerts", "suppressed", "ms", "result"), rows));
            return 0;
        }
    }
}
