package dev.vigil.posture.inventory;

import java.util.Locale;

/** How much the business depends on an asset; SSVC's mission impact. */
public enum Criticality {
    LOW, MEDIUM, HIGH, CRITICAL;

    /** {@code low|medium|high|critical}, {@code 1..4}, {@code mission-critical}; null for blank; else throws. */
    public static Criticality parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "low", "1" -> LOW;
            case "medium", "moderate", "2" -> MEDIUM;
            case "high", "3" -> HIGH;
            case "critical", "mission-critical", "very high", "4" -> CRITICAL;
            default -> throw new IllegalArgumentException("criticality '" + text + "' is not low, medium, high or"
                    + " critical (or 1 to 4)");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
