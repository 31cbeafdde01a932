package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.store.PostgresTesting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil users}, {@code vigil tokens} and {@code vigil audit} with {@code store.state: postgresql}. */
class PostgresStateCliTest {
    @TempDir
    Path data;

    String url;

    @BeforeEach
    void database() {
        url = PostgresTesting.freshDatabase();
    }

    @AfterEach
    void drop() {
        PostgresTesting.dropDatabase(url);
    }

    CliTesting.Run vigil(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--set", "store.state=postgresql", "--set", "store.postgresql.url=" + url));
        return CliTesting.vigil(data, all.toArray(String[]::new));
    }

    @Test
    void usersAndTokensAreManagedInPostgresqlAndNotInTheDataDirectory() {
        CliTesting.Run added = vigil("users", "add", "alice", "--tenant", "acme", "--role", "analyst");
        assertThat(added.exit()).as(added.toString()).isZero();
        CliTesting.Run token = vigil("tokens", "create", "--tenant", "acme", "--role", "reader", "--name", "soar",
                "--user", "alice");
        assertThat(token.exit()).as(token.toString()).isZero();

        assertThat(vigil("users", "list").out()).contains("alice", "acme:analyst");
        assertThat(vigil("tokens", "list", "--json").json().get(0).get("user").asString()).isEqualTo("alice");
        CliTesting.Run verified = vigil("audit", "verify");
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("audit log intact: 0 records");
        assertThat(data.resolve("server").resolve("users.json")).doesNotExist();
        assertThat(data.resolve("server").resolve("tokens.json")).doesNotExist();
        assertThat(CliTesting.vigil(data, "users", "list", "--json").json()).isEmpty();
    }

    @Test
    void postgresqlWithoutAUrlIsAConfigurationErrorNamingTheKey() {
        CliTesting.Run run = CliTesting.vigil(data, "users", "list", "--set", "store.state=postgresql");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("store.postgresql.url is not set", "VIGIL_STORE_POSTGRESQL_URL");
    }
}
