package dev.vigil.copilot.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.store.PostgresTesting;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link IncidentSkillsTest} again with tenant acme's incidents kept in PostgreSQL, as
 * {@code store.state: postgresql} keeps them, and its alerts and events in its DuckDB database. The store's own
 * incident tables stay empty, so an answer that read them instead of the tenant's incidents would find none.
 */
@DisplayName("Incident, alert, account and host skills, the incidents in PostgreSQL")
class IncidentSkillsOnPostgresTest extends IncidentSkillsTest {
    PostgresTesting.TestDatabase database;

    @Override
    TenantStore seeded(Path data) {
        database = PostgresTesting.freshState();
        DemoTenant.seed(data, ACME, DemoTenant.DAY, false);
        TenantStore opened = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
        opened.keepIncidentsIn(database.state().incidents(ACME));
        DemoTenant.correlate(opened, DemoTenant.config(data, ACME), DemoTenant.DAY);
        return opened;
    }

    @AfterAll
    void dropDatabase() {
        database.close();
    }

    @Test
    void theIncidentsAreInPostgresqlAndNotInTheTenantsOwnDatabase() {
        assertThat(store.query("SELECT count(*) FROM vigil_incidents", 1).rows().get(0).get(0)).isEqualTo(0L);
        assertThat(database.state().incidents(ACME).list(java.util.Optional.empty(), java.util.Optional.empty(), 50))
                .hasSize(4);
    }
}
