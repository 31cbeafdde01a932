package dev.vigil.store;

import java.util.Map;

/**
 * The tenant's indicators counted at one instant.
 *
 * @param total every stored indicator
 * @param active those valid at the instant, which ingest matches
 * @param expired those whose validity ended by the instant (removed at the next import)
 * @param pending those whose validity has not begun
 * @param activeByType active indicators by type id ({@code ipv4}, {@code domain} ...), in type order
 * @param activeByFeed active indicators by feed, most first; an indicator listed by two feeds counts for both
 */
public record IndicatorCounts(long total, long active, long expired, long pending, Map<String, Long> activeByType,
        Map<String, Long> activeByFeed) {
    public IndicatorCounts {
        activeByType = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(activeByType));
        activeByFeed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(activeByFeed));
    }
}
