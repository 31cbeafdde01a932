package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
    private final Map<EntityKey, EntityKey> owners;
    /** Each host's owned addresses: the reverse of {@link #owners}. */
    private final Map<EntityKey, java.util.Set<EntityKey>> addresses = new HashMap<>();

    /**
     * @param partners per entity, its number of distinct partners in the events (hosts, or users for a host)
     * @param hosts the number of distinct hosts in the events
     * @param users the number of distinct users in the events
     */
    public Prevalence(Map<EntityKey, Integer> partners, int hosts, int users) {
        this(partners, hosts, users, Map.of());
    }

    /**
     * @param owners the host each address belongs to, where the events say so unambiguously (see {@link #ownerOf})
     */
    public Prevalence(Map<EntityKey, Integer> partners, int hosts, int users, Map<EntityKey, EntityKey> owners) {
        this.partners = Map.copyOf(requireNonNull(partners, "partners is null"));
        this.hosts = hosts;
        this.users = users;
        this.owners = Map.copyOf(requireNonNull(owners, "owners is null"));
        this.owners.forEach((address, host) -> addresses.computeIfAbsent(host, h -> new java.util.TreeSet<>())
                .add(address));
    }

    /**
     * The host an address belongs to: the one host whose own outbound connections come from it (Sysmon network
     * connections it initiated, {@link #ownership}). An alert that names the address, as the source of a remote
     * logon or the target of a connection, thereby names the host.
     */
    public Optional<EntityKey> ownerOf(EntityKey address) {
        return Optional.ofNullable(owners.get(address));
    }

    /** The addresses a host owns (see {@link #ownerOf}), empty when the events show none. */
    public java.util.Set<EntityKey> addressesOf(EntityKey host) {
        return addresses.getOrDefault(host, java.util.Set.of());
    }

    /** Every entity's partner count, for keeping the baseline. */
    public Map<EntityKey, Integer> entries() {
        return partners;
    }

    /** Every address with its owner, for keeping the baseline. */
    public Map<EntityKey, EntityKey> owners() {
        return owners;
    }

    /** The number of distinct users in the baseline. */
    public int users() {
        return users;
    }

    /** How many addresses have a known owner. */
    public int ownedAddresses() {
        return owners.size();
    }

    /**
     * The (host, address) an event shows a host owning: a Sysmon network connection (event 3) that the host
     * initiated comes from one of its own addresses. Other events name addresses of other machines (a domain
     * controller's logon events carry the client's address), so they prove nothing about ownership.
     */
    public static Optional<Map.Entry<String, String>> ownership(dev.vigil.model.Event event) {
        if (!"SysmonEvent".equals(event.table()) || !"3".equals(event.common(dev.vigil.model.CommonColumn.EVENT_CODE))
                || !"true".equalsIgnoreCase(String.valueOf(event.fields().get("Initiated")))) {
            return Optional.empty();
        }
        String host = event.common(dev.vigil.model.CommonColumn.HOST);
        String address = event.common(dev.vigil.model.CommonColumn.SRC_IP);
        return host == null || address == null ? Optional.empty() : Optional.of(Map.entry(host, address));
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
        private final Map<EntityKey, EntityKey> owners = new HashMap<>();
        private final java.util.Set<EntityKey> ambiguous = new java.util.HashSet<>();

        /** Records an entity's partner count (the highest given wins). */
        public Builder add(EntityKey key, int count) {
            partners.merge(key, count, Math::max);
            return this;
        }

        public Builder hosts(int count) {
            this.hosts = count;
            return this;
        }

        /** Records that the events show {@code host} owning {@code address}; an address two hosts own has none. */
        public Builder owns(EntityKey address, EntityKey host) {
            if (address.kind() != EntityKey.Kind.IP || host.kind() != EntityKey.Kind.HOST) {
                throw new IllegalArgumentException("a host owns an address, not " + host + " " + address);
            }
            EntityKey before = owners.putIfAbsent(address, host);
            if (before != null && !before.equals(host)) {
                ambiguous.add(address);
            }
            return this;
        }

        public Builder users(int count) {
            this.users = count;
            return this;
        }

        public Prevalence build() {
            Map<EntityKey, EntityKey> unambiguous = new HashMap<>(owners);
            unambiguous.keySet().removeAll(ambiguous);
            return new Prevalence(partners, hosts, users, unambiguous);
        }
    }
}
