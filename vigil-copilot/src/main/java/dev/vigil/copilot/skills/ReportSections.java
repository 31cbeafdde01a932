package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Phrasing.and;
import static dev.vigil.copilot.skills.Phrasing.count;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.session.Pin;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.Turn;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentMetrics;
import dev.vigil.incident.IncidentView;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponseCard;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Technique;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.posture.Confidence;
import dev.vigil.posture.Decision;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.RemediationStep;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.store.IncidentCase;
import dev.vigil.store.PostureStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The sections of Vigil's built-in reports, each a skill that report templates bind to ({@code skill:
 * report-incidents}). They are the content of the {@code security-report} skill, which builds its reports from the
 * same templates. They are not offered to the planner: a prompt asks for a whole report, not for one section.
 *
 * <p>Each section writes its text only from what it found, without a heading (the template gives it), and says
 * plainly when the data holds nothing for it. Periodic sections cover the call's time range, else the 30 days up to
 * the context's now; posture sections describe the posture at the context's now; incident sections need the
 * {@code incident} input. With {@code audience=executive} a section names techniques by their names only and leaves
 * rule ids out.
 */
public final class ReportSections {
    static final int TOP = 5;
    private static final int TIMELINE_ENTRIES = 10;
    private static final int DEFAULT_DAYS = 30;

    private static final SkillInput AUDIENCE = SkillInput.choice("audience",
            "who reads it: executive (plain language, no technique or rule ids) or technical (the default)",
            "executive", "technical");
    private static final SkillInput SEVERITY = SkillInput.choice("severity",
            "only incidents and alerts of this severity or higher", "low", "medium", "high", "critical");
    private static final SkillInput HOST = SkillInput.optional("host", EntityType.HOST,
            "only alerts that name this host (WS007 or ws007.corp.example)");
    private static final SkillInput INCIDENT = SkillInput.required("incident", EntityType.INCIDENT,
            "the incident the section is about (12, #12)");
    private static final SkillInput SESSION = SkillInput.required("session", EntityType.TEXT,
            "the copilot session's id (a UUID, as `vigil sessions list` shows it)");
    private static final SkillInput PART = SkillInput.choice("part",
            "which part of the session: overview (the default), pins (the pin board) or turns (every prompt and answer)",
            "overview", "pins", "turns");

    private ReportSections() {}

    /** What one section writes, given its run. */
    @FunctionalInterface
    interface Body {
        void write(Run run);
    }

    /** One run of a section: the workspace, the call, the period and the result being built. */
    static final class Run {
        final Workspace workspace;
        final SkillCall call;
        final SkillContext context;
        final SkillResult.Builder result;
        final Investigation investigation;
        final Period period;
        final boolean executive;

        final Optional<String> severity;
        final Optional<String> host;

        Run(Workspace workspace, SkillCall call, SkillContext context, SkillResult.Builder result, Period period) {
            this.workspace = workspace;
            this.call = call;
            this.context = context;
            this.result = result;
            this.investigation = new Investigation(workspace, call, context, result);
            this.period = period;
            this.executive = call.first("audience").map(a -> a.equalsIgnoreCase("executive")).orElse(false);
            this.severity = call.first("severity").map(s -> s.strip().toLowerCase(java.util.Locale.ROOT));
            this.severity.filter(s -> !Lifecycle.SEVERITIES.contains(s)).ifPresent(s -> {
                throw new VigilException(ErrorCode.USAGE, "'" + s + "' is not a severity",
                        "Use one of " + String.join(", ", Lifecycle.SEVERITIES) + ".", null);
            });
            this.host = call.first("host").map(Investigation::hostKey);
            severity.ifPresent(s -> result.fact("severity_at_least", s));
            host.ifPresent(h -> result.fact("host", h));
        }

        /** The SQL condition on alerts ({@code a}) of the period and the filters. */
        String alerts() {
            String where = period.sql("a.\"time\"");
            if (host.isPresent()) {
                where += " AND " + Investigation.sqlAlertHost(host.get());
            }
            if (severity.isPresent()) {
                where += " AND lower(a.level) IN (" + String.join(", ", Lifecycle.SEVERITIES.subList(
                        Lifecycle.SEVERITIES.indexOf(severity.get()), Lifecycle.SEVERITIES.size()).stream()
                        .map(Investigation::sqlString).toList()) + ")";
            }
            return where;
        }

        boolean severe(Incident incident) {
            return severity.isEmpty() || Lifecycle.SEVERITIES.indexOf(incident.severity())
                    >= Lifecycle.SEVERITIES.indexOf(severity.get());
        }

        String tenant() {
            return workspace.store().tenant().value();
        }
    }

    /** The reported period: {@code from} inclusive, {@code to} exclusive, and how it was named. */
    record Period(Instant from, Instant to, String text) {
        String firstDay() {
            return Phrasing.day(from);
        }

        String lastDay() {
            return Phrasing.day(to.minusNanos(1));
        }

        /** The SQL condition that keeps rows of the timestamp column within the period. */
        String sql(String column) {
            return column + " >= TIMESTAMPTZ '" + from + "' AND " + column + " < TIMESTAMPTZ '" + to + "'";
        }

        boolean contains(Instant instant) {
            return instant != null && !instant.isBefore(from) && instant.isBefore(to);
        }

        /** The period of the same length just before this one. */
        Period previous() {
            Duration length = Duration.between(from, to);
            return new Period(from.minus(length), from, "the previous " + length.toDays() + " days");
        }

        static Period of(SkillCall call, SkillContext context) {
            return call.time().map(t -> new Period(t.from(), t.to(), t.text()))
                    .orElseGet(() -> new Period(context.now().minus(Duration.ofDays(DEFAULT_DAYS)), context.now(),
                            "last " + DEFAULT_DAYS + " days"));
        }
    }

    /** A section as a skill. */
    private record SectionSkill(SkillSpec spec, Workspace workspace, Body body) implements Skill {
        @Override
        public SkillResult run(SkillCall call, SkillContext context) {
            context.principal().require(Role.READER, "read the tenant's incidents, alerts and posture");
            SkillResult.Builder result = SkillResult.builder(spec.name()).fact("tenant",
                    workspace.store().tenant().value());
            Run run = new Run(workspace, call, context, result, Period.of(call, context));
            body.write(run);
            return result.build();
        }
    }

