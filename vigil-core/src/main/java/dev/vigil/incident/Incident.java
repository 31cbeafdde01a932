package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An incident: alerts that correlation grouped, and where the response stands.
 *
 * @param number the tenant's incident number, from 1
 * @param title what it is about, from its most severe alerts and hosts
 * @param severity the highest level of its alerts unless an analyst set another
 * @param classification the analyst's verdict; {@link Classification#UNDETERMINED} until given
 * @param determination what kind of true positive or false positive it was ({@code malware}, {@code security
 *     testing} ...), empty until given
 * @param owner who handles it, empty until assigned
 * @param firstSeen the time of its earliest alert
 * @param lastSeen the time of its latest alert
 * @param created when Vigil opened it
 * @param acknowledged when an analyst first took it up (status active or an owner assigned), null until then
 * @param resolved when it was last resolved, null while open
 * @param reference the product's incident reference for imported incidents, else empty
 * @param alertCount how many alerts it holds
 */
public record Incident(long number, String title, Status status, String severity, Classification classification,
        String determination, String owner, List<String> tags, Instant firstSeen, Instant lastSeen, Instant created,
        Instant acknowledged, Instant resolved, String reference, int alertCount) {

    /** Where the response stands. */
    public enum Status {
        NEW, ACTIVE, RESOLVED;

        public static Status parse(String text) {
            return IncidentText.parse(Status.class, text, "status");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The analyst's verdict. */
    public enum Classification {
        UNDETERMINED, TRUE_POSITIVE, FALSE_POSITIVE, INFORMATIONAL;

        public static Classification parse(String text) {
            return IncidentText.parse(Classification.class, text, "classification");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Incident {
        requireNonNull(title, "title is null");
        requireNonNull(status, "status is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(classification, "classification is null");
        determination = determination == null ? "" : determination;
        owner = owner == null ? "" : owner;
        tags = List.copyOf(tags);
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        requireNonNull(created, "created is null");
        reference = reference == null ? "" : reference;
    }

    /** Whether it still takes alerts: not resolved. */
    public boolean open() {
        return status != Status.RESOLVED;
    }
}
