package dev.vigil.copilot.promptbook;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A value a promptbook asks for before it runs, referenced from its prompts as {@code <Name>}.
 *
 * @param name the input's name as its prompts write it ({@code IncidentId}); compared ignoring case
 * @param description what to enter ("the incident number, such as 12"); shown when the value is missing, may be empty
 * @param required whether the promptbook cannot run without it; a missing optional input reads as empty text
 */
public record PromptbookInput(String name, String description, boolean required) {
    /** Letters, digits, '_', '-', '.', and single inner spaces, starting with a letter: what fits inside {@code <>}. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*(?: [A-Za-z0-9_.\\-]+)*");

    public PromptbookInput {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        name = name.strip();
        description = description.strip();
    }

    /** A required input. */
    public static PromptbookInput of(String name, String description) {
        return new PromptbookInput(name, description, true);
    }

    /** The input as its prompts reference it: {@code <IncidentId>}. */
    public String placeholder() {
        return "<" + name + ">";
    }

    /** Whether the name is the one a placeholder or a {@code --input} uses, ignoring case. */
    boolean named(String other) {
        return name.equalsIgnoreCase(other.strip());
    }
}
