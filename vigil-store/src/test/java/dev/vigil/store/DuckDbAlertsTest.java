package dev.vigil.store;

import dev.vigil.model.TenantId;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/** Alerts in the tenant's embedded DuckDB database: the contract, over one store per tenant. */
@DisplayName("Embedded alerts")
class DuckDbAlertsTest extends AlertRepositoryContract {
    @TempDir
    Path data;

    final Map<TenantId, TenantStore> stores = new LinkedHashMap<>();

    TenantStore store(TenantId tenant) {
        return stores.computeIfAbsent(tenant, t -> TenantStore.open(data, t, TenantStore.Mode.READ_WRITE));
    }

    @Override
    AlertRepository alertsOf(TenantId tenant) {
        return store(tenant).alertRepository();
    }

    @Override
    void commit(TenantId tenant) {
        store(tenant).commit();
    }

    @AfterEach
    void close() {
        stores.values().forEach(TenantStore::close);
    }
}
