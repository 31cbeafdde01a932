package dev.vigil.query;

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
            int distance = other.equals(lower) ? 0 : distance(lower, other);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        int allowed = Math.max(2, name.length() / 3);
        return best != null && bestDistance <= allowed ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
