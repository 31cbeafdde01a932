package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A campaign ({@code campaign}): intrusion activity over a period, such as Operation Dream Job ({@code C0022}).
 *
 * @param firstSeen {@code first_seen}; empty when absent or not a timestamp
 * @param lastSeen {@code last_seen}; empty when absent or not a timestamp
 * @param groups ids of the active groups it is attributed to ({@code attributed-to}), sorted
 * @param techniques ids of the active techniques used in it, sorted
 * @param software ids of the active software used in it, sorted
 */
public record Campaign(String id, String stixId, String name, List<String> aliases, String description,
        Optional<Instant> firstSeen, Optional<Instant> lastSeen, List<String> groups, List<String> techniques,
        List<String> software, String url, boolean deprecated, boolean revoked, Optional<String> revokedBy)
        implements AttackObject {

    public Campaign {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(name, "name is null");
        aliases = List.copyOf(aliases);
        requireNonNull(description, "description is null");
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        groups = List.copyOf(groups);
        techniques = List.copyOf(techniques);
        software = List.copyOf(software);
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    Campaign withLinks(List<String> groups, List<String> techniques, List<String> software,
            Optional<String> revokedBy) {
        return new Campaign(id, stixId, name, aliases, description, firstSeen, lastSeen, groups, techniques, software,
                url, deprecated, revoked, revokedBy);
    }
}
