package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.report.TemplateCheck;
import dev.vigil.report.build.ReportMaker;
import dev.vigil.report.build.ReportParameters;
import dev.vigil.report.build.Reports;
import dev.vigil.report.build.TenantTemplates;
import dev.vigil.report.delivery.Deliveries;
import dev.vigil.report.delivery.DeliveryResult;
import dev.vigil.report.delivery.Destination;
import dev.vigil.report.schedule.CronSchedule;
import dev.vigil.report.schedule.ReportSchedule;
import dev.vigil.report.schedule.ReportScheduler;
import dev.vigil.report.schedule.ReportSchedules;
import dev.vigil.report.schedule.ScheduleJson;
import dev.vigil.report.schedule.ScheduleRun;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil report schedule add|list|remove|tick|runs}: reports made on a cron schedule and delivered to folders,
 * webhooks and e-mail. {@code ReportCommand} lists {@link Schedule} as its subcommand.
 */
final class ReportScheduleCommands {
    /** Who scheduled reports are made as: they read the tenant's data as an analyst would. */
    static final Principal SCHEDULER = new Principal("report-scheduler", Role.ANALYST);

    private ReportScheduleCommands() {}

    @Command(name = "schedule", mixinStandardHelpOptions = true,
            description = {"Reports made on a cron schedule and delivered to a folder, a webhook or by e-mail.",
                    "Nothing runs until 'vigil report schedule tick', which a server calls every minute; run it from"
                            + " cron until then. Schedules are kept in DATA/tenants/TENANT/reports/."},
            subcommands = {Add.class, ListSchedules.class, Remove.class, Tick.class, Runs.class})
    static final class Schedule extends CommandGroup {
    }

    /** The report maker of the command line: each report opens the tenant's store read-only for its length. */
    static ReportMaker maker(VigilConfig config, Principal principal) {
        return new Reports(config, new Reports.StoreAccess() {
            @Override
            public <T> T with(TenantId tenant, Function<TenantStore, T> work) {
                if (!TenantStore.exists(config.dataDirectory(), tenant)) {
                    throw new VigilException(ErrorCode.TABLE_NOT_FOUND, "tenant '" + tenant + "' has no data yet",
                            "Ingest data first (vigil ingest PATH), or try the demo: vigil demo", null);
                }
                try (TenantStore store = TenantStore.open(config.dataDirectory(), tenant,
                        TenantStore.Mode.READ_ONLY)) {
                    return work.apply(store);
                }
            }
        }, principal, true, Clock.systemUTC());
    }

