package dev.vigil.cli;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentMetrics;
import dev.vigil.incident.IncidentUpdate;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.Responder;
import dev.vigil.incident.ResponseAction;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.VigilException;
import dev.vigil.server.WebhookResponder;
import dev.vigil.store.IncidentCase;
import dev.vigil.store.IncidentRepository;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil incidents}: alerts correlated into incidents, their analysis, lifecycle and guided response. */
@Command(name = "incidents", mixinStandardHelpOptions = true,
        description = {"Incidents: alerts that share hosts, users, addresses, files or process lineage, grouped and"
                + " explained; with their timeline, entities, impact, likely source, summary and guided response.",
                "Alerts are correlated after ingest and detect; 'vigil incidents correlate' runs it on demand."},
        subcommands = {IncidentsCommand.ListCommand.class, IncidentsCommand.ShowCommand.class,
                IncidentsCommand.UpdateCommand.class, IncidentsCommand.CorrelateCommand.class,
                IncidentsCommand.ApproveCommand.class, IncidentsCommand.RejectCommand.class,
                IncidentsCommand.StatsCommand.class},
        footer = {"", "Examples:", "  vigil incidents list --status new", "  vigil incidents show 3",
                "  vigil incidents update 3 --status active --owner alice",
                "  vigil incidents update 3 --status resolved --classification true-positive --determination malware",
                "  vigil incidents approve 3 1f2e3d4c"})
