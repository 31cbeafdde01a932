package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentView;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponseCard;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.IncidentCase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code incident-response}: the guided response of an incident, by phase (triage, containment, investigation,
 * remediation): each step with its target and reason, and for the actions a responder can carry out, whether an
 * analyst already approved or rejected them.
 */
public final class IncidentResponseSkill implements Skill {
    private static final SkillInput PHASE = SkillInput.choice("phase",
            "Only the steps of this phase of the response.", "triage", "containment", "investigation", "remediation");
    private static final SkillSpec SPEC = new SkillSpec("incident-response", "incidents",
            "Guided response for an incident: triage, containment, investigation and remediation steps with their"
                    + " targets and reasons, and which proposed actions were already approved or rejected.",
            List.of("How do I contain incident 3?", "What should I do about incident 12?",
                    "Guided response for incident #4", "What are the remediation steps for incident 7?",
                    "Which actions are pending on incident 2?", "What do we do next on incident 5?"),
            List.of(IncidentLookup.INCIDENT, PHASE));

    private final Workspace workspace;

    public IncidentResponseSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        Optional<ResponseCard.Category> phase = call.first(PHASE.name()).map(IncidentResponseSkill::phase);
        SkillResult.Builder result = SkillResult.builder(SPEC.name());
        Optional<IncidentCase> found = IncidentLookup.load(workspace, call, context, result);
        if (found.isEmpty()) {
            return result.build();
        }
        IncidentView view = found.get().view();
        Incident incident = view.incident();
        String ref = "incident:" + incident.number();
        Map<String, ResponseAction> byCard = new HashMap<>();
        for (ResponseAction action : found.get().actions()) {
            byCard.put(action.action() + "\n" + action.target(), action);
        }
        List<ResponseCard> cards = view.cards().stream()
                .filter(c -> phase.isEmpty() || c.category() == phase.get()).toList();
        result.fact("incident", incident.number()).fact("tenant", workspace.store().tenant().value());
        phase.ifPresent(p -> result.fact("phase", p.toString()));
        result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
        if (cards.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("Guided response has no "
                    + phase.map(p -> p + " ").orElse("") + "step for incident #" + incident.number()
                    + (phase.isPresent() ? "; ask for the whole response to see the other phases." : "."));
            result.fact("steps", 0);
            result.evidence("The incident", List.of(ref));
            result.followUp("How do I respond to incident " + incident.number() + "?");
            return result.build();
        }
        Map<ResponseCard.Category, List<ResponseCard>> byPhase = new LinkedHashMap<>();
        for (ResponseCard.Category category : ResponseCard.Category.values()) {
            List<ResponseCard> of = cards.stream().filter(c -> c.category() == category).toList();
            if (!of.isEmpty()) {
                byPhase.put(category, of);
            }
        }
        int proposed = 0;
        int approved = 0;
        int rejected = 0;
        List<List<Object>> rows = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        for (Map.Entry<ResponseCard.Category, List<ResponseCard>> entry : byPhase.entrySet()) {
            List<String> steps = new ArrayList<>();
            for (ResponseCard card : entry.getValue()) {
                ResponseAction action = card.action() == null ? null : byCard.get(card.action() + "\n" + card.target());
                String state = action == null ? "advice" : action.status().toString();
                if (action != null) {
                    switch (action.status()) {
                        case PROPOSED -> proposed++;
                        case APPROVED, SUCCEEDED, FAILED -> approved++;
                        case REJECTED -> rejected++;
                    }
                }
                rows.add(java.util.Arrays.asList(entry.getKey().toString(), card.title(), card.target(), card.reason(),
                        card.action() == null ? "" : card.action().toString(), state,
                        action == null ? "" : action.decidedBy(), action == null ? "" : action.shortId()));
                steps.add(card.title() + (action == null || action.status() == ResponseAction.Status.PROPOSED ? ""
                        : " (" + action.status() + (action.decidedBy().isEmpty() ? "" : " by " + action.decidedBy())
                        + ")"));
                result.evidence(card.title() + ": " + card.reason(), card.evidence().isEmpty() ? List.of(ref)
                        : card.evidence());
            }
            sections.add("**" + capitalized(entry.getKey().toString()) + "**: " + String.join("; ", steps) + ".");
        }
        List<String> phases = byPhase.keySet().stream().map(ResponseCard.Category::toString).toList();
        result.paragraph("For incident #" + incident.number() + ", guided response gives "
                + Investigation.count(cards.size(), "step") + " in " + Investigation.join(phases)
                + (proposed + approved + rejected == 0 ? "" : "; of its actions, " + proposed + " await a decision, "
                        + approved + " were approved and " + rejected + " rejected") + ".");
        sections.forEach(result::paragraph);
        if (proposed > 0) {
            result.paragraph("Approve an action with `vigil incidents approve " + incident.number()
                    + " <id>` or reject it with `vigil incidents reject " + incident.number()
                    + " <id> --reason TEXT` (ids in the table).");
        }
        result.table(new Table("Guided response for incident " + incident.number(), List.of("phase", "step",
                "target", "reason", "action", "state", "decided by", "id"), rows));
        Map<String, Object> counts = new LinkedHashMap<>();
        byPhase.forEach((p, c) -> counts.put(p.toString(), c.size()));
        result.fact("steps", cards.size()).fact("phases", counts).fact("proposed", proposed)
                .fact("approved", approved).fact("rejected", rejected);
        cards.stream().filter(c -> c.category() == ResponseCard.Category.CONTAINMENT).forEach(c -> {
            EntityType type = switch (c.action() == null ? ResponseCard.Action.ISOLATE_HOST : c.action()) {
                case ISOLATE_HOST -> EntityType.HOST;
                case DISABLE_USER, REVOKE_SESSIONS, RESET_CREDENTIALS -> EntityType.USER;
                case BLOCK_IP -> EntityType.IP;
                case BLOCK_DOMAIN -> EntityType.DOMAIN;
                case BLOCK_HASH -> EntityType.HASH;
            };
            if (c.action() != null) {
                result.subject(type, c.target());
            }
        });
        result.followUp("Summarize incident " + incident.number());
        if (phase.isEmpty() || phase.get() != ResponseCard.Category.INVESTIGATION) {
            result.followUp("What should I investigate next on incident " + incident.number() + "?");
        }
        result.followUp("What is the impact of incident " + incident.number() + "?");
        return result.build();
    }

    private static ResponseCard.Category phase(String text) {
        try {
            return ResponseCard.Category.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.USAGE, "'" + text + "' is not a phase of guided response",
                    "Use one of triage, containment, investigation, remediation.", e);
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