    /** The section skills over a workspace, in the order the built-in templates use them. */
    public static List<Skill> all(Workspace workspace) {
        requireNonNull(workspace, "workspace is null");
        List<Skill> skills = new ArrayList<>();
        // periodic: executive summary and weekly SOC report
        skills.add(section(workspace, "report-incidents", "The incidents active in the period by severity and"
                + " status, how many were new and resolved, and the trend against the period before.",
                List.of(SEVERITY, HOST), ReportSections::incidents));
        skills.add(section(workspace, "report-response-times", "Mean time to acknowledge (MTTA) and to resolve"
                + " (MTTR) the incidents of the period.", List.of(SEVERITY), ReportSections::responseTimes));
        skills.add(section(workspace, "report-top-threats", "The most severe incidents of the period, with their"
                + " status and alerts.", List.of(SEVERITY), ReportSections::topThreats));
        skills.add(section(workspace, "report-techniques", "The ATT&CK techniques the alerts of the period named,"
                + " most frequent first.", List.of(AUDIENCE, SEVERITY, HOST), ReportSections::techniques));
        skills.add(section(workspace, "report-posture", "The exposure score now, its findings, and its trend over"
                + " the recorded analyses.", List.of(), ReportSections::postureTrend));
        skills.add(section(workspace, "report-key-risks", "The key risks and what to do: the next step of each open"
                + " incident of the highest severity, and the first steps of the remediation plan.", List.of(SEVERITY),
                ReportSections::keyRisks));
        skills.add(section(workspace, "report-alert-volume", "Alerts per day of the period and the busiest day.",
                List.of(SEVERITY, HOST), ReportSections::alertVolume));
        skills.add(section(workspace, "report-rules", "The rules that fired in the period: the most frequent, the"
                + " most severe and the noisiest low-severity ones.", List.of(AUDIENCE, SEVERITY, HOST), ReportSections::rules));
        skills.add(section(workspace, "report-hosts", "The hosts with most alerts in the period.",
                List.of(SEVERITY, HOST),
                ReportSections::hosts));
        skills.add(section(workspace, "report-incident-flow", "Incidents of the period: new, resolved and still"
                + " open, by severity.", List.of(SEVERITY), ReportSections::incidentFlow));
        skills.add(section(workspace, "report-coverage", "How the enabled detection rules cover ATT&CK, by tactic"
                + " and technique, against the techniques the alerts of the period named.", List.of(AUDIENCE),
                ReportSections::coverage));
        // one incident
        skills.add(section(workspace, "report-incident-overview", "An incident's summary: what happened, its"
                + " severity, status, impact and scope.", List.of(INCIDENT), incident(ReportSections::overview)));
        skills.add(section(workspace, "report-incident-timeline", "An incident's key timeline entries.",
                List.of(INCIDENT), incident(ReportSections::timeline)));
        skills.add(section(workspace, "report-incident-entities", "The hosts, accounts, addresses and files of an"
                + " incident, by role.", List.of(INCIDENT), incident(ReportSections::entities)));
        skills.add(section(workspace, "report-incident-classification", "An incident's classification and why.",
                List.of(INCIDENT), incident(ReportSections::classification)));
        skills.add(section(workspace, "report-incident-actions", "The actions taken on an incident and the changes"
                + " made, with who and when.", List.of(INCIDENT), incident(ReportSections::actionsTaken)));
        skills.add(section(workspace, "report-incident-attack", "An incident's ATT&CK mapping: the tactics reached"
                + " and the techniques used.", List.of(INCIDENT), incident(ReportSections::attackMapping)));
        skills.add(section(workspace, "report-incident-follow-ups", "The guided response steps of an incident not"
                + " decided yet.", List.of(INCIDENT), incident(ReportSections::followUps)));
        // posture
        skills.add(section(workspace, "report-exposure", "The exposure score across assets and identities, and its"
                + " trend.", List.of(), posture(ReportSections::exposure)));
        skills.add(section(workspace, "report-findings", "Findings by decision: act, attend, track.", List.of(),
                posture(ReportSections::findings)));
        skills.add(section(workspace, "report-known-exploited", "Findings known to be exploited in the wild, with"
                + " CISA's due dates.", List.of(), posture(ReportSections::knownExploited)));
        skills.add(section(workspace, "report-exposed-assets", "The most exposed assets, with their criticality.",
                List.of(), posture(ReportSections::exposedAssets)));
        skills.add(section(workspace, "report-remediation-plan", "The first steps of the remediation plan.",
                List.of(), posture(ReportSections::remediationPlan)));
        // a copilot session
        skills.add(section(workspace, "report-session", "A copilot session: its overview, pin board or turns.",
                List.of(SESSION, PART), ReportSections::session));
        return skills;
    }

    private static Skill section(Workspace workspace, String name, String description, List<SkillInput> inputs,
            Body body) {
        return new SectionSkill(new SkillSpec(name, "reports", description, List.of(), inputs), workspace, body);
    }

    // --- periodic -------------------------------------------------------------------------------------------------

    static void incidents(Run run) {
        SkillResult.Builder result = run.result;
        Period period = run.period;
        List<Incident> incidents = incidentsIn(period, run);
        Investigation.Ran alerts = run.investigation.sql("SELECT count(*) AS alerts, count(DISTINCT a.rule_id) AS"
                + " rules FROM vigil_alerts a WHERE " + run.alerts());
        long alertCount = Investigation.number(alerts.rows().get(0).get(0));
        periodFacts(run);
        result.fact("incidents", (long) incidents.size()).fact("alerts", alertCount);
        result.evidence("Alerts of the period", List.of(alerts.ref()));
        if (incidents.isEmpty() && alertCount == 0) {
            nothingInPeriod(run);
            return;
        }
        List<Incident> open = incidents.stream().filter(Incident::open).toList();
        Map<String, Long> bySeverity = bySeverity(incidents);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (Incident.Status status : Incident.Status.values()) {
            long n = incidents.stream().filter(i -> i.status() == status).count();
            if (n > 0) {
                byStatus.put(status.toString(), n);
            }
        }
        List<Incident> before = incidentsIn(period.previous(), run);
        result.paragraph(incidents.isEmpty() ? "No incident was active in the period, though "
                + count(alertCount, "alert") + " fired." : count(incidents.size(), "incident") + " "
                + (incidents.size() == 1 ? "was" : "were") + " active in the period: " + and(words(bySeverity))
                + "; " + and(words(byStatus)) + ". " + count(alertCount, "alert") + " fired in the period.");
        result.paragraph("Trend: " + count(before.size(), "incident") + " " + (before.size() == 1 ? "was" : "were")
                + " active in " + period.previous().text() + " (" + period.previous().firstDay() + " to "
                + period.previous().lastDay() + "), against " + incidents.size() + " in this period.");
        result.fact("open_incidents", (long) open.size()).fact("by_severity", bySeverity).fact("by_status", byStatus)
                .fact("previous_incidents", (long) before.size())
                .fact("previous_first_day", period.previous().firstDay())
                .fact("previous_last_day", period.previous().lastDay());
        if (!incidents.isEmpty()) {
            List<List<Object>> matrix = new ArrayList<>();
            for (String severity : bySeverity.keySet()) {
                List<Object> row = new ArrayList<>();
                row.add(severity);
                for (Incident.Status status : Incident.Status.values()) {
                    row.add(incidents.stream().filter(i -> i.severity().equals(severity) && i.status() == status)
                            .count());
                }
                matrix.add(row);
            }
            List<String> columns = new ArrayList<>(List.of("severity"));
            for (Incident.Status status : Incident.Status.values()) {
                columns.add(status.toString());
            }
            result.table(new Table("Incidents by severity and status", columns, matrix));
            result.table(incidentTable(incidents));
            result.chart(new Chart(Chart.Kind.DONUT, "Incidents by severity", List.copyOf(bySeverity.keySet()),
                    List.of(new Chart.Series("incidents", bySeverity.values().stream().map(Long::doubleValue)
                            .toList()))));
            result.evidence("The incidents active in the period", incidents.stream()
                    .map(i -> "incident:" + i.number()).toList());
        }
        if (!before.isEmpty()) {
            result.evidence("The incidents active in " + period.previous().text(), before.stream()
                    .map(i -> "incident:" + i.number()).toList());
        }
    }

    /** MTTA and MTTR of the period's incidents, as {@code vigil incidents stats} computes them. */
    static void responseTimes(Run run) {
        List<Incident> incidents = incidentsIn(run.period, run);
        periodFacts(run);
        if (incidents.isEmpty()) {
            run.result.status(SkillResult.Status.EMPTY).paragraph("No incident was active in the period, so there"
                    + " is no response time to measure.");
            return;
        }
        metrics(incidents, run.result);
        run.result.evidence("The incidents measured", incidents.stream().map(i -> "incident:" + i.number())
                .toList());
    }

    static void metrics(List<Incident> incidents, SkillResult.Builder result) {
        IncidentMetrics metrics = IncidentMetrics.of(incidents);
        result.fact("acknowledged", metrics.acknowledged()).fact("resolved", metrics.resolved());
        List<String> parts = new ArrayList<>();
        metrics.mtta().ifPresent(d -> parts.add("mean time to acknowledge was " + duration("mtta", d, result)
                + " (over " + count(metrics.acknowledged(), "acknowledged incident") + ")"));
        metrics.mttr().ifPresent(d -> parts.add("mean time to resolve was " + duration("mttr", d, result)
                + " (over " + count(metrics.resolved(), "resolved incident") + ")"));
        if (parts.isEmpty()) {
            result.paragraph("No incident of the period has been acknowledged or resolved yet, so MTTA and MTTR are"
                    + " not known.");
        } else {
            String sentence = String.join("; ", parts) + (metrics.mttr().isEmpty() ? "; none is resolved yet"
                    : metrics.mtta().isEmpty() ? "; none was acknowledged before it was resolved" : "");
            result.paragraph(Phrasing.capitalized(sentence) + ". MTTA runs from the moment Vigil opened an incident"
                    + " to the first analyst action, MTTR to resolution.");
        }
    }

