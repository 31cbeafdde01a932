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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code security-report}: a report in Markdown, built only from the tenant's data, that an analyst can forward as
 * it stands. Four kinds:
 *
 * <ul>
 *   <li>{@code executive} (the default): incidents of the period by severity and status, MTTA and MTTR, the top
 *       threats, the ATT&amp;CK techniques alerts named, the posture and its trend, and the key risks with what to do
 *       about each (the next step of each open critical incident, the first steps of the remediation plan);
 *   <li>{@code weekly}: alerts per day, the most frequent, most severe and noisiest rules, the hosts with most alerts,
 *       incidents new and resolved, and how the enabled detections cover the techniques alerts named;
 *   <li>{@code incident}: one incident's summary, key timeline entries, entities, classification and why, the actions
 *       taken and changes made (who and when), its ATT&amp;CK mapping and the steps still open;
 *   <li>{@code posture}: exposure score, findings by decision, known-exploited findings with CISA's due dates, the
 *       most exposed assets and the first steps of the remediation plan.
 * </ul>
 *
 * <p>The period is the call's time range, else the last 7 days (weekly) or 30 days (executive) up to now; an incident
 * report covers the incident's alerts, a posture report the posture now. The report opens with the tenant and the
 * period. A period without incidents or alerts gives an {@link SkillResult.Status#EMPTY} report that says where the
 * tenant's alerts lie. An incident report without an incident fails and names the open incidents to choose from.
 */
public final class SecurityReportSkill implements Skill {
    static final String NAME = "security-report";
    private static final int TOP = 5;
    private static final int TIMELINE_ENTRIES = 10;

    /** The kinds of report, by the word that asks for each. */
    enum Kind {
        EXECUTIVE, INCIDENT, POSTURE, WEEKLY;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final SkillInput KIND = SkillInput.choice("kind",
            "Which report: executive (the default: the period for management), weekly (the SOC's week), incident"
                    + " (one incident) or posture (exposure and remediation).", "executive", "incident", "posture",
            "weekly");
    private static final SkillInput INCIDENT = SkillInput.optional("incident", EntityType.INCIDENT,
            "The incident an incident report is about (12, #12); an incident report needs it.");
    private static final SkillSpec SPEC = new SkillSpec(NAME, "reports",
            "Writes a security report in Markdown from the tenant's own data: an executive summary (incidents, MTTA"
                    + " and MTTR, threats, ATT&CK techniques, posture, key risks and actions), a weekly SOC report"
                    + " (alert volumes, rules, hosts, incidents, detection coverage), an incident report or a posture"
                    + " report.",
            List.of("Write an executive summary of the last 30 days", "Weekly SOC report",
                    "Incident report for incident 12", "Posture report for management",
                    "Write me a weekly security report", "Security report for the board this month"),
            List.of(KIND, INCIDENT));

    /** The reported period: {@code from} inclusive, {@code to} exclusive, and how the prompt (or default) named it. */
    private record Period(Instant from, Instant to, String text) {
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
    }

    private final Workspace workspace;

    public SecurityReportSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read the tenant's incidents, alerts and posture");
        Kind kind = call.first(KIND.name()).map(SecurityReportSkill::kind)
                .orElse(call.first(INCIDENT.name()).isPresent() ? Kind.INCIDENT : Kind.EXECUTIVE);
        SkillResult.Builder result = SkillResult.builder(NAME).fact("kind", kind.word()).fact("tenant", tenant());
        Investigation investigation = new Investigation(workspace, call, context, result);
        return switch (kind) {
            case EXECUTIVE -> executive(period(call, context, 30), investigation, context, result);
            case WEEKLY -> weekly(period(call, context, 7), investigation, context, result);
            case INCIDENT -> incident(call, context, result);
            case POSTURE -> posture(context, result);
        };
    }

    private static Kind kind(String word) {
        try {
            return Kind.valueOf(word.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.USAGE, "'" + word + "' is not a kind of security report",
                    "Use one of executive, weekly, incident, posture.", e);
        }
    }

    private static Period period(SkillCall call, SkillContext context, int days) {
        return call.time().map(t -> new Period(t.from(), t.to(), t.text()))
                .orElseGet(() -> new Period(context.now().minus(Duration.ofDays(days)), context.now(),
                        "last " + days + " days"));
    }

    private String tenant() {
        return workspace.store().tenant().value();
    }

    /** The opening sentence every periodic report shares, and the period among the facts. */
    private String opening(Period period, SkillResult.Builder result, String what) {
        result.fact("period", period.text()).fact("from", Investigation.instant(period.from()))
                .fact("to", Investigation.instant(period.to())).fact("first_day", period.firstDay())
                .fact("last_day", period.lastDay());
        return "Security report for tenant '" + tenant() + "', " + period.firstDay() + " to " + period.lastDay()
                + " (" + period.text() + "): " + what + ".";
    }

    // --- executive ------------------------------------------------------------------------------------------------

    private SkillResult executive(Period period, Investigation investigation, SkillContext context,
            SkillResult.Builder result) {
        List<Incident> incidents = incidentsIn(period, context);
        Investigation.Ran alerts = investigation.sql("SELECT count(*) AS alerts, count(DISTINCT a.rule_id) AS rules"
                + " FROM vigil_alerts a WHERE " + period.sql("a.\"time\""));
        long alertCount = Investigation.number(alerts.rows().get(0).get(0));
        result.paragraph(opening(period, result, "executive summary"));
        if (incidents.isEmpty() && alertCount == 0) {
            return nothingInPeriod(period, investigation, result);
        }
        List<Incident> open = incidents.stream().filter(Incident::open).toList();

        result.paragraph("## Incidents");
        Map<String, Long> bySeverity = bySeverity(incidents);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (Incident.Status status : Incident.Status.values()) {
            long n = incidents.stream().filter(i -> i.status() == status).count();
            if (n > 0) {
                byStatus.put(status.toString(), n);
            }
        }
        result.paragraph(incidents.isEmpty() ? "No incident was active in the period, though "
                + count(alertCount, "alert") + " fired." : count(incidents.size(), "incident") + " "
                + (incidents.size() == 1 ? "was" : "were") + " active in the period: " + and(words(bySeverity))
                + "; " + and(words(byStatus)) + ". " + count(alertCount, "alert") + " fired in the period.");
        result.fact("incidents", (long) incidents.size()).fact("open_incidents", (long) open.size())
                .fact("by_severity", bySeverity).fact("by_status", byStatus).fact("alerts", alertCount);
        result.evidence("Alerts of the period", List.of(alerts.ref()));
        if (!incidents.isEmpty()) {
            metrics(incidents, result);
            result.table(incidentTable(incidents));
            result.chart(new Chart(Chart.Kind.DONUT, "Incidents by severity", List.copyOf(bySeverity.keySet()),
                    List.of(new Chart.Series("incidents", bySeverity.values().stream().map(Long::doubleValue)
                            .toList()))));
            result.evidence("The incidents active in the period", incidents.stream()
                    .map(i -> "incident:" + i.number()).toList());

            result.paragraph("## Top threats");
            List<Incident> top = incidents.subList(0, Math.min(TOP, incidents.size()));
            StringBuilder threats = new StringBuilder();
            for (Incident incident : top) {
                threats.append(threats.isEmpty() ? "" : "\n").append("- #").append(incident.number()).append(" ")
                        .append(incident.title()).append(" (").append(incident.severity()).append(", ")
                        .append(incident.status()).append(", ").append(count(incident.alertCount(), "alert"))
                        .append(")");
                result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
            }
            result.paragraph(threats.toString());
            result.fact("top_threats", top.stream().map(Incident::title).toList());
        }

        techniquesSeen(period, investigation, result, false);
        postureSection(context, result);
        keyRisks(incidents, context, result);

        incidents.stream().findFirst().ifPresent(i -> result.followUp("Incident report for incident " + i.number()));
        result.followUp("Weekly SOC report");
        result.followUp("Posture report for management");
        return result.build();
    }

    /** MTTA and MTTR of the incidents, as {@code vigil incidents stats} computes them. */
    private static void metrics(List<Incident> incidents, SkillResult.Builder result) {
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
        return String.format(Locale.ROOT, "%.1f hours", hours);
    }

    /** The ATT&amp;CK techniques alerts of the period named, most frequent first; also the weekly coverage's input. */
    private List<String> techniquesSeen(Period period, Investigation investigation, SkillResult.Builder result,
            boolean quiet) {
        Investigation.Ran ran = investigation.sql("SELECT t AS technique, count(*) AS alerts FROM (SELECT"
                + " unnest(a.techniques) AS t FROM vigil_alerts a WHERE " + period.sql("a.\"time\"") + ")"
                + " GROUP BY t ORDER BY alerts DESC, t");
        List<String> seen = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        Optional<AttackKnowledge> attack = workspace.attack();
        for (List<Object> row : ran.rows()) {
            String technique = Investigation.text(row.get(0));
            seen.add(technique);
            rows.add(List.of(technique, attack.flatMap(a -> a.technique(technique)).map(Technique::name).orElse(""),
                    Investigation.number(row.get(1))));
        }
        result.fact("techniques", (long) seen.size());
        if (quiet) {
            return seen;
        }
        result.paragraph("## ATT&CK techniques");
        if (rows.isEmpty()) {
            result.paragraph("No alert of the period names an ATT&CK technique.");
            return seen;
        }
        List<String> shown = new ArrayList<>();
        for (List<Object> row : rows.subList(0, Math.min(TOP, rows.size()))) {
            String name = (String) row.get(1);
            shown.add(row.get(0) + (name.isEmpty() ? "" : " " + name) + " (" + count((Long) row.get(2), "alert")
                    + ")");
            result.subject(EntityType.TECHNIQUE, (String) row.get(0));
        }
        result.paragraph("Alerts of the period named " + count(rows.size(), "ATT&CK technique") + "; the most frequent"
                + " " + (shown.size() == 1 ? "is " : "are ") + and(shown) + ".");
        result.table(new Table("ATT&CK techniques in alerts of the period", List.of("technique", "name", "alerts"),
                rows));
        result.fact("top_techniques", rows.stream().limit(TOP).map(r -> r.get(0)).toList());
        result.evidence("ATT&CK techniques counted over the alerts of the period", List.of(ran.ref()));
        result.evidence("The most frequent techniques", rows.stream().limit(TOP).map(r -> "attack:" + r.get(0))
                .toList());
        return seen;
    }

    /** Score, findings and trend, as the posture summary states them; says so when there is no inventory. */
    private void postureSection(SkillContext context, SkillResult.Builder result) {
        result.paragraph("## Posture");
        PostureReport report = workspace.posture(context.now());
        Map<String, Integer> counts = report.counts();
        if (!hasInventory(report)) {
            result.paragraph("The posture is not assessed: the tenant has no inventory. Import one with "
                    + KnowledgeHints.IMPORT_INVENTORY + ".");
            return;
        }
        int act = counts.get(Decision.ACT.label());
        int exploited = counts.get("known_exploited");
        result.paragraph("The exposure score is " + Phrasing.score(report.organizationScore()) + " of 100 across "
                + count(counts.get("assets"), "asset") + " and " + count(counts.get("identities"), "identity",
                "identities") + ": " + count(counts.get("findings"), "finding") + ", " + act + " to act on now and "
                + exploited + " known exploited.");
        result.fact("score", Phrasing.oneDecimal(report.organizationScore())).fact("score_out_of", 100)
                .fact("assets", counts.get("assets")).fact("identities", counts.get("identities"))
                .fact("findings", counts.get("findings")).fact("act", act).fact("known_exploited", exploited);
        List<PostureStore.HistoryPoint> history = workspace.store().posture().history("organization", 30);
        AssetExposureSkill.trend(result, history, "the organization");
        if (history.size() >= 2) {
            result.chart(AssetExposureSkill.historyChart("Exposure score of the organization", history));
        }
    }

    private static boolean hasInventory(PostureReport report) {
        return report.counts().getOrDefault("assets", 0) > 0 || report.counts().getOrDefault("identities", 0) > 0;
    }

    /**
     * The key risks: the next step of each open incident of the highest severity among the open ones (critical, else
     * high), and the first steps of the remediation plan; each line is a claim with its evidence.
     */
    private void keyRisks(List<Incident> incidents, SkillContext context, SkillResult.Builder result) {
        List<String> lines = new ArrayList<>();
        for (String severity : List.of("critical", "high")) {
            List<Incident> pressing = incidents.stream().filter(i -> i.open() && i.severity().equals(severity))
                    .limit(3).toList();
            for (Incident incident : pressing) {
                IncidentCase incidentCase = load(incident.number(), context);
                List<ResponseCard> next = nextSteps(incidentCase);
                String ref = "incident:" + incident.number();
                if (next.isEmpty()) {
                    continue;
                }
                // Management reads containment first: it is what limits the damage; triage is the SOC's own step.
                ResponseCard card = next.stream().filter(c -> c.category() == ResponseCard.Category.CONTAINMENT)
                        .findFirst().orElse(next.get(0));
                String line = "Incident #" + incident.number() + " (" + severity + ", " + incident.status() + "): "
                        + card.title() + target(card, incident.number()) + ", because " + card.reason();
                lines.add(line);
                result.evidence(line, card.evidence().isEmpty() ? List.of(ref) : card.evidence());
            }
            if (!pressing.isEmpty()) {
                break;
            }
        }
        PostureReport report = workspace.posture(context.now());
        Map<String, Finding> findings = new HashMap<>();
        report.findings().forEach(f -> findings.put(f.id(), f));
        for (RemediationStep step : report.plan().stream().limit(3).toList()) {
            String line = planLine(step);
            lines.add("Posture: " + line);
            result.evidence(line, findingRefs(step, findings));
        }
        result.paragraph("## Key risks and recommended actions");
        if (lines.isEmpty()) {
            result.paragraph("No open critical or high incident and no remediation step calls for action.");
        } else {
            result.paragraph(String.join("\n", lines.stream().map(l -> "- " + l + (l.endsWith(".") ? "" : "."))
                    .toList()));
        }
        result.fact("recommended_actions", lines.size());
    }

    /** A plan step in words; the plan's action already says what it touches and closes. */
    private static String planLine(RemediationStep step) {
        return Phrasing.capitalized(step.action());
    }

    private static List<String> findingRefs(RemediationStep step, Map<String, Finding> findings) {
        LinkedHashSet<String> refs = new LinkedHashSet<>();
        step.findings().stream().map(findings::get).filter(Objects::nonNull)
                .forEach(f -> refs.addAll(PostureScope.refs(f)));
        return refs.isEmpty() ? step.findings().stream().map(id -> "finding:" + id).toList() : List.copyOf(refs);
    }

    // --- weekly ---------------------------------------------------------------------------------------------------

    private SkillResult weekly(Period period, Investigation investigation, SkillContext context,
            SkillResult.Builder result) {
        String window = period.sql("a.\"time\"");
        Investigation.Ran perDay = investigation.sql("SELECT CAST(CAST(timezone('UTC', a.\"time\") AS DATE) AS"
                + " VARCHAR) AS day, count(*) AS alerts FROM vigil_alerts a WHERE " + window
                + " GROUP BY 1 ORDER BY 1");
        List<Incident> incidents = incidentsIn(period, context);
        result.paragraph(opening(period, result, "weekly SOC report"));
        long alerts = perDay.rows().stream().mapToLong(r -> Investigation.number(r.get(1))).sum();
        if (incidents.isEmpty() && alerts == 0) {
            return nothingInPeriod(period, investigation, result);
        }

        result.paragraph("## Alert volume");
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
        result.fact("alerts", alerts).fact("alerts_per_day", byDay);
        if (alerts > 0) {
            result.fact("busiest_day", busiest.getKey());
        }
        result.chart(new Chart(Chart.Kind.LINE, "Alerts per day (UTC)", List.copyOf(byDay.keySet()),
                List.of(new Chart.Series("alerts", byDay.values().stream().map(Long::doubleValue).toList()))));
        result.table(new Table("Alerts per day (UTC)", List.of("day", "alerts"), byDay.entrySet().stream()
                .map(e -> List.<Object>of(e.getKey(), e.getValue())).toList()));
        result.evidence("Alerts counted per day", List.of(perDay.ref()));

        if (alerts > 0) {
            rules(window, investigation, result);
            hosts(window, investigation, result);
        }
        result.paragraph("## Incidents");
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
        if (!incidents.isEmpty()) {
            result.table(incidentTable(incidents));
            result.evidence("The incidents active in the period", incidents.stream()
                    .map(i -> "incident:" + i.number()).toList());
            incidents.stream().limit(TOP).forEach(i -> result.subject(EntityType.INCIDENT, Long.toString(i.number())));
        }

        coverage(period, investigation, result);
        result.followUp("Write an executive summary of the last 30 days");
        incidents.stream().filter(Incident::open).findFirst()
                .ifPresent(i -> result.followUp("Incident report for incident " + i.number()));
        result.followUp("Show the latest alerts");
        return result.build();
    }

    /** The rules of the period: the most frequent, the most severe that fired, and the noisiest low-level ones. */
    private static void rules(String window, Investigation investigation, SkillResult.Builder result) {
        Investigation.Ran byRule = investigation.sql("SELECT a.title, a.rule_id, lower(a.level) AS level, count(*) AS"
                + " alerts FROM vigil_alerts a WHERE " + window + " GROUP BY ALL ORDER BY alerts DESC, a.title");
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : byRule.rows()) {
            rows.add(List.of(Investigation.text(row.get(0)), Investigation.text(row.get(1)),
                    Investigation.text(row.get(2)), Investigation.number(row.get(3))));
        }
        result.paragraph("## Rules");
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
        result.evidence("Alerts counted by rule", List.of(byRule.ref()));
        rows.stream().limit(TOP).forEach(r -> result.subject(EntityType.RULE, (String) r.get(0)));
    }

    private static void hosts(String window, Investigation investigation, SkillResult.Builder result) {
        Investigation.Ran byHost = investigation.sql("SELECT lower(split_part(e.value, '.', 1)) AS host,"
                + " count(DISTINCT a.alert_id) AS alerts FROM vigil_alerts a,"
                + " unnest(from_json(a.entities, '[{\"kind\":\"VARCHAR\",\"value\":\"VARCHAR\"}]')) AS x(e)"
                + " WHERE " + AlertsListSkill.HOST_KIND + " AND " + window
                + " GROUP BY 1 ORDER BY alerts DESC, host LIMIT 10");
        if (byHost.isEmpty()) {
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : byHost.rows()) {
            rows.add(List.of(Investigation.text(row.get(0)), Investigation.number(row.get(1))));
        }
        result.paragraph("## Hosts");
        result.paragraph("Hosts with most alerts: " + and(rows.stream().limit(TOP).map(r -> r.get(0) + " ("
                + r.get(1) + ")").toList()) + ".");
        result.table(new Table("Hosts with most alerts", List.of("host", "alerts"), rows));
        result.fact("top_host", rows.get(0).get(0)).fact("hosts", rows.stream().map(r -> r.get(0)).toList());
        result.evidence("Alerts counted by host", List.of(byHost.ref()));
        rows.stream().limit(TOP).forEach(r -> result.subject(EntityType.HOST, (String) r.get(0)));
    }

    /** How the enabled rules cover ATT&amp;CK, against the techniques the period's alerts named. */
    private void coverage(Period period, Investigation investigation, SkillResult.Builder result) {
        TechniqueActivity activity = TechniqueActivity.read(workspace.store());
        List<String> seen = techniquesSeen(period, investigation, result, true);
        List<String> detected = seen.stream().filter(activity::detects).toList();
        List<String> missed = seen.stream().filter(t -> !activity.detects(t)).toList();
        int covered = activity.coveredTechniques().size();
        result.paragraph("## Detection coverage");
        if (activity.enabledRules() == 0) {
            result.paragraph("No detection rule is enabled, so no technique is covered; alerts of the period named "
                    + count(seen.size(), "ATT&CK technique") + ". Load rules with `vigil rules import`.");
        } else {
            result.paragraph(count(activity.enabledRules(), "enabled detection rule") + " cover "
                    + count(covered, "ATT&CK technique") + ". Alerts of the period named "
                    + count(seen.size(), "technique") + (seen.isEmpty() ? "." : ", " + detected.size() + " of them"
                    + " detected by enabled rules" + (missed.isEmpty() ? "." : "; not covered: "
                    + and(missed, TOP) + ".")));
        }
        result.fact("enabled_rules", activity.enabledRules()).fact("covered_techniques", covered)
                .fact("seen_techniques", (long) seen.size()).fact("seen_covered", (long) detected.size())
                .fact("seen_not_covered", missed);
        if (!seen.isEmpty()) {
            result.evidence("Techniques named by alerts of the period", seen.stream().limit(Investigation.SHOWN)
                    .map(t -> "attack:" + t).toList());
        }
    }

    // --- incident -------------------------------------------------------------------------------------------------

    private SkillResult incident(SkillCall call, SkillContext context, SkillResult.Builder result) {
        if (call.first(INCIDENT.name()).isEmpty()) {
            return whichIncident(context, result);
        }
        Optional<IncidentCase> found = IncidentLookup.load(workspace, call, context, result);
        if (found.isEmpty()) {
            return result.fact("kind", Kind.INCIDENT.word()).build();
        }
        IncidentCase incidentCase = found.get();
        IncidentView view = incidentCase.view();
        Incident incident = view.incident();
        String ref = "incident:" + incident.number();
        String first = Phrasing.day(incident.firstSeen());
        String last = Phrasing.day(incident.lastSeen());
        result.paragraph("Security report for tenant '" + tenant() + "', " + (first.equals(last) ? first
                : first + " to " + last) + ": incident #" + incident.number() + ", \"" + incident.title() + "\".");
        result.fact("incident", incident.number()).fact("title", incident.title())
                .fact("status", incident.status().toString()).fact("severity", incident.severity())
                .fact("alerts", incident.alertCount()).fact("first_day", Phrasing.day(incident.firstSeen()))
                .fact("last_day", Phrasing.day(incident.lastSeen()))
                .fact("first_seen", Investigation.instant(incident.firstSeen()))
                .fact("last_seen", Investigation.instant(incident.lastSeen()))
                .fact("hosts", view.impact().hosts()).fact("users", view.impact().users())
                .fact("score", view.impact().score()).fact("score_max", 100);
        result.subject(EntityType.INCIDENT, Long.toString(incident.number()));

        result.paragraph("## Summary");
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

        timeline(view, result);
        entities(incidentCase, result);
        classification(incidentCase, result);
        actionsTaken(incidentCase, result);
        attackMapping(view, result);

        result.paragraph("## Follow-ups");
        List<ResponseCard> next = nextSteps(incidentCase);
        if (next.isEmpty()) {
            result.paragraph("Every step of guided response has been decided.");
        } else {
            List<String> lines = new ArrayList<>();
            for (ResponseCard card : next.subList(0, Math.min(TOP, next.size()))) {
                String line = Phrasing.capitalized(card.category().toString()) + ": " + card.title()
                        + target(card, incident.number());
                lines.add("- " + line + ".");
                result.evidence(line + ": " + card.reason(), card.evidence().isEmpty() ? List.of(ref)
                        : card.evidence());
            }
            result.paragraph(String.join("\n", lines));
        }
        result.fact("open_steps", next.size());
        result.followUp("How do I contain incident " + incident.number() + "?");
        result.followUp("Show the timeline of incident " + incident.number());
        result.followUp("Write an executive summary of the last 30 days");
        return result.build();
    }

    /** An incident report without an incident: fails, naming the open incidents to choose from. */
    private SkillResult whichIncident(SkillContext context, SkillResult.Builder result) {
        List<Incident> open = workspace.store().incidents().list(context.principal(), Optional.empty(),
                Optional.empty(), 200).stream().filter(Incident::open).limit(10).toList();
        List<String> options = new ArrayList<>();
        for (Incident incident : open) {
            options.add("#" + incident.number() + " " + incident.title() + " (" + incident.severity() + ")");
            result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
            result.evidence("Open incident #" + incident.number() + ": " + incident.title() + " ("
                    + incident.severity() + ")", List.of("incident:" + incident.number()));
            result.followUp("Incident report for incident " + incident.number());
        }
        result.status(SkillResult.Status.FAILED).fact("open_incidents", open.stream().map(Incident::number).toList())
                .markdown("An incident report needs the incident's number. " + (open.isEmpty() ? "Tenant '"
                        + tenant() + "' has no open incident; list the others with \"Show all incidents\"."
                        : "The open incidents of tenant '" + tenant() + "' are " + Investigation.join(options)
                                + ". Ask, for example, \"Incident report for incident " + open.get(0).number()
                                + "\"."));
        return result.build();
    }

    private static void timeline(IncidentView view, SkillResult.Builder result) {
        List<IncidentView.TimelineEntry> alerts = view.timeline().stream().filter(e -> e.kind().equals("alert"))
                .toList();
        result.paragraph("## Timeline");
        if (alerts.isEmpty()) {
            result.paragraph("None of the incident's alerts is stored any more, so there is no timeline.");
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

    private static void entities(IncidentCase incidentCase, SkillResult.Builder result) {
        List<IncidentView.EntityNode> entities = incidentCase.view().entities();
        result.paragraph("## Entities");
        if (entities.isEmpty()) {
            result.paragraph("The incident's alerts name no host, account, address, file or domain.");
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
    private static void classification(IncidentCase incidentCase, SkillResult.Builder result) {
        Incident incident = incidentCase.view().incident();
        String ref = "incident:" + incident.number();
        result.paragraph("## Classification");
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
    private static void actionsTaken(IncidentCase incidentCase, SkillResult.Builder result) {
        long number = incidentCase.view().incident().number();
        result.paragraph("## Actions taken");
        List<ResponseAction> decided = incidentCase.actions().stream()
                .filter(a -> a.status() != ResponseAction.Status.PROPOSED).toList();
        List<String> lines = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (ResponseAction action : decided) {
            String when = action.decidedAt() == null ? "" : Investigation.instant(action.decidedAt());
            String line = action.action() + " " + action.target() + ": " + action.status()
                    + (action.decidedBy().isEmpty() ? "" : " by " + action.decidedBy())
                    + (when.isEmpty() ? "" : " at " + when) + (action.outcome().isEmpty() ? "" : " (" + action.outcome()
                    + ")");
            lines.add("- " + line);
            rows.add(List.of(when, action.decidedBy(), "action " + action.action(), action.target(),
                    action.status().toString()));
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
            result.evidence(line, List.of("incident:" + number));
        }
        if (lines.isEmpty()) {
            result.paragraph("No action has been taken and no change recorded yet: every proposed action awaits a"
                    + " decision.");
        } else {
            result.paragraph(String.join("\n", lines));
            rows.sort(Comparator.comparing(r -> (String) r.get(0)));
            result.table(new Table("Actions and changes", List.of("time (UTC)", "who", "what", "from or target",
                    "to or state"), rows));
        }
        result.fact("actions_taken", decided.size()).fact("changes", incidentCase.changes().size());
    }

    private static void attackMapping(IncidentView view, SkillResult.Builder result) {
        result.paragraph("## ATT&CK mapping");
        if (view.tactics().isEmpty()) {
            result.paragraph("The incident's alerts name no ATT&CK technique.");
            result.fact("tactics", List.of()).fact("techniques", List.of());
            return;
        }
        List<String> lines = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        LinkedHashSet<String> techniques = new LinkedHashSet<>();
        for (IncidentView.TacticReached tactic : view.tactics()) {
            String first = Investigation.micros(tactic.firstMicros());
            lines.add("- " + tactic.name() + ": " + String.join(", ", tactic.techniques()) + " (first at " + first
                    + ")");
            rows.add(List.of(tactic.name(), String.join(", ", tactic.techniques()), first));
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

    // --- posture --------------------------------------------------------------------------------------------------

    private SkillResult posture(SkillContext context, SkillResult.Builder result) {
        PostureReport report = workspace.posture(context.now());
        String asOf = Phrasing.day(context.now());
        result.fact("as_of", asOf);
        if (!hasInventory(report)) {
            result.paragraph("Security report for tenant '" + tenant() + "', as of " + asOf + ": security posture.");
            result.paragraph("The posture cannot be reported: the tenant has no inventory (no assets, software,"
                    + " identities or services), neither imported nor observed in its events. Import one with "
                    + KnowledgeHints.IMPORT_INVENTORY + ".");
            return result.status(SkillResult.Status.EMPTY).fact("assets", 0).build();
        }
        result.paragraph("Security report for tenant '" + tenant() + "', as of " + asOf + ": security posture.");
        Map<String, Integer> counts = report.counts();
        result.paragraph("## Exposure");
        result.paragraph("The exposure score is " + Phrasing.score(report.organizationScore()) + " of 100 across "
                + count(counts.get("assets"), "asset") + " and " + count(counts.get("identities"), "identity",
                "identities") + ", with " + count(counts.get("findings"), "finding") + ".");
        List<PostureStore.HistoryPoint> history = workspace.store().posture().history("organization", 30);
        AssetExposureSkill.trend(result, history, "the organization");
        if (history.size() >= 2) {
            result.chart(AssetExposureSkill.historyChart("Exposure score of the organization", history));
        }

        result.paragraph("## Findings by decision");
        Map<String, Long> byDecision = AssetExposureSkill.byDecision(report.findings());
        result.paragraph(and(byDecision.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList())
                + ". Act means remediate now; Attend, soon; Track* and Track, in the normal cycle.");
        result.table(new Table("Findings by decision", List.of("decision", "findings"), byDecision.entrySet()
                .stream().map(e -> List.<Object>of(e.getKey(), e.getValue())).toList()));
        result.chart(new Chart(Chart.Kind.DONUT, "Findings by decision", List.copyOf(byDecision.keySet()),
                List.of(new Chart.Series("findings", byDecision.values().stream().map(Long::doubleValue).toList()))));

        Map<String, Asset> assets = PostureScope.assets(workspace.store());
        knownExploited(report, assets, context, result);
        exposedAssets(report, assets, result);

        result.paragraph("## Remediation plan");
        Map<String, Finding> findings = new HashMap<>();
        report.findings().forEach(f -> findings.put(f.id(), f));
        List<RemediationStep> first = report.plan().stream().limit(TOP).toList();
        if (first.isEmpty()) {
            result.paragraph("Nothing to remediate: no finding needs a change.");
        } else {
            List<String> lines = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            int position = 0;
            for (RemediationStep step : first) {
                position++;
                String line = planLine(step);
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
        result.fact("score", Phrasing.oneDecimal(report.organizationScore())).fact("score_out_of", 100)
                .fact("assets", counts.get("assets")).fact("identities", counts.get("identities"))
                .fact("findings", counts.get("findings")).fact("by_decision", byDecision)
                .fact("known_exploited", counts.get("known_exploited")).fact("plan_steps", report.plan().size());
        PostureScope.scope(result, tenant(), report, workspace.vulnerabilities().knowledge());
        result.followUp("what should we remediate first?");
        result.followUp("which assets are most exposed?");
        result.followUp("Write an executive summary of the last 30 days");
        return result.build();
    }

    private static void knownExploited(PostureReport report, Map<String, Asset> assets, SkillContext context,
            SkillResult.Builder result) {
        List<Finding> exploited = report.findings().stream().filter(Finding::knownExploited).toList();
        result.paragraph("## Known-exploited vulnerabilities");
        if (exploited.isEmpty()) {
            result.paragraph("No finding is known to be exploited in the wild.");
            return;
        }
        LocalDate today = LocalDate.ofInstant(context.now(), ZoneOffset.UTC);
        List<String> lines = new ArrayList<>();
        long pastDue = 0;
        for (Finding finding : exploited) {
            LocalDate due = finding.guidance().dueDate();
            boolean late = due != null && due.isBefore(today);
            pastDue += late ? 1 : 0;
            if (lines.size() < TOP) {
                String line = PostureScope.what(finding) + (finding.assetId() == null ? "" : " on "
                        + finding.assetId()) + (due == null ? "" : ", CISA due " + Phrasing.day(due)
                        + (late ? " (past due)" : ""));
                lines.add("- " + line);
                result.evidence(line, PostureScope.refs(finding));
            }
        }
        result.paragraph(count(exploited.size(), "finding") + " " + (exploited.size() == 1 ? "is" : "are")
                + " known exploited, " + pastDue + " of them past CISA's due date:\n" + String.join("\n", lines));
        result.table(new Table("Known-exploited findings", PostureScope.FINDING_COLUMNS, exploited.stream()
                .map(f -> PostureScope.row(f, assets)).toList()));
        result.fact("past_due", pastDue);
    }

    private static void exposedAssets(PostureReport report, Map<String, Asset> assets, SkillResult.Builder result) {
        result.paragraph("## Most exposed assets");
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

    // --- shared ---------------------------------------------------------------------------------------------------

    /** The incidents active in the period (an alert in it), most severe first, then by alerts and number. */
    private List<Incident> incidentsIn(Period period, SkillContext context) {
        return workspace.store().incidents().list(context.principal(), Optional.empty(), Optional.empty(),
                        Integer.MAX_VALUE).stream()
                .filter(i -> !i.lastSeen().isBefore(period.from()) && i.firstSeen().isBefore(period.to()))
                .sorted(Comparator.comparingInt((Incident i) -> -Lifecycle.SEVERITIES.indexOf(i.severity()))
                        .thenComparing(Comparator.comparingInt(Incident::alertCount).reversed())
                        .thenComparingLong(Incident::number))
                .toList();
    }

    /** Counts by severity, most severe first, leaving out severities without incidents. */
    private static Map<String, Long> bySeverity(List<Incident> incidents) {
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

    private IncidentCase load(long number, SkillContext context) {
        return IncidentCase.load(workspace.store(), context.principal(), number, workspace.attack(),
                workspace.config().correlationPolicy());
    }

    /** A card's target in brackets, unless the title already names it or it is the incident itself. */
    private static String target(ResponseCard card, long incident) {
        return card.target().isEmpty() || card.target().equals("incident " + incident)
                || card.title().contains(card.target()) ? "" : " (" + card.target() + ")";
    }

    /**
     * The guided response steps nobody decided yet, in the response's order: advice, and actions still proposed; the
     * suggestion to classify is left out once the incident is classified.
     */
    private static List<ResponseCard> nextSteps(IncidentCase incidentCase) {
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

    /** An EMPTY report: nothing happened in the period; says where the tenant's alerts lie instead. */
    private SkillResult nothingInPeriod(Period period, Investigation investigation, SkillResult.Builder result) {
        Investigation.Ran all = investigation.sql("SELECT count(*) AS alerts, min(\"time\") AS first,"
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
        result.followUp("Show the latest alerts");
        result.followUp("Posture report for management");
        return result.build();
    }
}
