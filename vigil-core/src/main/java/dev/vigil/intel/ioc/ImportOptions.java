package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * How to read a file of indicators.
 *
 * @param feed the feed its indicators are listed under; null to take it from the file (a STIX bundle's author, a
 *     MISP event's organization) or else from the file name
 * @param confidence the confidence of its indicators (0 to 100), replacing what the file says; null to keep what it
 *     says, else {@link Provenance#DEFAULT_CONFIDENCE}
 * @param now the time of the import: indicators whose validity ended by then are not imported
 */
public record ImportOptions(String feed, Integer confidence, Instant now) {
    public ImportOptions {
        if (feed != null && feed.isBlank()) {
            throw new IllegalArgumentException("the feed name is blank");
        }
        if (confidence != null && (confidence < 0 || confidence > 100)) {
            throw new IllegalArgumentException("confidence must be 0 to 100, not " + confidence);
        }
        requireNonNull(now, "now is null");
    }

    /** The feed from the file, its confidence, at this time. */
    public static ImportOptions at(Instant now) {
        return new ImportOptions(null, null, now);
    }

    /** The confidence to give an indicator whose feed states {@code stated} (null for none). */
    int confidence(Integer stated) {
        return confidence != null ? confidence : stated != null ? stated : Provenance.DEFAULT_CONFIDENCE;
    }

    /** The feed name to use when the file names {@code stated} (null for none) and is called {@code source}. */
    String feed(String stated, String source) {
        if (feed != null) {
            return feed;
        }
        if (stated != null && !stated.isBlank()) {
            return stated.strip();
        }
        String name = source.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name.isEmpty() ? "unnamed" : name;
    }
}
