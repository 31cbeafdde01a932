package dev.vigil.server;

import static dev.vigil.server.CopilotFixture.copilot;
import static dev.vigil.server.CopilotFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.store.PostgresState;
import dev.vigil.store.PostgresTesting;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil serve} with {@code store.state: postgresql}: tokens, users, copilot sessions, plugins, incidents and
 * the audit trail live in PostgreSQL, where another node sees them, while events and alerts stay in the tenants'
 * stores.
 */
@DisplayName("vigil serve with its shared state in PostgreSQL")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresServeTest {
    @TempDir
    static Path data;

    String url;
    ServerFixture fixture;
    PostgresState otherNode;

    @BeforeAll
    void start() {
        url = PostgresTesting.freshDatabase();
        fixture = new ServerFixture(data, Optional::empty, Clock.systemUTC(), Map.of("store.state", "postgresql",
                "store.postgresql.url", url));
        otherNode = PostgresState.open(url, "", Optional.empty(), 2);
    }

    @AfterAll
    void stop() {
        otherNode.close();
        fixture.close();
        PostgresTesting.dropDatabase(url);
    }

    @Test
    void tokensAndUsersComeFromPostgresql() {
        assertThat(fixture.get("/api/v1/tenants/acme/incidents", fixture.tokens.get("reader")).status())
                .isEqualTo(200);
        assertThat(fixture.get("/api/v1/tenants/acme/incidents", fixture.tokens.get("revoked")).status())
                .isEqualTo(401);
        assertThat(fixture.get("/api/v1/tenants/acme/incidents", fixture.tokens.get("other-tenant")).status())
                .isEqualTo(403);
        assertThat(Users.on(new PostgresUsers(otherNode)).get("mssp").tenants()).containsKeys("acme", "globex");
        fixture.login("acme-analyst");
        assertThat(fixture.data.resolve("server").resolve("users.json")).doesNotExist();
        assertThat(fixture.data.resolve("server").resolve("tokens.json")).doesNotExist();
    }

    @Test
    void copilotSessionsAreKeptInPostgresqlForTheirTenantOnly() {
        ServerFixture.Answer asked = fixture.send("POST", copilot("acme", "/ask"), fixture.tokens.get("analyst"),
                json(Map.of("prompt", "summarize incident 1", "session", "new", "now", CopilotFixture.NOW)));
        assertThat(asked.status()).as(asked.body()).isEqualTo(200);
        UUID session = UUID.fromString(asked.json().get("session").asString());

        Principal analyst = new Principal("acme-analyst", Role.ANALYST);
        assertThat(otherNode.sessions(ServerFixture.ACME).get(analyst, session).turns()).hasSize(1);
        assertThat(otherNode.sessions(ServerFixture.GLOBEX).list(new Principal("acme-analyst", Role.OWNER)))
                .isEmpty();
        JsonNode listed = fixture.get(copilot("acme", "/sessions"), fixture.tokens.get("analyst")).json();
        assertThat(listed.toString()).contains(session.toString());
        assertThat(fixture.get(copilot("globex", "/sessions/" + session), fixture.tokens.get("other-tenant"))
                .status()).isEqualTo(404);
    }

    @Test
    void everyRequestIsAuditedInItsTenantsChain() {
        fixture.get("/api/v1/tenants/acme/incidents", fixture.tokens.get("reader"));
        fixture.get("/api/v1/tenants/globex/incidents", fixture.tokens.get("other-tenant"));

        PostgresAuditTrail audit = new PostgresAuditTrail(otherNode);
        assertThat(audit.verify().intact()).isTrue();
        assertThat(audit.records(ServerFixture.ACME)).anySatisfy(record -> assertThat(AuditLog.field(record,
                "route")).isEqualTo("GET /api/v1/tenants/{tenant}/incidents"));
        assertThat(audit.records(ServerFixture.GLOBEX)).allSatisfy(record -> assertThat(AuditLog.field(record,
                "tenant")).isEqualTo("globex"));
        assertThat(AuditLog.file(fixture.data)).doesNotExist();
    }

    @Test
    void incidentsAreReadAndChangedInPostgresqlWhileTheirAlertsStayInTheTenantsStore() {
        JsonNode listed = fixture.get("/api/v1/tenants/acme/incidents", fixture.tokens.get("reader")).json();
        assertThat(listed.get("incidents")).hasSize(1);
        assertThat(listed.get("incidents").get(0).get("title").asString()).contains(ServerFixture.CANARY);
        JsonNode shown = fixture.get("/api/v1/tenants/acme/incidents/1", fixture.tokens.get("reader")).json();
        assertThat(shown.get("reasons")).hasSize(2); // placements from PostgreSQL, their alerts from the store

        ServerFixture.Answer changed = fixture.send("PATCH", "/api/v1/tenants/acme/incidents/1",
                fixture.tokens.get("analyst"), json(Map.of("status", "active", "comment", "taking it")));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);

        dev.vigil.store.IncidentRepository acme = otherNode.incidents(ServerFixture.ACME);
        assertThat(acme.find(1).orElseThrow().status()).isEqualTo(dev.vigil.incident.Incident.Status.ACTIVE);
        assertThat(acme.find(1).orElseThrow().acknowledged()).isNotNull();
        assertThat(acme.changes(1)).extracting(dev.vigil.incident.IncidentChange::field,
                dev.vigil.incident.IncidentChange::to).contains(org.assertj.core.api.Assertions.tuple("comment",
                        "taking it"));
        assertThat(acme.placements(1)).hasSize(2);
        dev.vigil.store.IncidentRepository globex = otherNode.incidents(ServerFixture.GLOBEX);
        assertThat(globex.find(1).orElseThrow().title()).doesNotContain(ServerFixture.CANARY);
        assertThat(globex.changes(1)).isEmpty();
        assertThat(globex.incidentsOf(acme.placements(1).keySet())).isEmpty();
    }

    @Test
    void aPluginInstalledThroughOneNodeIsListedChangedAndLoadedByAnother(@TempDir Path otherData) throws Exception {
        ServerFixture.seedInto(otherData, ServerFixture.ACME, "other-node");
        ServerFixture.seedInto(otherData, ServerFixture.GLOBEX, "other-node");
        dev.vigil.config.VigilConfig otherConfig = dev.vigil.config.ConfigLoader.load(null, Map.of(), Map.of(
                "data-dir", otherData.toString(), "store.state", "postgresql", "store.postgresql.url", url));
        String owner = fixture.tokens.get("owner");
        try (VigilServer other = VigilServer.start(otherConfig, "127.0.0.1", 0, Optional.empty(), Clock.systemUTC(),
                Optional::empty)) {
            ServerFixture.Answer installed = fixture.send("POST", "/api/v1/tenants/acme/plugins", owner,
                    json(Map.of("manifest", PluginsAndModelApiTest.MANIFEST, "settings", Map.of("BaseUrl",
                            "http://localhost:8089", "ApiKey", "s3cret-key"))));
            assertThat(installed.status()).as(installed.body()).isEqualTo(201);

            JsonNode listed = ApiJson.MAPPER.readTree(send(other, "GET", "/api/v1/tenants/acme/plugins", owner, null));
            assertThat(listed.get("plugins").get(0).get("name").asString()).isEqualTo("device-risk");
            assertThat(listed.toString()).contains("********").doesNotContain("s3cret-key");
            assertThat(send(other, "GET", "/api/v1/tenants/acme/copilot/skills", owner, null))
                    .contains("device-risk-failed-logons-of-account");

            send(other, "PATCH", "/api/v1/tenants/acme/plugins/device-risk", owner, json(Map.of("enabled", false)));
            assertThat(fixture.get("/api/v1/tenants/acme/copilot/skills", owner).body())
                    .doesNotContain("device-risk-failed-logons-of-account");
            assertThat(otherNode.plugins(ServerFixture.ACME).get("device-risk").enabled()).isFalse();
            assertThat(otherNode.plugins(ServerFixture.ACME).get("device-risk").settings())
                    .containsEntry("ApiKey", "s3cret-key");
            assertThat(otherNode.plugins(ServerFixture.GLOBEX).list()).isEmpty();
            assertThat(send(other, "GET", "/api/v1/tenants/globex/plugins", fixture.tokens.get("other-tenant"), null))
                    .doesNotContain("device-risk");
        }
        assertThat(fixture.data.resolve("plugins")).doesNotExist();
        assertThat(otherData.resolve("plugins")).doesNotExist();
        otherNode.plugins(ServerFixture.ACME).remove("device-risk");
    }

    private String send(VigilServer server, String method, String path, String token, String body) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + server.port() + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        java.net.http.HttpResponse<String> response = fixture.client.send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