final class IncidentsCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Mixin
    ActorOptions actor;

    @Mixin
    ListOptions options;

    /** {@code vigil incidents} alone lists, with the options of {@code vigil incidents list}. */
    @Override
    public Integer call() {
        ListCommand list = new ListCommand();
        list.common = common;
        list.actor = actor;
        list.options = options;
        list.spec = spec;
        return list.call();
    }

    /** What {@code vigil incidents [list]} shows. */
    static final class ListOptions {
        @Option(names = "--status", paramLabel = "STATUS", description = "Only incidents in this status: new, active,"
                + " resolved.")
        String status;

        @Option(names = "--severity", paramLabel = "LEVEL", description = "Only incidents of this severity or higher.")
        String severity;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                description = "Most incidents to list (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print the incidents as JSON.")
        boolean json;
    }

    static TenantStore open(VigilConfig config, TenantStore.Mode mode) {
        return CommonOptions.openIncidents(config, mode, () -> new VigilException(ErrorCode.INCIDENT_NOT_FOUND,
                "tenant '" + config.tenant() + "' has no data yet", "Ingest data first (vigil ingest PATH), or try the"
                        + " demo: vigil demo", null));
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    static String time(long micros) {
        return TIME.format(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
    }

    static String duration(Duration d) {
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min";
        }
        if (d.toHours() < 48) {
            return String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
        }
        return String.format(Locale.ROOT, "%.1f d", d.toHours() / 24.0);
    }

    // --- list ---------------------------------------------------------------------------------------------

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List incidents, most recently active first, with MTTA and MTTR over those listed.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Mixin
        ListOptions options;

        @Override
        public Integer call() {
            String status = options.status;
            String severity = options.severity;
            int limit = options.limit;
            boolean json = options.json;
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Principal principal = actor.principal();
            Optional<Incident.Status> wanted = Optional.ofNullable(status).map(Incident.Status::parse);
            Optional<String> minimum = Optional.ofNullable(severity).map(s -> s.toLowerCase(Locale.ROOT));
            minimum.ifPresent(level -> {
                if (!Lifecycle.SEVERITIES.contains(level)) {
                    throw new VigilException(ErrorCode.USAGE, "unknown severity '" + severity + "'; one of "
                            + String.join(", ", Lifecycle.SEVERITIES));
                }
            });
            // shared incidents are listed from PostgreSQL even on a node that holds none of the tenant's events
            Optional<IncidentRepository> shared = SharedState.incidents(config);
            shared.ifPresent(incidents -> principal.require(dev.vigil.model.Role.READER, "read incidents"));
            List<Incident> incidents = shared.isPresent() ? shared.get().list(wanted, minimum, Math.max(1, limit))
                    : CommonOptions.readIfPresent(config, store -> store.incidents().list(principal, wanted, minimum,
                            Math.max(1, limit)), List.of());
            IncidentMetrics metrics = IncidentMetrics.of(incidents);
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("incidents", incidents.stream().map(IncidentsCommand::toJson).toList());
                body.put("metrics", metricsJson(metrics));
                out.println(Output.json(body));
                return 0;
            }
            if (incidents.isEmpty()) {
                out.println("Tenant '" + config.tenant() + "' has no incident" + (wanted.isPresent()
                        || minimum.isPresent() ? " that matches" : "") + ". Incidents form when rules raise alerts"
                        + " (vigil ingest, vigil detect); 'vigil incidents correlate' groups stored alerts.");
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Incident incident : incidents) {
                rows.add(List.of(incident.number(), incident.severity(), incident.status(), incident.title(),
                        incident.alertCount(), time(incident.firstSeen()), time(incident.lastSeen()),
                        incident.owner().isEmpty() ? "-" : incident.owner()));
            }
            out.print(Output.table(List.of("#", "severity", "status", "title", "alerts", "first (UTC)", "last (UTC)",
                    "owner"), rows));
            out.printf(Locale.ROOT, "(%s; %s open; MTTA %s, MTTR %s; 'vigil incidents show N' explains one)%n",
                    Incidents.plural(incidents.size(), "incident"), Output.count(metrics.open()),
                    metrics.mtta().map(IncidentsCommand::duration).orElse("n/a"),
                    metrics.mttr().map(IncidentsCommand::duration).orElse("n/a"));
            return 0;
        }
    }

    static Map<String, Object> toJson(Incident incident) {
        return IncidentCase.summary(incident);
    }

    static Map<String, Object> metricsJson(IncidentMetrics metrics) {
        return IncidentCase.metrics(metrics);
    }

    // --- show ---------------------------------------------------------------------------------------------

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Explain an incident: summary, timeline, entities and their roles, tactics, impact,"
                    + " likely source, why each alert is in it, guided response and its history.",
                    "Every statement names its evidence: alert:<id>, event:<id>, attack:<id>, indicator:<key>."})
    static final class ShowCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "The incident's number.")
        long number;

        @Option(names = "--json", description = "Print the whole analysis as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Principal principal = actor.principal();
            IncidentCase loaded = Loaded.load(config, principal, number);
            if (json) {
                out.println(Output.json(loaded.toJson()));
                return 0;
            }
            IncidentReport.print(out, loaded.view(), loaded.facts(), loaded.actions(), loaded.changes());
            return 0;
        }
    }

    /** An incident with its analysis, actions and history, read in one go. */
    static final class Loaded {
        private Loaded() {}

        static IncidentCase load(VigilConfig config, Principal principal, long number) {
            try (TenantStore store = open(config, TenantStore.Mode.READ_ONLY)) {
                return load(store, config, principal, number);
            }
        }

        static IncidentCase load(TenantStore store, VigilConfig config, Principal principal, long number) {
            return IncidentCase.load(store, principal, number, KnowledgeCommands.loadIfPresent(config),
                    config.correlationPolicy());
        }
    }

    // --- update -------------------------------------------------------------------------------------------

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Change an incident's status, severity, classification, owner or tags, or comment on it.",
                    "Resolving needs a classification. Every change is recorded with who and when."})
    static final class UpdateCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "The incident's number.")
        long number;

        @Option(names = "--status", paramLabel = "STATUS", description = "new, active or resolved.")
        String status;

        @Option(names = "--severity", paramLabel = "LEVEL",
                description = "informational, low, medium, high or critical.")
        String severity;

        @Option(names = "--classification", paramLabel = "VERDICT",
                description = "true-positive, false-positive, informational or undetermined.")
        String classification;

        @Option(names = "--determination", paramLabel = "TEXT",
                description = "What it was: malware, phishing, compromised account, security testing ...")
        String determination;

        @Option(names = "--owner", paramLabel = "USER", description = "Who handles it; '' unassigns.")
        String owner;

        @Option(names = "--tag", paramLabel = "TAG", description = "Add a tag (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--untag", paramLabel = "TAG", description = "Remove a tag (repeatable).")
        List<String> untags = new ArrayList<>();

        @Option(names = "--comment", paramLabel = "TEXT", description = "Add a comment.")
        String comment;

        @Option(names = "--json", description = "Print the updated incident as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            IncidentUpdate update = new IncidentUpdate(Optional.ofNullable(status).map(Incident.Status::parse),
                    Optional.ofNullable(severity), Optional.ofNullable(classification)
                            .map(Incident.Classification::parse), Optional.ofNullable(determination),
                    Optional.ofNullable(owner), tags, untags, Optional.ofNullable(comment));
            Incident updated;
            List<IncidentChange> changes;
            try (TenantStore store = open(config, TenantStore.Mode.READ_WRITE)) {
                updated = store.incidents().update(actor.principal(), number, update, Instant.now());
                changes = store.incidents().changesOf(actor.principal(), number);
            }
            if (json) {
                out.println(Output.json(toJson(updated)));
                return 0;
            }
            out.printf(Locale.ROOT, "Incident %d: %s, severity %s, %s, %s%n", updated.number(), updated.status(),
                    updated.severity(), updated.classification(), updated.owner().isEmpty() ? "unassigned"
                            : "owned by " + updated.owner());
            changes.stream().skip(Math.max(0, changes.size() - 5)).forEach(c -> out.printf(Locale.ROOT,
                    "  %s  %-8s %s: %s%n", time(c.at()), c.actor(), c.field(), c.from().isEmpty() ? c.to()
                            : c.from() + " -> " + c.to()));
            return 0;
        }
    }

    // --- correlate ----------------------------------------------------------------------------------------

    @Command(name = "correlate", mixinStandardHelpOptions = true,
            description = "Group the alerts not yet in an incident (ingest and detect do this on their own).")
    static final class CorrelateCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print what the run did as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            CorrelationSummary summary;
            try (TenantStore store = open(config, TenantStore.Mode.READ_WRITE)) {
                summary = Incidents.correlate(store, config, spec.commandLine().getErr());
            }
            out.println(json ? Output.json(summary) : Incidents.line(summary));
            return 0;
        }
    }

    // --- approve / reject ---------------------------------------------------------------------------------

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = {"Approve a proposed containment or remediation action (analysts and owners), and send it"
                    + " to the responder configured in response.webhook-url; the outcome is recorded.",
                    "'vigil incidents show N' lists the actions and their ids."})
    static final class ApproveCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "The incident's number.")
        long number;

        @Parameters(index = "1", paramLabel = "ACTION", description = "The action's id (its first 8 characters do).")
        String action;

        @Option(names = "--json", description = "Print the action as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Principal principal = actor.principal();
            ResponseAction done;
            // before anything is recorded: an approval stored under a broken responder setting could never run
            Optional<Responder> responder = WebhookResponder.from(config);
            try (TenantStore store = open(config, TenantStore.Mode.READ_WRITE)) {
                done = Loaded.load(store, config, principal, number).approve(store, principal, action, responder,
                        Instant.now());
            }
            if (json) {
                out.println(Output.json(done));
                return 0;
            }
            out.printf(Locale.ROOT, "Action %s (%s %s) on incident %d: %s by %s%n", done.shortId(), done.action(),
                    done.target(), number, done.status(), done.decidedBy());
            if (done.status() == ResponseAction.Status.APPROVED) {
                out.println("  No responder is configured, so nothing was sent: set " + ConfigKey.RESPONSE_WEBHOOK_URL
                        .key() + " (and " + ConfigKey.RESPONSE_WEBHOOK_SECRET.environmentVariable() + ") to carry"
                        + " approved actions out.");
            } else {
                out.println("  " + done.outcome());
            }
            return done.status() == ResponseAction.Status.FAILED ? ErrorCode.RESPONDER_FAILED.category().exitCode() : 0;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a proposed action (analysts and owners), with the reason.")
    static final class RejectCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "The incident's number.")
        long number;

        @Parameters(index = "1", paramLabel = "ACTION", description = "The action's id (its first 8 characters do).")
        String action;

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why it is rejected.")
        String reason;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Principal principal = actor.principal();
            ResponseAction rejected;
            try (TenantStore store = open(config, TenantStore.Mode.READ_WRITE)) {
                rejected = Loaded.load(store, config, principal, number).reject(store, principal, action, reason,
                        Instant.now());
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "Action %s (%s %s) on incident %d: rejected by %s%n",
                    rejected.shortId(), rejected.action(), rejected.target(), number, rejected.decidedBy());
            return 0;
        }
    }

    // --- stats --------------------------------------------------------------------------------------------

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "How fast incidents are taken up and closed: MTTA and MTTR, by severity.")
    static final class StatsCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            List<Incident> incidents;
            try (TenantStore store = open(config, TenantStore.Mode.READ_ONLY)) {
                incidents = store.incidents().list(actor.principal(), Optional.empty(), Optional.empty(),
                        Integer.MAX_VALUE);
            }
            Map<String, List<Incident>> bySeverity = new LinkedHashMap<>();
            for (String severity : Lifecycle.SEVERITIES.reversed()) {
                bySeverity.put(severity, incidents.stream().filter(i -> i.severity().equals(severity)).toList());
            }
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("all", metricsJson(IncidentMetrics.of(incidents)));
                Map<String, Object> per = new LinkedHashMap<>();
                bySeverity.forEach((severity, list) -> per.put(severity, metricsJson(IncidentMetrics.of(list))));
                body.put("by_severity", per);
                out.println(Output.json(body));
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            bySeverity.put("all", incidents);
            bySeverity.forEach((severity, list) -> {
                IncidentMetrics m = IncidentMetrics.of(list);
                rows.add(List.of(severity, m.incidents(), m.open(), m.acknowledged(), m.resolved(),
                        m.mtta().map(IncidentsCommand::duration).orElse("n/a"),
                        m.mttr().map(IncidentsCommand::duration).orElse("n/a")));
            });
            out.print(Output.table(List.of("severity", "incidents", "open", "acknowledged", "resolved", "MTTA",
                    "MTTR"), rows));
            out.println("(MTTA: from the moment Vigil opened an incident to the first analyst action; MTTR: to"
                    + " resolution)");
            return 0;
        }
    }
}
