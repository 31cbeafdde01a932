package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static dev.vigil.store.StoreTesting.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers of a store's database: their own connections, beside the writer, seeing only what it committed. */
@DisplayName("A tenant store's readers")
class TenantStoreReadersTest {
    @TempDir
    Path data;

    TenantStore writer;
    TenantStore.Readers readers;

    @BeforeEach
    void open() {
        writer = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
        readers = writer.readers();
    }

    @AfterEach
    void close() {
        readers.close();
        writer.close();
    }

    @Test
    void seeWhatIsCommittedAndNeverTheWritersOpenUnitOfWork() {
        writer.store(batch(process(0, 3)));
        try (TenantStore reader = readers.open()) {
            writer.append(batch(process(3, 5))); // not committed yet
            assertThat(count(reader, "ProcessEvent")).isEqualTo(3);

            writer.commit();
            assertThat(count(reader, "ProcessEvent")).isEqualTo(8);
        }
    }

    @Test
    void findTablesAndFieldsThatLaterCommitsAddedOnceRefreshed() {
        writer.store(batch(process(0, 2)));
        try (TenantStore reader = readers.open()) {
            writer.store(batch(event("DnsEvent", "22", 100, fields("QueryName", "evil.example", "QueryStatus", 0L))));
            assertThat(scan(reader, "DnsEvent")).as("a reader's picture is that of its last refresh").isEmpty();

            reader.refresh();
            List<Event> dns = scan(reader, "DnsEvent");
            assertThat(dns).hasSize(1);
            assertThat(dns.get(0).fields()).containsEntry("QueryName", "evil.example").containsEntry("QueryStatus", 0L);
        }
    }

    @Test
    void neverSeeASchemaHalfEvolved() {
        writer.store(batch(process(0, 1)));
        try (TenantStore reader = readers.open()) {
            writer.append(batch(event("ProcessEvent", "1", 50, fields("Image", "cmd.exe", "NewField", "x"))));
            reader.refresh();

            assertThat(reader.fieldsByColumn("ProcessEvent")).containsKey("image").doesNotContainKey("newfield");
            assertThat(reader.query("SELECT * FROM ProcessEvent", 10).columns()).doesNotContain("NewField");

            writer.commit();
            reader.refresh();
            assertThat(reader.fieldsByColumn("ProcessEvent")).containsEntry("newfield", "NewField");
            assertThat(reader.query("SELECT * FROM ProcessEvent", 10).columns()).contains("NewField");
        }
    }