    /** The duration in minutes, or in hours with one decimal from two hours on; the facts hold both figures. */
    private static String duration(String name, Duration duration, SkillResult.Builder result) {
        long minutes = Math.round(duration.toSeconds() / 60.0);
        result.fact(name + "_minutes", minutes);
        if (minutes < 120) {
            return count(minutes, "minute");
        }
        double hours = Phrasing.oneDecimal(minutes / 60.0);
        result.fact(name + "_hours", hours);
        return String.format(java.util.Locale.ROOT, "%.1f hours", hours);
    }

    static void topThreats(Run run) {
        List<Incident> incidents = incidentsIn(run.period, run);
        periodFacts(run);
        SkillResult.Builder result = run.result;
        if (incidents.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("No incident was active in the period.");
            return;
        }
        List<Incident> top = incidents.subList(0, Math.min(TOP, incidents.size()));
        StringBuilder threats = new StringBuilder();
        List<List<Object>> rows = new ArrayList<>();
        for (Incident incident : top) {
            threats.append(threats.isEmpty() ? "" : "\n").append("- #").append(incident.number()).append(" ")
                    .append(incident.title()).append(" (").append(incident.severity()).append(", ")
                    .append(incident.status()).append(", ").append(count(incident.alertCount(), "alert"))
                    .append(")");
            rows.add(List.of(incident.number(), incident.title(), incident.severity(), incident.status().toString(),
                    incident.alertCount()));
            result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
        }
        result.paragraph(threats.toString());
        result.fact("top_threats", top.stream().map(Incident::title).toList());
        result.evidence("The most severe incidents of the period", top.stream().map(i -> "incident:" + i.number())
                .toList());
        result.table(new Table("Top threats", List.of("incident", "title", "severity", "status", "alerts"), rows));
    }

    /** The ATT&amp;CK techniques alerts of the period named, most frequent first. */
    static void techniques(Run run) {
        List<List<Object>> rows = techniqueRows(run);
        SkillResult.Builder result = run.result;
        if (rows.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("No alert of the period names an ATT&CK technique.");
            return;
        }
        List<String> shown = new ArrayList<>();
        for (List<Object> row : rows.subList(0, Math.min(TOP, rows.size()))) {
            String name = (String) row.get(1);
            String alerts = count((Long) row.get(2), "alert");
            shown.add(run.executive ? (name.isEmpty() ? "an unnamed technique" : name) + " (" + alerts + ")"
                    : row.get(0) + (name.isEmpty() ? "" : " " + name) + " (" + alerts + ")");
            result.subject(EntityType.TECHNIQUE, (String) row.get(0));
        }
        result.paragraph((run.executive ? "Alerts of the period showed " + count(rows.size(), "attacker technique")
                + " catalogued by MITRE ATT&CK; the most frequent " : "Alerts of the period named "
                + count(rows.size(), "ATT&CK technique") + "; the most frequent ") + (shown.size() == 1 ? "is "
                : "are ") + and(shown) + ".");
        result.table(new Table("ATT&CK techniques in alerts of the period", List.of("technique", "name", "alerts"),
                rows));
        result.fact("top_techniques", rows.stream().limit(TOP).map(r -> r.get(0)).toList());
        result.evidence("The most frequent techniques", rows.stream().limit(TOP).map(r -> "attack:" + r.get(0))
                .toList());
    }

    private static List<List<Object>> techniqueRows(Run run) {
        Investigation.Ran ran = run.investigation.sql("SELECT t AS technique, count(*) AS alerts FROM (SELECT"
                + " unnest(a.techniques) AS t FROM vigil_alerts a WHERE " + run.alerts() + ")"
                + " GROUP BY t ORDER BY alerts DESC, t");
        List<List<Object>> rows = new ArrayList<>();
        Optional<AttackKnowledge> attack = run.workspace.attack();
        for (List<Object> row : ran.rows()) {
            String technique = Investigation.text(row.get(0));
            rows.add(List.of(technique, attack.flatMap(a -> a.technique(technique)).map(Technique::name).orElse(""),
                    Investigation.number(row.get(1))));
        }
        run.result.fact("techniques", (long) rows.size());
        run.result.evidence("ATT&CK techniques counted over the alerts of the period", List.of(ran.ref()));
        return rows;
    }

    /** Score, findings and trend, as the posture summary states them; says so when there is no inventory. */
    static void postureTrend(Run run) {
        SkillResult.Builder result = run.result;
        PostureReport report = run.workspace.posture(run.context.now());
        Map<String, Integer> counts = report.counts();
        if (!hasInventory(report)) {
            result.status(SkillResult.Status.EMPTY).paragraph("The posture is not assessed: the tenant has no"
                    + " inventory. Import one with " + KnowledgeHints.IMPORT_INVENTORY + ".");
            return;
        }
        int act = counts.get(Decision.ACT.label());
        int exploited = counts.get("known_exploited");
        result.paragraph("The exposure score is " + Phrasing.score(report.organizationScore()) + " of 100 across "
                + count(counts.get("assets"), "asset") + " and " + count(counts.get("identities"), "identity",
                "identities") + ": " + count(counts.get("findings"), "finding") + ", " + act + " to act on now and "
                + exploited + " known exploited" + unverified(counts) + ".");
        result.fact("score", Phrasing.oneDecimal(report.organizationScore())).fact("score_out_of", 100)
                .fact("assets", counts.get("assets")).fact("identities", counts.get("identities"))
                .fact("findings", counts.get("findings")).fact("act", act).fact("known_exploited", exploited)
                .fact("known_exploited_unverified", counts.getOrDefault("known_exploited_unverified", 0));
        history(run, "the organization");
    }

    /**
     * ", N of them matched by product name only (versions not checked)" when some known-exploited findings are such
     * leads, else nothing: a report must not state a product-name match as an exposure.
     */
    static String unverified(Map<String, Integer> counts) {
        int unverified = counts.getOrDefault("known_exploited_unverified", 0);
        return unverified == 0 ? "" : " (" + unverified + " of them matched by product name only, their versions not"
                + " checked)";
    }

    /** The recorded analyses up to the report's time, as a trend sentence and, from two points, a line chart. */
    private static void history(Run run, String what) {
        List<PostureStore.HistoryPoint> history = run.workspace.store().posture().history("organization", 30)
                .stream().filter(p -> !p.at().isAfter(run.context.now())).toList();
        AssetExposureSkill.trend(run.result, history, what);
        if (history.size() >= 2) {
            run.result.chart(AssetExposureSkill.historyChart("Exposure score of the organization", history));
        }
    }

    private static boolean hasInventory(PostureReport report) {
        return report.counts().getOrDefault("assets", 0) > 0 || report.counts().getOrDefault("identities", 0) > 0;
    }

    /**
     * The key risks: the next step of each open incident of the highest severity among the open ones (critical, else
     * high), and the first steps of the remediation plan; each line is a claim with its evidence.
     */
    static void keyRisks(Run run) {
        SkillResult.Builder result = run.result;
        List<Incident> incidents = incidentsIn(run.period, run);
        List<String> lines = new ArrayList<>();
        for (String severity : List.of("critical", "high")) {
            List<Incident> pressing = incidents.stream().filter(i -> i.open() && i.severity().equals(severity))
                    .limit(3).toList();
            for (Incident incident : pressing) {
                IncidentCase incidentCase = load(run, incident.number());
                List<ResponseCard> next = nextSteps(incidentCase);
                String ref = "incident:" + incident.number();
                if (next.isEmpty()) {
                    continue;
                }
                // Management reads containment first: it is what limits the damage; triage is the SOC's own step.
                ResponseCard card = next.stream().filter(c -> c.category() == ResponseCard.Category.CONTAINMENT)
                        .findFirst().orElse(next.get(0));
                String line = "Incident #" + incident.number() + " (" + severity + ", " + incident.status() + "): "
                        + card.title() + target(card, incident.number()) + " (why: " + card.reason() + ")";
                lines.add(line);
                result.evidence(line, card.evidence().isEmpty() ? List.of(ref) : card.evidence());
            }
            if (!pressing.isEmpty()) {
                break;
            }
        }
        PostureReport report = run.workspace.posture(run.context.now());
        Map<String, Finding> findings = new HashMap<>();
        report.findings().forEach(f -> findings.put(f.id(), f));
        for (RemediationStep step : report.plan().stream().limit(3).toList()) {
            String line = Phrasing.capitalized(step.action());
            lines.add("Posture: " + line);
            result.evidence(line, findingRefs(step, findings));
        }
        if (lines.isEmpty()) {
            result.paragraph("No open critical or high incident and no remediation step calls for action.");
        } else {
            result.paragraph(String.join("\n", lines.stream().map(l -> "- " + l + (l.endsWith(".") ? "" : "."))
                    .toList()));
        }
        result.fact("recommended_actions", lines.size());
    }

