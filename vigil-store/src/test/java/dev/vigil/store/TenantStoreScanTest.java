package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored events read back for a retro-hunt: the same events as were stored, in batches, from the tables asked. */
@DisplayName("A tenant store's event scan")
class TenantStoreScanTest {
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
    void eventsComeBackWithTheFieldsTheyWereStoredWith() {
        List<Event> stored = List.of(
                event("SysmonEvent", "1", 1, fields("Image", "C:\\cmd.exe", "ProcessId", 4242L, "Elevated", true,
                        "Score", 0.5, "User", "CORP\\alice", "Empty", null)),
                event("SysmonEvent", "1", 2, fields("Image", "C:\\powershell.exe", "ProcessId", 7L)),
                event("SysmonEvent", "10", 3, fields("TargetImage", "C:\\lsass.exe", "GrantedAccess", "0x1010")),
                event("SecurityEvent", "4625", 0, fields("TargetUserName", "bob", "LogonType", 3L)));
        store.store(batch(stored));

        Map<String, Event> scanned = scan(List.of("SysmonEvent", "SecurityEvent"), Long.MIN_VALUE, 100).stream()
                .collect(Collectors.toMap(e -> e.id().toString(), Function.identity()));

        assertThat(scanned).hasSize(stored.size());
        for (Event expected : stored) {
            Event actual = scanned.get(expected.id().toString());
            assertThat(actual).as("event %s", expected.id()).isNotNull();
            assertThat(actual.tenant()).isEqualTo(ACME);
            assertThat(actual.table()).isEqualTo(expected.table());
            assertThat(actual.timeMicros()).isEqualTo(expected.timeMicros());
            assertThat(actual.fields()).as("fields of %s", expected).isEqualTo(withoutNulls(expected.fields()));
            for (CommonColumn column : CommonColumn.values()) {
                assertThat(actual.common(column)).as(column.columnName()).isEqualTo(expected.common(column));
            }
            assertThat(actual.raw()).isEqualTo(expected.raw());
            assertThat(actual.position()).isEqualTo(expected.position());
        }
        assertThat(scanned.get(stored.get(0).id().toString()).fields())
                .as("a field stored in a renamed column comes back under its own name")
                .containsEntry("User", "CORP\\alice");
    }

    @Test
    void fieldsPastTheColumnLimitComeBackFromExtraFields() {
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i <= EventTables.MAX_TABLE_COLUMNS; i++) {
            wide.put("f" + i, (long) i);
        }
        Event event = event("WideLog", "1", 1, wide);
        store.store(batch(event));

        List<Event> scanned = scan(List.of("WideLog"), Long.MIN_VALUE, 10);

        assertThat(scanned).singleElement().satisfies(e -> assertThat(e.fields()).isEqualTo(wide));
    }

    @Test
    void onlyEventsAtOrAfterTheStartComeBackInBatchesOfTheSizeAsked() {
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            stored.add(event("SysmonEvent", "1", i, fields("Image", "p" + i + ".exe")));
        }
        store.store(batch(stored));
        List<Integer> sizes = new ArrayList<>();

        store.scanEvents(List.of("SysmonEvent"), stored.get(2).timeMicros(), 2, batch -> sizes.add(batch.size()));

        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(scan(List.of("SysmonEvent"), Long.MIN_VALUE, 1000)).hasSize(7);
    }

    @Test
    void tablesAreFoundIgnoringCaseAndUnknownOnesAreSkipped() {
        store.store(batch(event("SysmonEvent", "1", 1, fields("Image", "a.exe"))));

        assertThat(scan(List.of("sysmonevent", "OktaSystemLog"), Long.MIN_VALUE, 10))
                .extracting(Event::table).containsExactly("SysmonEvent");
        assertThat(scan(List.of("OktaSystemLog"), Long.MIN_VALUE, 10)).isEmpty();
    }

    @Test
    void theConsumerMayStoreAlertsAndCommitWhileTheScanGoesOn() {
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stored.add(event("SysmonEvent", "1", i, fields("Image", "p" + i + ".exe")));
        }
        store.store(batch(stored));
        int[] appended = new int[1];

        store.scanEvents(List.of("SysmonEvent"), Long.MIN_VALUE, 7, batch -> {
            List<Alert> alerts = batch.stream().map(e -> TenantStoreAlertTest.alert(ACME, "rule-a", "high", e)).toList();
            appended[0] += store.appendAlerts(alerts);
            store.commit();
        });

        assertThat(appended[0]).isEqualTo(50);
        assertThat(store.alertCount()).isEqualTo(50);
    }

    @Test
    void aScanSeesOnlyItsOwnTenantsEvents() {
        store.store(batch(event("SysmonEvent", "1", 1, fields("Image", "acme.exe"))));
        try (TenantStore globex = TenantStore.open(data, GLOBEX, TenantStore.Mode.READ_WRITE)) {
            globex.store(batch(event(GLOBEX, "SysmonEvent", "1", 2, fields("Image", "globex.exe"))));
            List<Event> scanned = new ArrayList<>();

            globex.scanEvents(List.of("SysmonEvent"), Long.MIN_VALUE, 10, scanned::addAll);

            assertThat(scanned).singleElement().satisfies(e -> {
                assertThat(e.tenant()).isEqualTo(GLOBEX);
                assertThat(e.fields()).containsEntry("Image", "globex.exe");
            });
        }
    }

    @Test
    void aReadOnlyStoreScansToo() {
        store.store(batch(event("SysmonEvent", "1", 1, fields("Image", "a.exe"))));
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);

        assertThat(scan(List.of("SysmonEvent"), Long.MIN_VALUE, 10)).hasSize(1);
    }

    private List<Event> scan(List<String> tables, long since, int batchSize) {
        List<Event> events = new ArrayList<>();
        store.scanEvents(tables, since, batchSize, events::addAll);
        return events;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (value != null) {
                out.put(name, value);
            }
        });
        return out;
    }
}
