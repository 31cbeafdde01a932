package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static dev.vigil.store.StoreTesting.rows;
import static dev.vigil.store.StoreTesting.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingest.EventSink;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a store keeps: each event once, nothing of a failed unit of work, and only its own tenant's rows. */
@DisplayName("A tenant store's writes")
class TenantStoreTransactionTest {
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
    void storesTheTenantsDatabaseInItsOwnFolder() {
        assertThat(store.file()).isEqualTo(data.resolve("tenants").resolve("acme").resolve("events.duckdb"));
        assertThat(store.file()).exists();
        assertThat(store.tables()).isEmpty();
    }

    @Test
    void reportsWhatABatchStored() {
        EventSink.Result result = store.store(batch(sysmon(0, 3)));

        assertThat(result).isEqualTo(new EventSink.Result(3, 0, 0, 0));
        assertThat(count()).isEqualTo(3);
    }

    @Test
    void anEventRepeatedWithinOneBatchIsStoredOnce() {
        List<Event> events = sysmon(0, 3);
        List<Event> twice = new ArrayList<>(events);
        twice.addAll(events);

        assertThat(store.store(batch(twice))).isEqualTo(new EventSink.Result(3, 3, 0, 0));
        assertThat(count()).isEqualTo(3);
    }

    @Test
    void reAppendingStoredEventsStoresNothingNew() {
        store.store(batch(sysmon(0, 5)));

        EventSink.Result again = store.store(batch(sysmon(0, 5)));

        assertThat(again).isEqualTo(new EventSink.Result(0, 5, 0, 0));
        assertThat(count()).isEqualTo(5);
        assertThat(single(store, "SELECT count(DISTINCT event_id) FROM SysmonEvent")).isEqualTo(5L);
    }

    @Test
    void reAppendingOverlappingEventsStoresOnlyTheNewOnes() {
        store.store(batch(sysmon(0, 5)));

        assertThat(store.store(batch(sysmon(3, 8)))).isEqualTo(new EventSink.Result(3, 2, 0, 0));
        assertThat(count()).isEqualTo(8);
    }

    @Test
    void theSameEventsAppendedTwiceBeforeOneCommitAreStoredOnce() {
        EventSink.Result first = store.append(batch(sysmon(0, 5)));
        EventSink.Result second = store.append(batch(sysmon(0, 5)));
        store.commit();

        assertThat(first).isEqualTo(new EventSink.Result(5, 0, 0, 0));
        assertThat(second).isEqualTo(new EventSink.Result(0, 5, 0, 0));
        assertThat(count()).isEqualTo(5);
    }

    @Test
    void storedEventsAreRecognizedAfterTheStoreIsReopened() {
        store.store(batch(sysmon(0, 5)));
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);

        assertThat(store.store(batch(sysmon(0, 6)))).isEqualTo(new EventSink.Result(1, 5, 0, 0));
        assertThat(count()).isEqualTo(6);
    }

    @Test
    void aFailureRollsBackEverythingSinceTheLastCommitIncludingNewTablesAndColumns() {
        store.store(batch(sysmon(0, 2)));
        store.append(batch(event("SysmonEvent", "1", 10, fields("Image", "x.exe", "NewField", "n"))));
        store.append(batch(event("FirewallLog", "deny", 11, fields("Port", 443L))));

        assertThatThrownBy(() -> store.append(batch(event(GLOBEX, "SysmonEvent", "1", 12, fields("Image", "y.exe")))))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("globex");

        assertThat(store.tables()).extracting(TableInfo::name).containsExactly("SysmonEvent");
        assertThat(count()).isEqualTo(2);
        assertThat(store.tables().getFirst().columns()).extracting(TableInfo.ColumnInfo::name).doesNotContain("NewField");
        assertThat(single(store, "SELECT count(*) FROM vigil_events")).isEqualTo(2L);
    }

    @Test
    void theStoreKeepsWorkingAfterARollback() {
        store.store(batch(sysmon(0, 2)));
        Event withNewField = event("SysmonEvent", "1", 10, fields("Image", "x.exe", "NewField", "n"));
        store.append(batch(withNewField));
        assertThatThrownBy(() -> store.append(batch(event(GLOBEX, "SysmonEvent", "1", 12, fields()))))
                .isInstanceOf(VigilException.class);

        EventSink.Result retried = store.store(batch(withNewField, event("FirewallLog", "deny", 11, fields("Port", 443L))));

        assertThat(retried).isEqualTo(new EventSink.Result(2, 0, 0, 0));
        assertThat(rows(store, "SELECT NewField FROM SysmonEvent WHERE NewField IS NOT NULL")).containsExactly(List.of("n"));
        assertThat(single(store, "SELECT Port FROM FirewallLog")).isEqualTo(443L);
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
        assertThat(count()).isEqualTo(3);
    }

    @Test
    void aBatchThatFailsAfterWidningAColumnLeavesTheOldType() {
        store.store(batch(event("T", "1", 1, fields("Size", 5L))));
        store.append(batch(event("T", "1", 2, fields("Size", "text"))));
        assertThatThrownBy(() -> store.append(batch(event(GLOBEX, "T", "1", 3, fields()))))
                .isInstanceOf(VigilException.class);

        assertThat(StoreTesting.columnType(store, "T", "Size")).isEqualTo("BIGINT");
        assertThat(store.store(batch(event("T", "1", 4, fields("Size", 6L))))).isEqualTo(new EventSink.Result(1, 0, 0, 0));
        assertThat(rows(store, "SELECT Size FROM T ORDER BY \"time\"")).containsExactly(List.of(5L), List.of(6L));
    }

    @Test
    void twoTenantsInOneDataDirectoryHaveSeparateFilesAndSeeOnlyTheirOwnRows() {
        try (TenantStore globex = TenantStore.open(data, GLOBEX, TenantStore.Mode.READ_WRITE)) {
            store.store(batch(sysmon(0, 3)));
            globex.store(batch(event(GLOBEX, "SysmonEvent", "1", 100, fields("Image", "globex.exe"))));

            assertThat(globex.file()).isNotEqualTo(store.file()).exists();
            assertThat(rows(store, "SELECT DISTINCT tenant FROM SysmonEvent")).containsExactly(List.of("acme"));
            assertThat(rows(globex, "SELECT tenant, Image FROM SysmonEvent")).containsExactly(List.of("globex", "globex.exe"));
            assertThat(count()).isEqualTo(3);
        }
    }

    @Test
    void refusesEventsOfAnotherTenant() {
        assertThatThrownBy(() -> store.store(batch(event(GLOBEX, "SysmonEvent", "1", 1, fields()))))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
        assertThat(store.tables()).isEmpty();
    }

    @Test
    void aReadOnlyStoreRefusesToWrite() {
        store.store(batch(sysmon(0, 1)));
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);

        assertThatThrownBy(() -> store.store(batch(sysmon(1, 2))))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("read-only");
    }

    private long count() {
        return (Long) single(store, "SELECT count(*) FROM SysmonEvent");
    }

    /** Sysmon-like events with sequence numbers from (inclusive) to (exclusive). */
    private static List<Event> sysmon(int from, int to) {
        List<Event> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            events.add(event("SysmonEvent", "1", i, fields("Image", "p" + i + ".exe", "ProcessId", (long) i)));
        }
        return events;
    }
}