    static void alertVolume(Run run) {
        SkillResult.Builder result = run.result;
        Period period = run.period;
        Investigation.Ran perDay = run.investigation.sql("SELECT CAST(CAST(timezone('UTC', a.\"time\") AS DATE) AS"
                + " VARCHAR) AS day, count(*) AS alerts FROM vigil_alerts a WHERE " + run.alerts()
                + " GROUP BY 1 ORDER BY 1");
        periodFacts(run);
        long alerts = perDay.rows().stream().mapToLong(r -> Investigation.number(r.get(1))).sum();
        result.fact("alerts", alerts);
        result.evidence("Alerts counted per day", List.of(perDay.ref()));
        if (alerts == 0 && incidentsIn(period, run).isEmpty()) {
            result.fact("incidents", 0L);
            nothingInPeriod(run);
            return;
        }
        Map<String, Long> byDay = new LinkedHashMap<>();
        for (LocalDate day = LocalDate.parse(period.firstDay()); !day.isAfter(LocalDate.parse(period.lastDay()));
                day = day.plusDays(1)) {
            byDay.put(day.toString(), 0L);
        }
        perDay.rows().forEach(r -> byDay.put(Investigation.text(r.get(0)), Investigation.number(r.get(1))));
        Map.Entry<String, Long> busiest = byDay.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow();
        result.paragraph(count(alerts, "alert") + " fired in the period" + (alerts == 0 ? "."
                : "; the busiest day was " + busiest.getKey() + " with " + count(busiest.getValue(), "alert") + "."));
        result.fact("alerts_per_day", byDay);
        if (alerts > 0) {
            result.fact("busiest_day", busiest.getKey());
        }
        result.chart(new Chart(Chart.Kind.LINE, "Alerts per day (UTC)", List.copyOf(byDay.keySet()),
                List.of(new Chart.Series("alerts", byDay.values().stream().map(Long::doubleValue).toList()))));
        result.table(new Table("Alerts per day (UTC)", List.of("day", "alerts"), byDay.entrySet().stream()
                .map(e -> List.<Object>of(e.getKey(), e.getValue())).toList()));
    }