    static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ')
                .replace("Z", " UTC");
    }

    /** {@code vigil report schedule add NAME}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Schedule a report: made from --template at each time the --cron expression names, in"
                    + " --format, and delivered to every destination given (at least one).",
                    "A cron expression has five fields: minute hour day-of-month month day-of-week ('0 8 * * MON' is"
                            + " 08:00 every Monday), in --zone. A run's report covers its --param period up to the"
                            + " run's time (as-of), unless the parameters say otherwise.",
                    "Secrets are never stored: --secret-env and --smtp-password-env name environment variables read"
                            + " when the report is delivered. Adding a schedule of an existing name replaces it."},
            footer = {"", "Examples:",
                    "  vigil report schedule add monday-soc --cron '0 8 * * MON' --template weekly-soc --param period=7d --format pdf --to-folder /srv/reports",
                    "  vigil report schedule add exec-monthly --cron '0 7 1 * *' --zone Europe/Paris --template executive --param period=30d --format pdf \\",
                    "      --to-email ciso@example.com --smtp-host smtp.example.com --smtp-port 587 --starttls --smtp-user vigil --smtp-password-env VIGIL_SMTP_PASSWORD --from vigil@example.com",
                    "  vigil report schedule add soar --cron '*/30 * * * *' --template weekly-soc --format html --to-webhook https://soar.example.com/hooks/reports --secret-env VIGIL_REPORT_SECRET",
                    "Exit codes: 0 scheduled, 2 an invalid option (the message names it), 3 no such template."})
    static final class Add implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name: letters, digits, '.', '_', '-'.")
        String name;

        @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "When it runs: five cron fields, e.g. '0 8 * * MON'.")
        String cron;

        @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", description = "The time zone of the cron hours (default: ${DEFAULT-VALUE}).")
        String zone;

        @Option(names = "--template", required = true, paramLabel = "NAME", description = "The report template, e.g. weekly-soc.")
        String template;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A report parameter, e.g. period=7d, audience=executive (repeatable).")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "pdf", description = "md, html or pdf (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--to-folder", paramLabel = "DIR", description = "Write the report into this folder (repeatable).")
        List<Path> folders = new ArrayList<>();

        @Option(names = "--to-webhook", paramLabel = "URL", description = "POST the report to this URL as JSON (repeatable).")
        List<String> webhooks = new ArrayList<>();

        @Option(names = "--secret-env", paramLabel = "VAR", description = "The environment variable holding the webhooks' signing secret (16+ characters).")
        String secretVariable;

        @Option(names = "--to-email", paramLabel = "ADDRESS", description = "Mail the report to this address (repeatable; needs --smtp-host and --from).")
        List<String> recipients = new ArrayList<>();

        @Option(names = "--smtp-host", paramLabel = "HOST", description = "The SMTP server.")
        String smtpHost;

        @Option(names = "--smtp-port", paramLabel = "PORT", defaultValue = "587", description = "The SMTP port (default: ${DEFAULT-VALUE}).")
        int smtpPort;

        @Option(names = "--starttls", description = "Upgrade the SMTP connection with STARTTLS, and send nothing if it cannot.")
        boolean startTls;

        @Option(names = "--smtp-user", paramLabel = "USER", description = "The SMTP login (needs --smtp-password-env).")
        String smtpUser;

        @Option(names = "--smtp-password-env", paramLabel = "VAR", description = "The environment variable holding the SMTP password.")
        String smtpPasswordVariable;

        @Option(names = "--from", paramLabel = "ADDRESS", description = "The sender of the e-mail.")
        String from;

        @Option(names = "--json", description = "Print the schedule as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Principal principal = actor.principal();
            principal.require(Role.ANALYST, "schedule reports");
            ReportSchedule.checkName(name);
            CronSchedule schedule = CronSchedule.parse(cron, zone);
            // the template and parameters are checked now, so a mistake shows here and not at 08:00 on Monday
            String templateName = new TenantTemplates(config.dataDirectory(), config.tenant(),
                    TemplateCheck.syntaxOnly()).find(template).name();
            ReportParameters.parse(parameters, LocalDate.now(ZoneOffset.UTC));
            List<Destination> destinations = destinations();
            ReportSchedules schedules = new ReportSchedules(config.dataDirectory(), config.tenant());
            Instant now = Instant.now();
            boolean replaced = schedules.locked(() -> {
                Instant lastSlot = schedules.find(name).map(ReportSchedule::lastSlot).orElse(null);
                return schedules.put(new ReportSchedule(name, schedule, templateName, parameters, format,
                        destinations, principal.name(), now, lastSlot));
            });
            ReportSchedule saved = schedules.find(name).orElseThrow();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = ScheduleJson.schedule(saved);
                body.put("next_run_at", saved.nextSlot(now).map(Instant::toString).orElse(null));
                out.println(Output.json(body));
            } else {
                out.println((replaced ? "Replaced" : "Scheduled") + " report '" + name + "': " + templateName + " as "
                        + saved.format() + ", " + saved.cron() + ", to " + String.join("; ",
                        destinations.stream().map(Destination::describe).toList()) + ".");
                out.println("Next run: " + saved.nextSlot(now).map(ReportScheduleCommands::time).orElse("never")
                        + " (at the first 'vigil report schedule tick' from then; a server ticks every minute).");
            }
            return 0;
        }

        private List<Destination> destinations() {
            List<Destination> destinations = new ArrayList<>();
            folders.forEach(folder -> destinations.add(new Destination.Folder(folder)));
            if (secretVariable != null && webhooks.isEmpty()) {
                throw usage("--secret-env is given without --to-webhook", "Add --to-webhook URL, or drop --secret-env.");
            }
            webhooks.forEach(url -> destinations.add(Destination.Webhook.of(url, secretVariable)));
            boolean smtpOptions = smtpHost != null || from != null || smtpUser != null || smtpPasswordVariable != null
                    || startTls;
            if (!recipients.isEmpty()) {
                if (smtpHost == null || from == null) {
                    throw usage("--to-email needs " + (smtpHost == null ? "--smtp-host" : "--from")
                            + (smtpHost == null && from == null ? " and --from" : ""),
                            "Add --smtp-host HOST and --from ADDRESS (and --smtp-user with --smtp-password-env if the"
                                    + " server needs a login).");
                }
                destinations.add(new Destination.Email(smtpHost, smtpPort, startTls, smtpUser, smtpPasswordVariable,
                        from, recipients));
            } else if (smtpOptions) {
                throw usage("SMTP options are given without --to-email", "Add --to-email ADDRESS, or drop them.");
            }
            if (destinations.isEmpty()) {
                throw usage("schedule '" + name + "' has no destination",
                        "Pass --to-folder DIR, --to-webhook URL or --to-email ADDRESS (with --smtp-host and --from).");
            }
            return destinations;
        }

        private static VigilException usage(String message, String fix) {
            return new VigilException(ErrorCode.REPORT_SCHEDULE_INVALID, message, fix, null);
        }
    }

    /** {@code vigil report schedule list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the tenant's report schedules: when they run next, their last run and its outcome.")
    static final class ListSchedules implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the schedules as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            ReportSchedules schedules = new ReportSchedules(config.dataDirectory(), config.tenant());
            List<ReportSchedule> all = schedules.list();
            Map<String, ScheduleRun> lastRuns = schedules.lastRuns();
            Instant now = Instant.now();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> listed = new ArrayList<>();
                for (ReportSchedule schedule : all) {
                    Map<String, Object> body = ScheduleJson.schedule(schedule);
                    body.put("due", schedule.dueSlot(now).isPresent());
                    body.put("next_run_at", schedule.nextSlot(now).map(Instant::toString).orElse(null));
                    ScheduleRun last = lastRuns.get(schedule.name());
                    body.put("last_run", last == null ? null : ScheduleJson.run(last));
                    listed.add(body);
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("schedules", listed);
                out.println(Output.json(body));
                return 0;
            }
            if (all.isEmpty()) {
                out.println("Tenant '" + config.tenant() + "' has no report schedule. Add one with: vigil report"
                        + " schedule add NAME --cron '0 8 * * MON' --template weekly-soc --to-folder DIR");
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (ReportSchedule schedule : all) {
                ScheduleRun last = lastRuns.get(schedule.name());
                rows.add(Arrays.asList(schedule.name(), schedule.cron().toString(), schedule.template(),
                        schedule.format(), String.join("; ", schedule.destinations().stream()
                                .map(Destination::describe).toList()),
                        schedule.dueSlot(now).isPresent() ? "due" : schedule.nextSlot(now)
                                .map(ReportScheduleCommands::time).orElse("never"),
                        last == null ? "" : time(last.slot()), last == null ? "" : outcome(last)));
            }
            out.print(Output.table(List.of("name", "cron", "template", "format", "destinations", "next run",
                    "last run", "outcome"), rows));
            return 0;
        }
    }

    static String outcome(ScheduleRun run) {
        return switch (run.outcome()) {
            case STARTED -> "started, not finished";
            case DELIVERED -> "delivered";
            case PARTIAL -> "partly delivered: " + failures(run);
            case FAILED -> "failed: " + (run.error().isEmpty() ? failures(run) : run.error());
        };
    }

    private static String failures(ScheduleRun run) {
        return String.join("; ", run.deliveries().stream().filter(d -> !d.delivered())
                .map(d -> d.destination() + ": " + d.detail()).toList());
    }

    /** {@code vigil report schedule remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a report schedule; its runs stay in the run log.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule.")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            actor.principal().require(Role.ANALYST, "remove report schedules");
            ReportSchedule.checkName(name);
            if (!new ReportSchedules(config.dataDirectory(), config.tenant()).remove(name)) {
                throw new VigilException(ErrorCode.REPORT_SCHEDULE_NOT_FOUND, "tenant '" + config.tenant()
                        + "' has no report schedule '" + name + "'");
            }
            spec.commandLine().getOut().println("Removed report schedule '" + name + "'.");
            return 0;
        }
    }

    /** {@code vigil report schedule tick}. */
    @Command(name = "tick", mixinStandardHelpOptions = true,
            description = {"Make and deliver every report schedule that is due: the latest time its cron expression"
                    + " names has come and has not run yet. Times missed while nothing ticked are made up by one run.",
                    "A server calls this every minute; without one, run it from cron every minute (or at the times"
                            + " your schedules name). A slot is claimed before its report is made, so concurrent ticks"
                            + " never run it twice. A destination that fails is recorded in the run; the others"
                            + " still get the report."},
            footer = {"", "Examples:", "  vigil report schedule tick", "  vigil report schedule tick --only monday-soc --force",
                    "  * * * * *  vigil report schedule tick --tenant acme   (a crontab line)",
                    "Exit codes: 0 ok, 7 some runs failed or were partly delivered (see 'vigil report schedule runs NAME')."})
    static final class Tick implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--now", paramLabel = "TIME",
                description = "Tick as of this time instead of the clock: an ISO date or time (UTC unless it names an"
                        + " offset), or 2h, 1d back from now.")
        String now;

        @Option(names = "--only", paramLabel = "NAME", description = "Run only this schedule (repeatable).")
        List<String> only = new ArrayList<>();

        @Option(names = "--force", description = "Run the schedules now even if they are not due (once per minute).")
        boolean force;

        @Option(names = "--json", description = "Print the runs as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Instant at = now == null ? Instant.now() : TimeArguments.instant("--now", now, Clock.systemUTC());
            ReportSchedules schedules = new ReportSchedules(config.dataDirectory(), config.tenant());
            for (String name : only) {
                if (schedules.find(ReportSchedule.checkName(name)).isEmpty()) {
                    throw new VigilException(ErrorCode.REPORT_SCHEDULE_NOT_FOUND, "tenant '" + config.tenant()
                            + "' has no report schedule '" + name + "'");
                }
            }
            ReportScheduler scheduler = new ReportScheduler(schedules, maker(config, SCHEDULER),
                    destination -> Deliveries.of(destination, System::getenv), Clock.systemUTC());
            ReportScheduler.Tick tick = scheduler.tick(at, only, force, run -> {
                if (!json) {
                    if (run.outcome() == ScheduleRun.Outcome.STARTED) {
                        out.println("Running '" + run.name() + "' for " + time(run.slot()) + "…");
                    } else {
                        out.println("  " + outcome(run) + (run.fileName().isEmpty() ? "" : " (" + run.fileName()
                                + ", " + run.bytes() + " bytes)"));
                    }
                    out.flush();
                }
                var log = Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value())
                        .addKeyValue("schedule", run.name()).addKeyValue("slot", run.slot().toString())
                        .addKeyValue("outcome", run.outcome().name().toLowerCase(Locale.ROOT));
                log.log(run.outcome() == ScheduleRun.Outcome.STARTED ? "scheduled report started"
                        : "scheduled report ran");
            });
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("now", tick.now().toString());
                body.put("runs", tick.runs().stream().map(ScheduleJson::run).toList());
                Map<String, String> notDue = new LinkedHashMap<>();
                tick.notDue().forEach((name, next) -> notDue.put(name, next.toString()));
                body.put("not_due", notDue);
                body.put("failed", tick.failed());
                out.println(Output.json(body));
            } else if (tick.runs().isEmpty()) {
                out.println("No report schedule was due at " + time(tick.now()) + (tick.notDue().isEmpty() ? ""
                        : " (next: " + String.join(", ", tick.notDue().entrySet().stream().map(e -> e.getKey()
                                + " at " + time(e.getValue())).toList()) + ")") + ".");
            } else {
                out.printf(Locale.ROOT, "Ran %d report schedule%s at %s: %d delivered, %d failed or partly"
                        + " delivered.%n", tick.runs().size(), tick.runs().size() == 1 ? "" : "s", time(tick.now()),
                        tick.runs().size() - tick.failed(), tick.failed());
            }
            return tick.failed() == 0 ? 0 : Main.EXIT_PARTIAL;
        }
    }

    /** {@code vigil report schedule runs NAME}. */
    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = "Show a report schedule's latest runs: the time served, the outcome, the file, and what each"
                    + " destination did.")
    static final class Runs implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule.")
        String name;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Most runs to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print the runs as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            ReportSchedule.checkName(name);
            ReportSchedules schedules = new ReportSchedules(config.dataDirectory(), config.tenant());
            List<ScheduleRun> runs = schedules.runs(name, limit);
            if (runs.isEmpty() && schedules.find(name).isEmpty()) {
                throw new VigilException(ErrorCode.REPORT_SCHEDULE_NOT_FOUND, "tenant '" + config.tenant()
                        + "' has no report schedule '" + name + "' and no runs of one");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("name", name);
                body.put("runs", runs.stream().map(ScheduleJson::run).toList());
                out.println(Output.json(body));
                return 0;
            }
            if (runs.isEmpty()) {
                out.println("Report schedule '" + name + "' has not run yet.");
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (ScheduleRun run : runs) {
                List<String> deliveries = new ArrayList<>();
                for (DeliveryResult result : run.deliveries()) {
                    deliveries.add((result.delivered() ? "ok " : "FAILED ") + result.destination() + ": "
                            + result.detail() + (result.attempts() > 1 ? " (" + result.attempts() + " attempts)" : ""));
                }
                rows.add(Arrays.asList(time(run.slot()), time(run.startedAt()), outcome(run).replaceFirst(":.*", ""),
                        run.fileName(), run.bytes(), run.error().isEmpty() ? String.join("; ", deliveries)
                                : run.error()));
            }
            out.print(Output.table(List.of("slot", "started", "outcome", "file", "bytes", "deliveries"), rows));
            return 0;
        }
    }
}
