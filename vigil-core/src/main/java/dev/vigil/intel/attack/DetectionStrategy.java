package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How to detect a technique ({@code x-mitre-detection-strategy}, ATT&amp;CK v18 and later), such as {@code DET0103}: a set
 * of analytics, one per platform, each reading named log sources.
 *
 * @param techniques ids of the active techniques it detects, sorted
 * @param analytics its analytics ({@code x_mitre_analytic_refs}), in the bundle's order; revoked and deprecated
 *     analytics are left out
 */
public record DetectionStrategy(String id, String stixId, String name, String description, List<String> techniques,
        List<Analytic> analytics, String url, boolean deprecated, boolean revoked, Optional<String> revokedBy)
        implements AttackObject {

    public DetectionStrategy {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        techniques = List.copyOf(techniques);
        analytics = List.copyOf(analytics);
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    /**
     * One analytic of a strategy ({@code x-mitre-analytic}, e.g. {@code AN0110}): what to look for on some platforms.
     *
     * @param logSources the data it reads ({@code x_mitre_log_source_references})
     */
    public record Analytic(String id, String name, String description, List<String> platforms,
            List<LogSourceReference> logSources) {
        public Analytic {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            platforms = List.copyOf(platforms);
            logSources = List.copyOf(logSources);
        }
    }

    /**
     * A log source an analytic reads, and the data component it belongs to.
     *
     * @param dataComponentId the component's ATT&amp;CK id, e.g. {@code DC0035}; empty when the bundle lacks the component
     */
    public record LogSourceReference(String dataComponentId, DataComponent.LogSource logSource) {
        public LogSourceReference {
            requireNonNull(dataComponentId, "dataComponentId is null");
            requireNonNull(logSource, "logSource is null");
        }
    }

    DetectionStrategy withLinks(List<String> techniques, List<Analytic> analytics, Optional<String> revokedBy) {
        return new DetectionStrategy(id, stixId, name, description, techniques, analytics, url, deprecated, revoked,
                revokedBy);
    }
}
