package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.TimeRange;
import dev.vigil.incident.Incident;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.posture.PostureReport;
import dev.vigil.report.Report;
import dev.vigil.report.ReportAssembler;
import dev.vigil.report.ReportPeriod;
import dev.vigil.report.ReportRequest;
import dev.vigil.report.ReportSection;
import dev.vigil.report.ReportTemplate;
import dev.vigil.report.ReportTemplates;
import dev.vigil.store.IncidentCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Each kind is a built-in report template ({@code executive}, {@code weekly-soc}, {@code incident},
 * {@code posture}) run through {@link ReportAssembler} over the section skills of {@link ReportSections}: the same
 * mechanism, templates and sections as {@code vigil report}, so the copilot's report and the exported one say the
 * same. The skill adds the opening sentence and gathers the sections' tables, charts, queries, evidence and facts.
 *
 * <p>The period is the call's time range, else the last 7 days (weekly) or 30 days (executive) up to now; an incident
 * report covers the incident's alerts, a posture report the posture now. The report opens with the tenant and the
 * period. A period without incidents or alerts gives an {@link SkillResult.Status#EMPTY} report that says where the
 * tenant's alerts lie. An incident report without an incident fails and names the open incidents to choose from.
 */
public final class SecurityReportSkill implements Skill {
    static final String NAME = "security-report";

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
        return switch (kind) {
            case EXECUTIVE -> periodic(kind, call, context, result, 30, "executive summary", "executive");
            case WEEKLY -> periodic(kind, call, context, result, 7, "weekly SOC report", "weekly-soc");
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

    private String tenant() {
        return workspace.store().tenant().value();
    }

    private SkillResult periodic(Kind kind, SkillCall call, SkillContext context, SkillResult.Builder result, int days,
            String what, String template) {
        ReportSections.Period period = call.time()
                .map(t -> new ReportSections.Period(t.from(), t.to(), t.text()))
                .orElseGet(() -> new ReportSections.Period(context.now().minus(Duration.ofDays(days)), context.now(),
                        "last " + days + " days"));
        SkillCall periodCall = new SkillCall(call.skill(), call.inputs(), Optional.of(new TimeRange(period.from(),
                period.to(), period.text())));
        ReportSections.Run run = new ReportSections.Run(workspace, periodCall, context, result, period);
        ReportSections.periodFacts(run);
        result.paragraph("Security report for tenant '" + tenant() + "', " + period.firstDay() + " to "
                + period.lastDay() + " (" + period.text() + "): " + what + ".");
        List<Incident> incidents = ReportSections.incidentsIn(period, run);
        if (incidents.isEmpty() && alertsIn(period) == 0) {
            ReportSections.nothingInPeriod(run);
            result.followUp("Show the latest alerts");
            result.followUp("Posture report for management");
            return result.build();
        }
        sections(template, new ReportPeriod(period.from(), period.to(), period.text()), Map.of(), context, result);
        if (kind == Kind.EXECUTIVE) {
            incidents.stream().findFirst().ifPresent(i -> result.followUp("Incident report for incident "
                    + i.number()));
            result.followUp("Weekly SOC report");
            result.followUp("Posture report for management");
        } else {
            result.followUp("Write an executive summary of the last 30 days");
            incidents.stream().filter(Incident::open).findFirst()
                    .ifPresent(i -> result.followUp("Incident report for incident " + i.number()));
            result.followUp("Show the latest alerts");
        }
        return result.build();
    }

    /** Counts the period's alerts without recording the query: the sections record their own. */
    private long alertsIn(ReportSections.Period period) {
        return Investigation.number(workspace.store().query("SELECT count(*) FROM vigil_alerts a WHERE "
                + period.sql("a.\"time\""), 1).rows().get(0).get(0));
    }

    private SkillResult incident(SkillCall call, SkillContext context, SkillResult.Builder result) {
        if (call.first(INCIDENT.name()).isEmpty()) {
            return whichIncident(context, result);
        }
        Optional<IncidentCase> found = IncidentLookup.load(workspace, call, context, result);
        if (found.isEmpty()) {
            return result.fact("kind", Kind.INCIDENT.word()).build();
        }
        Incident incident = found.get().view().incident();
        String first = Phrasing.day(incident.firstSeen());
        String last = Phrasing.day(incident.lastSeen());
        result.paragraph("Security report for tenant '" + tenant() + "', " + (first.equals(last) ? first
                : first + " to " + last) + ": incident #" + incident.number() + ", \"" + incident.title() + "\".");
        result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
        sections("incident", ReportPeriod.upTo(context.now()), Map.of("incident",
                Long.toString(incident.number())), context, result);
        result.fact("kind", Kind.INCIDENT.word());
        result.followUp("How do I contain incident " + incident.number() + "?");
        result.followUp("Show the timeline of incident " + incident.number());
        result.followUp("Write an executive summary of the last 30 days");
        return result.build();
    }

    private SkillResult posture(SkillContext context, SkillResult.Builder result) {
        PostureReport report = workspace.posture(context.now());
        String asOf = Phrasing.day(context.now());
        result.fact("as_of", asOf);
        result.paragraph("Security report for tenant '" + tenant() + "', as of " + asOf + ": security posture.");
        if (report.counts().getOrDefault("assets", 0) == 0 && report.counts().getOrDefault("identities", 0) == 0) {
            result.paragraph("The posture cannot be reported: the tenant has no inventory (no assets, software,"
                    + " identities or services), neither imported nor observed in its events. Import one with "
                    + KnowledgeHints.IMPORT_INVENTORY + ".");
            return result.status(SkillResult.Status.EMPTY).fact("assets", 0).build();
        }
        sections("posture", ReportPeriod.upTo(context.now()), Map.of(), context, result);
        result.followUp("what should we remediate first?");
        result.followUp("which assets are most exposed?");
        result.followUp("Write an executive summary of the last 30 days");
        return result.build();
    }

    /**
     * Runs a built-in template's sections through the report assembler and gathers them into the result: each
     * section's text under its heading, and its tables, charts, queries (evidence references renumbered), evidence,
     * facts and subjects.
     */
    private void sections(String name, ReportPeriod period, Map<String, String> parameters, SkillContext context,
            SkillResult.Builder result) {
        ReportTemplate template = ReportTemplates.builtIn(name).orElseThrow();
        Map<String, Skill> skills = new LinkedHashMap<>();
        ReportSections.all(workspace).forEach(s -> skills.put(s.spec().name(), s));
        List<SkillResult> ran = new ArrayList<>();
        ReportAssembler.Sections sections = new ReportAssembler.Sections() {
            @Override
            public SkillResult skill(SkillCall call) {
                Skill skill = skills.get(call.skill());
                try {
                    SkillResult section = skill == null ? SkillResult.failed(call.skill(), "There is no skill '"
                            + call.skill() + "'.") : skill.run(call, context);
                    ran.add(section);
                    return section;
                } catch (VigilException e) { // the assembler says so in the section; the parts stay aligned
                    ran.add(SkillResult.failed(call.skill(), e.getMessage()));
                    throw e;
                }
            }

            @Override
            public SkillResult query(String kql, TimeRange range) {
                SkillResult section = SkillResult.failed("hunt", "The security-report skill runs no hunting query.");
                ran.add(section);
                return section;
            }
        };
        Report report = ReportAssembler.assemble(template, new ReportRequest(tenant(), "", period, null, parameters,
                List.of(), List.of()), sections, figure -> "");
        for (int i = 0; i < report.sections().size(); i++) {
            ReportSection section = report.sections().get(i);
            result.paragraph("## " + section.title());
            result.paragraph(section.markdown());
            SkillResult part = ran.get(i);
            int offset = result.queryCount();
            part.queries().forEach(result::query);
            part.tables().forEach(result::table);
            part.charts().forEach(result::chart);
            part.evidence().forEach(e -> result.evidence(e.claim(), e.refs().stream()
                    .map(ref -> renumbered(ref, offset)).toList()));
            part.facts().forEach((fact, value) -> {
                if (!fact.equals("tenant")) {
                    result.fact(fact, value);
                }
            });
            part.subjects().forEach(s -> result.subject(s.type(), s.value()));
        }
    }

    /** A section's {@code query:n} evidence reference as the n-th query of the whole report. */
    private static String renumbered(String ref, int offset) {
        if (!ref.startsWith("query:")) {
            return ref;
        }
        return "query:" + (Integer.parseInt(ref.substring("query:".length())) + offset);
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
}
