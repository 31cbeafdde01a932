package dev.vigil.cli;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The options every command takes: where the data is, which tenant, and configuration overrides. */
final class CommonOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: $VIGIL_HOME, else ./vigil-data).")
    Path data;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant to work on (default: default).")
    String tenant;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: $VIGIL_CONFIG, else DIR/vigil.yaml if it exists).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set a configuration key for this run, e.g. --set ingest.batch-size=5000 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Loads and validates the configuration once; flags win over the environment, which wins over the file. */
    VigilConfig load() {
        Map<String, String> environment = System.getenv();
        Map<String, String> flags = new LinkedHashMap<>(settings);
        if (data != null) {
            flags.put("data-dir", data.toString());
        }
        if (tenant != null) {
            flags.put("tenant", tenant);
        }
        Path file = config;
        if (file == null && environment.get("VIGIL_CONFIG") != null) {
            file = Path.of(environment.get("VIGIL_CONFIG"));
        }
        if (file == null) {
            Path dataDir = data != null ? data
                    : Path.of(environment.getOrDefault("VIGIL_HOME", "./vigil-data"));
            Path candidate = dataDir.resolve("vigil.yaml");
            if (Files.isRegularFile(candidate)) {
                file = candidate;
            }
        }
        VigilConfig loaded = ConfigLoader.load(file, environment, flags);
        Logging.configure(loaded);
        return loaded;
    }

    TenantId tenant(VigilConfig config) {
        return config.tenant();
    }

    /**
     * The tenant's store, or {@code noData}'s exception when the tenant has no data yet: opening it would create an
     * empty store, which hides a mistyped {@code --tenant} or {@code --data}. Its incidents and sessions are where
     * {@code store.state} keeps them ({@link SharedState}).
     */
    static TenantStore open(VigilConfig config, TenantStore.Mode mode, Supplier<? extends VigilException> noData) {
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            throw noData.get();
        }
        return SharedState.attach(config, TenantStore.open(config.dataDirectory(), config.tenant(), mode));
    }

    /** The tenant's store, or the error that it has no data yet and how to give it some. */
    static TenantStore openWithData(VigilConfig config, TenantStore.Mode mode, ErrorCode code) {
        return open(config, mode, () -> new VigilException(code, "tenant '" + config.tenant() + "' has no data yet",
                "Ingest data first (vigil ingest PATH), or try the demo: vigil demo", null));
    }

    /**
     * For the commands over alerts and incidents: the tenant's store as {@link #open} opens it or, with
     * {@code store.state: postgresql} on a machine that holds no store of the tenant (a scale-out deployment's, where
     * {@code vigil stream incidents} keeps the pipeline's alerts and incidents in PostgreSQL), the tenant as a
     * scale-mode node reads it ({@link SharedState#overLake}); {@code noData}'s exception when neither is there.
     */
    static TenantStore openIncidents(VigilConfig config, TenantStore.Mode mode,
            Supplier<? extends VigilException> noData) {
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            return SharedState.overLake(config).orElseThrow(noData);
        }
        return open(config, mode, noData);
    }

    /**
     * What {@code read} finds in the tenant's store as {@link #openIncidents} opens it read-only, or {@code absent}
     * when there is none: for listings of alerts and incidents, where nothing stored is an answer, not an error.
     */
    static <T> T readIncidentsIfPresent(VigilConfig config, Function<TenantStore, T> read, T absent) {
        java.util.Optional<TenantStore> store = TenantStore.exists(config.dataDirectory(), config.tenant())
                ? java.util.Optional.of(SharedState.attach(config, TenantStore.open(config.dataDirectory(),
                        config.tenant(), TenantStore.Mode.READ_ONLY)))
                : SharedState.overLake(config);
        if (store.isEmpty()) {
            return absent;
        }
        try (TenantStore open = store.get()) {
            return read.apply(open);
        }
    }

    /**
     * What {@code read} finds in the tenant's store opened read-only, or {@code absent} when the tenant has no data
     * yet: for listings, where nothing stored is an answer rather than an error.
     */
    static <T> T readIfPresent(VigilConfig config, Function<TenantStore, T> read, T absent) {
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            return absent;
        }
        try (TenantStore store = SharedState.attach(config, TenantStore.open(config.dataDirectory(), config.tenant(),
                TenantStore.Mode.READ_ONLY))) {
            return read.apply(store);
        }
    }
}
