package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A tool offered to a model: a skill as the model sees it.
 *
 * @param name the skill's name
 * @param description what the skill answers, for the model to choose by
 * @param parameters the JSON schema of the arguments: an object with typed properties and the required ones, as
 *     plain maps and lists ({@code type}, {@code properties}, {@code required}, {@code enum}, {@code items},
 *     {@code description})
 */
public record ToolDefinition(String name, String description, Map<String, Object> parameters) {
    public ToolDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
