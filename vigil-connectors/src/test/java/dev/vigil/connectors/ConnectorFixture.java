package dev.vigil.connectors;

import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** A tenant store in a temporary data directory, a fake Microsoft, and connectors that talk to it. */
final class ConnectorFixture implements AutoCloseable {
    static final TenantId TENANT = TenantId.of("acme");
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final String SECRET = "s3cret-Value~never-printed";
    /** Four attempts, 1 s doubling to 8 s; Retry-After honoured up to 5 minutes. */
    static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8),
            Duration.ofMinutes(5), Duration.ofSeconds(5));

    final Path data;
    final FakeMicrosoft server;
    final RecordingSleeper sleeper = new RecordingSleeper();
    final Connectors connectors;
    TenantStore store;

    ConnectorFixture(Path data) throws Exception {
        this.data = data;
        this.server = new FakeMicrosoft();
        this.connectors = new Connectors(data, TENANT, Clock.fixed(NOW, ZoneOffset.UTC), sleeper, POLICY);
        this.store = TenantStore.open(data, TENANT, TenantStore.Mode.READ_WRITE);
    }

    ConnectorConfig add(String name, ConnectorConfig.Kind kind, String workspace, String query) {
        ConnectorConfig config = new ConnectorConfig(name, kind, "contoso-directory", "client-1", "",
                server.baseUrl(), server.baseUrl(), workspace, query, "", Duration.ofDays(1), 2);
        connectors.registry().put(connectors.seal(config, SECRET));
        return config;
    }

    Connector open(String name) {
        return connectors.open(name, store);
    }

    long count(String table) {
        return ((Number) store.query("SELECT count(*) FROM " + table, 1).rows().get(0).get(0)).longValue();
    }

    /** Closes the store and opens it again, as a restarted process would. */
    void restart() {
        store.close();
        store = TenantStore.open(data, TENANT, TenantStore.Mode.READ_WRITE);
    }

    @Override
    public void close() {
        store.close();
        server.close();
    }
}
