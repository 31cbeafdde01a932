package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

/**
 * A word of the prompt read as another: a misspelt word of the planner's vocabulary ("powershel" as
 * "powershell") or of a stored value ("workstaion5" as the host {@code WORKSTATION5}). The prompt's text is not
 * changed; the planner shows corrections so the analyst can see what was understood.
 *
 * @param from the word as typed
 * @param to the word it was read as: a vocabulary word in lower case, or a stored value as stored
 * @param start offset of {@code from} in the normalized prompt
 * @param end offset just past {@code from}
 */
public record Correction(String from, String to, int start, int end) {
    public Correction {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (start < 0 || end - start != from.length()) {
            throw new IllegalArgumentException("'" + from + "' cannot span " + start + ".." + end);
        }
    }

    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
