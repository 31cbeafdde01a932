package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentView;
import dev.vigil.store.IncidentCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code incident-summary}: what an incident is, in a few sentences with their evidence, and where it stands: status,
 * severity, owner, alerts, hosts and accounts, tactics reached and impact score. The sentences are the incident
 * analysis's own ({@link IncidentView#summary()}), so the CLI, the server and the copilot tell the same story.
 */
public final class IncidentSummarySkill implements Skill {
    private static final SkillSpec SPEC = new SkillSpec("incident-summary", "incidents",
            "Summarizes an incident: what happened, its status, severity, owner, alerts, affected hosts and accounts,"
                    + " the ATT&CK tactics it reached and its impact score.",
            List.of("Summarize incident 12", "What is incident #3 about?", "Give me an overview of incident 7",
                    "tl;dr of incident 4", "Brief me on incident 9"),
            List.of(IncidentLookup.INCIDENT));

    private final Workspace workspace;

    public IncidentSummarySkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        SkillResult.Builder result = SkillResult.builder(SPEC.name());
        Optional<IncidentCase> found = IncidentLookup.load(workspace, call, context, result);
        if (found.isEmpty()) {
            return result.build();
        }
        IncidentView view = found.get().view();
        Incident incident = view.incident();
        IncidentView.Impact impact = view.impact();
        List<String> tactics = view.tactics().stream().map(IncidentView.TacticReached::name).toList();
        String ref = "incident:" + incident.number();

        result.paragraph(overview(view));
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
        result.paragraph("Scope: tenant '" + workspace.store().tenant().value() + "', the incident's alerts from "
                + Investigation.instant(incident.firstSeen()) + " to " + Investigation.instant(incident.lastSeen())
                + ".");

        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("title", incident.title()));
        rows.add(List.of("status", incident.status().toString()));
        rows.add(List.of("severity", incident.severity()));
        rows.add(List.of("classification", incident.classification().toString()));
        rows.add(List.of("owner", incident.owner().isEmpty() ? "unassigned" : incident.owner()));
        rows.add(List.of("alerts", incident.alertCount()));
        rows.add(List.of("first seen", Investigation.instant(incident.firstSeen())));
        rows.add(List.of("last seen", Investigation.instant(incident.lastSeen())));
        rows.add(List.of("hosts", String.join(", ", impact.hosts())));
        rows.add(List.of("accounts", String.join(", ", impact.users())));
        rows.add(List.of("privileged accounts", String.join(", ", impact.privileged())));
        rows.add(List.of("tactics", String.join(", ", tactics)));
        rows.add(List.of("impact score", impact.score()));
        result.table(new Table("Incident " + incident.number(), List.of("field", "value"), rows));
        if (!view.tactics().isEmpty()) {
            List<List<Object>> tacticRows = new ArrayList<>();
            for (IncidentView.TacticReached tactic : view.tactics()) {
                tacticRows.add(List.of(tactic.name(), String.join(", ", tactic.techniques()),
                        Investigation.micros(tactic.firstMicros())));
                result.evidence("Reached " + tactic.name() + " with " + String.join(", ", tactic.techniques()),
                        tactic.evidence().isEmpty() ? List.of(ref) : tactic.evidence());
            }
            result.table(new Table("Tactics reached", List.of("tactic", "techniques", "first (UTC)"), tacticRows));
        }

        result.fact("incident", incident.number()).fact("title", incident.title())
                .fact("status", incident.status().toString()).fact("severity", incident.severity())
                .fact("classification", incident.classification().toString()).fact("owner", incident.owner())
                .fact("alerts", incident.alertCount()).fact("hosts", impact.hosts()).fact("users", impact.users())
                .fact("privileged", impact.privileged()).fact("tactics", tactics).fact("score", impact.score()).fact("score_max", 100)
                .fact("first_seen", Investigation.instant(incident.firstSeen()))
                .fact("last_seen", Investigation.instant(incident.lastSeen()))
                .fact("tenant", workspace.store().tenant().value());
        result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
        impact.hosts().forEach(h -> result.subject(EntityType.HOST, h));
        impact.users().forEach(u -> result.subject(EntityType.USER, u));

        result.followUp("Show the timeline of incident " + incident.number());
        result.followUp("Which entities are involved in incident " + incident.number() + "?");
        result.followUp("How do I contain incident " + incident.number() + "?");
        if (!impact.hosts().isEmpty()) {
            result.followUp("What happened on " + impact.hosts().get(0) + "?");
        }
        return result.build();
    }

    /**
     * The incident in one sentence: severity, title, state, alerts, the hosts and accounts it touched, the tactics it
     * reached and its impact score. Every figure is among the incident's fields ({@link Incident}, {@link
     * IncidentView.Impact}), which answers that use it put in their facts.
     */
    static String overview(IncidentView view) {
        Incident incident = view.incident();
        IncidentView.Impact impact = view.impact();
        List<String> tactics = view.tactics().stream().map(IncidentView.TacticReached::name).toList();
        StringBuilder first = new StringBuilder("Incident #" + incident.number() + " is "
                + IncidentLookup.article(incident.severity()) + "-severity incident, \"" + incident.title() + "\", "
                + IncidentLookup.state(incident) + ", with " + Investigation.count(incident.alertCount(), "alert"));
        List<String> affected = new ArrayList<>();
        if (!impact.hosts().isEmpty()) {
            affected.add((impact.hosts().size() == 1 ? "host " : "hosts ") + Investigation.join(impact.hosts()));
        }
        if (!impact.users().isEmpty()) {
            affected.add((impact.users().size() == 1 ? "account " : "accounts ") + Investigation.join(impact.users()));
        }
        if (!affected.isEmpty()) {
            first.append(" on ").append(String.join(" and ", affected));
        }
        first.append(tactics.isEmpty() ? "" : ", reaching " + Investigation.join(tactics));
        first.append("; its impact score is ").append(impact.score()).append(" of 100.");
        return first.toString();
    }
}
