package dev.vigil.copilot.skills;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.Incident;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.IncidentCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the incident a skill is asked about; an unknown number gives an answer that lists the open ones. */
final class IncidentLookup {
    static final SkillInput INCIDENT = SkillInput.required("incident", EntityType.INCIDENT,
            "The incident's number (12, #12, incident 12).");
    private static final Pattern NUMBER = Pattern.compile("(\\d{1,18})");
    private static final int OPTIONS = 10;

    private IncidentLookup() {}

    /** The number in {@code #12}, {@code 12} or {@code incident 12}. */
    static long number(String input) {
        Matcher matcher = NUMBER.matcher(input);
        if (!matcher.find()) {
            throw new VigilException(ErrorCode.USAGE, "'" + input + "' is not an incident number",
                    "Give the incident's number, such as 12 or #12.", null);
        }
        return Long.parseLong(matcher.group(1));
    }

    /**
     * The incident's case, or empty after writing into {@code result} why there is none: the tenant has no such
     * incident (or it was merged), with its open incidents as the options.
     */
    static Optional<IncidentCase> load(Workspace workspace, SkillCall call, SkillContext context,
            SkillResult.Builder result) {
        long number = number(call.first(INCIDENT.name()).orElseThrow());
        try {
            return Optional.of(IncidentCase.load(workspace.store(), context.principal(), number, workspace.attack(),
                    workspace.config().correlationPolicy()));
        } catch (VigilException e) {
            if (e.code() != ErrorCode.INCIDENT_NOT_FOUND) {
                throw e;
            }
            List<Incident> open = workspace.store().incidents().list(context.principal(), Optional.empty(),
                    Optional.empty(), 200).stream().filter(Incident::open).limit(OPTIONS).toList();
            String tenant = workspace.store().tenant().value();
            StringBuilder text = new StringBuilder(e.getMessage().contains("merged")
                    ? "Incident #" + number + " no longer stands alone: " + e.getMessage() + "."
                    : "There is no incident #" + number + " in tenant '" + tenant + "'");
            List<String> options = new ArrayList<>();
            for (Incident incident : open) {
                options.add("#" + incident.number() + " " + incident.title() + " (" + incident.severity() + ")");
                result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
            }
            if (!e.getMessage().contains("merged")) {
                text.append(open.isEmpty() ? "; it has no open incident." : "; the open ones are "
                        + Investigation.join(options) + ".");
            }
            result.status(SkillResult.Status.EMPTY).markdown(text.toString())
                    .fact("incident", number).fact("found", false).fact("tenant", tenant)
                    .fact("open_incidents", open.stream().map(Incident::number).toList());
            for (Incident incident : open) {
                result.evidence("Open incident #" + incident.number() + ": " + incident.title() + " ("
                        + incident.severity() + ")", List.of("incident:" + incident.number()));
            }
            if (!open.isEmpty()) {
                result.followUp("Summarize incident " + open.get(0).number());
            }
            result.followUp("List the open incidents");
            return Optional.empty();
        }
    }

    /** The alerts of the case that name the entity, as evidence refs (at most {@code limit}). */
    static List<String> alertRefs(IncidentCase incidentCase, EntityKey key, int limit) {
        List<String> refs = new ArrayList<>();
        for (var placed : incidentCase.facts().alerts()) {
            for (Alert.Entity entity : placed.alert().entities()) {
                if (EntityKey.of(entity).filter(key::equals).isPresent()) {
                    refs.add("alert:" + placed.alert().id());
                    break;
                }
            }
            if (refs.size() == limit) {
                break;
            }
        }
        return refs;
    }

    /** The answer's entity type for an incident entity's kind. */
    static EntityType type(EntityKey.Kind kind) {
        return switch (kind) {
            case HOST -> EntityType.HOST;
            case USER -> EntityType.USER;
            case IP -> EntityType.IP;
            case FILE_HASH -> EntityType.HASH;
            case PROCESS -> EntityType.PROCESS;
            case DOMAIN -> EntityType.DOMAIN;
            case URL -> EntityType.URL;
        };
    }

    /** "a critical-severity", "an informational-severity". */
    static String article(String severity) {
        return ("aeiou".indexOf(Character.toLowerCase(severity.isEmpty() ? 'x' : severity.charAt(0))) >= 0 ? "an "
                : "a ") + severity;
    }

    /** "new and unassigned", "active, owned by alice". */
    static String state(Incident incident) {
        return incident.status() + (incident.owner().isEmpty() ? " and unassigned" : ", owned by " + incident.owner());
    }
}
