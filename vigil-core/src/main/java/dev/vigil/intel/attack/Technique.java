package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An ATT&amp;CK technique or sub-technique ({@code attack-pattern}).
 *
 * @param tactics the tactics it serves, in the bundle's order ({@code kill_chain_phases})
 * @param platforms {@code x_mitre_platforms}, e.g. {@code Windows}, {@code Linux}, {@code IaaS}
 * @param detection the technique's own detection text ({@code x_mitre_detection}); empty since ATT&amp;CK v18 moved
 *     detection to detection strategies, which {@link AttackKnowledge#detectionOf(String)} returns
 * @param parentId for a sub-technique, the id of its technique (from {@code subtechnique-of}, else its id's prefix)
 */
public record Technique(String id, String stixId, String name, String description, List<TacticRef> tactics,
        List<String> platforms, String detection, boolean isSubtechnique, Optional<String> parentId, String url,
        boolean deprecated, boolean revoked, Optional<String> revokedBy) implements AttackObject {

    public Technique {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        tactics = List.copyOf(tactics);
        platforms = List.copyOf(platforms);
        requireNonNull(detection, "detection is null");
        requireNonNull(parentId, "parentId is null");
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    /**
     * A tactic as a technique names it: the {@code phase_name} of its kill-chain phase, which is the tactic's
     * {@link Tactic#shortname()}, and the tactic's display name, or the shortname where the bundle has no such tactic.
     */
    public record TacticRef(String shortname, String name) {
        public TacticRef {
            requireNonNull(shortname, "shortname is null");
            requireNonNull(name, "name is null");
        }
    }

    Technique withLinks(List<TacticRef> tactics, Optional<String> parentId, Optional<String> revokedBy) {
        return new Technique(id, stixId, name, description, tactics, platforms, detection, isSubtechnique, parentId,
                url, deprecated, revoked, revokedBy);
    }
}
