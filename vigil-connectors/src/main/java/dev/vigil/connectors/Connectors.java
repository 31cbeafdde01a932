package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.AlertSink;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Builds connectors from their stored settings. The secret is decrypted here, held only by the token provider, and
 * never printed or logged. Tests replace the clock, the sleeper and the retry policy.
 */
public final class Connectors {
    private final Path dataDirectory;
    private final TenantId tenant;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryPolicy policy;
    private final RandomGenerator random;

    public Connectors(Path dataDirectory, TenantId tenant, Clock clock, Sleeper sleeper, RetryPolicy policy) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.random = new SecureRandom();
    }

    /** Connectors of the tenant with the system clock, real sleeps and the default retry policy. */
    public static Connectors standard(Path dataDirectory, TenantId tenant) {
        return new Connectors(dataDirectory, tenant, Clock.systemUTC(), Sleeper.SYSTEM, RetryPolicy.DEFAULT);
    }

    public ConnectorRegistry registry() {
        return new ConnectorRegistry(dataDirectory, tenant);
    }

    public SecretBox secrets() {
        return SecretBox.open(dataDirectory);
    }

    /** The settings for a new connector, with the secret sealed. */
    public ConnectorConfig seal(ConnectorConfig config, String clientSecret) {
        String sealed = secrets().seal(clientSecret, tenant.value(), config.name());
        return new ConnectorConfig(config.name(), config.kind(), config.directoryTenant(), config.clientId(), sealed,
                config.endpoint(), config.authority(), config.workspace(), config.query(), config.table(),
                config.lookback(), config.pageSize());
    }

    /**
     * Adds the connector, or replaces the one of that name (its checkpoint stays), with its secret sealed: what
     * {@code vigil connectors add} and the server's settings API both do.
     *
     * @param clientSecret the client secret in clear (Splunk: the authentication token; webhook: the senders' token)
     * @return the settings as stored
     */
    public ConnectorConfig add(ConnectorConfig settings, String clientSecret) {
        if (clientSecret == null || clientSecret.isBlank()) {
            throw ConnectorConfig.invalid("connector '" + settings.name() + "' needs a client secret",
                    "Give the app registration's client secret (splunk-export: a Splunk authentication token;"
                            + " webhook: the bearer token senders must present).");
        }
        ConnectorConfig sealed = seal(settings, clientSecret.strip());
        registry().put(sealed);
        return sealed;
    }

    /**
     * The tenant's connectors as people may see them: settings and checkpoint, never a secret (only whether one is
     * stored). {@code vigil connectors list} and the server's settings API show these rows.
     */
    public List<Map<String, Object>> describe() {
        ConnectorRegistry registry = registry();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ConnectorConfig connector : registry.list()) {
            Checkpoint checkpoint = registry.checkpoint(connector.name());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", connector.name());
            row.put("kind", connector.kind().id());
            row.put("tenantId", connector.directoryTenant());
            row.put("clientId", connector.clientId());
            row.put("endpoint", connector.endpointOrDefault());
            if (!connector.workspace().isEmpty()) {
                row.put("workspace", connector.workspace());
            }
            if (!connector.query().isEmpty()) {
                row.put("query", connector.query());
            }
            if (!connector.table().isEmpty()) {
                row.put("table", connector.table());
            }
            row.put("lookback", connector.lookback().toString());
            row.put("secret", connector.sealedSecret().isEmpty() ? "missing" : "stored encrypted");
            row.put("watermark", checkpoint.watermark() == null ? "" : checkpoint.watermark().toString());
            row.put("midRun", checkpoint.midRun());
            rows.add(row);
        }
        return rows;
    }

    /**
     * The webhook receiver of the named connector, storing into {@code store}; start it with
     * {@link WebhookReceiver#start}.
     */
    public <S extends EventSink & AlertSink> WebhookReceiver receiver(String name, S store) {
        ConnectorConfig config = registry().get(name);
        if (config.kind() != ConnectorConfig.Kind.WEBHOOK) {
            throw ConnectorConfig.invalid("connector '" + name + "' is of kind " + config.kind().id()
                    + ", not webhook", "Run it with `vigil connectors run " + name + "`.");
        }
        String token = secrets().open(config.sealedSecret(), tenant.value(), name);
        return new WebhookReceiver(config, token, new PageWriter(tenant, store, store, Normalizer.standard(clock)),
                clock);
    }

    /**
     * The connector that stores into {@code store} (a tenant store, which takes both events and alerts).
     *
     * @param store null for a connector that is only {@linkplain Connector#test() tested}
     */
    public <S extends EventSink & AlertSink> Connector open(String name, S store) {
        ConnectorRegistry registry = registry();
        ConnectorConfig config = registry.get(name);
        if (config.sealedSecret().isEmpty()) {
            throw ConnectorConfig.invalid("connector '" + name + "' has no client secret", "Add it again with"
                    + " --client-secret-env VAR, VAR holding the app registration's client secret.");
        }
        String secret = secrets().open(config.sealedSecret(), tenant.value(), name);
        HttpClient client = Http.defaultClient(policy);
        Http http = new Http(name, client, policy, sleeper, clock, random);
        TokenProvider tokens = config.kind() == ConnectorConfig.Kind.SPLUNK_EXPORT ? new StaticToken(secret)
                : new ClientCredentialsTokens(http, config.tokenUrl(), config.clientId(), secret, config.kind().scope(),
                        clock);
        PageWriter writer = store == null ? null
                : new PageWriter(tenant, store, store, Normalizer.standard(clock));
        return switch (config.kind()) {
            case GRAPH_SECURITY -> new GraphSecurityConnector(config, tenant, http, tokens, registry, writer, clock);
            case WEBHOOK -> throw ConnectorConfig.invalid("connector '" + name + "' is a webhook receiver: it is not run"
                    + " but listened on", "Use `vigil connectors listen " + name + "`.");
            case SPLUNK_EXPORT -> new SplunkExportConnector(config, http, tokens, registry, writer, clock);
            case SENTINEL_INCIDENTS -> new SentinelIncidentsConnector(config, tenant, http, tokens, registry, writer,
                    clock);
            case LOG_ANALYTICS, DEFENDER_HUNTING -> new QueryConnector(config, tenant, http, tokens, registry, writer,
                    clock);
        };
    }
}
