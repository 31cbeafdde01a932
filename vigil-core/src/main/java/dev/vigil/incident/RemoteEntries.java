package dev.vigil.incident;

import java.util.List;
import java.util.Set;

/**
 * Where remote entries into a machine came from, as the tenant's stored events show: the seam through which the
 * store supplies the {@link Correlator} with the source of a lateral-movement alert that does not name one (as it
 * supplies the {@link Prevalence} baseline and address ownership). The correlator stays pure; an implementation
 * reads the events.
 *
 * <p>An implementation answers from an index or a time-bounded query, never a scan of the store: the correlator asks
 * once per lateral-movement alert without a source, for a window of minutes.
 */
@FunctionalInterface
public interface RemoteEntries {
    /**
     * The remote entries into any of {@code targets} (a host, and the addresses it owns) between {@code fromMicros}
     * and {@code toMicros} inclusive, in time order.
     */
    List<RemoteEntry> into(Set<EntityKey> targets, long fromMicros, long toMicros);

    /** No events to look in: alerts are placed on what they name. */
    static RemoteEntries none() {
        return (targets, from, to) -> List.of();
    }
}
