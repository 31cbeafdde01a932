package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

/**
 * One typed input of a skill.
 *
 * @param name the input's name in calls, plans and manifests ({@code incident}, {@code indicator})
 * @param type the entity type that fills it; the planner fills inputs from mentions of this type
 * @param required whether the skill cannot run without it (the planner asks for it instead of guessing)
 * @param many whether it takes several values ("those hosts")
 * @param description what it is, for help and for plugin manifests
 * @param choices for a {@link EntityType#TEXT} input that takes one of a few words ({@code open}, {@code resolved}),
 *     those words; the planner fills it when the prompt says one of them. Empty for free inputs.
 */
public record SkillInput(String name, EntityType type, boolean required, boolean many, String description,
        java.util.List<String> choices) {
    public SkillInput {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        choices = java.util.List.copyOf(choices);
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a skill input name is lower case letters, digits and _: " + name);
        }
    }

    public static SkillInput required(String name, EntityType type, String description) {
        return new SkillInput(name, type, true, false, description, java.util.List.of());
    }

    public static SkillInput requiredMany(String name, EntityType type, String description) {
        return new SkillInput(name, type, true, true, description, java.util.List.of());
    }

    public static SkillInput optional(String name, EntityType type, String description) {
        return new SkillInput(name, type, false, false, description, java.util.List.of());
    }

    public static SkillInput optionalMany(String name, EntityType type, String description) {
        return new SkillInput(name, type, false, true, description, java.util.List.of());
    }

    /** An optional input that takes one of the given words. */
    public static SkillInput choice(String name, String description, String... choices) {
        return new SkillInput(name, EntityType.TEXT, false, false, description, java.util.List.of(choices));
    }
}
