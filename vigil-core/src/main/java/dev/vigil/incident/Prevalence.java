package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;

/**
 * How widespread each entity is in the organization's own data: for an address, domain, user, file or process, the
 * number of distinct hosts whose events name it; for a host, the number of distinct users seen on it. A proxy, a DNS
 * server, a scanner, the administrator account and a domain controller stand out by it, and correlation does not let
 * them tie unrelated alerts together.
 *
 * <p>The baseline comes from the stored events (the store computes it); correlation adds what it learns from alerts
 * as they arrive, so an entity that becomes common in alerts alone is recognized too.
 */
public final class Prevalence {
    private final Map<EntityKey, Integer> partners;
    private final int hosts;
    private final int users;

    /**
     * @param partners per entity, its number of distinct partners in the events (hosts, or users for a host)
     * @param hosts the number of distinct hosts in the events
     * @param users the number of distinct users in the events
     */
    public Prevalence(Map<EntityKey, Integer> partners, int hosts, int users) {
        this.partners = Map.copyOf(requireNonNull(partners, "partners is null"));
        this.hosts = hosts;
        this.users = users;
    }

    /** No baseline: prevalence is learned from alerts only. */
    public static Prevalence none() {
        return new Prevalence(Map.of(), 0, 0);
    }

    /** The population an entity's partners are counted in: users for a host, hosts for anything else. */
    public int population(EntityKey key) {
        return key.kind() == EntityKey.Kind.HOST ? users : hosts;
    }

    /** The baseline's partner count of an entity, 0 when the events never name it. */
    public int partners(EntityKey key) {
        return partners.getOrDefault(key, 0);
    }

    /** Whether the baseline makes an entity common under a policy. */
    public boolean isCommon(EntityKey key, CorrelationPolicy policy) {
        return policy.common(partners(key), population(key));
    }

    /** The number of distinct hosts in the baseline. */
    public int hosts() {
        return hosts;
    }

    /** The number of entities the baseline knows. */
    public int size() {
        return partners.size();
    }

    /** Builds a baseline entity by entity. */
    public static final class Builder {
        private final Map<EntityKey, Integer> partners = new HashMap<>();
        private int hosts;
        private int users;

        /** Records an entity's partner count (the highest given wins). */
        public Builder add(EntityKey key, int count) {
            partners.merge(key, count, Math::max);
            return this;
        }

        public Builder hosts(int count) {
            this.hosts = count;
            return this;
        }

        public Builder users(int count) {
            this.users = count;
            return this;
        }

        public Prevalence build() {
            return new Prevalence(partners, hosts, users);
        }
    }
}
