package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.intel.attack.AttackKnowledge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a data directory keeps the public knowledge its tenants share (ATT&amp;CK, vulnerability knowledge), so the CLI
 * and the server find it in the same place.
 */
public final class Knowledge {
    private Knowledge() {}

    /** The imported ATT&amp;CK bundle: {@code DATA/knowledge/attack/attack.json}. */
    public static Path attackFile(Path dataDirectory) {
        return requireNonNull(dataDirectory, "dataDirectory is null").resolve("knowledge").resolve("attack")
                .resolve("attack.json");
    }

    /** The ATT&amp;CK knowledge if a bundle was imported; empty otherwise (analyses then go without technique names). */
    public static Optional<AttackKnowledge> attackIfPresent(Path dataDirectory) {
        Path file = attackFile(dataDirectory);
        return Files.exists(file) ? Optional.of(AttackBundle.read(file)) : Optional.empty();
    }

    /** The vulnerability knowledge (CVE, OSV, KEV, EPSS): {@code DATA/knowledge/vulns/knowledge.jsonl.gz}. */
    public static Path vulnerabilityFile(Path dataDirectory) {
        return requireNonNull(dataDirectory, "dataDirectory is null").resolve("knowledge").resolve("vulns")
                .resolve("knowledge.jsonl.gz");
    }
}
