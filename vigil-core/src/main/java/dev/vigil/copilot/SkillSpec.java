package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a skill is, as the planner and the help see it.
 *
 * @param name unique name, used by {@code /name} calls ({@code incident-summary})
 * @param category the capability it belongs to ({@code incidents}, {@code posture}, {@code intel} ...)
 * @param description one or two sentences on what it answers; ranked against prompts by meaning
 * @param examples example prompts it answers, also ranked against prompts
 * @param inputs its typed inputs
 */
public record SkillSpec(String name, String category, String description, List<String> examples,
        List<SkillInput> inputs) {
    public SkillSpec {
        requireNonNull(name, "name is null");
        requireNonNull(category, "category is null");
        requireNonNull(description, "description is null");
        examples = List.copyOf(examples);
        inputs = List.copyOf(inputs);
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a skill name is lower case letters, digits and -: " + name);
        }
        if (inputs.stream().map(SkillInput::name).distinct().count() != inputs.size()) {
            throw new IllegalArgumentException("skill " + name + " declares an input twice");
        }
    }

    public Optional<SkillInput> input(String inputName) {
        return inputs.stream().filter(i -> i.name().equals(inputName)).findFirst();
    }

    public List<SkillInput> requiredInputs() {
        return inputs.stream().filter(SkillInput::required).toList();
    }
}
