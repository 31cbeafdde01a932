package dev.vigil.report;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a report, or a section of it, is written for.
 *
 * <ul>
 *   <li>{@link #EXECUTIVE}: plain language: no technique or rule ids in the prose, no identifier columns in tables,
 *       and the terms used are explained at the end;
 *   <li>{@link #TECHNICAL}: ids, queries and evidence references kept;
 *   <li>{@link #BOTH}: for a section only, shown to either audience.
 * </ul>
 */
public enum Audience {
    EXECUTIVE, TECHNICAL, BOTH;

    /** The lower-case word used in templates and parameters. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The audience named by a word (any case), if it names one. */
    public static Optional<Audience> of(String word) {
        for (Audience audience : values()) {
            if (audience.word().equalsIgnoreCase(word == null ? "" : word.strip())) {
                return Optional.of(audience);
            }
        }
        return Optional.empty();
    }

    /** Whether a section written for this audience is shown in a report for {@code reader}. */
    public boolean shownTo(Audience reader) {
        return this == BOTH || reader == BOTH || this == reader;
    }
}
