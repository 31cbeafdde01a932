package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An ATT&amp;CK tactic ({@code x-mitre-tactic}): the adversary's goal, such as Credential Access ({@code TA0006}).
 *
 * @param shortname {@code x_mitre_shortname}, e.g. {@code credential-access}: what techniques' kill-chain phases name
 */
public record Tactic(String id, String stixId, String shortname, String name, String description, String url,
        boolean deprecated, boolean revoked, Optional<String> revokedBy) implements AttackObject {

    public Tactic {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(shortname, "shortname is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    Tactic withRevokedBy(Optional<String> revokedBy) {
        return new Tactic(id, stixId, shortname, name, description, url, deprecated, revoked, revokedBy);
    }
}
