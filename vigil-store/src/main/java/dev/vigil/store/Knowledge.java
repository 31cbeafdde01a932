package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.intel.attack.AttackKnowledge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

    /**
     * The ATT&amp;CK knowledge if a bundle was imported; empty otherwise (analyses then go without technique names). The
     * bundle is read once per process and again only when the file changes, since a server answers many requests
     * with it and reading it takes seconds.
     */
    public static Optional<AttackKnowledge> attackIfPresent(Path dataDirectory) {
        Path file = attackFile(dataDirectory);
        return Files.exists(file) ? Optional.of(cached(file, AttackBundle::read)) : Optional.empty();
    }

    private record Cached(Path file, FileTime modified, long size, Object value) {}

    private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();

    /**
     * What {@code read} makes of a file, kept while the file's time and size stay the same. Only for values nobody
     * changes after reading.
     */
    @SuppressWarnings("unchecked")
    public static <T> T cached(Path file, Function<Path, T> read) {
        Path key = file.toAbsolutePath().normalize();
        try {
            FileTime modified = Files.getLastModifiedTime(key);
            long size = Files.size(key);
            Cached hit = CACHE.get(key);
            if (hit != null && hit.modified().equals(modified) && hit.size() == size) {
                return (T) hit.value();
            }
            T value = read.apply(file);
            CACHE.put(key, new Cached(key, modified, size, value));
            return value;
        } catch (IOException e) {
            return read.apply(file); // the reader reports the problem with its own words
        }
    }

    /** Vulnerability knowledge with the matcher built from it. */
    public record Vulnerabilities(dev.vigil.posture.vuln.VulnKnowledge knowledge,
            dev.vigil.posture.VulnerabilityMatcher matcher) {}

    /**
     * The imported vulnerability knowledge and its matcher (empty when nothing was imported), read once per process
     * and again only when an import changes the file: building the matcher takes time.
     */
    public static Vulnerabilities vulnerabilities(Path dataDirectory) {
        return cached(vulnerabilityFile(dataDirectory), file -> {
            dev.vigil.posture.vuln.VulnKnowledge knowledge = dev.vigil.posture.vuln.VulnKnowledgeFile.load(file);
            return new Vulnerabilities(knowledge, dev.vigil.posture.VulnerabilityMatcher.build(knowledge));
        });
    }

    /** The vulnerability knowledge (CVE, OSV, KEV, EPSS): {@code DATA/knowledge/vulns/knowledge.jsonl.gz}. */
    public static Path vulnerabilityFile(Path dataDirectory) {
        return requireNonNull(dataDirectory, "dataDirectory is null").resolve("knowledge").resolve("vulns")
                .resolve("knowledge.jsonl.gz");
    }
}
