package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AlertRepository}, run against each store that keeps alerts (DuckDB, PostgreSQL): an alert
 * comes back field for field, is stored once by id however often it is appended, is read newest first with the
 * query's filters, by id and by the entities it names, and is never another tenant's.
 */
abstract class AlertRepositoryContract {
    static final long BASE_MICROS = 1_714_564_800_000_000L;

    /** The alerts of the tenant in the store under test. */
    abstract AlertRepository alertsOf(TenantId tenant);

    /** Makes what was appended durable: the embedded store's commit; nothing for PostgreSQL. */
    abstract void commit(TenantId tenant);

    AlertRepository alerts() {
        return alertsOf(ACME);
    }

    static Alert alert(TenantId tenant, int n, String rule, String level, int minute, String host) {
        return new Alert(UUID.nameUUIDFromBytes((tenant + " alert " + n).getBytes(StandardCharsets.UTF_8)), tenant,
                "sigma", rule, "Detection " + n + " on " + host, level, "stable",
                BASE_MICROS + minute * 60_000_000L + 7, List.of("T1110", "T1078"),
                Map.of("EventID", "4625", "TargetUserName", "admin"),
                List.of(new Alert.Entity("host", host), new Alert.Entity("user", "CORP\\admin")),
                List.of(EventId.derive(tenant, BASE_MICROS / 1000 + n, ("event " + n).getBytes(StandardCharsets.UTF_8),
                        0), EventId.derive(tenant, BASE_MICROS / 1000 + n, ("event " + n + "b")
                                .getBytes(StandardCharsets.UTF_8), 0)), "SecurityEvent", n == 1 ? "defender:42" : "");
    }

    static Alert alert(int n, String level, int minute) {
        return alert(ACME, n, "rule-" + n, level, minute, "ws-" + n);
    }

    @Test
    void anAlertComesBackFieldForField() {
        Alert stored = alert(1, "high", 0);

        assertThat(alerts().append(List.of(stored))).isEqualTo(1);
        commit(ACME);

        assertThat(alerts().find(stored.id())).contains(stored);
        assertThat(alerts().read(AlertQuery.newest(10))).containsExactly(stored);
        assertThat(alerts().count()).isEqualTo(1);
    }

    @Test
    void theSameAlertIsStoredOnceWithinABatchAndAcrossAppends() {
        Alert first = alert(1, "high", 0);
        Alert changedOnSecondDelivery = new Alert(first.id(), ACME, "sigma", first.ruleId(), "another title",
                "low", "", first.timeMicros(), List.of(), Map.of(), first.entities(), first.eventIds(),
                first.table(), "");

        assertThat(alerts().append(List.of(first, first))).isEqualTo(1);
        commit(ACME);
        assertThat(alerts().append(List.of(changedOnSecondDelivery, alert(2, "low", 1)))).isEqualTo(1);
        commit(ACME);

        assertThat(alerts().count()).isEqualTo(2);
        assertThat(alerts().find(first.id())).contains(first);
    }

    @Test
    void alertsAreReadNewestFirstAndFilteredByRuleTimeAndLevel() {
        Alert low = alert(1, "low", 0);
        Alert high = alert(2, "high", 10);
        Alert critical = alert(3, "critical", 20);
        Alert unknown = alert(4, "severe", 30);
        alerts().append(List.of(low, high, critical, unknown));
        commit(ACME);

        assertThat(alerts().read(AlertQuery.newest(10))).containsExactly(unknown, critical, high, low);
        assertThat(alerts().read(AlertQuery.newest(2))).containsExactly(unknown, critical);
        assertThat(alerts().read(new AlertQuery(List.of(), Long.MIN_VALUE, "high", 10)))
                .containsExactly(critical, high);
        assertThat(alerts().read(new AlertQuery(List.of("rule-1", "rule-3"), Long.MIN_VALUE, null, 10)))
                .containsExactly(critical, low);
        assertThat(alerts().read(new AlertQuery(List.of(), high.timeMicros(), null, 10)))
                .containsExactly(unknown, critical, high);
    }

    @Test
    void alertsAreFoundByIdInTimeOrderSkippingIdsNotStored() {
        Alert early = alert(1, "low", 0);
        Alert late = alert(2, "high", 10);
        alerts().append(List.of(late, early));
        commit(ACME);

        assertThat(alerts().byIds(List.of(late.id(), UUID.randomUUID(), early.id(), late.id())))
                .containsExactly(early, late);
        assertThat(alerts().byIds(List.of())).isEmpty();
        assertThat(alerts().find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void alertsAreFoundByTheEntityValuesTheyNameAsTheySpellThem() {
        Alert onOne = alert(1, "low", 0);
        Alert onTwo = alert(2, "high", 10);
        alerts().append(List.of(onOne, onTwo));
        commit(ACME);

        assertThat(alerts().naming(List.of("ws-2", "nowhere"))).containsExactly(onTwo.id());
        assertThat(alerts().naming(List.of("CORP\\admin"))).containsExactlyInAnyOrder(onOne.id(), onTwo.id());
        assertThat(alerts().naming(List.of("WS-2"))).isEmpty();
        assertThat(alerts().naming(List.of())).isEmpty();
    }

    @Test
    void aTenantSeesOnlyItsOwnAlertsAndCannotStoreAnothersAlert() {
        Alert ours = alert(1, "high", 0);
        Alert theirs = alert(GLOBEX, 1, "rule-1", "high", 0, "ws-1");
        alertsOf(ACME).append(List.of(ours));
        commit(ACME);
        alertsOf(GLOBEX).append(List.of(theirs));
        commit(GLOBEX);

        assertThat(alertsOf(ACME).read(AlertQuery.newest(10))).containsExactly(ours);
        assertThat(alertsOf(ACME).find(theirs.id())).isEmpty();
        assertThat(alertsOf(ACME).byIds(List.of(theirs.id()))).isEmpty();
        assertThat(alertsOf(ACME).naming(List.of("ws-1"))).containsExactly(ours.id());
        assertThat(alertsOf(GLOBEX).count()).isEqualTo(1);
        assertThatThrownBy(() -> alertsOf(ACME).append(List.of(alert(GLOBEX, 2, "rule-2", "low", 1, "ws-2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant 'globex'");
        assertThat(alertsOf(GLOBEX).count()).isEqualTo(1);
    }
}
