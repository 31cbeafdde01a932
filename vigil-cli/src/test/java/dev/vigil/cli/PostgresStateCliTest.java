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

/**
 * {@code vigil users}, {@code vigil tokens}, {@code vigil plugins} and {@code vigil audit} with
 * {@code store.state: postgresql}.
 */
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
    void pluginsAreInstalledChangedAndRemovedInPostgresqlForTheirTenantOnly() {
        String sample = java.nio.file.Path.of("..", "plugins", "samples", "device-risk").toString();
        CliTesting.Run installed = vigil("plugins", "install", sample, "--tenant", "acme", "--setting",
                "BaseUrl=http://localhost:8089", "--setting", "ApiKey=k-123");
        assertThat(installed.exit()).as(installed.toString()).isZero();
        assertThat(vigil("plugins", "disable", "device-risk", "--tenant", "acme").exit()).isZero();

        tools.jackson.databind.JsonNode listed = vigil("plugins", "list", "--json", "--tenant", "acme").json();
        assertThat(listed.get(0).get("name").asString()).isEqualTo("device-risk");
        assertThat(listed.get(0).get("enabled").asBoolean()).isFalse();
        assertThat(listed.get(0).get("installedBy").asString()).isNotEmpty();
        assertThat(listed.toString()).contains("********").doesNotContain("k-123");
        assertThat(vigil("plugins", "list", "--json", "--tenant", "globex").json()).isEmpty();
        assertThat(data.resolve("plugins")).doesNotExist();
        assertThat(CliTesting.vigil(data, "plugins", "list", "--json", "--tenant", "acme").json()).isEmpty();
        try (dev.vigil.store.PostgresState database = dev.vigil.store.PostgresState.open(url, "",
                java.util.Optional.empty(), 1)) {
            assertThat(database.plugins(dev.vigil.model.TenantId.of("acme")).get("device-risk").settings())
                    .containsEntry("ApiKey", "k-123");
        }

        assertThat(vigil("plugins", "remove", "device-risk", "--tenant", "acme").exit()).isZero();
        CliTesting.Run shown = vigil("plugins", "show", "device-risk", "--tenant", "acme");
        assertThat(shown.exit()).isNotZero();
        assertThat(shown.err()).contains("tenant 'acme' has no plugin 'device-risk'");
    }

    @Test
    void auditVerifyNamesTheTenantAndRecordWhereAChainBreaks() {
        try (dev.vigil.store.PostgresState database = dev.vigil.store.PostgresState.open(url, "",
                java.util.Optional.empty(), 1)) {
            dev.vigil.server.PostgresAuditTrail audit = new dev.vigil.server.PostgresAuditTrail(database);
            audit.append(new dev.vigil.server.AuditLog.Entry(java.time.Instant.parse("2026-11-30T08:00:00Z"), "GET",
                    "GET /api/v1/tenants/{tenant}/incidents", "/api/v1/tenants/acme/incidents", "acme", "ab12",
                    "alice", "reader", 200, ""));
            assertThat(vigil("audit", "verify").exit()).isZero();
            database.transaction("tampering", connection -> {
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.executeUpdate("UPDATE vigil_audit SET record = replace(record, 'alice', 'mallory')");
                }
                return null;
            });
        }
        CliTesting.Run broken = vigil("audit", "verify");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).contains("BROKEN at record 1 of 1", "vigil_audit in PostgreSQL at jdbc:postgresql:",
                "tenant 'acme', record 1: the record's content does not match its hash");
    }

    @Test
    void postgresqlWithoutAUrlIsAConfigurationErrorNamingTheKey() {
        CliTesting.Run run = CliTesting.vigil(data, "users", "list", "--set", "store.state=postgresql");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("store.postgresql.url is not set", "VIGIL_STORE_POSTGRESQL_URL");
    }
}
