package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A precise question back to the analyst, with concrete options, asked instead of a guess.
 *
 * @param question the question ("Which incident? The open ones are #12 ..., #14 ...")
 * @param options the choices; each carries the prompt that picks it
 */
public record Clarification(String question, List<Option> options) {
    public record Option(String label, String prompt) {
        public Option {
            requireNonNull(label, "label is null");
            requireNonNull(prompt, "prompt is null");
        }
    }

    public Clarification {
        requireNonNull(question, "question is null");
        options = List.copyOf(options);
    }
}
