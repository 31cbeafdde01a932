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
 * {@code incident-entities}: who and what took part in an incident and as what (attacker, victim, involved), why,
 * in how many of its alerts, and whether each is privileged or common in the organization.
 */
public final class IncidentEntitiesSkill implements Skill {
    private static final int SHOWN = 30;
    private static final SkillSpec SPEC = new SkillSpec("incident-entities", "incidents",
            "Lists the entities of an incident (hosts, accounts, addresses, files, domains) with their role as attacker,"
                    + " victim or involved, why, how many alerts name them, and whether they are privileged or common.",
            List.of("Which entities are involved in incident 3?", "Who is the attacker in incident 12?",
                    "What hosts and users does incident 5 touch?", "Show the entities of incident #2", "Who is involved in incident 6?"),
            List.of(IncidentLookup.INCIDENT));

    private final Workspace workspace;

    public IncidentEntitiesSkill(Workspace workspace) {
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
        IncidentCase incidentCase = found.get();
        IncidentView view = incidentCase.view();
        Incident incident = view.incident();
        List<IncidentView.EntityNode> entities = view.entities();
        String ref = "incident:" + incident.number();
        result.fact("incident", incident.number()).fact("entities", entities.size())
                .fact("tenant", workspace.store().tenant().value());
        result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
        if (entities.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("Incident #" + incident.number() + " names no entity"
                    + " that Vigil can follow: its alerts carry no host, account, address, file or domain.");
            result.evidence("The incident's alerts", List.of(ref));
            return result.build();
        }
        List<String> attackers = names(entities, IncidentView.Role.ATTACKER);
        List<String> victims = names(entities, IncidentView.Role.VICTIM);
        List<String> privileged = entities.stream().filter(IncidentView.EntityNode::privileged)
                .map(e -> e.key().value()).toList();

        StringBuilder first = new StringBuilder("Incident #" + incident.number() + " involves "
                + Investigation.count(entities.size(), "entity"));
        List<String> parts = new ArrayList<>();
        if (!attackers.isEmpty()) {
            parts.add((attackers.size() == 1 ? "the attacker " : "the attackers ") + Investigation.join(attackers));
        }
        if (!victims.isEmpty()) {
            parts.add((victims.size() == 1 ? "the victim " : "the victims ") + Investigation.join(victims));
        }
        first.append(parts.isEmpty() ? "" : ": " + String.join(", and ", parts)).append('.');
        result.paragraph(first.toString());
        if (!privileged.isEmpty()) {
            result.paragraph("Privileged " + (privileged.size() == 1 ? "account: " : "accounts: ")
                    + Investigation.join(privileged) + ".");
        }
        long common = entities.stream().filter(IncidentView.EntityNode::common).count();
        if (common > 0) {
            result.paragraph(Investigation.count(common, "entity")
                    + " are common in the organization, so they did not tie alerts together.");
            result.fact("common", common);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (IncidentView.EntityNode node : entities.subList(0, Math.min(SHOWN, entities.size()))) {
            rows.add(List.of(node.role().toString(), node.key().kind().label(), node.key().value(), node.alerts(),
                    node.why(), node.privileged(), node.common(), Investigation.micros(node.firstMicros()),
                    Investigation.micros(node.lastMicros())));
            List<String> refs = IncidentLookup.alertRefs(incidentCase, node.key(), 5);
            result.evidence(node.key() + " is " + node.role() + ": " + node.why(), refs.isEmpty() ? List.of(ref) : refs);
            result.subject(IncidentLookup.type(node.key().kind()), node.key().value());
        }
        result.table(new Table("Entities of incident " + incident.number() + Investigation.shown(rows.size(),
                entities.size()), List.of("role", "kind", "entity", "alerts", "why", "privileged", "common",
                "first (UTC)", "last (UTC)"), rows));
        if (rows.size() < entities.size()) {
            result.paragraph("The table shows " + rows.size() + " of " + entities.size() + " entities.");
        }
        result.fact("attackers", attackers).fact("victims", victims).fact("privileged", privileged);

        result.followUp("Summarize incident " + incident.number());
        result.followUp("How do I contain incident " + incident.number() + "?");
        victims.stream().findFirst().ifPresent(v -> result.followUp("What else did " + v + " do?"));
        attackers.stream().findFirst().ifPresent(a -> result.followUp("Is " + a + " malicious?"));
        return result.build();
    }

    private static List<String> names(List<IncidentView.EntityNode> entities, IncidentView.Role role) {
        return entities.stream().filter(e -> e.role() == role).map(e -> e.key().value()).toList();
    }
}
