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
 * @param detail the product's incident reference for {@link Kind#IMPORTED}; for {@link Kind#FIRST}, what it shares
 *     that was not weighed ("host ws1 not weighed: the machine it enters"), else empty; "execution → persistence" for
 *     {@link Kind#PROGRESSION}; for a join, followed by the evidence weighed ("evidence 0.83, 0.25 needed to join:
 *     user j.doe 0.85, host ws1 0.52"; see {@link #evidence()}); else empty
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

    /** An alert that opened an incident though it shares entities with others, and why they were not evidence. */
    static JoinReason first(String detail) {
        return new JoinReason(Kind.FIRST, null, null, 0, detail);
    }

    static JoinReason imported(String reference) {
        return new JoinReason(Kind.IMPORTED, null, null, 0, reference);
    }

    private static final String EVIDENCE = "evidence ";
    private static final String BEFORE_EVIDENCE = "; ";

    /** The same reason with the evidence weighed for it ("evidence 0.83, 0.25 needed to join: ..."). */
    JoinReason withEvidence(String evidence) {
        String qualifier = qualifier();
        return new JoinReason(kind, entity, otherAlert, gapMicros, qualifier.isEmpty() ? evidence
                : qualifier + BEFORE_EVIDENCE + evidence);
    }

    /** The detail without the evidence: "through its address 10.0.0.5", "Execution → Discovery", or empty. */
    public String qualifier() {
        if (kind != Kind.SHARED_ENTITY && kind != Kind.PROGRESSION) {
            return detail;
        }
        if (detail.startsWith(EVIDENCE)) {
            return "";
        }
        int at = detail.indexOf(BEFORE_EVIDENCE + EVIDENCE);
        return at < 0 ? detail : detail.substring(0, at);
    }

    /** The evidence weighed for a join or merge, each shared entity with its weight; empty when not recorded. */
    public String evidence() {
        if (kind != Kind.SHARED_ENTITY && kind != Kind.PROGRESSION) {
            return "";
        }
        if (detail.startsWith(EVIDENCE)) {
            return detail;
        }
        int at = detail.indexOf(BEFORE_EVIDENCE + EVIDENCE);
        return at < 0 ? "" : detail.substring(at + BEFORE_EVIDENCE.length());
    }

    /** The reason as a sentence, naming alerts by {@code names} (their short ids, or numbers). */
    public String explain(java.util.function.Function<UUID, String> names) {
        String qualifier = qualifier();
        String evidence = evidence().isEmpty() ? "" : "; " + evidence();
        return switch (kind) {
            case FIRST -> detail.isEmpty() ? "opened the incident: it shares no entity with a recent open incident"
                    : "opened the incident: no recent open incident has enough evidence (" + detail + ")";
            case IMPORTED -> "imported with the product's incident " + detail + ", whose grouping is kept";
            case SHARED_ENTITY -> "joined because it shares " + entity + (qualifier.isEmpty() ? "" : " ("
                    + qualifier + ")") + " with alert " + names.apply(otherAlert) + ", " + gap(gapMicros) + " apart"
                    + evidence;
            case PROGRESSION -> "joined because it follows alert " + names.apply(otherAlert) + " on " + entity
                    + " (" + qualifier + "), " + gap(gapMicros) + " apart" + evidence;
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
