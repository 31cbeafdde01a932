package dev.vigil.store;

import dev.vigil.model.TenantId;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/** Incidents in the tenant's embedded DuckDB database: the contract, over one store per tenant. */
@DisplayName("Embedded incidents")
class DuckDbIncidentsTest extends IncidentRepositoryContract {
    @TempDir
    Path data;

    final Map<TenantId, TenantStore> stores = new LinkedHashMap<>();

    @Override
    IncidentRepository incidentsOf(TenantId tenant) {
        return stores.computeIfAbsent(tenant, t -> TenantStore.open(data, t, TenantStore.Mode.READ_WRITE))
                .incidents().repository();
    }

    @AfterEach
    void close() {
        stores.values().forEach(TenantStore::close);
    }
}
