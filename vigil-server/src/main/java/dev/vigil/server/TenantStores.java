package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The tenants' stores, held open read-write by the server for as long as it runs: DuckDB lets one process write a
 * database, and the server is that process. A store is confined to one thread at a time, so requests to the same
 * tenant take turns on its lock (a {@link ReentrantLock}, which parks a virtual thread without pinning its carrier);
 * requests to different tenants run in parallel.
 */
final class TenantStores implements AutoCloseable {
    private final Path dataDirectory;
    private final Function<TenantId, java.util.Optional<dev.vigil.store.SessionRepository>> sharedSessions;
    private final Map<TenantId, Slot> slots = new ConcurrentHashMap<>();

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        TenantStore store;
    }

    TenantStores(Path dataDirectory) {
        this(dataDirectory, tenant -> java.util.Optional.empty());
    }

    /** @param sharedSessions a tenant's sessions when they are kept outside its store (PostgreSQL), else empty */
    TenantStores(Path dataDirectory,
            Function<TenantId, java.util.Optional<dev.vigil.store.SessionRepository>> sharedSessions) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.sharedSessions = requireNonNull(sharedSessions, "sharedSessions is null");
    }

    /**
     * Opens every tenant store already in the data directory, so that a store another process holds fails the start
     * ({@code STORE_LOCKED}) instead of the first request.
     */
    void openExisting() {
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
            throw new dev.vigil.model.VigilException(dev.vigil.model.ErrorCode.STORE_FAILED, "cannot list "
                    + tenants + ": " + e.getMessage(), e);
        }
        for (TenantId tenant : found) {
            with(tenant, store -> null);
        }
    }

    /** Runs {@code work} on the tenant's store (opened, and created if new, on first use), alone on it. */
    <T> T with(TenantId tenant, Function<TenantStore, T> work) {
        Slot slot = slots.computeIfAbsent(tenant, t -> new Slot());
        slot.lock.lock();
        try {
            if (slot.store == null) {
                slot.store = TenantStore.open(dataDirectory, tenant, TenantStore.Mode.READ_WRITE);
                sharedSessions.apply(tenant).ifPresent(slot.store::keepSessionsIn);
            }
            return work.apply(slot.store);
        } finally {
            slot.lock.unlock();
        }
    }

    @Override
    public void close() {
        for (Slot slot : slots.values()) {
            slot.lock.lock();
            try {
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
