package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.plan.Planner;
import dev.vigil.copilot.plan.Reading;
import dev.vigil.copilot.plan.SessionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded stages' check of a plan a model proposed through tool calls. A call is accepted only when:
 *
 * <ul>
 *   <li>its tool is one of the skills offered (the allowlist), and its arguments are a JSON object of that skill's
 *       inputs, with every required one given and every choice one of its words;
 *   <li>every value is grounded: an entity the prompt names (as the embedded planner read it), one the session has
 *       discussed, or one of the tenant's dictionaries (hosts, users, processes ...); pasted scripts and articles
 *       must be in the prompt word for word;
 *   <li>a hunting query compiles against the tenant's catalog.
 * </ul>
 *
 * A query that does not compile is sent back to the model with the compiler's error ({@link Verdict.Repair}); any
 * other failure rejects the plan, and the embedded plan answers.
 */
public final class PlanCheck {
    /** The most skill calls a model's plan may hold. */
    public static final int MAX_STEPS = 4;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The tenant's dictionaries of stored values. */
    @FunctionalInterface
    public interface Dictionaries {
        /** Whether the value is a known value of the type (a stored host name, user name, process ...). */
        boolean known(EntityType type, String value);
    }

    /** Compiles hunting queries against the tenant's catalog. */
    @FunctionalInterface
    public interface QueryCompiler {
        /** The compiler's first error, or empty when the query compiles. */
        Optional<String> error(String kql);
    }

    /** What the check decided. */
    public sealed interface Verdict {
        /** The plan to run. */
        record Accepted(Plan plan) implements Verdict {}

        /** The plan cannot run; the embedded plan answers. */
        record Rejected(String reason) implements Verdict {}

        /** A query did not compile: the errors go back to the model as the answers to its tool calls. */
        record Repair(List<ModelMessage.ToolResult> feedback, String reason) implements Verdict {
            public Repair {
                feedback = List.copyOf(feedback);
            }
        }
    }

    private final Map<String, SkillSpec> allowed;
    private final Dictionaries dictionaries;
    private final QueryCompiler compiler;

    /**
     * @param allowed the skills offered to the model, by name: nothing else may be called
     * @param dictionaries the tenant's stored values
     * @param compiler compiles hunting queries
     */
    public PlanCheck(Map<String, SkillSpec> allowed, Dictionaries dictionaries, QueryCompiler compiler) {
        this.allowed = Map.copyOf(allowed);
        this.dictionaries = requireNonNull(dictionaries, "dictionaries is null");
        this.compiler = requireNonNull(compiler, "compiler is null");
    }

    /**
     * Checks the tool calls of one model reply.
     *
     * @param prompt the prompt as the analyst wrote it (placeholders in the calls already restored)
     * @param reading the embedded planner's reading of the prompt
     * @param session what the session has discussed
     */
    public Verdict check(List<ToolCall> calls, String prompt, Reading reading, SessionContext session) {
        if (calls.isEmpty()) {
            return new Verdict.Rejected("the model proposed no skill call");
        }
        if (calls.size() > MAX_STEPS) {
            return new Verdict.Rejected("the model proposed " + calls.size() + " calls; at most " + MAX_STEPS);
        }
        List<SkillCall> steps = new ArrayList<>();
        List<ModelMessage.ToolResult> feedback = new ArrayList<>();
        List<String> compileErrors = new ArrayList<>();
        for (ToolCall call : calls) {
            SkillSpec spec = allowed.get(call.name());
            if (spec == null) {
                return new Verdict.Rejected("the model called '" + call.name() + "', which is not an offered skill");
            }
            Map<String, List<String>> inputs;
            try {
                inputs = inputs(spec, call.arguments());
            } catch (IllegalArgumentException e) {
                return new Verdict.Rejected("the call of " + call.name() + " is invalid: " + e.getMessage());
            }
            for (SkillInput input : spec.inputs()) {
                for (String value : inputs.getOrDefault(input.name(), List.of())) {
                    Optional<String> grounded = ground(spec, input, value, prompt, reading, session)
                            .or(() -> dictionaries.known(input.type(), value) ? Optional.of(value) : Optional.empty());
                    if (grounded.isEmpty()) {
                        return new Verdict.Rejected("the " + input.name() + " '" + value + "' of " + call.name()
                                + " is neither in the prompt, the session nor the tenant's data");
                    }
                    if (!grounded.get().equals(value)) {
                        List<String> values = new ArrayList<>(inputs.get(input.name()));
                        values.set(values.indexOf(value), grounded.get());
                        inputs.put(input.name(), values);
                    }
                }
            }
            if (spec.name().equals(Planner.HUNT)) {
                String query = inputs.getOrDefault("query", List.of("")).get(0);
                Optional<String> error = compiler.error(query);
                if (error.isPresent()) {
                    compileErrors.add(error.get());
                    feedback.add(new ModelMessage.ToolResult(call.id(), call.name(), "The query does not compile: "
                            + error.get() + "\nFix it and call " + call.name() + " again."));
                    continue;
                }
            }
            feedback.add(new ModelMessage.ToolResult(call.id(), call.name(), "accepted"));
            steps.add(new SkillCall(spec.name(), inputs, reading.time()));
        }
        if (!compileErrors.isEmpty()) {
            return new Verdict.Repair(feedback, "the query does not compile: " + String.join("; ", compileErrors));
        }
        boolean onlyQueries = steps.stream().allMatch(s -> s.skill().equals(Planner.HUNT));
        return new Verdict.Accepted(new Plan(onlyQueries ? Plan.Route.QUERY : Plan.Route.SKILL, steps, 1.0,
                "planned by the language model, checked by the embedded planner", Optional.empty()));
    }

