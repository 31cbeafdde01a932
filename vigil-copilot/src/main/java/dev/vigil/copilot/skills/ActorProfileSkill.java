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
import dev.vigil.intel.attack.Group;
import dev.vigil.intel.attack.MitigationCoverage;
import dev.vigil.intel.attack.Resolution;
import dev.vigil.intel.attack.SearchHit;
import dev.vigil.intel.attack.Software;
import dev.vigil.intel.attack.Technique;
import dev.vigil.model.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code actor-profile}: a threat actor as ATT&amp;CK describes it (aliases, description, techniques, software, the
 * mitigations that cover the most of its techniques) next to the tenant's side: which of its techniques the enabled
 * rules detect, and which appear in the tenant's alerts and incidents.
 *
 * <p>An alert of a technique the actor uses is a lead, not attribution: most techniques are shared by many groups, and
 * the answer says so. Without ATT&amp;CK imported the skill fails and names the import command.
 */
final class ActorProfileSkill implements Skill {
    static final String NAME = "actor-profile";
    private static final int DESCRIPTION_LIMIT = 700;

    private static final SkillSpec SPEC = new SkillSpec(NAME, "intel",
            "Profile of a threat actor (an ATT&CK group): who it is, its aliases, the techniques and software it uses,"
                    + " and which of its techniques your rules detect and your alerts and incidents show.",
            List.of("tell me about APT29", "who is Cozy Bear?", "profile G0016", "are we seeing FIN7 techniques?",
                    "what does Lazarus Group do"),
            List.of(SkillInput.required("actor", EntityType.ACTOR,
                    "an ATT&CK group by id (G0016), name or alias (APT29, Cozy Bear)"),
                    SkillInput.choice("focus", "what the question is about: its techniques, which of them were seen"
                            + " in our data, the mitigations against them, or its software",
                            "seen", "mitigations", "software", "techniques")));

    private final Workspace workspace;

    ActorProfileSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read threat intelligence");
        String query = call.first("actor").orElseThrow().strip();
        String tenant = workspace.store().tenant().value();
        Optional<AttackKnowledge> knowledge = workspace.attack();
        if (knowledge.isEmpty()) {
            return KnowledgeHints.attackMissing(NAME, "profile the threat actor '" + query + "'", tenant);
        }
        AttackKnowledge attack = knowledge.get();
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant);
        KnowledgeHints.attackFacts(result, attack);
        Optional<Resolution<Group>> resolution = attack.resolve(Group.class, query);
        if (resolution.isEmpty()) {
            return notFound(result, attack, query, tenant);
        }
        Group group = resolution.get().current();
        TechniqueActivity activity = TechniqueActivity.read(workspace.store());
        String alertsQuery = "query:" + (result.queryCount() + TechniqueActivity.ALERTS_QUERY);
        String incidentsQuery = "query:" + (result.queryCount() + TechniqueActivity.PLACED_QUERY);
        activity.queries().forEach(result::query);

        List<Technique> techniques = group.techniques().stream().map(attack::technique).flatMap(Optional::stream)
                .toList();
        List<Technique> seen = new ArrayList<>();
        List<String> covered = new ArrayList<>();
        Set<Long> incidents = new TreeSet<>();
        for (Technique technique : techniques) {
            TechniqueActivity.Fired fired = activity.fired(technique.id());
            if (fired.alerts() > 0) {
                seen.add(technique);
                incidents.addAll(fired.incidents());
            }
            if (!activity.rules(technique.id()).isEmpty()) {
                covered.add(technique.id());
            }
        }
        List<Software> software = group.software().stream().map(attack::software).flatMap(Optional::stream).toList();
        List<MitigationCoverage> mitigations = attack.mitigationsCovering(group.techniques()).stream().limit(5)
                .toList();
        // the alias the analyst used leads, so the answer visibly names what was asked about
        List<String> aliases = group.aliases().stream().filter(a -> !a.equalsIgnoreCase(group.name()))
                .sorted(Comparator.comparing((String a) -> !a.equalsIgnoreCase(query))).toList();
        String description = Phrasing.firstParagraph(AttackKnowledge.plainText(group.description()),
                DESCRIPTION_LIMIT);

        // a focused question ("which of its techniques have we seen?") gets its answer first
        String focus = call.first("focus").orElse("");
        result.fact("focus", focus.isEmpty() ? "profile" : focus);
        switch (focus) {
            case "seen" -> result.paragraph(seen.isEmpty()
                    ? "None of the " + count(techniques.size(), "technique") + " ATT&CK links to " + group.name()
                            + " appears in the alerts of tenant '" + tenant + "'; the enabled rules detect "
                            + covered.size() + " of them."
                    : seen.size() + " of the " + count(techniques.size(), "technique") + " of " + group.name()
                            + (seen.size() == 1 ? " appears" : " appear") + " in the alerts of tenant '" + tenant
                            + "': " + and(seen.stream().map(t -> t.id() + " " + t.name() + " ("
                                    + count(activity.fired(t.id()).alerts(), "alert") + ")").toList(), 8) + ".");
            case "mitigations" -> result.paragraph(mitigations.isEmpty()
                    ? KnowledgeHints.attackName(attack) + " names no mitigation for the techniques of " + group.name() + "."
                    : "The mitigations that cover the most of the techniques of " + group.name() + ": "
                            + and(mitigations.stream().map(m -> m.mitigation().id() + " " + m.mitigation().name()
                                    + " (" + count(m.techniques().size(), "technique") + ")").toList()) + ".");
            case "software" -> result.paragraph(software.isEmpty()
                    ? KnowledgeHints.attackName(attack) + " links no software to " + group.name() + "."
                    : group.name() + " uses " + count(software.size(), "piece of software", "pieces of software")
                            + ": " + and(software.stream().map(s -> s.name() + " (" + s.id() + ")").toList(), 10) + ".");
            case "techniques" -> result.paragraph(group.name() + " uses " + count(techniques.size(), "technique")
                    + " in " + KnowledgeHints.attackName(attack) + ", among them " + and(techniques.stream()
                            .map(t -> t.id() + " " + t.name()).toList(), 8) + "; the table lists them all.");
            default -> { }
        }

        StringBuilder opening = new StringBuilder(group.name() + " (" + group.id() + ")");
        if (!aliases.isEmpty()) {
            opening.append(", also known as ").append(and(aliases, 4)).append(',');
        }
        opening.append(" is a threat group that ").append(KnowledgeHints.attackName(attack)).append(" links to ")
                .append(count(techniques.size(), "technique")).append(" and ")
                .append(count(software.size(), "piece of software", "pieces of software")).append("; ");
        if (seen.isEmpty()) {
            opening.append("none of those techniques appears in the alerts of tenant '").append(tenant).append("'.");
        } else {
            opening.append(seen.size()).append(" of those techniques ").append(seen.size() == 1 ? "appears" : "appear")
                    .append(" in the alerts of tenant '").append(tenant).append("': ")
                    .append(and(seen.stream().map(t -> t.id() + " (" + t.name() + ", "
                            + count(activity.fired(t.id()).alerts(), "alert") + ")").toList(), 6)).append('.');
        }
        resolution.get().note().ifPresent(note -> opening.append(' ').append(note));
        result.paragraph(opening.toString());
        if (!seen.isEmpty()) {
            result.paragraph("Treat this as a hypothesis to test, not attribution: other groups use these techniques"
                    + " too, so the alerts show the techniques here, not " + group.name() + "."
                    + (incidents.isEmpty() ? "" : " The alerts belong to " + (incidents.size() == 1 ? "incident "
                            : "incidents ") + and(incidents.stream().map(n -> "#" + n).toList()) + "."));
        }
        result.paragraph("Detection coverage: the enabled rules of the tenant detect " + covered.size() + " of its "
                + techniques.size() + " techniques; " + (techniques.size() - covered.size()) + " have no enabled rule"
                + " tagged with them" + (activity.enabledRules() == 0 ? " (the tenant has no enabled rules: import"
                        + " some with `vigil rules import`)" : "") + ".");
        if (!description.isEmpty()) {
            result.paragraph("ATT&CK describes it so: " + description);
        }
        if (!software.isEmpty()) {
            result.paragraph("Its software includes " + and(software.stream().map(s -> s.name() + " (" + s.id() + ")")
                    .toList(), 8) + ".");
        }
        if (!mitigations.isEmpty()) {
            result.paragraph("The mitigations that cover the most of its techniques: " + and(mitigations.stream()
                    .map(m -> m.mitigation().id() + " " + m.mitigation().name() + " ("
                            + count(m.techniques().size(), "technique") + ")").toList()) + ".");
        }
        result.paragraph("Scope: " + KnowledgeHints.attackName(attack) + "; the enabled rules, alerts and incidents"
                + " of tenant '" + tenant + "' over all stored data." + (group.url().isEmpty() ? ""
                        : " Reference: " + group.url()));

        List<List<Object>> rows = new ArrayList<>();
        List<Technique> ordered = techniques.stream().sorted(Comparator
                .comparingLong((Technique t) -> -activity.fired(t.id()).alerts())
                .thenComparingInt(t -> -activity.rules(t.id()).size()).thenComparing(Technique::id)).toList();
        for (Technique t : ordered) {
            TechniqueActivity.Fired fired = activity.fired(t.id());
            rows.add(List.of(t.id(), t.name(), String.join(", ", t.tactics().stream().map(Technique.TacticRef::name)
                    .toList()), activity.rules(t.id()).size(), fired.alerts(), String.join(", ", fired.incidents()
                    .stream().map(n -> "#" + n).toList())));
        }
        result.table(new Table("Techniques of " + group.name(), List.of("technique", "name", "tactics", "our_rules",
                "alerts", "incidents"), rows));
        result.table(new Table("Software of " + group.name(), List.of("software", "name", "type"), software.stream()
                .map(s -> List.<Object>of(s.id(), s.name(), s.type().name().toLowerCase(java.util.Locale.ROOT)))
                .toList()));
        result.table(new Table("Mitigations covering the most of its techniques", List.of("mitigation", "name",
                "techniques"), mitigations.stream().map(m -> List.<Object>of(m.mitigation().id(),
                m.mitigation().name(), m.techniques().size())).toList()));

        result.fact("actor", group.id()).fact("actor_name", group.name()).fact("aliases", aliases)
                .fact("techniques", techniques.size()).fact("software", software.size())
                .fact("seen_techniques", seen.stream().map(Technique::id).toList())
                .fact("covered_techniques", covered.size())
                .fact("uncovered_techniques", techniques.size() - covered.size())
                .fact("incidents", List.copyOf(incidents)).fact("description", description);

        result.evidence(group.name() + " is ATT&CK group " + group.id(), List.of("attack:" + group.id()));
        for (Technique t : seen) {
            TechniqueActivity.Fired fired = activity.fired(t.id());
            List<String> refs = new ArrayList<>(List.of("attack:" + t.id()));
            fired.newestAlerts().forEach(id -> refs.add("alert:" + id));
            fired.incidents().forEach(n -> refs.add("incident:" + n));
            refs.add(alertsQuery);
            if (!fired.incidents().isEmpty()) {
                refs.add(incidentsQuery);
            }
            result.evidence(t.id() + " appears in " + count(fired.alerts(), "alert") + " of the tenant", refs);
        }
        result.evidence(group.name() + " uses this software", software.stream().map(s -> "attack:" + s.id())
                .toList());
        result.evidence("these mitigations cover its techniques", mitigations.stream()
                .map(m -> "attack:" + m.mitigation().id()).toList());

        result.subject(EntityType.ACTOR, group.id());
        seen.forEach(t -> result.subject(EntityType.TECHNIQUE, t.id()));
        Technique lead = !seen.isEmpty() ? seen.get(0) : ordered.isEmpty() ? null : ordered.get(0);
        if (lead != null) {
            result.followUp("explain technique " + lead.id());
            result.followUp("hunt for " + lead.name() + " (" + lead.id() + ") in the last 30 days");
        }
        if (!seen.isEmpty()) {
            result.followUp("show the alerts for " + seen.get(0).id());
        }
        result.followUp("what is our posture summary?");
        return result.build();
    }

    private SkillResult notFound(SkillResult.Builder result, AttackKnowledge attack, String query, String tenant) {
        List<Group> candidates = attack.candidates(Group.class, query);
        result.status(SkillResult.Status.EMPTY).fact("actor_query", query);
        if (candidates.size() > 1) {
            result.paragraph("'" + query + "' names several groups in " + KnowledgeHints.attackName(attack) + ": "
                    + and(candidates.stream().map(Group::label).toList()) + ". Which one do you mean?");
            candidates.forEach(g -> result.followUp("profile " + g.id()));
            result.evidence("groups named '" + query + "'", candidates.stream().map(g -> "attack:" + g.id()).toList());
            result.fact("candidates", candidates.stream().map(Group::id).toList());
            return result.build();
        }
        List<SearchHit> hits = attack.search(query, 3, Set.of(Group.class));
        result.paragraph(Phrasing.capitalized(KnowledgeHints.attackName(attack)) + " has no group with the id, name"
                + " or alias '" + query + "', so Vigil has no profile of it" + (hits.isEmpty() ? "."
                        : "; the closest groups are " + and(hits.stream().map(h -> h.object().label()).toList())
                                + "."));
        result.paragraph("Searched: the groups, names and aliases of " + KnowledgeHints.attackName(attack)
                + " (tenant '" + tenant + "'). An actor ATT&CK does not track is only known through threat intelligence"
                + " imported with " + KnowledgeHints.IMPORT_INTEL + ".");
        result.fact("candidates", hits.stream().map(h -> h.object().id()).toList());
        hits.forEach(h -> result.followUp("profile " + h.object().id()));
        result.evidence("groups whose names or descriptions are closest to '" + query + "'", hits.stream()
                .map(h -> "attack:" + h.object().id()).toList());
        return result.build();
    }
}
