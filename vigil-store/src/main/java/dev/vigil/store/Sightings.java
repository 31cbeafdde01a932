package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a value (an address, network, domain, URL, digest or e-mail address) appears in the tenant's own data: the
 * events that mention it, when, on which hosts and for which users, and the alerts that involve it.
 *
 * @param events stored events whose record mentions the value (for a domain, also its subdomains; for a network, an
 *     address in it as source or destination)
 * @param firstSeen the earliest such event's time, or null when there is none
 * @param lastSeen the latest one's, or null
 * @param byTable the events by table, most first
 * @param hosts the hosts of the events, most first (at most ten)
 * @param users the users of the events, most first (at most ten)
 * @param alerts stored alerts whose rule, fields or entities name the value
 * @param recentAlerts the newest of them
 * @param note what could not be searched, or null
 */
public record Sightings(long events, Instant firstSeen, Instant lastSeen, Map<String, Long> byTable,
        List<Count> hosts, List<Count> users, long alerts, List<AlertMention> recentAlerts, String note) {

    public Sightings {
        byTable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byTable));
        hosts = List.copyOf(hosts);
        users = List.copyOf(users);
        recentAlerts = List.copyOf(recentAlerts);
    }

    /** A value and how many events have it. */
    public record Count(String value, long events) {
        public Count {
            requireNonNull(value, "value is null");
        }
    }

    /** An alert that involves the value. */
    public record AlertMention(UUID id, String ruleId, String title, String level, Instant time) {}
}
