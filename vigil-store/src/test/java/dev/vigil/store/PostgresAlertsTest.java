package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.TenantId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Alerts in PostgreSQL: the contract, every tenant in one database, and what two nodes sharing it add. */
@DisplayName("PostgreSQL alerts")
class PostgresAlertsTest extends AlertRepositoryContract {
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
    AlertRepository alertsOf(TenantId tenant) {
        return test.state().alerts(tenant);
    }

    @Override
    void commit(TenantId tenant) {
        // each append is a transaction of its own
    }

    @Test
    void anAlertAppendedOnOneNodeIsReadOnAnotherAsSoonAsTheAppendReturns() {
        alerts().append(List.of(alert(1, "high", 0)));
        try (PostgresState otherNode = test.anotherNode()) {
            assertThat(otherNode.alerts(StoreTesting.ACME).byIds(List.of(alert(1, "high", 0).id())))
                    .containsExactly(alert(1, "high", 0));
            assertThat(otherNode.alerts(StoreTesting.ACME).append(List.of(alert(1, "high", 0)))).isZero();
        }
    }
}
