package dev.vigil.query;

import dev.vigil.model.EditDistance;
import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for unknown names: the nearest candidate by edit distance, ignoring case, if near enough. */
final class Suggestions {
    private Suggestions() {}

    /** {@code " (did you mean 'X'?)"}, or the empty string when no candidate is near. */
    static String didYouMean(String name, Collection<String> candidates) {
        String best = nearest(name, candidates);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    static String nearest(String name, Collection<String> candidates) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String other = candidate.toLowerCase(Locale.ROOT);
            int distance = other.equals(lower) ? 0 : EditDistance.ignoringCase(lower, other);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        int allowed = Math.max(2, name.length() / 3);
        return best != null && bestDistance <= allowed ? best : null;
    }
}
