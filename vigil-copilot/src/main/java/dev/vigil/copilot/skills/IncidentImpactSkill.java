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
import java.util.Locale;
import java.util.Optional;

/**
 * {@code incident-impact}: how much an incident matters and where it likely came from: hosts, accounts, privileged
 * accounts and business criticality, the impact score with each factor and its evidence, the tactics reached, and
 * the likely source (initial access, external addresses, intelligence matches, threat actors as hypotheses only).
 */
public final class IncidentImpactSkill implements Skill {
    private static final SkillSpec SPEC = new SkillSpec("incident-impact", "incidents",
            "Assesses an incident's impact and likely source: affected hosts and accounts, privileged accounts,"
                    + " criticality, the impact score and its factors, tactics reached, initial access, external"
                    + " addresses, threat-intelligence matches and threat-actor hypotheses.",
            List.of("What is the impact of incident 3?", "How far did incident 12 get?",
                    "Where did incident #4 come from?", "Who is behind incident 7?", "Is incident 2 serious?",
                    "How bad is incident 4?", "What is the damage of incident 6?"),
            List.of(IncidentLookup.INCIDENT));

    private final Workspace workspace;

    public IncidentImpactSkill(Workspace workspace) {
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
        IncidentView.Source source = view.source();
        String ref = "incident:" + incident.number();
        List<String> tactics = view.tactics().stream().map(IncidentView.TacticReached::name).toList();

        StringBuilder first = new StringBuilder("Incident #" + incident.number() + " has an impact score of "
                + impact.score() + " of 100: it affects " + Investigation.count(impact.hosts().size(), "host")
                + (impact.hosts().isEmpty() ? "" : " (" + Investigation.join(impact.hosts()) + ")") + " and "
                + Investigation.count(impact.users().size(), "account")
                + (impact.users().isEmpty() ? "" : " (" + Investigation.join(impact.users()) + ")"));
        if (!impact.privileged().isEmpty()) {
            first.append(", privileged: ").append(Investigation.join(impact.privileged()));
        }
        first.append(tactics.isEmpty() ? "" : ", and reached " + Investigation.join(tactics)).append('.');
        result.paragraph(first.toString());
        result.paragraph("Business criticality: " + impact.criticality() + ".");
        result.evidence("Impact score " + impact.score() + " of incident #" + incident.number(), List.of(ref));

        List<List<Object>> factorRows = new ArrayList<>();
        List<String> factorWords = new ArrayList<>();
        for (IncidentView.Factor factor : impact.factors()) {
            factorRows.add(List.of(factor.name(), factor.points(), factor.why(), String.join(", ", factor.evidence())));
            factorWords.add(factor.name() + " (+" + factor.points() + ")");
            result.evidence(factor.name() + ": " + factor.why(), factor.evidence().isEmpty() ? List.of(ref)
                    : factor.evidence());
        }
        if (!factorRows.isEmpty()) {
            result.paragraph("The score adds up from " + Investigation.join(factorWords) + ".");
            result.table(new Table("Impact factors", List.of("factor", "points", "why", "evidence"), factorRows));
        }
        if (!view.tactics().isEmpty()) {
            List<List<Object>> tacticRows = new ArrayList<>();
            for (IncidentView.TacticReached tactic : view.tactics()) {
                tacticRows.add(List.of(tactic.name(), String.join(", ", tactic.techniques()),
                        Investigation.micros(tactic.firstMicros())));
                result.evidence("Reached " + tactic.name(), tactic.evidence().isEmpty() ? List.of(ref)
                        : tactic.evidence());
            }
            result.table(new Table("Tactics reached", List.of("tactic", "techniques", "first (UTC)"), tacticRows));
        } else if (workspace.attack().isEmpty()) {
            result.paragraph("The tactics it reached are not known: the tenant has no ATT&CK knowledge (import it with"
                    + " `vigil intel import enterprise-attack.json`).");
        }

        List<String> origin = new ArrayList<>();
        for (IncidentView.Sentence sentence : source.initialAccess()) {
            origin.add(sentence.text());
            result.evidence(sentence.text(), sentence.evidence().isEmpty() ? List.of(ref) : sentence.evidence());
        }
        for (IncidentView.Sentence sentence : source.intelMatches()) {
            origin.add(sentence.text());
            result.evidence(sentence.text(), sentence.evidence().isEmpty() ? List.of(ref) : sentence.evidence());
        }
        if (!source.externalAddresses().isEmpty()) {
            origin.add("External addresses that took part: " + Investigation.join(source.externalAddresses()) + ".");
            result.evidence("External addresses of incident #" + incident.number(), List.of(ref));
        }
        if (!origin.isEmpty()) {
            result.paragraph("Likely source: " + String.join(" ", origin));
        }
        List<String> actors = new ArrayList<>();
        if (!source.actors().isEmpty()) {
            List<List<Object>> actorRows = new ArrayList<>();
            for (IncidentView.ActorHypothesis actor : source.actors()) {
                actors.add(actor.name());
                actorRows.add(List.of(actor.groupId(), actor.name(), actor.overlap().size(), actor.groupTechniques(),
                        String.join(", ", actor.overlap()), String.format(Locale.ROOT, "%.2f", actor.score())));
                result.evidence("Hypothesis: " + actor.name() + " uses " + String.join(", ", actor.overlap()),
                        actor.overlap().stream().map(t -> "attack:" + t).toList());
            }
            result.paragraph("As a hypothesis, not attribution: the incident's techniques overlap those known for "
                    + Investigation.join(actors) + " (see the table).");
            result.table(new Table("Threat actors whose techniques overlap (hypotheses)", List.of("group", "name",
                    "overlap", "group techniques", "techniques", "score"), actorRows));
        }
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("score", impact.score()));
        rows.add(List.of("hosts", String.join(", ", impact.hosts())));
        rows.add(List.of("accounts", String.join(", ", impact.users())));
        rows.add(List.of("mailboxes", String.join(", ", impact.mailboxes())));
        rows.add(List.of("privileged accounts", String.join(", ", impact.privileged())));
        rows.add(List.of("criticality", impact.criticality()));
        rows.add(List.of("external addresses", String.join(", ", source.externalAddresses())));
        result.table(new Table("Impact of incident " + incident.number(), List.of("field", "value"), rows));

        result.fact("incident", incident.number()).fact("score", impact.score()).fact("score_max", 100).fact("hosts", impact.hosts())
                .fact("users", impact.users()).fact("privileged", impact.privileged())
                .fact("criticality", impact.criticality()).fact("tactics", tactics)
                .fact("external_addresses", source.externalAddresses()).fact("actors", actors)
                .fact("factors", impact.factors().stream().map(IncidentView.Factor::name).toList())
                .fact("tenant", workspace.store().tenant().value());
        result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
        impact.hosts().forEach(h -> result.subject(EntityType.HOST, h));
        impact.users().forEach(u -> result.subject(EntityType.USER, u));
        source.externalAddresses().forEach(a -> result.subject(EntityType.IP, a));

        result.followUp("How do I contain incident " + incident.number() + "?");
        result.followUp("Show the timeline of incident " + incident.number());
        source.externalAddresses().stream().findFirst().ifPresent(a -> result.followUp("Is " + a + " malicious?"));
        return result.build();
    }
}