    private static Map<String, List<String>> inputs(SkillSpec spec, String arguments) {
        JsonNode node;
        try {
            node = JSON.readTree(arguments.isBlank() ? "{}" : arguments);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("its arguments are not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("its arguments are not a JSON object");
        }
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            SkillInput input = spec.input(field.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "it has no input '" + field.getKey() + "'"));
            List<String> values = new ArrayList<>();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode item : value) {
                    values.add(scalar(input, item));
                }
                if (!input.many() && values.size() > 1) {
                    throw new IllegalArgumentException(input.name() + " takes one value, not " + values.size());
                }
            } else {
                values.add(scalar(input, value));
            }
            if (!input.choices().isEmpty()) {
                for (String v : values) {
                    if (!input.choices().contains(v.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException(input.name() + " is one of " + input.choices() + ", not '"
                                + v + "'");
                    }
                }
            }
            if (!values.isEmpty()) {
                inputs.put(input.name(), values);
            }
        }
        for (SkillInput input : spec.requiredInputs()) {
            if (!inputs.containsKey(input.name())) {
                throw new IllegalArgumentException("the required input " + input.name() + " is missing");
            }
        }
        return inputs;
    }

    private static String scalar(SkillInput input, JsonNode value) {
        if (value.isString()) {
            return value.asString().strip();
        }
        if (value.isIntegralNumber()) {
            return value.asString();
        }
        throw new IllegalArgumentException(input.name() + " must be a " + (input.type() == EntityType.INCIDENT
                || input.type() == EntityType.NUMBER ? "whole number" : "string"));
    }

    /** The value as the skill should receive it (the stored spelling), when it is grounded. */
    private static Optional<String> ground(SkillSpec spec, SkillInput input, String value, String prompt, Reading reading,
            SessionContext session) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!input.choices().isEmpty()) {
            return Optional.of(value.toLowerCase(Locale.ROOT));
        }
        String wanted = value.replaceFirst("^#", "");
        switch (input.type()) {
            case SCRIPT, TEXT -> {
                if (spec.name().equals(Planner.HUNT)) {
                    return Optional.of(value); // a hunting query is checked by compiling it
                }
                return prompt.contains(value) ? Optional.of(value) : Optional.empty();
            }
            case NUMBER, DURATION -> {
                return prompt.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT))
                        ? Optional.of(wanted) : Optional.empty();
            }
            default -> {
                // fall through to entity grounding below
            }
        }
        for (Mention m : reading.mentions()) {
            if (compatible(input.type(), m.type())
                    && (m.value().equalsIgnoreCase(wanted) || m.text().equalsIgnoreCase(wanted))) {
                return Optional.of(m.value());
            }
        }
        for (EntityRef e : session.recent()) {
            if (compatible(input.type(), e.type()) && e.value().equalsIgnoreCase(wanted)) {
                return Optional.of(e.value());
            }
        }
        return Optional.empty();
    }

    /** Whether a mention of one type can fill an input of another (an IP can fill an indicator input typed IP). */
    private static boolean compatible(EntityType input, EntityType mention) {
        return input == mention || (input == EntityType.IP && mention == EntityType.CIDR)
                || (input == EntityType.DOMAIN && mention == EntityType.URL);
    }
}
