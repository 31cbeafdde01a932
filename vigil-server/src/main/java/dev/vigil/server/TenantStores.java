package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.copilot.plugins.InstalledPlugins;
import dev.vigil.ingest.EventSink;
import dev.vigil.model.Alert;
import dev.vigil.sigma.RuleSet;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The tenants' stores, held open read-write by the server for as long as it runs: DuckDB lets one process write a
 * database, and the server is that process. Requests to different tenants never share anything here; requests to
 * one tenant share its database in two ways:
 *
 * <ul>
 *   <li>{@link #read}: work that only reads runs on a reader of the database (its own DuckDB connection, see
 *       {@link TenantStore#readers()}), taken from a small pool: readers run beside each other and beside the
 *       writer, and see what is committed. At most {@link #READERS} run at once per tenant; more wait for one.
 *   <li>{@link #write}: work that writes runs alone on the tenant's read-write store, taking turns on its lock (a
 *       {@link ReentrantLock}, which parks a virtual thread without pinning its carrier), and commits before it
 *       returns. Ingest goes through {@link #store}, which commits the batches that arrive together in one
 *       transaction (group commit).
 * </ul>
 *
 * <p>A read may call {@link #write} (an answer is read on a reader, then its session turn written); work under
 * {@link #write} never calls {@link #read}, so that a writer never waits for a reader and the two cannot deadlock.
 *
 * <p>The work itself runs on a platform thread, not on the request's virtual thread, which parks meanwhile: a
 * DuckDB call is native code, which pins a virtual thread to its carrier for as long as it runs, and the carriers
 * are as few as the cores. Were asks and commits to run on them, a few long queries would hold every carrier and
 * starve the server's other requests (ingest, a login) of all CPU; on platform threads the operating system shares
 * the cores between them.
 */
final class TenantStores implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TenantStores.class);
    /**
     * Readers of one tenant at once: as many as the cores, which they keep busy (DuckDB runs each query on
     * threads of its own as well), and no more, so that the tenant's ingest keeps a share of the CPU and the
     * connections' memory stays small.
     */
    static final int READERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Path dataDirectory;
    private final Function<TenantId, java.util.Optional<dev.vigil.store.SessionRepository>> sharedSessions;
    private final Function<TenantId, java.util.Optional<PluginRepository>> sharedPlugins;
    private final Function<TenantId, java.util.Optional<dev.vigil.store.IncidentRepository>> sharedIncidents;
    /**
     * In scale mode, a tenant's read-only store over its events in the lake (opened per piece of work, so that each
     * sees the files committed by then); null in embedded mode, where the stores are the data directory's.
     */
    private final Function<TenantId, TenantStore> lakeStores;
    private final Map<TenantId, Slot> slots = new ConcurrentHashMap<>();
    /** Where store work runs when it is asked for on a virtual thread: see the class comment. */
    private final ExecutorService storeThreads = Executors.newCachedThreadPool(Thread.ofPlatform().name("vigil-store-",
            0).daemon().factory());
    private volatile boolean closed;

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        /** Set under the lock, once; read without it only after {@link #open} returned it. */
        volatile TenantStore store;
        volatile TenantStore.Readers source;
        final Semaphore readerPermits = new Semaphore(READERS);
        final ConcurrentLinkedDeque<TenantStore> idleReaders = new ConcurrentLinkedDeque<>();
        final ConcurrentLinkedQueue<PendingBatch> pending = new ConcurrentLinkedQueue<>();
        /** Whether a reader is computing the tenant's prevalence baseline again. */
        final java.util.concurrent.atomic.AtomicBoolean refreshingBaseline = new java.util.concurrent.atomic.AtomicBoolean();
    }

    /** An ingest batch waiting for the commit that makes it durable, with what detection made of it. */
    private record PendingBatch(EventSink.Batch batch, List<Alert> alerts, List<RuleSet.RuleStats> ruleStats,
            CompletableFuture<Stored> stored) {}

    /** What became of a batch: its records, and how many of the alerts detected on it were new. */
    record Stored(EventSink.Result result, int alerts) {}

    TenantStores(Path dataDirectory) {
        this(dataDirectory, tenant -> java.util.Optional.empty(), tenant -> java.util.Optional.empty(),
                tenant -> java.util.Optional.empty());
    }

    /**
     * @param sharedSessions a tenant's sessions when they are kept outside its store (PostgreSQL), else empty
     * @param sharedPlugins a tenant's plugins when they are kept outside the data directory (PostgreSQL), else empty
     * @param sharedIncidents a tenant's incidents when they are kept outside its store (PostgreSQL), else empty
     */
    TenantStores(Path dataDirectory,
            Function<TenantId, java.util.Optional<dev.vigil.store.SessionRepository>> sharedSessions,
            Function<TenantId, java.util.Optional<PluginRepository>> sharedPlugins,
            Function<TenantId, java.util.Optional<dev.vigil.store.IncidentRepository>> sharedIncidents) {
        this(requireNonNull(dataDirectory, "dataDirectory is null"), sharedSessions, sharedPlugins, sharedIncidents,
                null);
    }

    private TenantStores(Path dataDirectory,
            Function<TenantId, java.util.Optional<dev.vigil.store.SessionRepository>> sharedSessions,
            Function<TenantId, java.util.Optional<PluginRepository>> sharedPlugins,
            Function<TenantId, java.util.Optional<dev.vigil.store.IncidentRepository>> sharedIncidents,
            Function<TenantId, TenantStore> lakeStores) {
        this.dataDirectory = dataDirectory;
        this.sharedSessions = requireNonNull(sharedSessions, "sharedSessions is null");
        this.sharedPlugins = requireNonNull(sharedPlugins, "sharedPlugins is null");
        this.sharedIncidents = requireNonNull(sharedIncidents, "sharedIncidents is null");
        this.lakeStores = lakeStores;
    }

    /**
     * The stores of a scale-mode node, which holds no tenant database: every piece of work, {@link #read} and
     * {@link #write} alike, runs on a read-only store over the tenant's events in the lake, opened for it and closed
     * after it (see {@link dev.vigil.lake.LakeStores}), with the tenant's copilot sessions, incidents and the
     * pipeline's alerts in PostgreSQL ({@code sharedState}), where changes to them are written. What such a store
     * does not hold (rules, indicators, posture...) and every other write to it are refused with
     * {@code SCALE_MODE_UNSUPPORTED}; ingest goes to Kafka, never through {@link #store}.
     *
     * @param sharedState keeps in the shared state what it holds of a tenant store just opened
     *     ({@link ServerState#shareWithScaleNode})
     * @param sharedPlugins the tenant's plugins in the shared state, which the plugins API changes
     */
    static TenantStores overLake(Function<TenantId, TenantStore> lakeStores,
            java.util.function.Consumer<TenantStore> sharedState,
            Function<TenantId, java.util.Optional<PluginRepository>> sharedPlugins) {
        requireNonNull(lakeStores, "lakeStores is null");
        requireNonNull(sharedState, "sharedState is null");
        requireNonNull(sharedPlugins, "sharedPlugins is null");
        return new TenantStores(null, tenant -> java.util.Optional.empty(), sharedPlugins,
                tenant -> java.util.Optional.empty(), tenant -> {
                    TenantStore store = lakeStores.apply(tenant);
                    try {
                        sharedState.accept(store);
                        return store;
                    } catch (RuntimeException e) {
                        store.close();
                        throw e;
                    }
                });
    }

    /** Whether the tenants' events are read from the lake (scale mode) rather than the data directory's stores. */
    boolean overLake() {
        return lakeStores != null;
    }

    /**
     * The tenant's installed plugins, wherever the state is kept: what the plugins API changes, the MCP endpoint
     * watches and the copilot of each of the tenant's stores loads.
     */
    PluginRepository plugins(TenantId tenant) {
        return sharedPlugins.apply(tenant).orElseGet(() -> new InstalledPlugins(dataDirectory, tenant));
    }

    /**
     * Opens every tenant store already in the data directory, so that a store another process holds fails the start
     * ({@code STORE_LOCKED}) instead of the first request.
     */
    void openExisting() {
        if (lakeStores != null) {
            return; // nothing of a tenant is held by a scale-mode node
        }
        Path tenants = dataDirectory.resolve("tenants");
        if (!Files.isDirectory(tenants)) {
            return;
        }
        List<TenantId> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(tenants)) {
            children.filter(Files::isDirectory).forEach(dir -> {
                TenantId tenant = TenantId.of(dir.getFileName().toString());
                if (TenantStore.exists(dataDirectory, tenant)) {
                    found.add(tenant);
                }
            });
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot list " + tenants + ": " + e.getMessage(), e);
        }
        for (TenantId tenant : found) {
            open(tenant);
        }
    }

    /**
     * Runs {@code work} on the tenant's read-write store (opened, and created if new, on first use), alone on it.
     * What the work leaves uncommitted is committed when it returns; what it wrote when it throws is rolled back by
     * the store.
     */
    <T> T write(TenantId tenant, Function<TenantStore, T> work) {
        if (lakeStores != null) {
            return onLake(tenant, work); // writes are refused by the store, but for the shared sessions
        }
        Slot slot = slot(tenant);
        slot.lock.lock();
        try {
            return onStoreThread(tenant, () -> {
                TenantStore store = openLocked(tenant, slot);
                T result = work.apply(store);
                store.commit();
                return result;
            });
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Runs {@code work} on a reader of the tenant's database, beside the other readers and the writer. The reader
     * sees what was committed when each of its statements starts, and refuses writes ({@code INTERNAL}): work that
     * must write calls {@link #write} for that part.
     */
    <T> T read(TenantId tenant, Function<TenantStore, T> work) {
        if (lakeStores != null) {
            return onLake(tenant, work);
        }
        Slot slot = open(tenant);
        try {
            slot.readerPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while waiting for a reader of tenant '"
                    + tenant + "'");
        }
        try {
            return onStoreThread(tenant, () -> {
                TenantStore reader = slot.idleReaders.pollFirst();
                if (reader == null) {
                    reader = slot.source.open();
                    sharedSessions.apply(tenant).ifPresent(reader::keepSessionsIn);
                    sharedPlugins.apply(tenant).ifPresent(reader::keepPluginsIn);
                    sharedIncidents.apply(tenant).ifPresent(reader::keepIncidentsIn);
                }
                try {
                    reader.refresh();
                    return work.apply(reader);
                } finally {
                    if (closed) {
                        reader.close();
                    } else {
                        slot.idleReaders.offerFirst(reader); // the most recently used first: its caches are warm
                    }
                }
            });
        } finally {
            slot.readerPermits.release();
        }
    }

    /** Scale mode: the work on a store over the tenant's lake files, among at most {@link #READERS} at once. */
    private <T> T onLake(TenantId tenant, Function<TenantStore, T> work) {
        Slot slot = slot(tenant);
        try {
            slot.readerPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while waiting for a reader of tenant '"
                    + tenant + "'");
        }
        try {
            return onStoreThread(tenant, () -> {
                try (TenantStore store = lakeStores.apply(tenant)) {
                    return work.apply(store);
                }
            });
        } finally {
            slot.readerPermits.release();
        }
    }

    /**
     * Runs the work on a platform thread and waits for it, parked, when the caller is a virtual thread; runs it
     * right here otherwise (a platform thread already, e.g. store work that writes a session turn).
     */
    private <T> T onStoreThread(TenantId tenant, Supplier<T> work) {
        if (!Thread.currentThread().isVirtual()) {
            return work.get();
        }
        Future<T> running = storeThreads.submit(work::get);
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            try {
                return running.get(); // the store is in use until the work ends: wait for it all the same
            } catch (InterruptedException | ExecutionException again) {
                throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while working on the store of tenant '"
                        + tenant + "'");
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new VigilException(ErrorCode.INTERNAL, "work on the store of tenant '" + tenant + "' failed: "
                    + cause, cause);
        }
    }

    /**
     * Stores an ingest batch durably and returns what became of its records once the commit that holds it is
     * done, never before. Batches that other requests hand in meanwhile join the same transaction and commit (group
     * commit): whichever request takes the tenant's lock first appends every batch waiting and commits them at
     * once. When that shared transaction fails, each of its batches is tried again alone, so that only a batch that
     * fails by itself is refused.
     */
    EventSink.Result store(TenantId tenant, EventSink.Batch batch) {
        return store(tenant, batch, List.of()).result();
    }

    /**
     * Stores an ingest batch with the alerts detection raised on it, in the same transaction: a commit makes both
     * durable, and a failure stores neither.
     */
    Stored store(TenantId tenant, EventSink.Batch batch, List<Alert> alerts) {
        return store(tenant, batch, alerts, List.of());
    }

    /**
     * Stores an ingest batch with the alerts detection raised on it and the rules' statistics of that detection, in
     * the same transaction: a commit makes all of them durable, and a failure stores none.
     */
    Stored store(TenantId tenant, EventSink.Batch batch, List<Alert> alerts, List<RuleSet.RuleStats> ruleStats) {
        if (lakeStores != null) {
            throw new VigilException(ErrorCode.INTERNAL, "a scale-mode node stores nothing itself: ingest for tenant '"
                    + tenant + "' goes to the raw topic");
        }
        requireNonNull(batch, "batch is null");
        requireNonNull(alerts, "alerts is null");
        requireNonNull(ruleStats, "ruleStats is null");
        Slot slot = slot(tenant);
        PendingBatch mine = new PendingBatch(batch, List.copyOf(alerts), List.copyOf(ruleStats),
                new CompletableFuture<>());
        slot.pending.add(mine);
        slot.lock.lock();
        try {
            if (!mine.stored().isDone()) {
                onStoreThread(tenant, () -> {
                    commitPending(openLocked(tenant, slot), slot);
                    return null;
                });
            }
        } finally {
            slot.lock.unlock();
        }
        try {
            return mine.stored().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while storing a batch of tenant '"
                    + tenant + "'");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new VigilException(ErrorCode.INTERNAL, "storing a batch of tenant '" + tenant + "' failed: "
                    + e.getCause(), e.getCause());
        }
    }

    /** Under the lock: appends every waiting batch in one transaction and commits it. */
    private static void commitPending(TenantStore store, Slot slot) {
        List<PendingBatch> group = new ArrayList<>();
        for (PendingBatch next; (next = slot.pending.poll()) != null; ) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        List<Stored> results = new ArrayList<>(group.size());
        try {
            for (PendingBatch pending : group) {
                results.add(append(store, pending));
            }
            store.commit();
        } catch (RuntimeException failure) { // the store rolled back the whole transaction
            if (group.size() == 1) {
                group.get(0).stored().completeExceptionally(failure);
                return;
            }
            for (PendingBatch pending : group) {
                try {
                    Stored alone = append(store, pending);
                    store.commit();
                    pending.stored().complete(alone);
                } catch (RuntimeException alone) {
                    pending.stored().completeExceptionally(alone);
                }
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).stored().complete(results.get(i));
        }
    }

    private static Stored append(TenantStore store, PendingBatch pending) {
        EventSink.Result result = store.append(pending.batch());
        int alerts = pending.alerts().isEmpty() ? 0 : store.appendAlerts(pending.alerts());
        store.addRuleStats(pending.ruleStats());
        return new Stored(result, alerts);
    }

    private Slot slot(TenantId tenant) {
        if (closed) {
            throw new VigilException(ErrorCode.STORE_FAILED, "the server is stopping: the store of tenant '" + tenant
                    + "' is closed");
        }
        return slots.computeIfAbsent(tenant, t -> new Slot());
    }

    /** The tenant's slot with its store and reader source open. */
    private Slot open(TenantId tenant) {
        Slot slot = slot(tenant);
        if (slot.source == null) {
            slot.lock.lock();
            try {
                openLocked(tenant, slot);
            } finally {
                slot.lock.unlock();
            }
        }
        return slot;
    }

    private TenantStore openLocked(TenantId tenant, Slot slot) {
        if (slot.store == null) {
            TenantStore store = TenantStore.open(dataDirectory, tenant, TenantStore.Mode.READ_WRITE);
            sharedSessions.apply(tenant).ifPresent(store::keepSessionsIn);
            sharedPlugins.apply(tenant).ifPresent(store::keepPluginsIn);
            sharedIncidents.apply(tenant).ifPresent(store::keepIncidentsIn);
            // correlation on ingest runs under the lock: a stale baseline is computed again on a reader meanwhile
            store.refreshStaleBaselinesWith(() -> refreshBaseline(tenant, slot));
            slot.source = store.readers();
            slot.store = store;
        }
        return slot.store;
    }

    /** Computes the tenant's prevalence baseline again on a reader, on a store thread; one at a time per tenant. */
    private void refreshBaseline(TenantId tenant, Slot slot) {
        if (closed || !slot.refreshingBaseline.compareAndSet(false, true)) {
            return;
        }
        try {
            storeThreads.execute(() -> {
                try {
                    read(tenant, reader -> reader.incidents().prevalence());
                } catch (RuntimeException e) {
                    LOG.warn("computing the prevalence baseline of tenant '{}' failed: {}", tenant, e.getMessage());
                } finally {
                    slot.refreshingBaseline.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            slot.refreshingBaseline.set(false); // the server is stopping
        }
    }

    @Override
    public void close() {
        closed = true;
        storeThreads.shutdown();
        for (Slot slot : slots.values()) {
            slot.lock.lock();
            try {
                for (TenantStore reader; (reader = slot.idleReaders.pollFirst()) != null; ) {
                    reader.close();
                }
                if (slot.source != null) {
                    slot.source.close();
                    slot.source = null;
                }
                if (slot.store != null) {
                    slot.store.close();
                    slot.store = null;
                }
            } finally {
                slot.lock.unlock();
            }
        }
    }
}
