package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Where an indicator comes from and how far to trust it: the feeds that list it, their confidence, when it was seen,
 * when it is valid, and what it is linked to. Lists are sorted and free of duplicates, so that two provenances that
 * say the same thing are equal, whatever order the feeds arrived in.
 *
 * <p>{@link #merge} combines what two feeds say about the same value: every feed, tag and link is kept, the highest
 * confidence wins, first seen is the earliest and last seen the latest, and the validity becomes the smallest window
 * covering both (an open end stays open), since the value is known-bad while any feed says so.
 *
 * @param feeds the feeds that list the value, at least one
 * @param confidence 0 (none) to 100 (certain), as STIX defines it; the alert level derives from it
 * @param firstSeen when the value was first seen by a feed, or null if no feed says
 * @param lastSeen when it was last seen by a feed, or null
 * @param validFrom when it becomes valid, or null for always
 * @param validUntil when it stops being valid (exclusive), or null for never
 * @param tags labels of the feeds (indicator types, MISP tags, categories)
 * @param actors intrusion sets or threat actors the intelligence links the value to
 * @param campaigns campaigns (or MISP events) it is linked to
 * @param techniques ATT&CK technique ids the intelligence names, e.g. {@code T1566.001}
 * @param sourceIds ids of the objects it was imported from (STIX ids, MISP attribute uuids)
 */
public record Provenance(List<String> feeds, int confidence, Instant firstSeen, Instant lastSeen, Instant validFrom,
        Instant validUntil, List<String> tags, List<String> actors, List<String> campaigns, List<String> techniques,
        List<String> sourceIds) {

    /** Control characters in names (a feed's, a tag) become spaces: names are shown and stored as text. */
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");

    /** The confidence given to indicators whose feed states none. */
    public static final int DEFAULT_CONFIDENCE = 50;

    public Provenance {
        feeds = sorted(requireNonNull(feeds, "feeds is null"));
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("an indicator needs at least one feed");
        }
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0 to 100, not " + confidence);
        }
        if (validFrom != null && validUntil != null && !validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("valid until " + validUntil + " is not after valid from " + validFrom);
        }
        tags = sorted(tags);
        actors = sorted(actors);
        campaigns = sorted(campaigns);
        techniques = sorted(techniques);
        sourceIds = sorted(sourceIds);
    }

    /** A provenance with only a feed and a confidence, for feeds that say nothing more. */
    public static Provenance of(String feed, int confidence) {
        return new Provenance(List.of(feed), confidence, null, null, null, null, List.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    /** Whether the value is valid at this instant: at or after valid from and before valid until. */
    public boolean isActiveAt(Instant instant) {
        return (validFrom == null || !instant.isBefore(validFrom)) && (validUntil == null || instant.isBefore(validUntil));
    }

    /** Whether its validity ended at or before this instant (it will never be active again). */
    public boolean isExpiredAt(Instant instant) {
        return validUntil != null && !instant.isBefore(validUntil);
    }

    /** What both provenances say about the same value (see the class comment); commutative and associative. */
    public Provenance merge(Provenance other) {
        if (other.equals(this)) {
            return this;
        }
        return new Provenance(union(feeds, other.feeds), Math.max(confidence, other.confidence),
                earliest(firstSeen, other.firstSeen), latest(lastSeen, other.lastSeen),
                validFrom == null || other.validFrom == null ? null : earliest(validFrom, other.validFrom),
                validUntil == null || other.validUntil == null ? null : latest(validUntil, other.validUntil),
                union(tags, other.tags), union(actors, other.actors), union(campaigns, other.campaigns),
                union(techniques, other.techniques), union(sourceIds, other.sourceIds));
    }

    /** This provenance under other feeds (the command line's --feed). */
    public Provenance withFeeds(List<String> newFeeds) {
        return new Provenance(newFeeds, confidence, firstSeen, lastSeen, validFrom, validUntil, tags, actors,
                campaigns, techniques, sourceIds);
    }

    /** This provenance with another confidence. */
    public Provenance withConfidence(int newConfidence) {
        return new Provenance(feeds, newConfidence, firstSeen, lastSeen, validFrom, validUntil, tags, actors,
                campaigns, techniques, sourceIds);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static boolean isSortedAndClean(List<String> list) {
        String previous = null;
        for (String value : list) {
            if (value == null || value.isBlank() || value.strip().length() != value.length()
                    || previous != null && previous.compareTo(value) >= 0 || hasControl(value)) {
                return false;
            }
            previous = value;
        }
        return true;
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> union(List<String> a, List<String> b) {
        if (b.isEmpty() || a.equals(b)) {
            return a;
        }
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static List<String> sorted(Collection<String> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        if (values instanceof List<String> list && isSortedAndClean(list)) {
            return List.copyOf(list); // the same list when it is already an immutable one, as stored ones are
        }
        TreeSet<String> set = new TreeSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                set.add(CONTROL.matcher(value.strip()).replaceAll(" "));
            }
        }
        return List.copyOf(set);
    }
}
