package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.session.Session;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copilot sessions in the embedded store (each tenant's DuckDB database): the contract, and durability by commit. */
@DisplayName("A tenant store's sessions")
class SessionStoreTest extends SessionRepositoryContract {
    @TempDir
    Path data;

    TenantStore store;
    final Map<TenantId, TenantStore> others = new HashMap<>();

    @BeforeEach
    void open() {
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    @AfterEach
    void close() {
        store.close();
        others.values().forEach(TenantStore::close);
    }

    @Override
    SessionRepository sessionsOf(TenantId tenant) {
        TenantStore of = tenant.equals(ACME) ? store
                : others.computeIfAbsent(tenant, t -> TenantStore.open(data, t, TenantStore.Mode.READ_WRITE));
        return of.sessions().withClock(clock);
    }

    @Override
    long storedRows(String table) {
        return (Long) StoreTesting.single(store, "SELECT count(*) FROM " + table);
    }

    void reopen() {
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    @Test
    void keepsCommittedTurnsAcrossARestartAndDropsUncommittedOnes() {
        UUID id = sessions().create(ALICE, "Triage").id();
        sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));
        sessions().pin(ALICE, id, 1, "root cause");
        store.commit();
        sessions().appendTurn(ALICE, id, "Summarize incident 14", summary("14"));
        Session before = sessions().get(ALICE, id);

        reopen();

        Session after = sessions().get(ALICE, id);
        assertThat(after.turns()).containsExactly(before.turns().get(0));
        assertThat(after.pins()).isEqualTo(before.pins());
        assertThat(after.turns().get(0).answer()).isEqualTo(summary("12"));
    }

    @Test
    void readsNoSessionsFromAStoreOpenedReadOnly() {
        UUID id = sessions().create(ALICE, "Triage").id();
        store.commit();
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);
        assertThat(store.sessions().get(ALICE, id).name()).isEqualTo("Triage");
        assertThatThrownBy(() -> store.sessions().create(ALICE, "Other")).isInstanceOf(VigilException.class);
    }
}
