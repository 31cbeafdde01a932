package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static dev.vigil.store.StoreTesting.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts in the store: kept once, committed or rolled back with their events, read back newest first. */
@DisplayName("A tenant store's alerts")
class TenantStoreAlertTest {
    @TempDir
    Path data;

    TenantStore store;

    @BeforeEach
    void open() {
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anAlertComesBackAsItWasStored() {
        Event event = process(1);
        store.append(batch(event));
        Alert alert = alert(ACME, "rule-a", "high", event);

        assertThat(store.appendAlerts(List.of(alert))).isEqualTo(1);
        store.commit();

        assertThat(store.alerts(AlertQuery.newest(10))).containsExactly(alert);
        assertThat(store.alertCount()).isEqualTo(1);
    }

    @Test
    void theSameAlertIsStoredOnceWithinABatchAcrossBatchesAndAcrossCommits() {
        Event event = process(1);
        store.append(batch(event));
        Alert alert = alert(ACME, "rule-a", "high", event);

        assertThat(store.appendAlerts(List.of(alert, alert))).isEqualTo(1);
        assertThat(store.appendAlerts(List.of(alert))).isZero();
        store.commit();
        assertThat(store.appendAlerts(List.of(alert))).isZero();
        store.commit();

        assertThat(store.alertCount()).isEqualTo(1);
    }

    @Test
    void alertsRollBackWithTheirEventsWhenTheUnitOfWorkFails() {
        store.store(batch(process(0)));
        Event event = process(1);
        store.append(batch(event));
        store.appendAlerts(List.of(alert(ACME, "rule-a", "high", event)));

        assertThatThrownBy(() -> store.append(batch(event(GLOBEX, "SysmonEvent", "1", 2, fields()))))
                .isInstanceOf(VigilException.class);

        assertThat(store.alertCount()).isZero();
        assertThat(single(store, "SELECT count(*) FROM SysmonEvent")).isEqualTo(1L);
        // and the store goes on working: the retried unit stores both
        store.append(batch(event));
        assertThat(store.appendAlerts(List.of(alert(ACME, "rule-a", "high", event)))).isEqualTo(1);
        store.commit();
        assertThat(store.alertCount()).isEqualTo(1);
    }

    @Test
    void alertsAreDurableOnlyOnceCommitted() {
        Event event = process(1);
        store.append(batch(event));
        store.appendAlerts(List.of(alert(ACME, "rule-a", "high", event)));
        store.close();

        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
        assertThat(store.alertCount()).isZero();

        store.append(batch(event));
        store.appendAlerts(List.of(alert(ACME, "rule-a", "high", event)));
        store.commit();
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);
        assertThat(store.alerts(AlertQuery.newest(10))).extracting(Alert::ruleId).containsExactly("rule-a");
    }

    @Test
    void anotherTenantsStoreNeverSeesTheAlerts() {
        Event event = process(1);
        store.store(batch(event));
        store.appendAlerts(List.of(alert(ACME, "rule-a", "high", event)));
        store.commit();

        try (TenantStore globex = TenantStore.open(data, GLOBEX, TenantStore.Mode.READ_WRITE)) {
            assertThat(globex.alertCount()).isZero();
            assertThat(globex.alerts(AlertQuery.newest(10))).isEmpty();
            assertThatThrownBy(() -> globex.appendAlerts(List.of(alert(ACME, "rule-a", "high", event))))
                    .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                    .hasMessageContaining("acme");
        }
    }

    @Test
    void queriesFilterByRuleTimeAndLevelNewestFirst() {
        Event first = process(1);
        Event second = process(2);
        Event third = process(3);
        Event fourth = process(4);
        store.store(batch(first, second, third, fourth));
        store.appendAlerts(List.of(alert(ACME, "rule-a", "low", first), alert(ACME, "rule-b", "high", second),
                alert(ACME, "rule-c", "informational", third), alert(ACME, "rule-a", "critical", fourth)));
        store.commit();

        assertThat(store.alerts(AlertQuery.newest(10))).extracting(a -> a.ruleId() + "/" + a.level())
                .containsExactly("rule-a/critical", "rule-c/informational", "rule-b/high", "rule-a/low");
        assertThat(store.alerts(new AlertQuery(List.of("rule-a"), Long.MIN_VALUE, null, 10)))
                .extracting(Alert::level).containsExactly("critical", "low");
        assertThat(store.alerts(new AlertQuery(List.of("rule-b", "rule-c"), Long.MIN_VALUE, null, 10)))
                .extracting(Alert::ruleId).containsExactly("rule-c", "rule-b");
        assertThat(store.alerts(new AlertQuery(List.of(), second.timeMicros(), null, 10)))
                .extracting(Alert::ruleId).containsExactly("rule-a", "rule-c", "rule-b");
        assertThat(store.alerts(new AlertQuery(List.of(), Long.MIN_VALUE, "HIGH", 10)))
                .extracting(Alert::level).containsExactly("critical", "high");
        assertThat(store.alerts(AlertQuery.newest(2))).extracting(Alert::level).containsExactly("critical",
                "informational");
    }

    @Test
    void aQueryRefusesAnUnknownLevel() {
        assertThatThrownBy(() -> new AlertQuery(List.of(), Long.MIN_VALUE, "severe", 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("severe");
    }

    @Test
    void aReadOnlyStoreOfATenantWithoutAlertsReadsNone() {
        store.store(batch(process(1)));
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);

        assertThat(store.alertCount()).isZero();
        assertThat(store.alerts(AlertQuery.newest(5))).isEmpty();
    }

    static Event process(int sequence) {
        return event("SysmonEvent", "1", sequence, fields("Image", "C:\\\\Windows\\\\cmd.exe", "CommandLine",
                "cmd /c whoami " + sequence));
    }

    static Alert alert(TenantId tenant, String ruleId, String level, Event event) {
        return new Alert(Alert.idFor(tenant, ruleId, List.of(event.id())), tenant, "sigma", ruleId, "Rule " + ruleId,
                level, "test", event.timeMicros(), List.of("T1059", "T1033"),
                Map.of("Image", "C:\\\\Windows\\\\cmd.exe", "CommandLine", "cmd /c whoami"),
                Alert.entitiesOf(event), List.of(event.id()), event.table());
    }
}
