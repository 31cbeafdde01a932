package dev.vigil.copilot.promptbook;

import static java.util.Objects.requireNonNull;

/**
 * One prompt of a promptbook: text with {@code <Input>} placeholders, run in order after the prompts before it.
 *
 * @param content the prompt; {@code <Name>} stands for the value of the input {@code Name}
 * @param continueOnFailure whether the promptbook goes on to the next prompt when this one fails or finds nothing;
 *     when false, a failure stops the run (a first prompt that finds no incident should not be followed by four more
 *     empty answers)
 */
public record PromptbookPrompt(String content, boolean continueOnFailure) {
    public PromptbookPrompt {
        requireNonNull(content, "content is null");
    }

    /** A prompt whose failure stops the run. */
    public static PromptbookPrompt of(String content) {
        return new PromptbookPrompt(content, false);
    }
}
