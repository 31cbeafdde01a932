package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingest.EventSink;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How requests share a tenant's database: reads side by side on readers, beside the writer; writes alone; ingest
 * batches that arrive together committed together, each acknowledged only once durable.
 */
@DisplayName("The server's tenant stores")
class TenantStoresTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final long BASE_MILLIS = 1_714_564_800_000L;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Each task on a virtual thread of its own: the common pool may be busy or small. */
    private static final java.util.concurrent.Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

    @TempDir
    Path data;

    TenantStores stores;

    @BeforeEach
    void open() {
        stores = new TenantStores(data);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void aReadDoesNotWaitForALongWriteOnTheSameTenantAndSeesOnlyWhatIsCommitted() throws Exception {
        stores.store(ACME, batch(events(ACME, 0, 3)));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> longWrite = CompletableFuture.runAsync(() -> stores.write(ACME, store -> {
            store.append(batch(events(ACME, 3, 2)));
            writing.countDown();
            await(release);
            return null;
        }), VIRTUAL);
        await(writing);

        long seen = CompletableFuture.supplyAsync(() -> stores.read(ACME, TenantStoresTest::count), VIRTUAL)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(longWrite).as("the write still holds the tenant while the read was answered").isNotDone();
        assertThat(seen).isEqualTo(3);

        release.countDown();
        longWrite.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(stores.read(ACME, TenantStoresTest::count)).as("write() commits what the work left open")
                .isEqualTo(5);
    }

    @Test
    void readsOfOneTenantRunSideBySide() throws Exception {
        stores.store(ACME, batch(events(ACME, 0, 1)));
        CyclicBarrier together = new CyclicBarrier(TenantStores.READERS);
        List<CompletableFuture<Long>> reads = new ArrayList<>();
        for (int i = 0; i < TenantStores.READERS; i++) {
            reads.add(CompletableFuture.supplyAsync(() -> stores.read(ACME, store -> {
                try {
                    together.await(PATIENCE.toSeconds(), TimeUnit.SECONDS); // each waits until all are reading
                } catch (Exception e) {
                    throw new AssertionError("the reads did not run at the same time", e);
                }
                return count(store);
            }), VIRTUAL));
        }
        for (CompletableFuture<Long> read : reads) {
            assertThat(read.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void concurrentIngestBatchesAreEachStoredOnceAndAcknowledgedOnlyAfterTheirCommit() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> stores.write(ACME, store -> {
            holding.countDown();
            await(release);
            return null;
        }), VIRTUAL);
        await(holding);

        // 16 requests of 50 events; each shares 10 events with the next, so 160 are sent twice at the same time
        int requests = 16;
        List<CompletableFuture<EventSink.Result>> acknowledged = new ArrayList<>();
        List<CompletableFuture<Long>> visibleAtAcknowledgement = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            List<Event> events = events(ACME, r * 40, 50);
            CompletableFuture<EventSink.Result> ack = CompletableFuture.supplyAsync(
                    () -> stores.store(ACME, batch(events)), VIRTUAL);
            acknowledged.add(ack);
            visibleAtAcknowledgement.add(ack.thenApply(result -> stores.read(ACME, store -> countOf(store, events))));
        }
        Thread.sleep(300);
        assertThat(acknowledged).as("nothing is acknowledged while its commit cannot happen")
                .noneMatch(CompletableFuture::isDone);

        release.countDown();
        holder.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        int storedNew = 0;
        int alreadyStored = 0;
        for (int r = 0; r < requests; r++) {
            EventSink.Result result = acknowledged.get(r).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            storedNew += result.storedNew();
            alreadyStored += result.alreadyStored();
            assertThat(visibleAtAcknowledgement.get(r).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("every event of request " + r + " is committed once it is acknowledged").isEqualTo(50);
        }
        int distinct = 15 * 40 + 50;
        assertThat(storedNew).isEqualTo(distinct);
        assertThat(alreadyStored).isEqualTo(requests * 50 - distinct);
        assertThat(stores.read(ACME, TenantStoresTest::count)).isEqualTo(distinct);
        Object distinctIds = stores.read(ACME, store -> store.query("SELECT count(DISTINCT event_id) FROM ProcessEvent",
                1).rows().get(0).get(0));
        assertThat(distinctIds).isEqualTo((long) distinct);
    }

    @Test
    void aBatchThatFailsDoesNotTakeTheOtherBatchesOfItsCommitWithIt() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> stores.write(ACME, store -> {
            holding.countDown();
            await(release);
            return null;
        }), VIRTUAL);
        await(holding);
        List<Event> wrongTenant = events(ACME, 100, 2);
        wrongTenant.add(events(GLOBEX, 200, 1).get(0)); // the store refuses a batch holding another tenant's event
        CompletableFuture<EventSink.Result> first = storeLater(events(ACME, 0, 5));
        CompletableFuture<EventSink.Result> failing = storeLater(wrongTenant);
        CompletableFuture<EventSink.Result> last = storeLater(events(ACME, 10, 5));
        Thread.sleep(300);

        release.countDown();
        holder.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).storedNew()).isEqualTo(5);
        assertThat(last.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).storedNew()).isEqualTo(5);
        assertThatThrownBy(() -> failing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(VigilException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("an event of tenant 'globex' was sent to the store of tenant 'acme'");
        assertThat(stores.read(ACME, TenantStoresTest::count)).as("nothing of the failed batch").isEqualTo(10);
    }

    @Test
    void aReaderNeverSeesAnotherTenantsData() throws Exception {
        stores.store(ACME, batch(events(ACME, 0, 7)));
        stores.store(GLOBEX, batch(events(GLOBEX, 0, 3)));
        List<CompletableFuture<String>> reads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TenantId tenant = i % 2 == 0 ? ACME : GLOBEX;
            reads.add(CompletableFuture.supplyAsync(() -> stores.read(tenant, store -> store.tenant() + " "
                    + store.query("SELECT string_agg(DISTINCT tenant, ',') FROM ProcessEvent", 1).rows().get(0).get(0)
                    + " " + count(store)), VIRTUAL));
        }
        Set<String> answers = new HashSet<>();
        for (CompletableFuture<String> read : reads) {
            answers.add(read.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(answers).containsExactlyInAnyOrder("acme acme 7", "globex globex 3");
    }

    @Test
    void aReaderRefusesToWrite() {
        stores.store(ACME, batch(events(ACME, 0, 1)));
        assertThatThrownBy(() -> stores.read(ACME, store -> store.store(batch(events(ACME, 1, 1)))))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
        assertThat(stores.read(ACME, TenantStoresTest::count)).isEqualTo(1);
    }

    private CompletableFuture<EventSink.Result> storeLater(List<Event> events) {
        return CompletableFuture.supplyAsync(() -> stores.store(ACME, batch(events)),
                VIRTUAL);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("waited " + PATIENCE + " in vain");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long count(TenantStore store) {
        return ((Number) store.query("SELECT count(*) FROM ProcessEvent", 1).rows().get(0).get(0)).longValue();
    }

    /** How many of the events are stored. */
    private static long countOf(TenantStore store, List<Event> events) {
        String ids = events.stream().map(e -> "'" + e.id() + "'").collect(Collectors.joining(","));
        return ((Number) store.query("SELECT count(*) FROM ProcessEvent WHERE event_id IN (" + ids + ")", 1).rows()
                .get(0).get(0)).longValue();
    }

    private static EventSink.Batch batch(List<Event> events) {
        return new EventSink.Batch(events, List.of());
    }

    /** Process events of the tenant, the same for the same sequence numbers (and so the same ids). */
    private static List<Event> events(TenantId tenant, int from, int count) {
        List<Event> events = new ArrayList<>();
        for (int sequence = from; sequence < from + count; sequence++) {
            long millis = BASE_MILLIS + sequence * 1000L;
            String raw = "{\"seq\":" + sequence + ",\"Image\":\"proc-" + sequence + ".exe\"}";
            String[] common = new String[CommonColumn.count()];
            common[CommonColumn.EVENT_CODE.ordinal()] = "1";
            common[CommonColumn.HOST.ordinal()] = "host-" + sequence % 3;
            LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
            fields.put("Image", "proc-" + sequence + ".exe");
            events.add(new Event(EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0), tenant,
                    "ProcessEvent", millis * 1000, common, fields, raw, new SourcePosition("test.json", sequence, 0)));
        }
        return events;
    }
}
