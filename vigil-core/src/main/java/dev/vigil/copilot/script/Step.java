package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One statement of the deobfuscated script and what it does.
 *
 * @param number position in the script, from 1
 * @param statement the statement's text (a pipeline stays one statement), shortened to about 500 characters
 * @param summary one plain-English sentence: what the recognised behaviours do, or that the statement was not
 *     recognised
 * @param behaviours ids of the behaviours recognised in it (from {@code behaviours.yaml}); empty if none
 * @param techniques ATT&amp;CK technique ids of those behaviours, each once
 * @param severity the highest severity of those behaviours; {@link Severity#INFO} if none
 */
public record Step(int number, String statement, String summary, List<String> behaviours, List<String> techniques,
        Severity severity) {
    public Step {
        requireNonNull(statement, "statement is null");
        requireNonNull(summary, "summary is null");
        behaviours = List.copyOf(requireNonNull(behaviours, "behaviours is null"));
        techniques = List.copyOf(requireNonNull(techniques, "techniques is null"));
        requireNonNull(severity, "severity is null");
        if (number < 1) {
            throw new IllegalArgumentException("step numbers start at 1: " + number);
        }
    }

    /** Whether any known behaviour was recognised in the statement. */
    public boolean recognised() {
        return !behaviours.isEmpty();
    }
}
