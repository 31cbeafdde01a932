package dev.vigil.store;

import dev.vigil.model.TenantId;
import java.nio.file.Path;

/** Run in a second JVM by the lock specification: opens a tenant's store for writing and holds it until killed. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws InterruptedException {
        try (TenantStore store = TenantStore.open(Path.of(args[0]), TenantId.of(args[1]), TenantStore.Mode.READ_WRITE)) {
            System.out.println("opened " + store.file());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
