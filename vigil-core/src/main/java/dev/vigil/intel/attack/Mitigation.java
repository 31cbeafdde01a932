package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A mitigation ({@code course-of-action}), such as Privileged Account Management ({@code M1026}).
 *
 * <p>Before ATT&amp;CK v7 each technique had its own mitigation, which carries the technique's id (e.g. {@code T1174});
 * those are deprecated.
 *
 * @param techniques ids of the active techniques it mitigates, sorted
 */
public record Mitigation(String id, String stixId, String name, String description, List<String> techniques,
        String url, boolean deprecated, boolean revoked, Optional<String> revokedBy) implements AttackObject {

    public Mitigation {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        techniques = List.copyOf(techniques);
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    Mitigation withLinks(List<String> techniques, Optional<String> revokedBy) {
        return new Mitigation(id, stixId, name, description, techniques, url, deprecated, revoked, revokedBy);
    }
}
