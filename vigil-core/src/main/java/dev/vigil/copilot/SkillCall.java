package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a plan: a skill and the values of its inputs.
 *
 * @param skill the skill's name
 * @param inputs values per input name, in the order they were given
 * @param time the time range the step covers, when the prompt named one
 */
public record SkillCall(String skill, Map<String, List<String>> inputs, Optional<TimeRange> time) {
    public SkillCall {
        requireNonNull(skill, "skill is null");
        requireNonNull(time, "time is null");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        inputs.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        inputs = java.util.Collections.unmodifiableMap(copy);
    }

    public static SkillCall of(String skill, Map<String, List<String>> inputs) {
        return new SkillCall(skill, inputs, Optional.empty());
    }

    /** The first value of an input, if given. */
    public Optional<String> first(String input) {
        List<String> values = inputs.get(input);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** All values of an input; empty when not given. */
    public List<String> all(String input) {
        return inputs.getOrDefault(input, List.of());
    }

    /** The call as a user would type it: {@code /incident-summary incident=12}. */
    public String display() {
        StringBuilder text = new StringBuilder("/").append(skill);
        inputs.forEach((name, values) -> values.forEach(v -> {
            text.append(' ').append(name).append('=');
            text.append(v.matches("[^\\s\"]+") ? v : '"' + v.replace("\"", "\\\"") + '"');
        }));
        time.ifPresent(t -> text.append(" time=\"").append(t.text()).append('"'));
        return text.toString();
    }
}
