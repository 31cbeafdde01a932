package dev.vigil.copilot.model;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.plan.Planner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Skills as tools: a skill's typed inputs become the JSON schema of its tool's arguments. An input with choices is
 * an {@code enum}; an input that takes several values is an {@code array}; incident numbers and numbers are
 * {@code integer}; every other input is a {@code string} whose description names the entity type, so the model
 * knows that a {@code host} must be a host the analyst named.
 */
public final class ToolSchemas {
    private ToolSchemas() {}

    /** The tool of a skill. */
    public static ToolDefinition of(SkillSpec spec) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (SkillInput input : spec.inputs()) {
            Map<String, Object> value = new LinkedHashMap<>();
            if (!input.choices().isEmpty()) {
                value.put("type", "string");
                value.put("enum", input.choices());
            } else {
                value.put("type", jsonType(input.type()));
            }
            value.put("description", !input.choices().isEmpty() ? input.description()
                    : spec.name().equals(Planner.HUNT) ? input.description() + " (Vigil's KQL dialect)"
                    : input.description() + " (" + typeNote(input.type()) + ")");
            if (input.many()) {
                Map<String, Object> array = new LinkedHashMap<>();
                array.put("type", "array");
                array.put("items", value);
                array.put("description", value.get("description"));
                properties.put(input.name(), array);
            } else {
                properties.put(input.name(), value);
            }
            if (input.required()) {
                required.add(input.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        String description = spec.description();
        if (spec.name().equals(Planner.HUNT)) {
            description = description + " Write the query in Vigil's KQL dialect over the tenant's tables; it is"
                    + " compiled before it runs, and a query that does not compile comes back with the error.";
        } else if (!spec.examples().isEmpty()) {
            description = description + " Examples: " + String.join("; ", spec.examples().stream().limit(3).toList());
        }
        return new ToolDefinition(spec.name(), description, schema);
    }

    /** The tools of several skills, in order. */
    public static List<ToolDefinition> of(List<SkillSpec> specs) {
        return specs.stream().map(ToolSchemas::of).toList();
    }

    private static String jsonType(EntityType type) {
        return switch (type) {
            case INCIDENT, NUMBER -> "integer";
            case IP, CIDR, DOMAIN, URL, EMAIL, HASH, CVE, TECHNIQUE, TACTIC, ACTOR, HOST, USER, PROCESS, RULE, PRODUCT,
                    DURATION, SCRIPT, TEXT -> "string";
        };
    }

    private static String typeNote(EntityType type) {
        return switch (type) {
            case HOST -> "a host name the analyst named or the session mentioned";
            case USER -> "a user name the analyst named or the session mentioned";
            case PROCESS -> "a process image name such as lsass.exe";
            case INCIDENT -> "an incident number";
            case IP -> "an IP address from the prompt";
            case CIDR -> "a network range from the prompt";
            case SCRIPT -> "the script exactly as pasted in the prompt";
            case TEXT -> "text exactly as it appears in the prompt";
            default -> type.key() + " from the prompt";
        };
    }
}
