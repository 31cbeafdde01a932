package dev.vigil.intel.text;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The names of ATT&CK techniques, to find techniques that a text names in words ("OS Credential Dumping",
 * "LSASS Memory") rather than by id.
 *
 * <p>Names are lower-case, with single spaces. A name maps to exactly one technique id ({@code T1003} or
 * {@code T1003.001}); a name several techniques share names none of them and should be left out, as
 * {@code AttackKnowledge.techniqueNames()} does.
 */
public interface TechniqueNames {
    /** The technique with this name, compared case-insensitively; empty if no technique has it. */
    Optional<String> idOf(String lowerCaseName);

    /** Every name, lower-case. */
    Collection<String> names();

    /**
     * Names from a map of name to technique id, such as {@code AttackKnowledge.techniqueNames()}. Names are
     * lower-cased and their white space collapsed; the map is copied.
     *
     * @throws IllegalArgumentException if a name is blank, an id is not shaped like {@code T1003} or
     *     {@code T1003.001}, or two names that differ only in case or spacing map to different ids
     */
    static TechniqueNames of(Map<String, String> lowerCaseNameToId) {
        return MapTechniqueNames.of(lowerCaseNameToId);
    }

    /** No names: only ids such as {@code T1003} are found. */
    static TechniqueNames none() {
        return MapTechniqueNames.NONE;
    }
}
