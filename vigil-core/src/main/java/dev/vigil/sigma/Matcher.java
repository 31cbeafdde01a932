package dev.vigil.sigma;

/** A compiled part of a rule: an item, a search, a condition or a log-source constraint. */
@FunctionalInterface
interface Matcher {
    boolean test(EventView event);

    Matcher TRUE = e -> true;
    Matcher FALSE = e -> false;

    static Matcher and(java.util.List<Matcher> parts) {
        if (parts.isEmpty()) {
            return TRUE;
        }
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        Matcher[] array = parts.toArray(Matcher[]::new);
        return e -> {
            for (Matcher m : array) {
                if (!m.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    static Matcher or(java.util.List<Matcher> parts) {
        if (parts.isEmpty()) {
            return FALSE;
        }
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        Matcher[] array = parts.toArray(Matcher[]::new);
        return e -> {
            for (Matcher m : array) {
                if (m.test(e)) {
                    return true;
                }
            }
            return false;
        };
    }
}
