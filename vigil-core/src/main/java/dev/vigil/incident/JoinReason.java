package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.UUID;

/**
 * Why an alert is in its incident, in a form people read: "joined because it shares user j.doe with alert 790, 14
 * minutes apart".
 *
 * @param kind what decided it
 * @param entity the shared entity, null for {@link Kind#FIRST} and {@link Kind#IMPORTED}
 * @param otherAlert the alert it shares the entity with, null for {@link Kind#FIRST} and {@link Kind#IMPORTED}
 * @param gapMicros how far apart the two alerts are, in microseconds
 * @param detail the product's incident reference for {@link Kind#IMPORTED}; "execution → persistence" for
 *     {@link Kind#PROGRESSION}; else empty
 */
public record JoinReason(Kind kind, EntityKey entity, UUID otherAlert, long gapMicros, String detail) {
    /** What decided an alert's incident. */
    public enum Kind {
        /** The alert shares no entity with a recent open incident: it starts one. */
        FIRST,
        /** It shares an entity with an alert of the incident within the join window. */
        SHARED_ENTITY,
        /** It shares an entity with an earlier alert and reaches a later tactic, within the progression window. */
        PROGRESSION,
        /** It came from a product that grouped it already; that grouping is kept. */
        IMPORTED
    }

    public JoinReason {
        requireNonNull(kind, "kind is null");
        detail = detail == null ? "" : detail;
    }

    static JoinReason first() {
        return new JoinReason(Kind.FIRST, null, null, 0, "");
    }

    static JoinReason imported(String reference) {
        return new JoinReason(Kind.IMPORTED, null, null, 0, reference);
    }

    /** The reason as a sentence, naming alerts by {@code names} (their short ids, or numbers). */
    public String explain(java.util.function.Function<UUID, String> names) {
        return switch (kind) {
            case FIRST -> "opened the incident: it shares no entity with a recent open incident";
            case IMPORTED -> "imported with the product's incident " + detail + ", whose grouping is kept";
            case SHARED_ENTITY -> "joined because it shares " + entity + (detail.isEmpty() ? "" : " (" + detail
                    + ")") + " with alert " + names.apply(otherAlert) + ", " + gap(gapMicros) + " apart";
            case PROGRESSION -> "joined because it follows alert " + names.apply(otherAlert) + " on " + entity
                    + " (" + detail + "), " + gap(gapMicros) + " apart";
        };
    }

    /** A gap as people say it: "14 minutes", "3 hours 5 minutes", "under a second". */
    static String gap(long micros) {
        Duration d = Duration.ofNanos(Math.abs(micros) * 1000);
        if (d.toSeconds() < 1) {
            return "under a second";
        }
        if (d.toMinutes() < 1) {
            return plural(d.toSeconds(), "second");
        }
        if (d.toHours() < 1) {
            return plural(d.toMinutes(), "minute");
        }
        if (d.toDays() < 1) {
            return plural(d.toHours(), "hour") + (d.toMinutesPart() == 0 ? "" : " " + plural(d.toMinutesPart(),
                    "minute"));
        }
        return plural(d.toDays(), "day") + (d.toHoursPart() == 0 ? "" : " " + plural(d.toHoursPart(), "hour"));
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
