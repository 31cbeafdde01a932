package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Phrasing.and;
import static dev.vigil.copilot.skills.Phrasing.count;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.DataComponent;
import dev.vigil.intel.attack.Detection;
import dev.vigil.intel.attack.DetectionStrategy;
import dev.vigil.intel.attack.Group;
import dev.vigil.intel.attack.Mitigation;
import dev.vigil.intel.attack.Resolution;
import dev.vigil.intel.attack.SearchHit;
import dev.vigil.intel.attack.Tactic;
import dev.vigil.intel.attack.Technique;
import dev.vigil.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code technique-explainer}: an ATT&amp;CK technique (or a tactic) explained: what it is, its tactics, how ATT&amp;CK
 * says to detect and mitigate it, its sub-techniques, the groups known to use it; and the tenant's side: the enabled
 * rules tagged with it and the alerts that name it (sub-techniques included).
 *
 * <p>A value that names a tactic rather than a technique ("lateral movement", {@code TA0008}) gets the tactic's
 * description and coverage of its techniques. A name several techniques share is answered with the choices.
 */
final class TechniqueExplainerSkill implements Skill {
    static final String NAME = "technique-explainer";
    private static final int DESCRIPTION_LIMIT = 700;
    private static final int TOP_GROUPS = 5;

    private static final SkillSpec SPEC = new SkillSpec(NAME, "intel",
            "Explains an ATT&CK technique or tactic: what it is, its tactics, detection and mitigations,"
                    + " sub-techniques and the groups that use it, and whether your enabled rules cover it and"
                    + " alerts fired for it.",
            List.of("what is T1003.001?", "explain LSASS memory dumping", "how do we detect T1059.001",
                    "do we cover Kerberoasting?", "what is lateral movement in ATT&CK?"),
            List.of(SkillInput.required("technique", EntityType.TECHNIQUE,
                    "an ATT&CK technique or sub-technique by id (T1003.001) or name (LSASS Memory); a tactic"
                            + " (TA0008, Lateral Movement) is explained too")));

    private final Workspace workspace;

    TechniqueExplainerSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read threat intelligence");
        String query = call.first("technique").orElseThrow().strip();
        String tenant = workspace.store().tenant().value();
        Optional<AttackKnowledge> knowledge = workspace.attack();
        if (knowledge.isEmpty()) {
            return KnowledgeHints.attackMissing(NAME, "explain '" + query + "'", tenant);
        }
        AttackKnowledge attack = knowledge.get();
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant);
        KnowledgeHints.attackFacts(result, attack);
        Optional<Resolution<Technique>> resolution = attack.resolve(Technique.class, query);
        if (resolution.isPresent()) {
            return technique(result, attack, resolution.get(), tenant);
        }
        Optional<Tactic> tactic = attack.tactic(query);
        if (tactic.isPresent()) {
            return tactic(result, attack, tactic.get(), tenant);
        }
        return notFound(result, attack, query, tenant);
    }

    private SkillResult technique(SkillResult.Builder result, AttackKnowledge attack, Resolution<Technique> resolution,
            String tenant) {
        Technique t = resolution.current();
        TechniqueActivity activity = TechniqueActivity.read(workspace.store());
        String alertsQuery = "query:" + (result.queryCount() + TechniqueActivity.ALERTS_QUERY);
        activity.queries().forEach(result::query);
        List<String> rules = activity.rules(t.id());
        TechniqueActivity.Fired fired = activity.fired(t.id());
        List<Mitigation> mitigations = attack.mitigationsOf(t.id());
        List<Technique> subtechniques = attack.subtechniquesOf(t.id());
        List<Group> groups = attack.groupsUsing(t.id());
        Optional<Detection> detection = attack.detectionOf(t.id());
        List<String> tactics = t.tactics().stream().map(Technique.TacticRef::name).toList();
        String description = Phrasing.firstParagraph(AttackKnowledge.plainText(t.description()), DESCRIPTION_LIMIT);

        String kind = t.isSubtechnique() ? "sub-technique" : "technique";
        String parent = t.parentId().flatMap(attack::technique).map(p -> " of " + p.label()).orElse("");
        result.paragraph(t.label() + " is " + (tactics.isEmpty() ? "an ATT&CK " + kind : "a " + and(tactics)
                + " " + kind) + parent + ". " + Phrasing.firstSentence(description)
                + resolution.note().map(n -> " " + n).orElse(""));
        StringBuilder ours = new StringBuilder("In tenant '" + tenant + "', ");
        if (rules.isEmpty()) {
            ours.append("no enabled rule is tagged with it").append(activity.enabledRules() == 0
                    ? " (the tenant has no enabled rules: import some with `vigil rules import`)" : "");
        } else {
            ours.append(count(rules.size(), "enabled rule")).append(rules.size() == 1 ? " detects" : " detect")
                    .append(" it (").append(and(rules.stream().map(r -> "'" + r + "'").toList(), 4)).append(')');
        }
        ours.append(fired.alerts() == 0 ? ", and no alert names it." : ", and " + count(fired.alerts(), "alert")
                + (fired.alerts() == 1 ? " names" : " name") + " it" + (fired.incidents().isEmpty() ? "."
                        : ", in " + (fired.incidents().size() == 1 ? "incident " : "incidents ")
                                + and(fired.incidents().stream().map(n -> "#" + n).toList(), 5) + "."));
        if (rules.isEmpty() && fired.alerts() == 0) {
            ours.append(" That does not mean it did not happen: without a rule nothing would raise an alert for it.");
        }
        result.paragraph(ours.toString());
        if (description.length() > Phrasing.firstSentence(description).length()) {
            result.paragraph("ATT&CK: " + description);
        }
        detection.filter(d -> !d.isEmpty()).ifPresent(d -> {
            String text = Phrasing.firstParagraph(AttackKnowledge.plainText(d.text()), DESCRIPTION_LIMIT);
            List<String> parts = new ArrayList<>();
            if (!text.isEmpty()) {
                parts.add(text);
            }
            if (!d.strategies().isEmpty()) {
                parts.add("Detection strategies: " + and(d.strategies().stream().map(DetectionStrategy::label)
                        .toList(), 3) + ".");
            }
            if (!d.dataComponents().isEmpty()) {
                parts.add("Data that reveals it: " + and(d.dataComponents().stream().map(DataComponent::name)
                        .toList(), 6) + ".");
            }
            result.paragraph("How to detect it: " + String.join(" ", parts));
            result.fact("detection", String.join(" ", parts));
        });
        result.paragraph(mitigations.isEmpty() ? "ATT&CK lists no mitigation for it."
                : "Mitigations: " + and(mitigations.stream().map(Mitigation::label).toList(), 8) + ".");
        if (!subtechniques.isEmpty()) {
            result.paragraph("Its " + count(subtechniques.size(), "sub-technique") + ": " + and(subtechniques.stream()
                    .map(Technique::label).toList(), 10) + ".");
        }
        result.paragraph(groups.isEmpty() ? "ATT&CK names no group known to use it."
                : count(groups.size(), "group") + (groups.size() == 1 ? " is" : " are") + " known to use it, among"
                        + " them " + and(groups.stream().limit(TOP_GROUPS).map(Group::label).toList()) + ".");
        result.paragraph("Scope: " + KnowledgeHints.attackName(attack) + "; the enabled rules and alerts of tenant '"
                + tenant + "' over all stored data." + (t.url().isEmpty() ? "" : " Reference: " + t.url()));

        result.table(new Table("Mitigations of " + t.id(), List.of("mitigation", "name"), mitigations.stream()
                .map(m -> List.<Object>of(m.id(), m.name())).toList()));
        if (!subtechniques.isEmpty()) {
            result.table(new Table("Sub-techniques of " + t.id(), List.of("technique", "name", "our_rules", "alerts"),
                    subtechniques.stream().map(s -> List.<Object>of(s.id(), s.name(), activity.rules(s.id()).size(),
                            activity.fired(s.id()).alerts())).toList()));
        }
        result.table(new Table("Groups known to use " + t.id(), List.of("group", "name"), groups.stream()
                .map(g -> List.<Object>of(g.id(), g.name())).toList()));
        result.table(new Table("Enabled rules tagged with " + t.id(), List.of("rule"), rules.stream()
                .map(r -> List.<Object>of(r)).toList()));

        result.fact("technique", t.id()).fact("name", t.name()).fact("tactics", tactics)
                .fact("description", description).fact("subtechniques", subtechniques.size())
                .fact("groups", groups.size()).fact("mitigations", mitigations.size()).fact("rules", rules.size())
                .fact("alerts", fired.alerts()).fact("incidents", fired.incidents()).fact("covered", !rules.isEmpty());

        result.evidence(t.label() + " as ATT&CK describes it", List.of("attack:" + t.id()));
        result.evidence("its mitigations", mitigations.stream().map(m -> "attack:" + m.id()).toList());
        result.evidence("groups known to use it", groups.stream().limit(TOP_GROUPS).map(g -> "attack:" + g.id())
                .toList());
        List<String> alertRefs = new ArrayList<>(fired.newestAlerts().stream().map(id -> "alert:" + id).toList());
        if (!alertRefs.isEmpty()) {
            alertRefs.add(alertsQuery);
        }
        result.evidence(count(fired.alerts(), "alert") + " of the tenant name it", alertRefs);

        result.subject(EntityType.TECHNIQUE, t.id());
        result.followUp(fired.alerts() > 0 ? "show the alerts for " + t.id() : "hunt for " + t.name() + " ("
                + t.id() + ") in the last 30 days");
        if (!groups.isEmpty()) {
            result.followUp("tell me about " + groups.get(0).name());
        }
        if (!subtechniques.isEmpty()) {
            result.followUp("explain " + subtechniques.get(0).id());
        } else if (t.parentId().isPresent()) {
            result.followUp("explain " + t.parentId().get());
        }
        return result.build();
    }

    private SkillResult tactic(SkillResult.Builder result, AttackKnowledge attack, Tactic tactic, String tenant) {
        TechniqueActivity activity = TechniqueActivity.read(workspace.store());
        activity.queries().forEach(result::query);
        List<Technique> techniques = attack.techniquesOf(tactic.id()).stream().filter(t -> !t.isSubtechnique())
                .toList();
        List<Technique> covered = techniques.stream().filter(t -> !activity.rules(t.id()).isEmpty()).toList();
        List<Technique> seen = techniques.stream().filter(t -> activity.fired(t.id()).alerts() > 0).toList();
        String description = Phrasing.firstParagraph(AttackKnowledge.plainText(tactic.description()),
                DESCRIPTION_LIMIT);
        result.paragraph(tactic.label() + " is an ATT&CK tactic. " + description + " It has "
                + count(techniques.size(), "technique") + "; the enabled rules of tenant '" + tenant + "' cover "
                + covered.size() + " of them, and alerts here name " + seen.size() + (seen.isEmpty() ? "."
                        : ": " + and(seen.stream().map(Technique::label).toList(), 6) + "."));
        result.paragraph("Scope: " + KnowledgeHints.attackName(attack) + "; the enabled rules and alerts of tenant '"
                + tenant + "' over all stored data.");
        result.table(new Table("Techniques of " + tactic.name(), List.of("technique", "name", "our_rules", "alerts"),
                techniques.stream().map(t -> List.<Object>of(t.id(), t.name(), activity.rules(t.id()).size(),
                        activity.fired(t.id()).alerts())).toList()));
        result.fact("tactic", tactic.id()).fact("name", tactic.name()).fact("description", description)
                .fact("techniques", techniques.size()).fact("covered_techniques", covered.size())
                .fact("seen_techniques", seen.stream().map(Technique::id).toList());
        result.evidence(tactic.label() + " as ATT&CK describes it", List.of("attack:" + tactic.id()));
        result.evidence("its techniques seen in alerts", seen.stream().map(t -> "attack:" + t.id()).toList());
        result.subject(EntityType.TACTIC, tactic.id());
        techniques.stream().filter(t -> activity.rules(t.id()).isEmpty()).findFirst()
                .ifPresent(t -> result.followUp("explain " + t.id()));
        result.followUp("which groups use " + tactic.name() + " techniques the most?");
        return result.build();
    }

    private SkillResult notFound(SkillResult.Builder result, AttackKnowledge attack, String query, String tenant) {
        result.status(SkillResult.Status.EMPTY).fact("technique_query", query);
        List<Technique> candidates = attack.candidates(Technique.class, query);
        if (candidates.size() > 1) {
            result.paragraph("'" + query + "' names several techniques in " + KnowledgeHints.attackName(attack) + ": "
                    + and(candidates.stream().map(Technique::label).toList()) + ". Which one do you mean?");
            candidates.forEach(t -> result.followUp("explain " + t.id()));
            result.fact("candidates", candidates.stream().map(Technique::id).toList());
            result.evidence("techniques named '" + query + "'", candidates.stream().map(t -> "attack:" + t.id())
                    .toList());
            return result.build();
        }
        List<SearchHit> hits = attack.search(query, 3, Set.of(Technique.class));
        result.paragraph(Phrasing.capitalized(KnowledgeHints.attackName(attack)) + " has no technique or tactic with"
                + " the id or name '" + query + "'" + (hits.isEmpty() ? "."
                        : "; the closest techniques are " + and(hits.stream().map(h -> h.object().label()).toList())
                                + "."));
        result.paragraph("Searched: the technique and tactic ids and names of " + KnowledgeHints.attackName(attack)
                + " (tenant '" + tenant + "').");
        result.fact("candidates", hits.stream().map(h -> h.object().id()).toList());
        hits.forEach(h -> result.followUp("explain " + h.object().id()));
        result.evidence("techniques closest to '" + query + "'", hits.stream().map(h -> "attack:" + h.object().id())
                .toList());
        return result.build();
    }
}
