package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Malware or a tool ({@code malware}, {@code tool}), such as Mimikatz ({@code S0002}).
 *
 * @param aliases {@code x_mitre_aliases}; ATT&amp;CK lists the software's own name first
 * @param techniques ids of the active techniques the software uses, sorted
 */
public record Software(String id, String stixId, String name, List<String> aliases, Type type,
        List<String> platforms, String description, List<String> techniques, String url, boolean deprecated,
        boolean revoked, Optional<String> revokedBy) implements AttackObject {

    public Software {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(name, "name is null");
        aliases = List.copyOf(aliases);
        requireNonNull(type, "type is null");
        platforms = List.copyOf(platforms);
        requireNonNull(description, "description is null");
        techniques = List.copyOf(techniques);
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    /** ATT&amp;CK's two kinds of software: custom or commercial malicious code, and tools that defenders also use. */
    public enum Type {
        MALWARE, TOOL
    }

    Software withLinks(List<String> techniques, Optional<String> revokedBy) {
        return new Software(id, stixId, name, aliases, type, platforms, description, techniques, url, deprecated,
                revoked, revokedBy);
    }
}
