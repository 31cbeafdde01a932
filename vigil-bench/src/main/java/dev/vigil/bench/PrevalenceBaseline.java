package dev.vigil.bench;

import dev.vigil.incident.EntityKey;
import dev.vigil.incident.Prevalence;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Prevalence} baseline from events' entities as the store's query does: for each host, the distinct
 * users its events name; for every other entity, the distinct hosts whose events name it.
 */
final class PrevalenceBaseline {
    private final Map<EntityKey, Set<String>> partners = new HashMap<>();
    private final Set<String> hosts = new HashSet<>();
    private final Set<String> users = new HashSet<>();
    private long events;
    private final List<EntityKey[]> owners = new ArrayList<>();

    /** Counts one event, by its entities' keys. */
    void observe(Collection<EntityKey> keys) {
        events++;
        List<String> eventHosts = new ArrayList<>(2);
        List<String> eventUsers = new ArrayList<>(2);
        for (EntityKey key : keys) {
            if (key.kind() == EntityKey.Kind.HOST) {
                eventHosts.add(key.value());
            } else if (key.kind() == EntityKey.Kind.USER) {
                eventUsers.add(key.value());
            }
        }
        hosts.addAll(eventHosts);
        users.addAll(eventUsers);
        for (EntityKey key : keys) {
            List<String> of = key.kind() == EntityKey.Kind.HOST ? eventUsers : eventHosts;
            for (String partner : of) {
                if (!partner.equals(key.value())) {
                    partners.computeIfAbsent(key, k -> new HashSet<>(4)).add(partner);
                }
            }
        }
    }

    /** Records that an event shows {@code host} owning {@code address} (see {@link Prevalence#ownership}). */
    void owns(EntityKey address, EntityKey host) {
        owners.add(new EntityKey[] {address, host});
    }

    long events() {
        return events;
    }

    Prevalence build() {
        Prevalence.Builder builder = new Prevalence.Builder().hosts(hosts.size()).users(users.size());
        partners.forEach((key, set) -> builder.add(key, set.size()));
        owners.forEach(pair -> builder.owns(pair[0], pair[1]));
        return builder.build();
    }
}
