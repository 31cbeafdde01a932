package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The connectors' settings API against a real server: an owner adds a Graph Security connector pointing at a local
 * stand-in for Entra ID and Microsoft Graph, tests it, runs it and finds the alerts stored; the secret never comes
 * back; a reader is refused.
 */
@DisplayName("Connectors settings API")
class ConnectorsApiTest {
    static final String SECRET = "s3cr3t-client-value-42";
    static final String CONNECTORS = "/api/v1/tenants/acme/connectors";

    @TempDir
    Path data;

    ServerFixture fixture;
    GraphStandIn graph;

    @BeforeEach
    void start() {
        fixture = new ServerFixture(data);
        graph = new GraphStandIn();
    }

    @AfterEach
    void stop() {
        graph.close();
        fixture.close();
    }

    String base() {
        return graph.base();
    }

    ServerFixture.Answer addGraphConnector(String token) {
        return fixture.send("POST", CONNECTORS, token, ApiJson.MAPPER.writeValueAsString(Map.of("name", "graph",
                "kind", "graph-security", "tenant_id", "directory-tenant", "client_id", "app-1", "client_secret",
                SECRET, "endpoint", base(), "authority", base(), "lookback", "P1D")));
    }

    @Test
    void anOwnerAddsTestsAndRunsAGraphSecurityConnectorAndTheAlertsAreStored() {
        String owner = fixture.tokens.get("owner");
        ServerFixture.Answer added = addGraphConnector(owner);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.body()).doesNotContain(SECRET).contains("\"stored encrypted\"");

        ServerFixture.Answer tested = fixture.send("POST", CONNECTORS + "/graph/test", owner, null);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().get("ok").asBoolean()).as(tested.body()).isTrue();
        assertThat(tested.json().get("steps").size()).isPositive();
        assertThat(graph.tokenForms).anySatisfy(form -> assertThat(form).contains(SECRET));

        ServerFixture.Answer ran = fixture.send("POST", CONNECTORS + "/graph/run", owner, null);
        assertThat(ran.status()).as(ran.body()).isEqualTo(200);
        assertThat(ran.json().get("read").asLong()).isEqualTo(2);
        assertThat(ran.json().get("alerts_new").asLong()).isEqualTo(2);
        assertThat(graph.authorizations).isNotEmpty().allMatch("Bearer graph-token"::equals);

        ServerFixture.Answer alerts = fixture.get("/api/v1/tenants/acme/alerts?limit=100", owner);
        assertThat(alerts.body()).contains("Suspicious execution of hidden file da-1",
                "Suspicious execution of hidden file da-2");

        ServerFixture.Answer listed = fixture.get(CONNECTORS, owner);
        assertThat(listed.status()).isEqualTo(200);
        JsonNode connector = listed.json().get("connectors").get(0);
        assertThat(connector.get("name").asString()).isEqualTo("graph");
        assertThat(connector.get("kind").asString()).isEqualTo("graph-security");
        assertThat(connector.get("secret").asString()).isEqualTo("stored encrypted");
        assertThat(connector.get("watermark").asString()).isNotEmpty();
        assertThat(listed.body()).doesNotContain(SECRET);

        ServerFixture.Answer again = fixture.send("POST", CONNECTORS + "/graph/run", owner, null);
        assertThat(again.json().get("alerts_new").asLong()).as("a second run resumes at the checkpoint").isZero();
    }

    @Test
    void aReaderMayNeitherSeeNorAddConnectors() {
        String reader = fixture.tokens.get("reader");
        assertThat(fixture.get(CONNECTORS, reader).status()).isEqualTo(403);
        assertThat(addGraphConnector(reader).status()).isEqualTo(403);
        assertThat(fixture.get(CONNECTORS, fixture.tokens.get("owner")).json().get("connectors").isEmpty()).isTrue();
    }

    @Test
    void aFailingTestSaysWhatFailedAndHowToFixIt() {
        String owner = fixture.tokens.get("owner");
        graph.refuseSecrets();
        assertThat(addGraphConnector(owner).status()).isEqualTo(201);
        ServerFixture.Answer tested = fixture.send("POST", CONNECTORS + "/graph/test", owner, null);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().get("ok").asBoolean()).isFalse();
        assertThat(tested.json().get("error").asString()).isNotEmpty();
        assertThat(tested.json().get("fix").asString()).isNotEmpty();
        assertThat(tested.body()).doesNotContain(SECRET);
    }

    @Test
    void anInvalidConnectorIsRefusedWithTheFix() {
        ServerFixture.Answer answer = fixture.send("POST", CONNECTORS, fixture.tokens.get("owner"),
                ApiJson.MAPPER.writeValueAsString(Map.of("name", "la", "kind", "log-analytics", "tenant_id", "t",
                        "client_id", "c", "client_secret", "x")));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("needs --query");
    }
}
