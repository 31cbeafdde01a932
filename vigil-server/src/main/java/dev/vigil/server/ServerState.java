package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.SharedStateConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.copilot.plugins.InstalledPlugins;
import dev.vigil.model.TenantId;
import dev.vigil.store.PostgresState;
import dev.vigil.store.IncidentRepository;
import dev.vigil.store.SessionRepository;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The server's shared state as the configuration places it ({@code store.state}): users, API tokens and the audit
 * trail in the data directory ({@code embedded}), or, with copilot sessions, incidents and installed plugins too,
 * in the PostgreSQL database that the nodes of {@code vigil serve --mode scale} share ({@code postgresql}).
 * {@code vigil serve} and the commands that manage users, tokens, plugins and the audit trail open it alike, so they
 * always read and write the same place; the commands that read or correlate incidents keep them there too.
 */
public final class ServerState implements AutoCloseable {
    private final Users users;
    private final ApiTokens tokens;
    private final AuditTrail audit;
    private final Optional<PostgresState> postgres;
    private final String where;
    private final Path dataDirectory;

    private ServerState(Users users, ApiTokens tokens, AuditTrail audit, Optional<PostgresState> postgres,
            String where, Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.postgres = postgres;
        this.where = where;
    }

    /**
     * Opens the state the configuration names, with the PostgreSQL password from the environment.
     *
     * @throws dev.vigil.model.VigilException {@code CONFIG_INVALID} for {@code store.state: postgresql} without a
     *     URL, {@code STORE_FAILED} when PostgreSQL cannot be reached or migrated
     */
    public static ServerState open(VigilConfig config) {
        return open(config, System.getenv());
    }

    /** Opens the state the configuration names, runs {@code work} on it and closes it: for one command's work. */
    public static <T> T with(VigilConfig config, java.util.function.Function<ServerState, T> work) {
        try (ServerState state = open(config)) {
            return work.apply(state);
        }
    }

    static ServerState open(VigilConfig config, Map<String, String> environment) {
        requireNonNull(config, "config is null");
        SharedStateConfig shared = config.sharedState();
        return switch (shared.kind()) {
            case EMBEDDED -> new ServerState(Users.in(config.dataDirectory()), ApiTokens.in(config.dataDirectory()),
                    AuditLog.in(config.dataDirectory()), Optional.empty(),
                    config.dataDirectory().resolve("server").toString(), config.dataDirectory());
            case POSTGRESQL -> {
                PostgresState database = PostgresState.open(shared, environment);
                yield new ServerState(Users.on(new PostgresUsers(database)), ApiTokens.on(new PostgresTokens(database)),
                        new PostgresAuditTrail(database), Optional.of(database), "PostgreSQL at " + database.where(),
                        config.dataDirectory());
            }
        };
    }

    public Users users() {
        return users;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public AuditTrail audit() {
        return audit;
    }

    /** The tenant's copilot sessions when they are shared (PostgreSQL); empty when each tenant's store keeps them. */
    public Optional<SessionRepository> sharedSessions(TenantId tenant) {
        return postgres.map(database -> database.sessions(tenant));
    }

    /** The tenant's incidents when they are shared (PostgreSQL); empty when each tenant's store keeps them. */
    public Optional<IncidentRepository> sharedIncidents(TenantId tenant) {
        return postgres.map(database -> database.incidents(tenant));
    }

    /**
     * Keeps in this shared state what it holds of a tenant store just opened: with {@code store.state: postgresql},
     * the tenant's copilot sessions, incidents and plugins; nothing with {@code embedded}. The alerts and events stay in the
     * store.
     */
    public void share(TenantStore store) {
        requireNonNull(store, "store is null");
        sharedSessions(store.tenant()).ifPresent(store::keepSessionsIn);
        sharedIncidents(store.tenant()).ifPresent(store::keepIncidentsIn);
        sharedPlugins(store.tenant()).ifPresent(store::keepPluginsIn);
    }

    /**
     * Keeps in this shared state what a scale-mode node's store of a tenant (over the lake's events) reads besides
     * events: the tenant's copilot sessions, incidents, the alerts {@code vigil stream incidents} stored from the
     * pipeline, and the installed plugins its copilot loads. Unlike {@link #share}, the alerts are the shared state's too, since the node holds none.
     *
     * @throws IllegalStateException with {@code store.state: embedded}, which a scale-mode node refuses at start-up
     */
    public void shareWithScaleNode(TenantStore store) {
        requireNonNull(store, "store is null");
        PostgresState database = postgres.orElseThrow(() -> new IllegalStateException("a scale-mode node keeps its"
                + " state in PostgreSQL, not in " + where));
        store.keepSessionsIn(database.sessions(store.tenant()));
        store.keepIncidentsIn(database.incidents(store.tenant()));
        store.keepAlertsIn(database.alerts(store.tenant()));
        store.keepPluginsIn(database.plugins(store.tenant()));
    }

    /** The tenant's installed plugins when they are shared (PostgreSQL); empty when the data directory keeps them. */
    public Optional<PluginRepository> sharedPlugins(TenantId tenant) {
        return postgres.map(database -> database.plugins(tenant));
    }

    /**
     * The tenant's installed plugins, where the state is kept: PostgreSQL, or the data directory's
     * {@code plugins/TENANT/}.
     */
    public PluginRepository plugins(TenantId tenant) {
        return sharedPlugins(tenant).orElseGet(() -> new InstalledPlugins(dataDirectory, tenant));
    }

    /** Where the state is, as messages name it: the data directory's server folder, or the PostgreSQL URL. */
    public String where() {
        return where;
    }

    @Override
    public void close() {
        postgres.ifPresent(PostgresState::close);
    }
}
