package dev.vigil.store;

import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One tenant's alerts as state: what detection raised, each kept once by its id (an alert's id is derived from its
 * tenant, rule and events, so the same detection made twice is stored once). An instance is bound to one tenant when
 * it is made and reads and writes that tenant's alerts only.
 *
 * <p>Two implementations keep the same contract: the tenant's embedded DuckDB database ({@code vigil_alerts}, what
 * {@link TenantStore} reads and writes by default, where the alerts of a batch are committed with its events), and
 * {@link PostgresState#alerts} in the PostgreSQL database shared by the nodes of a scale-out deployment, where
 * {@code vigil stream incidents} keeps the pipeline's alerts beside the incidents they are placed in. A store is told
 * to read them there with {@link TenantStore#keepAlertsIn}.
 *
 * <p>Writes to the embedded store join the store's open unit of work and are durable at its
 * {@link TenantStore#commit()}; an append to PostgreSQL is one transaction, durable when it returns. Alert times are
 * kept to the microsecond.
 */
public interface AlertRepository {
    /** The tenant whose alerts these are. */
    TenantId tenant();

    /**
     * Stores the alerts whose id is not stored yet; an alert already stored keeps its first version, so storing a
     * batch again changes nothing.
     *
     * @return how many of them were new
     * @throws IllegalArgumentException when an alert is another tenant's; nothing is stored then
     */
    int append(List<Alert> alerts);

    /** The alerts that match the query, newest first (then by id). */
    List<Alert> read(AlertQuery query);

    /** The alert with this id, if stored. */
    Optional<Alert> find(UUID id);

    /** The stored alerts with these ids, in time order (then by id); ids not stored are skipped. */
    List<Alert> byIds(Collection<UUID> ids);

    /** How many alerts are stored. */
    long count();

    /** The ids of the alerts with an entity whose value is one of these, exactly as the alerts spell it. */
    Set<UUID> naming(Collection<String> entityValues);

    /** The refusal of an alert that belongs to another tenant than the repository's. */
    static void requireTenant(TenantId tenant, List<Alert> alerts) {
        for (Alert alert : alerts) {
            if (!alert.tenant().equals(tenant)) {
                throw new IllegalArgumentException("an alert of tenant '" + alert.tenant() + "' cannot be stored"
                        + " with the alerts of tenant '" + tenant + "'");
            }
        }
    }
}
