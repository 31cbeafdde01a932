package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.session.Turn;
import dev.vigil.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Copilot sessions in PostgreSQL: the contract, and what sharing one database between nodes adds. */
@DisplayName("PostgreSQL sessions")
class PostgresSessionsTest extends SessionRepositoryContract {
    PostgresTesting.TestDatabase test;
    PostgresState database;

    @BeforeEach
    void open() {
        test = PostgresTesting.freshState();
        database = test.state();
    }

    @AfterEach
    void close() {
        test.close();
    }

    @Override
    SessionRepository sessionsOf(TenantId tenant) {
        return database.sessions(tenant).withClock(clock);
    }

    @Override
    long storedRows(String table) {
        return database.read("counting", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Test
    void twoNodesAppendingToOneSessionNumberTheirTurnsOneAfterTheOther() throws Exception {
        UUID id = sessions().create(ALICE, "Shared triage").id();
        try (PostgresState otherNode = test.anotherNode();
                ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<SessionRepository> nodes = List.of(database.sessions(ACME), otherNode.sessions(ACME));
            List<Callable<Turn>> appends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SessionRepository node = nodes.get(i % 2);
                String prompt = "Summarize incident " + i;
                appends.add(() -> node.appendTurn(ALICE, id, prompt, summary("12")));
            }
            List<Integer> numbers = new ArrayList<>();
            for (Future<Turn> turn : threads.invokeAll(appends)) {
                numbers.add(turn.get().number());
            }
            assertThat(numbers).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 20)
                    .boxed().toList());
        }
        assertThat(sessions().get(ALICE, id).turns()).hasSize(20);
    }

    @Test
    void aTenantStoreHandsOutTheSharedSessionsOnceToldToKeepThemThere(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path data) {
        try (TenantStore store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.keepSessionsIn(database.sessions(
                    StoreTesting.GLOBEX))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the sessions of tenant 'globex' cannot be those of tenant 'acme'");
            store.keepSessionsIn(database.sessions(ACME));

            UUID id = store.sessions().create(ALICE, "Triage").id();

            assertThat(sessions().get(ALICE, id).name()).isEqualTo("Triage");
            assertThat(StoreTesting.single(store, "SELECT count(*) FROM vigil_sessions")).isEqualTo(0L);
        }
    }

    @Test
    void writesAreDurableWhenTheyReturnAndSeenByAnotherNode() {
        UUID id = sessions().create(ALICE, "Triage").id();
        sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));
        try (PostgresState otherNode = test.anotherNode()) {
            assertThat(otherNode.sessions(ACME).withClock(Clock.systemUTC()).get(ALICE, id).turns())
                    .extracting(Turn::answer).containsExactly(summary("12"));
        }
    }

    @Test
    void opensAMigratedDatabaseAgainWithoutChangingItAndRefusesANewerSchema() throws SQLException {
        UUID id = sessions().create(ALICE, "Triage").id();
        test.anotherNode().close();
        assertThat(sessions().get(ALICE, id).name()).isEqualTo("Triage");
        assertThat(storedRows("vigil_schema_migrations")).isEqualTo(PostgresSchema.latest());

        database.transaction("pretending a newer Vigil migrated", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO vigil_schema_migrations (version, description) VALUES ("
                        + (PostgresSchema.latest() + 1) + ", 'from the future')");
            }
            return null;
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> test.anotherNode())
                .isInstanceOfSatisfying(dev.vigil.model.VigilException.class, e -> assertThat(e.fix())
                        .contains("Run the Vigil version that migrated it"))
                .hasMessageContaining("newer than this Vigil knows (" + PostgresSchema.latest() + ")");
    }

    @Test
    void anUnreachableDatabaseIsAStoreFailureNamingWhereAndHowToFixIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PostgresState.open(
                "jdbc:postgresql://127.0.0.1:1/vigil?connectTimeout=2", "vigil", Optional.of("secret"), 1))
                .isInstanceOfSatisfying(dev.vigil.model.VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(dev.vigil.model.ErrorCode.STORE_FAILED);
                    assertThat(e.fix()).contains("Check that PostgreSQL runs at jdbc:postgresql://127.0.0.1:1/vigil");
                })
                .hasMessageContaining("connecting failed in PostgreSQL at jdbc:postgresql://127.0.0.1:1/vigil")
                .message().doesNotContain("secret");
    }

}