    @Test
    void refuseEveryWrite() {
        try (TenantStore reader = readers.open()) {
            assertThatThrownBy(() -> reader.store(batch(process(0, 1))))
                    .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.query("DELETE FROM vigil_events", 10)).isInstanceOf(VigilException.class);
        }
        assertThat(count(writer, "vigil_events")).isZero();
    }

    @Test
    void readWhileTheWriterCommitsAndEvolvesTheSchemaOnAnotherThread() throws Exception {
        writer.store(batch(process(0, 10)));
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> seen = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (TenantStore reader = readers.open()) {
                while (writing.get()) {
                    reader.refresh();
                    seen.add(count(reader, "ProcessEvent"));
                    reader.fieldsByColumn("ProcessEvent");
                }
            }
        });
        for (int round = 0; round < 30; round++) {
            // each round brings a field of its own: a column added to the partition, and the view replaced
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int sequence = 1000 + round * 20 + i;
                events.add(event("ProcessEvent", "1", sequence, fields("Image", "a.exe", "Field" + round, (long) i)));
            }
            writer.store(batch(events));
        }
        writing.set(false);
        reading.get(60, TimeUnit.SECONDS);

        assertThat(seen).isNotEmpty().isSorted().allSatisfy(n -> assertThat(n).isBetween(10L, 610L));
        try (TenantStore reader = readers.open()) {
            assertThat(count(reader, "ProcessEvent")).isEqualTo(610);
            assertThat(reader.fieldsByColumn("ProcessEvent")).containsKeys("field0", "field29");
        }
    }

    @Test
    void learnWhichHostsUsersAndProcessesEachCommitBrought() {
        try (TenantStore reader = readers.open()) {
            TenantStore.DataVersion before = reader.dataVersion();
            writer.store(batch(process(0, 3)));

            EntityValues added = reader.valuesSince(before).orElseThrow();
            assertThat(added.hosts()).containsExactlyInAnyOrder("host-0", "host-1", "host-2");
            assertThat(added.users()).containsExactlyInAnyOrder("user-0", "user-1", "user-2");
            assertThat(reader.dataVersion().commits()).isEqualTo(before.commits() + 1);
            assertThat(reader.valuesSince(reader.dataVersion()).orElseThrow().isEmpty())
                    .as("nothing was committed since the latest version").isTrue();
        }
    }

    @Test
    void neverPublishTheNamesOfAUnitOfWorkThatWasRolledBack() {
        try (TenantStore reader = readers.open()) {
            TenantStore.DataVersion before = reader.dataVersion();
            writer.append(batch(process(0, 2)));
            assertThatThrownBy(() -> writer.append(batch(event(StoreTesting.GLOBEX, "ProcessEvent", "1", 9,
                    fields("Image", "x.exe"))))).isInstanceOf(VigilException.class);
            writer.store(batch(process(5, 1)));

            assertThat(reader.valuesSince(before).orElseThrow().users()).containsExactly("user-5");
            assertThat(reader.dataVersion().commits()).isEqualTo(before.commits() + 1);
        }
    }

    @Test
    void countNoCommitThatStoredNoNewEvent() {
        writer.store(batch(process(0, 2)));
        TenantStore.DataVersion before = writer.dataVersion();
        writer.store(batch(process(0, 2))); // the same events again: nothing new is stored

        assertThat(writer.dataVersion()).isEqualTo(before);
    }

    @Test
    void doNotAnswerForAnotherOpenOfTheDatabase(@TempDir Path other) {
        try (TenantStore elsewhere = TenantStore.open(other, ACME, TenantStore.Mode.READ_WRITE);
                TenantStore reader = readers.open()) {
            assertThat(reader.valuesSince(elsewhere.dataVersion())).isEmpty();
            assertThat(reader.dataVersion().sameDatabase(writer.dataVersion())).isTrue();
            assertThat(reader.dataVersion().sameDatabase(elsewhere.dataVersion())).isFalse();
        }
    }

    @Test
    void shareTheHuntingCatalogUntilACommitChangesTheSchema() {
        writer.store(batch(process(0, 1)));
        try (TenantStore first = readers.open(); TenantStore second = readers.open()) {
            assertThat(new HuntRunner(second).catalog()).isSameAs(new HuntRunner(first).catalog());

            writer.store(batch(event("DnsEvent", "22", 100, fields("QueryName", "evil.example"))));
            first.refresh();
            assertThat(new HuntRunner(first).catalog().table("DnsEvent")).isPresent();
        }
    }

    @Test
    void computeOnePrevalenceBaselineAtATimeAndLetOthersTakeTheLastOneMeanwhile() throws Exception {
        writer.store(batch(process(0, 10)));
        dev.vigil.incident.Prevalence last = new dev.vigil.incident.Prevalence.Builder().hosts(3).users(1).build();
        dev.vigil.incident.Prevalence next = new dev.vigil.incident.Prevalence.Builder().hosts(3).users(10).build();
        writer.sharePrevalence(last, 1);
        java.util.concurrent.CountDownLatch computing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (TenantStore first = readers.open(); TenantStore second = readers.open()) {
            CompletableFuture<dev.vigil.incident.Prevalence> slow = CompletableFuture.supplyAsync(
                    () -> first.prevalenceOnce(10, () -> {
                        computing.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        first.sharePrevalence(next, 10);
                        return next;
                    }));
            assertThat(computing.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(second.prevalenceOnce(10, () -> {
                throw new AssertionError("a second scan of the events while one is in progress");
            })).as("the last baseline, while the new one is computed").isSameAs(last);

            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isSameAs(next);
            assertThat(second.prevalenceOnce(10, () -> {
                throw new AssertionError("computed again although a fresh baseline is shared");
            })).isSameAs(next);
        }
    }

    @Test
    void letAServersWriterTakeTheLastBaselineAndHaveTheNewOneComputedElsewhere() {
        writer.store(batch(process(0, 10)));
        dev.vigil.incident.Prevalence last = new dev.vigil.incident.Prevalence.Builder().hosts(3).users(1).build();
        writer.sharePrevalence(last, 1);
        java.util.concurrent.atomic.AtomicInteger refreshes = new java.util.concurrent.atomic.AtomicInteger();
        writer.refreshStaleBaselinesWith(refreshes::incrementAndGet);

        assertThat(writer.incidents().prevalence()).as("stale (1 event of 10), taken all the same").isSameAs(last);
        assertThat(refreshes).hasValue(1);

        try (TenantStore reader = readers.open()) {
            dev.vigil.incident.Prevalence fresh = reader.incidents().prevalence(); // what the refresh does
            assertThat(fresh).isNotSameAs(last);
            assertThat(writer.incidents().prevalence()).isSameAs(fresh);
            assertThat(refreshes).as("a fresh baseline needs no refresh").hasValue(1);
        }
    }

    private static List<Event> process(int from, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(event("ProcessEvent", "1", i, fields("Image", "proc-" + i + ".exe")));
        }
        return events;
    }

    private static long count(TenantStore store, String table) {
        return ((Number) single(store, "SELECT count(*) FROM " + table)).longValue();
    }

    private static List<Event> scan(TenantStore store, String table) {
        List<Event> events = new ArrayList<>();
        store.scanEvents(List.of(table), Long.MIN_VALUE, 100, events::addAll);
        return events;
    }
}
