package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.incident.Incident;
import dev.vigil.model.TenantId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Incidents in PostgreSQL: the contract, every tenant in one database, and what two nodes sharing it add. */
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

    @Test
    void analystsUpdatingOneIncidentOnTwoNodesAtOnceLoseNoChange() throws Exception {
        IncidentRepository incidents = incidentsOf(StoreTesting.ACME);
        incidents.apply(opening(incidents, 1, T0, List.of(List.of(1)), "high"));
        try (PostgresState otherNode = test.anotherNode();
                java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<IncidentRepository> nodes = List.of(incidents, otherNode.incidents(StoreTesting.ACME));
            List<java.util.concurrent.Callable<Incident>> updates = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                IncidentRepository node = nodes.get(i % 2);
                String tag = "tag-" + i;
                updates.add(() -> update(node, ALICE, 1, dev.vigil.incident.IncidentUpdate.none().withTags(
                        List.of(tag), List.of()), T0));
            }
            for (java.util.concurrent.Future<Incident> done : threads.invokeAll(updates)) {
                done.get();
            }
        }
        assertThat(incidents.find(1).orElseThrow().tags()).hasSize(20);
        assertThat(incidents.changes(1)).hasSize(20);
    }
}
