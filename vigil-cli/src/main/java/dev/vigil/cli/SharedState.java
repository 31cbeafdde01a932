package dev.vigil.cli;

import dev.vigil.config.SharedStateConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.store.IncidentRepository;
import dev.vigil.store.PostgresState;
import dev.vigil.store.TenantStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the commands keep where {@code store.state} says, as {@code vigil serve} does: with {@code postgresql}, a
 * tenant's incidents and copilot sessions are in PostgreSQL, and a store a command opens is told so before the command
 * reads or correlates anything; with {@code embedded} (the default) the store keeps them and nothing changes.
 *
 * <p>One connection pool per database serves every store of the process (a command, or the commands of one test
 * JVM), and is closed when the process exits.
 */
final class SharedState {
    private static final Map<String, PostgresState> OPEN = new ConcurrentHashMap<>();

    private SharedState() {}

    /**
     * Keeps the store's incidents and sessions in the shared state the configuration names; returns the store. When
     * that state cannot be opened the store is closed and the error ({@code STORE_FAILED}) thrown.
     */
    static TenantStore attach(VigilConfig config, TenantStore store) {
        try {
            postgres(config).ifPresent(database -> {
                store.keepIncidentsIn(database.incidents(store.tenant()));
                store.keepSessionsIn(database.sessions(store.tenant()));
            });
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * With {@code store.state: postgresql}, a read-only store of the configured tenant for a machine that holds no
     * store of it, as a scale-mode node reads one: its events from the lake ({@code lake.root}, a local or mounted
     * folder; none when there is no such folder), its incidents, the pipeline's alerts and its copilot sessions from
     * PostgreSQL. Empty with {@code embedded}, or when the lake is in object storage, which is not read this way.
     */
    static Optional<TenantStore> overLake(VigilConfig config) {
        Optional<PostgresState> shared = postgres(config);
        if (shared.isEmpty()) {
            return Optional.empty();
        }
        dev.vigil.lake.LakeLayout layout = new dev.vigil.lake.LakeLayout(config.lake());
        if (!layout.isLocal()) {
            return Optional.empty();
        }
        TenantStore store = new dev.vigil.lake.LakeStores(layout).open(config.tenant());
        try {
            store.keepIncidentsIn(shared.get().incidents(store.tenant()));
            store.keepAlertsIn(shared.get().alerts(store.tenant()));
            store.keepSessionsIn(shared.get().sessions(store.tenant()));
            return Optional.of(store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The configured tenant's incidents when they are kept in PostgreSQL, else empty. */
    static Optional<IncidentRepository> incidents(VigilConfig config) {
        return postgres(config).map(database -> database.incidents(config.tenant()));
    }

    /** The shared state's database when {@code store.state} is {@code postgresql}, else empty. */
    static Optional<PostgresState> postgres(VigilConfig config) {
        SharedStateConfig shared = config.sharedState();
        if (shared.kind() != SharedStateConfig.Kind.POSTGRESQL) {
            return Optional.empty();
        }
        return Optional.of(OPEN.computeIfAbsent(shared.url() + "\n" + shared.user(), key -> {
            PostgresState database = PostgresState.open(shared, System.getenv());
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "close-postgresql"));
            return database;
        }));
    }
}
