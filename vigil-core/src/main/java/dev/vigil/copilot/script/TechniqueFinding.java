package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An ATT&amp;CK technique the script uses, once per technique, with every reason found for it.
 *
 * @param id the technique or sub-technique id, such as {@code T1059.001}
 * @param name its ATT&amp;CK name, such as {@code PowerShell}
 * @param evidence why: each reason with the statement or layer it came from, in the order of the script
 */
public record TechniqueFinding(String id, String name, List<Evidence> evidence) {
    public TechniqueFinding {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
        if (evidence.isEmpty()) {
            throw new IllegalArgumentException("technique " + id + " needs at least one piece of evidence");
        }
    }

    /**
     * One reason for a technique.
     *
     * @param reason what was seen, in a sentence: a behaviour's summary or an obfuscation layer's description
     * @param source the statement it was seen in, or the obfuscated text of the layer, shortened to about 300
     *     characters
     */
    public record Evidence(String reason, String source) {
        public Evidence {
            requireNonNull(reason, "reason is null");
            requireNonNull(source, "source is null");
        }
    }
}
