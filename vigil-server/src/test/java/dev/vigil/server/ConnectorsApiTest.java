package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
    HttpServer graph;
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> secretsSeen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        fixture = new ServerFixture(data);
        graph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        graph.createContext("/directory-tenant/oauth2/v2.0/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            secretsSeen.add(form);
            reply(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"graph-token\"}");
        });
        graph.createContext("/v1.0/security/alerts_v2", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            Instant recent = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            reply(exchange, 200, "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2\","
                    + "\"value\":[" + alert("da-1", recent) + "," + alert("da-2", recent.plusSeconds(60)) + "]}");
        });
        graph.createContext("/v1.0/security/incidents", exchange -> reply(exchange, 200,
                "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#security/incidents\",\"value\":[]}"));
        graph.start();
    }

    @AfterEach
    void stop() {
        graph.stop(0);
        fixture.close();
    }

    static String alert(String id, Instant at) {
        return """
                {"@odata.type":"#microsoft.graph.security.alert","id":"%1$s","providerAlertId":"%1$s-p",\
                "incidentId":"77","status":"new","severity":"high","serviceSource":"microsoftDefenderForEndpoint",\
                "detectionSource":"antivirus","title":"Suspicious execution of hidden file %1$s",\
                "description":"A hidden file has been launched.","category":"DefenseEvasion",\
                "mitreTechniques":["T1564.001"],"createdDateTime":"%2$s","lastUpdateDateTime":"%2$s",\
                "firstActivityDateTime":"%2$s","lastActivityDateTime":"%2$s","comments":[],"evidence":[\
                {"@odata.type":"#microsoft.graph.security.deviceEvidence","createdDateTime":"%2$s",\
                "verdict":"unknown","remediationStatus":"none","roles":[],"tags":[],\
                "deviceDnsName":"tempdc.contoso.com","osPlatform":"WindowsServer2016"}]}"""
                .formatted(id, at);
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    String base() {
        return "http://127.0.0.1:" + graph.getAddress().getPort();
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
        assertThat(secretsSeen).anySatisfy(form -> assertThat(form).contains(SECRET));

        ServerFixture.Answer ran = fixture.send("POST", CONNECTORS + "/graph/run", owner, null);
        assertThat(ran.status()).as(ran.body()).isEqualTo(200);
        assertThat(ran.json().get("read").asLong()).isEqualTo(2);
        assertThat(ran.json().get("alerts_new").asLong()).isEqualTo(2);
        assertThat(authorizations).isNotEmpty().allMatch("Bearer graph-token"::equals);

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
        graph.removeContext("/directory-tenant/oauth2/v2.0/token");
        graph.createContext("/directory-tenant/oauth2/v2.0/token", exchange -> reply(exchange, 401,
                "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret.\"}"));
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
