package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * Which stored alerts to read. Alerts come back newest first.
 *
 * @param ruleIds only alerts of these rules; empty for any rule
 * @param sinceMicros only alerts whose time is at or after this, in microseconds since the epoch;
 *     {@link Long#MIN_VALUE} for any time
 * @param minimumLevel only alerts of this {@linkplain #LEVELS level} or higher; null for any level
 * @param limit most alerts to return, at least 1
 */
public record AlertQuery(List<String> ruleIds, long sinceMicros, String minimumLevel, int limit) {
    /** Sigma's levels, least severe first. An alert of a level outside this list ranks below all of them. */
    public static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");

    public AlertQuery {
        ruleIds = List.copyOf(ruleIds);
        if (minimumLevel != null) {
            minimumLevel = minimumLevel.toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(minimumLevel)) {
                throw new IllegalArgumentException("unknown level '" + minimumLevel + "'; one of " + LEVELS);
            }
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
    }

    /** The newest {@code limit} alerts of any rule, time and level. */
    public static AlertQuery newest(int limit) {
        return new AlertQuery(List.of(), Long.MIN_VALUE, null, limit);
    }

    /** The rank of a level in {@link #LEVELS}, or -1 for an unknown one. */
    public static int rank(String level) {
        return LEVELS.indexOf(requireNonNull(level, "level is null").toLowerCase(Locale.ROOT));
    }
}