    /** The rules of the period: the most frequent, the most severe that fired, and the noisiest low-level ones. */
    static void rules(Run run) {
        SkillResult.Builder result = run.result;
        Investigation.Ran byRule = run.investigation.sql("SELECT a.title, a.rule_id, lower(a.level) AS level,"
                + " count(*) AS alerts FROM vigil_alerts a WHERE " + run.alerts()
                + " GROUP BY ALL ORDER BY alerts DESC, a.title");
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : byRule.rows()) {
            rows.add(List.of(Investigation.text(row.get(0)), Investigation.text(row.get(1)),
                    Investigation.text(row.get(2)), Investigation.number(row.get(3))));
        }
        result.evidence("Alerts counted by rule", List.of(byRule.ref()));
        if (rows.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("No rule fired in the period.");
            return;
        }
        List<Object> top = rows.get(0);
        List<Object> severe = rows.stream().max(Comparator.comparingInt((List<Object> r) -> Lifecycle.SEVERITIES
                .indexOf((String) r.get(2))).thenComparingLong(r -> (Long) r.get(3))).orElseThrow();
        List<List<Object>> noisy = rows.stream().filter(r -> r.get(2).equals("low")
                || r.get(2).equals("informational")).limit(3).toList();
        StringBuilder text = new StringBuilder(count(rows.size(), "rule") + " fired. The most frequent is \""
                + top.get(0) + "\" (" + top.get(2) + ", " + count((Long) top.get(3), "alert") + ")");
        text.append(severe == top ? "; it is also the most severe." : "; the most severe is \"" + severe.get(0)
                + "\" (" + severe.get(2) + ", " + count((Long) severe.get(3), "alert") + ").");
        if (!noisy.isEmpty()) {
            text.append(" The noisiest low-severity ").append(noisy.size() == 1 ? "rule, a candidate" : "rules,"
                    + " candidates").append(" for tuning: ").append(and(noisy.stream().map(r -> "\"" + r.get(0)
                    + "\" (" + count((Long) r.get(3), "alert") + ")").toList())).append('.');
            result.fact("noisiest_rules", noisy.stream().map(r -> r.get(0)).toList());
        }
        result.paragraph(text.toString());
        result.table(new Table("Rules by alerts" + Investigation.shown(Math.min(rows.size(), Investigation.SHOWN),
                rows.size()), List.of("rule", "rule id", "level", "alerts"),
                rows.subList(0, Math.min(rows.size(), Investigation.SHOWN))));
        result.fact("rules", (long) rows.size()).fact("top_rule", top.get(0)).fact("top_rule_alerts", top.get(3))
                .fact("most_severe_rule", severe.get(0));
        rows.stream().limit(TOP).forEach(r -> result.subject(EntityType.RULE, (String) r.get(0)));
    }

    static void hosts(Run run) {
        SkillResult.Builder result = run.result;
        Investigation.Ran byHost = run.investigation.sql("SELECT lower(split_part(e.value, '.', 1)) AS host,"
                + " count(DISTINCT a.alert_id) AS alerts FROM vigil_alerts a,"
                + " unnest(from_json(a.entities, '[{\"kind\":\"VARCHAR\",\"value\":\"VARCHAR\"}]')) AS x(e)"
                + " WHERE " + AlertsListSkill.HOST_KIND + " AND " + run.alerts()
                + " GROUP BY 1 ORDER BY alerts DESC, host LIMIT 10");
        if (byHost.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("No alert of the period names a host.");
            result.evidence("Alerts counted by host", List.of(byHost.ref()));
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : byHost.rows()) {
            rows.add(List.of(Investigation.text(row.get(0)), Investigation.number(row.get(1))));
        }
        result.paragraph("Hosts with most alerts: " + and(rows.stream().limit(TOP).map(r -> r.get(0) + " ("
                + r.get(1) + ")").toList()) + ".");
        result.table(new Table("Hosts with most alerts", List.of("host", "alerts"), rows));
        result.fact("top_host", rows.get(0).get(0)).fact("hosts", rows.stream().map(r -> r.get(0)).toList());
        result.evidence("Alerts counted by host", List.of(byHost.ref()));
        rows.stream().limit(TOP).forEach(r -> result.subject(EntityType.HOST, (String) r.get(0)));
    }

    static void incidentFlow(Run run) {
        SkillResult.Builder result = run.result;
        Period period = run.period;
        List<Incident> incidents = incidentsIn(period, run);
        long opened = incidents.stream().filter(i -> period.contains(i.firstSeen())).count();
        long resolved = incidents.stream().filter(i -> period.contains(i.resolved())).count();
        long stillOpen = incidents.stream().filter(Incident::open).count();
        result.paragraph(incidents.isEmpty() ? "No incident was active in the period."
                : count(incidents.size(), "incident") + " " + (incidents.size() == 1 ? "was" : "were")
                        + " active in the period: " + opened + " new (first alert in the period), " + resolved
                        + " resolved in the period and " + stillOpen + " still open. By severity: "
                        + and(words(bySeverity(incidents))) + ".");
        result.fact("incidents", (long) incidents.size()).fact("new_incidents", opened)
                .fact("resolved_incidents", resolved).fact("open_incidents", stillOpen)
                .fact("by_severity", bySeverity(incidents));
        if (incidents.isEmpty()) {
            result.status(SkillResult.Status.EMPTY);
            return;
        }
        result.table(incidentTable(incidents));
        result.evidence("The incidents active in the period", incidents.stream().map(i -> "incident:" + i.number())
                .toList());
        incidents.stream().limit(TOP).forEach(i -> result.subject(EntityType.INCIDENT, Long.toString(i.number())));
    }

    /**
     * How the enabled rules cover ATT&amp;CK, against the techniques the period's alerts named; the matrix of covered
     * and seen techniques by tactic is the table a heat map draws.
     */
    static void coverage(Run run) {
        SkillResult.Builder result = run.result;
        TechniqueActivity activity = TechniqueActivity.read(run.workspace.store());
        Map<String, Long> alertsBy = new LinkedHashMap<>();
        techniqueRows(run).forEach(r -> alertsBy.put((String) r.get(0), (Long) r.get(2)));
        List<String> seen = List.copyOf(alertsBy.keySet());
        List<String> detected = seen.stream().filter(activity::detects).toList();
        List<String> missed = seen.stream().filter(t -> !activity.detects(t)).toList();
        int covered = activity.coveredTechniques().size();
        Optional<AttackKnowledge> attack = run.workspace.attack();
        if (activity.enabledRules() == 0) {
            result.paragraph("No detection rule is enabled, so no technique is covered; alerts of the period named "
                    + count(seen.size(), "ATT&CK technique") + ". Load rules with `vigil rules import`.");
        } else {
            List<String> missedNames = missed.stream().map(t -> run.executive ? attack.flatMap(a -> a.technique(t))
                    .map(Technique::name).orElse("an unnamed technique") : t).distinct().toList();
            result.paragraph(count(activity.enabledRules(), "enabled detection rule") + " cover "
                    + count(covered, "ATT&CK technique") + ". Alerts of the period named "
                    + count(seen.size(), "technique") + (seen.isEmpty() ? "." : ", " + detected.size() + " of them"
                    + " detected by enabled rules" + (missed.isEmpty() ? "." : "; not covered: "
                    + and(missedNames, TOP) + ".")));
        }
        result.fact("enabled_rules", activity.enabledRules()).fact("covered_techniques", covered)
                .fact("seen_techniques", (long) seen.size()).fact("seen_covered", (long) detected.size())
                .fact("seen_not_covered", missed);
        if (!seen.isEmpty()) {
            result.evidence("Techniques named by alerts of the period", seen.stream().limit(Investigation.SHOWN)
                    .map(t -> "attack:" + t).toList());
        }
        // the matrix: every technique an enabled rule covers or an alert of the period named, under each tactic
        LinkedHashSet<String> techniques = new LinkedHashSet<>(activity.coveredTechniques());
        techniques.addAll(seen);
        List<List<Object>> rows = new ArrayList<>();
        for (String id : techniques.stream().sorted().toList()) {
            Optional<Technique> technique = attack.flatMap(a -> a.technique(id));
            List<String> tactics = technique.map(t -> t.tactics().stream().map(Technique.TacticRef::name).toList())
                    .filter(l -> !l.isEmpty()).orElse(List.of("Unknown tactic"));
            long alerts = alertsBy.getOrDefault(id, 0L);
            for (String tactic : tactics) {
                rows.add(List.of(tactic, id, technique.map(Technique::name).orElse(""),
                        (long) activity.rules(id).size(), alerts));
            }
        }
        rows.sort(Comparator.comparing((List<Object> r) -> tacticOrder((String) r.get(0)))
                .thenComparing(r -> (String) r.get(1)));
        if (!rows.isEmpty()) {
            result.table(new Table("ATT&CK coverage by tactic", List.of("tactic", "technique", "name", "rules",
                    "alerts"), rows));
        }
    }

    /** Tactics in the order of the ATT&amp;CK enterprise matrix, unknown ones last. */
    private static int tacticOrder(String tactic) {
        int index = TACTICS.indexOf(tactic);
        return index < 0 ? TACTICS.size() : index;
    }

    private static final List<String> TACTICS = List.of("Reconnaissance", "Resource Development", "Initial Access",
            "Execution", "Persistence", "Privilege Escalation", "Defense Evasion", "Credential Access", "Discovery",
            "Lateral Movement", "Collection", "Command and Control", "Exfiltration", "Impact");

    // --- one incident ---------------------------------------------------------------------------------------------

    private static Body incident(java.util.function.BiConsumer<Run, IncidentCase> part) {
        return run -> {
            Optional<IncidentCase> found = IncidentLookup.load(run.workspace, run.call, run.context, run.result);
            if (found.isEmpty()) {
                return;
            }
            IncidentCase incidentCase = found.get();
            Incident incident = incidentCase.view().incident();
            run.result.fact("incident", incident.number()).fact("title", incident.title())
                    .fact("status", incident.status().toString()).fact("severity", incident.severity())
                    .fact("first_day", Phrasing.day(incident.firstSeen()))
                    .fact("last_day", Phrasing.day(incident.lastSeen()));
            run.result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
            part.accept(run, incidentCase);
        };
    }

    static void overview(Run run, IncidentCase incidentCase) {
        SkillResult.Builder result = run.result;
        IncidentView view = incidentCase.view();
        Incident incident = view.incident();
        String ref = "incident:" + incident.number();
        result.fact("alerts", incident.alertCount())
                .fact("first_seen", Investigation.instant(incident.firstSeen()))
                .fact("last_seen", Investigation.instant(incident.lastSeen()))
                .fact("hosts", view.impact().hosts()).fact("users", view.impact().users())
                .fact("score", view.impact().score()).fact("score_max", 100);
        result.paragraph(IncidentSummarySkill.overview(view));
        result.evidence("Incident #" + incident.number() + ": " + incident.title() + ", " + incident.status() + ", "
                + incident.severity(), List.of(ref));
        List<String> sentences = new ArrayList<>();
        for (IncidentView.Sentence sentence : view.summary()) {
            sentences.add(sentence.text());
            result.evidence(sentence.text(), sentence.evidence().isEmpty() ? List.of(ref) : sentence.evidence());
        }
        if (!sentences.isEmpty()) {
            result.paragraph(String.join(" ", sentences));
        }
    }

    static void timeline(Run run, IncidentCase incidentCase) {
        SkillResult.Builder result = run.result;
        List<IncidentView.TimelineEntry> alerts = incidentCase.view().timeline().stream()
                .filter(e -> e.kind().equals("alert")).toList();
        if (alerts.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("None of the incident's alerts is stored any more, so"
                    + " there is no timeline.");
            return;
        }
        List<IncidentView.TimelineEntry> key = alerts.subList(0, Math.min(TIMELINE_ENTRIES, alerts.size()));
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (IncidentView.TimelineEntry entry : key) {
            String time = Investigation.micros(entry.timeMicros());
            String where = entry.host() == null || entry.host().isEmpty() ? "" : " on " + entry.host();
            lines.append(lines.isEmpty() ? "" : "\n").append("- ").append(time).append(": ").append(entry.title())
                    .append(where).append(entry.level() == null || entry.level().isEmpty() ? ""
                            : " (" + entry.level() + ")");
            rows.add(java.util.Arrays.asList(time, entry.level(), entry.title(), entry.host(), entry.user(),
                    String.join(", ", entry.techniques()), entry.evidence()));
            if (entry.evidence() != null && !entry.evidence().isEmpty()) {
                result.evidence(time + " " + entry.title() + where, List.of(entry.evidence()));
            }
        }
        if (key.size() < alerts.size()) {
            lines.append("\n\nThe first ").append(key.size()).append(" of ").append(alerts.size())
                    .append(" alerts are shown.");
        }
        result.paragraph(lines.toString());
        result.table(new Table("Key timeline entries" + Investigation.shown(key.size(), alerts.size()),
                List.of("time (UTC)", "level", "what", "host", "user", "techniques", "evidence"), rows));
        result.fact("timeline_alerts", alerts.size());
    }

    static void entities(Run run, IncidentCase incidentCase) {
        SkillResult.Builder result = run.result;
        List<IncidentView.EntityNode> entities = incidentCase.view().entities();
        if (entities.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("The incident's alerts name no host, account, address,"
                    + " file or domain.");
            return;
        }
        List<String> parts = new ArrayList<>();
        for (IncidentView.Role role : IncidentView.Role.values()) {
            List<String> names = entities.stream().filter(e -> e.role() == role).map(e -> e.key().value()).toList();
            if (!names.isEmpty()) {
                parts.add(Phrasing.capitalized(role.toString()) + ": " + and(names, 8) + ".");
            }
        }
        List<String> privileged = entities.stream().filter(IncidentView.EntityNode::privileged)
                .map(e -> e.key().value()).toList();
        if (!privileged.isEmpty()) {
            parts.add("Privileged: " + and(privileged) + ".");
        }
        result.paragraph(count(entities.size(), "entity") + " took part. " + String.join(" ", parts));
        List<List<Object>> rows = new ArrayList<>();
        for (IncidentView.EntityNode node : entities.subList(0, Math.min(Investigation.SHOWN, entities.size()))) {
            rows.add(List.of(node.role().toString(), node.key().kind().label(), node.key().value(), node.alerts(),
                    node.why(), node.privileged()));
            List<String> refs = IncidentLookup.alertRefs(incidentCase, node.key(), 3);
            result.evidence(node.key() + " is " + node.role() + ": " + node.why(), refs.isEmpty()
                    ? List.of("incident:" + incidentCase.view().incident().number()) : refs);
            result.subject(IncidentLookup.type(node.key().kind()), node.key().value());
        }
        result.table(new Table("Entities" + Investigation.shown(rows.size(), entities.size()), List.of("role",
                "kind", "entity", "alerts", "why", "privileged"), rows));
        result.fact("entities", entities.size()).fact("privileged", privileged);
    }

    /** The analyst's classification with who gave it, else the analysis's suggestion with its grounds. */
    static void classification(Run run, IncidentCase incidentCase) {
        SkillResult.Builder result = run.result;
        Incident incident = incidentCase.view().incident();
        String ref = "incident:" + incident.number();
        result.fact("classification", incident.classification().toString());
        if (incident.classification() != Incident.Classification.UNDETERMINED) {
            Optional<IncidentChange> set = incidentCase.changes().stream()
                    .filter(c -> c.field().equals("classification")).reduce((a, b) -> b);
            String text = "Classified " + incident.classification()
                    + (incident.determination().isEmpty() ? "" : " (" + incident.determination() + ")")
                    + set.map(c -> " by " + c.actor() + " at " + Investigation.instant(c.at())).orElse("") + ".";
            result.paragraph(text);
            result.evidence(text, List.of(ref));
            return;
        }
        Optional<ResponseCard> suggestion = incidentCase.view().cards().stream()
                .filter(c -> c.category() == ResponseCard.Category.TRIAGE && c.title().startsWith("Classify as "))
                .findFirst();
        String text = "Not classified yet" + suggestion.map(c -> "; the analysis suggests "
                + c.title().substring("Classify as ".length()) + " because " + c.reason()).orElse("") + ".";
        result.paragraph(text);
        result.evidence(text, suggestion.filter(c -> !c.evidence().isEmpty()).map(ResponseCard::evidence)
                .orElse(List.of(ref)));
        suggestion.ifPresent(c -> result.fact("suggested_classification", c.detail()));
    }

    /** Decided response actions and recorded changes, each with who and when. */
    static void actionsTaken(Run run, IncidentCase incidentCase) {
        SkillResult.Builder result = run.result;
        long number = incidentCase.view().incident().number();
        List<ResponseAction> decided = incidentCase.actions().stream()
                .filter(a -> a.status() != ResponseAction.Status.PROPOSED).toList();
        List<String> lines = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        LinkedHashSet<String> analysts = new LinkedHashSet<>();
        for (ResponseAction action : decided) {
            String when = action.decidedAt() == null ? "" : Investigation.instant(action.decidedAt());
            String line = action.action() + " " + action.target() + ": " + action.status()
                    + (action.decidedBy().isEmpty() ? "" : " by " + action.decidedBy())
                    + (when.isEmpty() ? "" : " at " + when) + (action.outcome().isEmpty() ? "" : " (" + action.outcome()
                    + ")");
            lines.add("- " + line);
            rows.add(List.of(when, action.decidedBy(), "action " + action.action(), action.target(),
                    action.status().toString()));
            if (!action.decidedBy().isEmpty()) {
                analysts.add(action.decidedBy());
            }
            result.evidence(line, action.evidence().isEmpty() ? List.of("incident:" + number) : action.evidence());
        }
        for (IncidentChange change : incidentCase.changes()) {
            if (change.field().equals("action")) {
                continue; // a decision on an action, listed above with its outcome
            }
            String when = Investigation.instant(change.at());
            String line = change.field().equals("comment") ? change.actor() + " commented at " + when + ": "
                    + change.to() : change.actor() + " changed " + change.field() + (change.from().isEmpty() ? ""
                    : " from " + change.from()) + " to " + change.to() + " at " + when;
            lines.add("- " + line);
            rows.add(List.of(when, change.actor(), change.field(), change.from(), change.to()));
            analysts.add(change.actor());
            result.evidence(line, List.of("incident:" + number));
        }
        if (lines.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("No action has been taken and no change recorded yet:"
                    + " every proposed action awaits a decision.");
        } else {
            result.paragraph(String.join("\n", lines));
            result.paragraph("Analysts involved: " + and(List.copyOf(analysts)) + ".");
            rows.sort(Comparator.comparing(r -> (String) r.get(0)));
            result.table(new Table("Actions and changes", List.of("time (UTC)", "who", "what", "from or target",
                    "to or state"), rows));
        }
        result.fact("actions_taken", decided.size()).fact("changes", incidentCase.changes().size())
                .fact("analysts", List.copyOf(analysts));
    }

    static void attackMapping(Run run, IncidentCase incidentCase) {
        SkillResult.Builder result = run.result;
        IncidentView view = incidentCase.view();
        if (view.tactics().isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("The incident's alerts name no ATT&CK technique.");
            result.fact("tactics", List.of()).fact("techniques", List.of());
            return;
        }
        List<String> lines = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        LinkedHashSet<String> techniques = new LinkedHashSet<>();
        Optional<AttackKnowledge> attack = run.workspace.attack();
        for (IncidentView.TacticReached tactic : view.tactics()) {
            String first = Investigation.micros(tactic.firstMicros());
            List<String> named = tactic.techniques().stream().map(t -> t + attack.flatMap(a -> a.technique(t))
                    .map(k -> " " + k.name()).orElse("")).toList();
            lines.add("- " + tactic.name() + ": " + String.join(", ", named) + " (first at " + first + ")");
            rows.add(List.of(tactic.name(), String.join(", ", named), first));
            techniques.addAll(tactic.techniques());
            result.evidence("Reached " + tactic.name() + " with " + String.join(", ", tactic.techniques()),
                    tactic.evidence().isEmpty() ? List.of("incident:" + view.incident().number()) : tactic.evidence());
        }
        result.paragraph(String.join("\n", lines));
        result.table(new Table("ATT&CK mapping", List.of("tactic", "techniques", "first (UTC)"), rows));
        result.fact("tactics", view.tactics().stream().map(IncidentView.TacticReached::name).toList())
                .fact("techniques", List.copyOf(techniques));
        techniques.forEach(t -> result.subject(EntityType.TECHNIQUE, t));
    }

    static void followUps(Run run, IncidentCase incidentCase) {
        SkillResult.Builder result = run.result;
        long number = incidentCase.view().incident().number();
        List<ResponseCard> next = nextSteps(incidentCase);
        if (next.isEmpty()) {
            result.paragraph("Every step of guided response has been decided.");
        } else {
            List<String> lines = new ArrayList<>();
            for (ResponseCard card : next.subList(0, Math.min(TOP, next.size()))) {
                String line = Phrasing.capitalized(card.category().toString()) + ": " + card.title()
                        + target(card, number);
                lines.add("- " + line + ".");
                result.evidence(line + ": " + card.reason(), card.evidence().isEmpty() ? List.of("incident:" + number)
                        : card.evidence());
            }
            result.paragraph(String.join("\n", lines));
        }
        result.fact("open_steps", next.size());
    }

    // --- posture --------------------------------------------------------------------------------------------------

    private static Body posture(java.util.function.BiConsumer<Run, PostureReport> part) {
        return run -> {
            PostureReport report = run.workspace.posture(run.context.now());
            run.result.fact("as_of", Phrasing.day(run.context.now()));
            if (!hasInventory(report)) {
                run.result.status(SkillResult.Status.EMPTY).fact("assets", 0).paragraph("The posture cannot be"
                        + " reported: the tenant has no inventory (no assets, software, identities or services),"
                        + " neither imported nor observed in its events. Import one with "
                        + KnowledgeHints.IMPORT_INVENTORY + ".");
                return;
            }
            part.accept(run, report);
        };
    }

    static void exposure(Run run, PostureReport report) {
        Map<String, Integer> counts = report.counts();
        run.result.paragraph("The exposure score is " + Phrasing.score(report.organizationScore()) + " of 100 across "
                + count(counts.get("assets"), "asset") + " and " + count(counts.get("identities"), "identity",
                "identities") + ", with " + count(counts.get("findings"), "finding") + ".");
        run.result.fact("score", Phrasing.oneDecimal(report.organizationScore())).fact("score_out_of", 100)
                .fact("assets", counts.get("assets")).fact("identities", counts.get("identities"))
                .fact("findings", counts.get("findings"))
                .fact("known_exploited", counts.get("known_exploited")).fact("plan_steps", report.plan().size());
        history(run, "the organization");
        PostureScope.scope(run.result, run.tenant(), report, run.workspace.vulnerabilities().knowledge());
    }

    static void findings(Run run, PostureReport report) {
        Map<String, Long> byDecision = AssetExposureSkill.byDecision(report.findings());
        run.result.paragraph(and(byDecision.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList())
                + ". Act means remediate now; Attend, soon; Track* and Track, in the normal cycle.");
        run.result.table(new Table("Findings by decision", List.of("decision", "findings"), byDecision.entrySet()
                .stream().map(e -> List.<Object>of(e.getKey(), e.getValue())).toList()));
        run.result.chart(new Chart(Chart.Kind.DONUT, "Findings by decision", List.copyOf(byDecision.keySet()),
                List.of(new Chart.Series("findings", byDecision.values().stream().map(Long::doubleValue).toList()))));
        run.result.fact("by_decision", byDecision);
    }

    static void knownExploited(Run run, PostureReport report) {
        SkillResult.Builder result = run.result;
        Map<String, Asset> assets = PostureScope.assets(run.workspace.store());
        // sure matches first: a version-checked exposure outranks a product-name lead
        List<Finding> exploited = report.findings().stream().filter(Finding::knownExploited)
                .sorted(Comparator.comparing((Finding f) -> f.confidence() == Confidence.LOW)).toList();
        KnowledgeHints.kevFacts(result, run.workspace.vulnerabilities().knowledge());
        if (exploited.isEmpty()) {
            result.paragraph("No finding is known to be exploited in the wild.");
            return;
        }
        LocalDate today = LocalDate.ofInstant(run.context.now(), ZoneOffset.UTC);
        List<String> lines = new ArrayList<>();
        long pastDue = 0;
        for (Finding finding : exploited) {
            LocalDate due = finding.guidance().dueDate();
            boolean late = due != null && due.isBefore(today);
            pastDue += late ? 1 : 0;
            if (lines.size() < TOP) {
                String line = PostureScope.what(finding) + (finding.assetId() == null ? "" : " on "
                        + finding.assetId()) + (due == null ? "" : ", CISA due " + Phrasing.day(due)
                        + (late ? " (past due)" : "")) + (finding.confidence() == Confidence.LOW
                        ? " (matched by product name only)" : "");
                lines.add("- " + line);
                result.evidence(line, PostureScope.refs(finding));
            }
        }
        result.paragraph(count(exploited.size(), "finding") + " " + (exploited.size() == 1 ? "is" : "are")
                + " known exploited" + unverified(report.counts()) + ", " + pastDue + " of them past CISA's due date:\n"
                + String.join("\n", lines));
        result.table(new Table("Known-exploited findings", PostureScope.FINDING_COLUMNS, exploited.stream()
                .map(f -> PostureScope.row(f, assets)).toList()));
        result.fact("past_due", pastDue).fact("known_exploited", exploited.size());
    }

    static void exposedAssets(Run run, PostureReport report) {
        SkillResult.Builder result = run.result;
        Map<String, Asset> assets = PostureScope.assets(run.workspace.store());
        List<Map.Entry<String, Double>> top = report.assetScores().entrySet().stream()
                .filter(e -> e.getValue() > 0).limit(TOP).toList();
        if (top.isEmpty()) {
            result.paragraph("No asset carries a finding.");
            return;
        }
        List<String> words = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> entry : top) {
            Asset asset = assets.get(entry.getKey());
            long findings = report.findings().stream().filter(f -> entry.getKey().equals(f.assetId())).count();
            words.add(entry.getKey() + " (" + PostureScope.traits(asset) + "): " + Phrasing.score(entry.getValue())
                    + ", " + count(findings, "finding"));
            rows.add(List.of(entry.getKey(), Phrasing.oneDecimal(entry.getValue()), PostureScope.criticality(asset),
                    PostureScope.internetFacing(asset), findings));
            result.evidence("Exposure of " + entry.getKey(), List.of("asset:" + entry.getKey()));
            result.subject(EntityType.HOST, entry.getKey());
        }
        result.paragraph(String.join("\n", words.stream().map(w -> "- " + w).toList()));
        result.table(new Table("Most exposed assets", List.of("asset", "score", "criticality", "internet_facing",
                "findings"), rows));
        result.fact("top_assets", top.stream().map(Map.Entry::getKey).toList());
    }

    static void remediationPlan(Run run, PostureReport report) {
        SkillResult.Builder result = run.result;
        Map<String, Finding> findings = new HashMap<>();
        report.findings().forEach(f -> findings.put(f.id(), f));
        List<RemediationStep> first = report.plan().stream().limit(TOP).toList();
        result.fact("plan_steps", report.plan().size());
        if (first.isEmpty()) {
            result.paragraph("Nothing to remediate: no finding needs a change.");
            return;
        }
        List<String> lines = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        int position = 0;
        for (RemediationStep step : first) {
            position++;
            String line = Phrasing.capitalized(step.action());
            lines.add(position + ". " + line + ".");
            rows.add(List.of(position, step.action(), String.join(", ", step.assets()), step.findings().size(),
                    step.knownExploited()));
            result.evidence(line, findingRefs(step, findings));
        }
        result.paragraph((report.plan().size() > first.size() ? "The first " + first.size() + " of "
                + count(report.plan().size(), "step") + ":" : "The plan's " + count(first.size(), "step") + ":")
                + "\n" + String.join("\n", lines));
        result.table(new Table("Remediation plan, first steps", List.of("step", "action", "assets", "findings",
                "known_exploited"), rows));
        result.fact("first_step", first.get(0).action());
    }

    // --- a copilot session ----------------------------------------------------------------------------------------

    static void session(Run run) {
        SkillResult.Builder result = run.result;
        String text = run.call.first("session").orElseThrow().strip();
        UUID id;
        try {
            id = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.USAGE, "'" + text + "' is not a session id",
                    "Give the session's id as `vigil sessions list` shows it (a UUID).", e);
        }
        Session session = run.workspace.store().sessions().get(run.context.principal(), id);
        String ref = "session:" + session.id();
        result.fact("session", session.id().toString()).fact("name", session.name()).fact("owner", session.owner())
                .fact("turns", session.turns().size()).fact("pins", session.pins().size());
        switch (run.call.first("part").orElse("overview")) {
            case "pins" -> {
                if (session.pins().isEmpty()) {
                    result.status(SkillResult.Status.EMPTY).paragraph("Nothing is pinned in this session.");
                    return;
                }
                List<String> lines = new ArrayList<>();
                for (Pin pin : session.pins()) {
                    String prompt = session.turn(pin.turn()).map(Turn::prompt).orElse("");
                    lines.add("- Turn " + pin.turn() + " (\"" + prompt + "\")" + (pin.note().isEmpty() ? ""
                            : ": " + pin.note()));
                }
                result.paragraph(String.join("\n", lines));
                result.evidence("The session's pin board", List.of(ref));
            }
            case "turns" -> {
                if (session.turns().isEmpty()) {
                    result.status(SkillResult.Status.EMPTY).paragraph("The session has no turn yet.");
                    return;
                }
                StringBuilder turns = new StringBuilder();
                for (Turn turn : session.turns()) {
                    turns.append(turns.isEmpty() ? "" : "\n\n").append("# Turn ").append(turn.number())
                            .append(": ").append(turn.prompt().replace('\n', ' ')).append("\n\n_Asked at ")
                            .append(Investigation.instant(turn.at())).append("._\n\n")
                            .append(demote(turn.answer().markdown().strip()));
                    turn.answer().tables().forEach(t -> result.table(new Table("Turn " + turn.number() + ": "
                            + t.title(), t.columns(), t.rows())));
                    turn.answer().queries().forEach(result::query);
                    turn.answer().evidence().stream().filter(e -> e.refs().stream().noneMatch(r -> r.startsWith(
                            "query:"))).forEach(e -> result.evidence(e.claim(), e.refs()));
                }
                result.paragraph(turns.toString());
            }
            default -> {
                result.paragraph("Session \"" + session.name() + "\" of " + session.owner() + ", "
                        + (session.shared() ? "shared within the tenant" : "private") + ": "
                        + count(session.turns().size(), "turn") + " from " + Investigation.instant(session.created())
                        + " to " + Investigation.instant(session.updated()) + ", " + count(session.pins().size(),
                        "pinned turn") + ".");
                result.fact("created", Investigation.instant(session.created()))
                        .fact("updated", Investigation.instant(session.updated()));
                result.table(new Table("Turns", List.of("turn", "asked (UTC)", "prompt", "skills"), session.turns()
                        .stream().map(t -> List.<Object>of(t.number(), Investigation.instant(t.at()), t.prompt(),
                                String.join(", ", t.answer().plan().steps().stream().map(SkillCall::skill)
                                        .toList()))).toList()));
                result.evidence("The session", List.of(ref));
            }
        }
    }

    /** Headings of an answer moved below the turn's. */
    private static String demote(String markdown) {
        return String.join("\n", markdown.lines().map(l -> l.matches("#{1,3} .*") ? "#" + l : l).toList());
    }

    // --- shared ---------------------------------------------------------------------------------------------------

    /** The period among the facts, so that its dates in the text are grounded. */
    static void periodFacts(Run run) {
        run.result.fact("period", run.period.text()).fact("from", Investigation.instant(run.period.from()))
                .fact("to", Investigation.instant(run.period.to())).fact("first_day", run.period.firstDay())
                .fact("last_day", run.period.lastDay());
    }

    /** The incidents active in the period (an alert in it), most severe first, then by alerts and number. */
    static List<Incident> incidentsIn(Period period, Run run) {
        return run.workspace.store().incidents().list(run.context.principal(), Optional.empty(), Optional.empty(),
                        Integer.MAX_VALUE).stream()
                .filter(i -> !i.lastSeen().isBefore(period.from()) && i.firstSeen().isBefore(period.to()))
                .filter(run::severe)
                .sorted(Comparator.comparingInt((Incident i) -> -Lifecycle.SEVERITIES.indexOf(i.severity()))
                        .thenComparing(Comparator.comparingInt(Incident::alertCount).reversed())
                        .thenComparingLong(Incident::number))
                .toList();
    }

    /** Counts by severity, most severe first, leaving out severities without incidents. */
    static Map<String, Long> bySeverity(List<Incident> incidents) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String severity : Lifecycle.SEVERITIES.reversed()) {
            long n = incidents.stream().filter(i -> i.severity().equals(severity)).count();
            if (n > 0) {
                counts.put(severity, n);
            }
        }
        return counts;
    }

    private static List<String> words(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList();
    }

    private static Table incidentTable(List<Incident> incidents) {
        List<List<Object>> rows = new ArrayList<>();
        for (Incident i : incidents) {
            rows.add(java.util.Arrays.asList(i.number(), i.title(), i.severity(), i.status().toString(), i.alertCount(),
                    i.owner().isEmpty() ? "unassigned" : i.owner(), Investigation.instant(i.firstSeen()),
                    Investigation.instant(i.lastSeen()), i.acknowledged() == null ? null
                            : Investigation.instant(i.acknowledged()),
                    i.resolved() == null ? null : Investigation.instant(i.resolved())));
        }
        return new Table("Incidents active in the period", List.of("incident", "title", "severity", "status", "alerts",
                "owner", "first seen (UTC)", "last seen (UTC)", "acknowledged (UTC)", "resolved (UTC)"), rows);
    }

    static IncidentCase load(Run run, long number) {
        return IncidentCase.load(run.workspace.store(), run.context.principal(), number, run.workspace.attack(),
                run.workspace.config().correlationPolicy());
    }

    /** A card's target in brackets, unless the title already names it or it is the incident itself. */
    private static String target(ResponseCard card, long incident) {
        return card.target().isEmpty() || card.target().equals("incident " + incident)
                || card.title().contains(card.target()) ? "" : " (" + card.target() + ")";
    }

    private static List<String> findingRefs(RemediationStep step, Map<String, Finding> findings) {
        LinkedHashSet<String> refs = new LinkedHashSet<>();
        step.findings().stream().map(findings::get).filter(Objects::nonNull)
                .forEach(f -> refs.addAll(PostureScope.refs(f)));
        return refs.isEmpty() ? step.findings().stream().map(id -> "finding:" + id).toList() : List.copyOf(refs);
    }

    /**
     * The guided response steps nobody decided yet, in the response's order: advice, and actions still proposed; the
     * suggestion to classify is left out once the incident is classified.
     */
    static List<ResponseCard> nextSteps(IncidentCase incidentCase) {
        Map<String, ResponseAction> byCard = new HashMap<>();
        for (ResponseAction action : incidentCase.actions()) {
            byCard.put(action.action() + "\n" + action.target(), action);
        }
        boolean classified = incidentCase.view().incident().classification() != Incident.Classification.UNDETERMINED;
        return incidentCase.view().cards().stream().filter(card -> {
            if (classified && card.category() == ResponseCard.Category.TRIAGE
                    && card.title().startsWith("Classify as ")) {
                return false; // the analyst already gave the verdict the card asks for
            }
            ResponseAction action = card.action() == null ? null : byCard.get(card.action() + "\n" + card.target());
            return action == null || action.status() == ResponseAction.Status.PROPOSED;
        }).toList();
    }

    /** Nothing happened in the period: says so, and where the tenant's alerts lie instead. */
    static void nothingInPeriod(Run run) {
        SkillResult.Builder result = run.result;
        Investigation.Ran all = run.investigation.sql("SELECT count(*) AS alerts, min(\"time\") AS first,"
                + " max(\"time\") AS last FROM vigil_alerts");
        long alerts = Investigation.number(all.rows().get(0).get(0));
        result.status(SkillResult.Status.EMPTY).fact("incidents", 0L).fact("alerts", 0L)
                .fact("tenant_alerts", alerts);
        StringBuilder text = new StringBuilder("No incident was active and no alert fired in this period.");
        if (alerts == 0) {
            text.append(" The tenant has no alert at all: load detection rules (vigil rules import) and ingest"
                    + " events, or import alerts.");
        } else {
            String first = Investigation.time(all.rows().get(0).get(1));
            String last = Investigation.time(all.rows().get(0).get(2));
            text.append(" The tenant's ").append(count(alerts, "alert")).append(" run from ").append(first)
                    .append(" to ").append(last).append("; ask for a report over that time.");
            result.fact("data_from", first).fact("data_to", last);
            result.evidence("The tenant's alerts", List.of(all.ref()));
        }
        result.paragraph(text.toString());
    }
}
