package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A threat group ({@code intrusion-set}), such as APT29 ({@code G0016}).
 *
 * @param aliases the names others give it ({@code aliases}), e.g. {@code Cozy Bear}, {@code NOBELIUM}; ATT&amp;CK lists
 *     the group's own name first
 * @param techniques ids of the active techniques the group uses, sorted
 * @param software ids of the active software the group uses, sorted
 */
public record Group(String id, String stixId, String name, List<String> aliases, String description,
        List<String> techniques, List<String> software, String url, boolean deprecated, boolean revoked,
        Optional<String> revokedBy) implements AttackObject {

    public Group {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(name, "name is null");
        aliases = List.copyOf(aliases);
        requireNonNull(description, "description is null");
        techniques = List.copyOf(techniques);
        software = List.copyOf(software);
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    Group withLinks(List<String> techniques, List<String> software, Optional<String> revokedBy) {
        return new Group(id, stixId, name, aliases, description, techniques, software, url, deprecated, revoked,
                revokedBy);
    }
}
