package dev.vigil.store;

import dev.vigil.model.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

/** Incidents in PostgreSQL: the contract, every tenant in one database. */
@DisplayName("PostgreSQL incidents")
class PostgresIncidentsTest extends IncidentRepositoryContract {
    PostgresTesting.TestDatabase test;

    @BeforeEach
    void open() {
        test = PostgresTesting.freshState();
    }

    @AfterEach
    void close() {
        test.close();
    }

    @Override
    IncidentRepository incidentsOf(TenantId tenant) {
        return test.state().incidents(tenant);
    }
}
