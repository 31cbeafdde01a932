package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil connectors add|list|test|run} against a local stand-in for Entra ID and the Graph Security API. */
class ConnectorsCliTest {
    private static final String SECRET = "cli-s3cret~value";

    @TempDir
    Path data;

    HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        ConnectorsCommand.environment = name -> Map.of("GRAPH_SECRET", SECRET).get(name);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ConnectorsCommand.environment = System::getenv;
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        int status = 200;
        if (path.endsWith("/oauth2/v2.0/token")) {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            body = form.contains("client_secret=cli-s3cret%7Evalue")
                    ? "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"t1\"}"
                    : "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret.\"}";
            status = body.contains("t1") ? 200 : 401;
        } else if (path.equals("/v1.0/security/alerts_v2")) {
            body = "{\"value\":[" + alert("a1", "2026-11-29T09:00:00Z") + "," + alert("a2", "2026-11-29T09:05:00Z")
                    + "]}";
        } else if (path.equals("/v1.0/security/incidents")) {
            body = "{\"value\":[]}";
        } else {
            status = 404;
            body = "{\"error\":{\"code\":\"ResourceNotFound\"}}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static String alert(String id, String time) {
        return "{\"id\":\"" + id + "\",\"incidentId\":\"42\",\"title\":\"Suspicious PowerShell\",\"severity\":\"high\","
                + "\"status\":\"new\",\"mitreTechniques\":[\"T1059.001\"],\"createdDateTime\":\"" + time + "\","
                + "\"lastUpdateDateTime\":\"" + time + "\",\"evidence\":[{\"@odata.type\":"
                + "\"#microsoft.graph.security.deviceEvidence\",\"deviceDnsName\":\"ws-01.contoso.com\"}]}";
    }

    CliTesting.Run add(String endpoint) {
        return vigil(data, "connectors", "add", "graph", "--kind", "graph-security", "--tenant-id", "contoso",
                "--client-id", "app-1", "--client-secret-env", "GRAPH_SECRET", "--endpoint", endpoint,
                "--authority", base());
    }

    @Test
    void addListTestAndRunAConnector() throws IOException {
        CliTesting.Run added = add(base());
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(added.out()).contains("Connector 'graph' (graph-security) saved").doesNotContain(SECRET);

        CliTesting.Run list = vigil(data, "connectors", "list", "--json");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).doesNotContain(SECRET).doesNotContain("aesgcm1");
        assertThat(list.json().path("connectors").get(0).path("secret").asString()).isEqualTo("stored encrypted");
        try (var files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")).toList()) {
                assertThat(Files.readString(file)).doesNotContain(SECRET);
            }
        }

        CliTesting.Run test = vigil(data, "connectors", "test", "graph");
        assertThat(test.exit()).as(test.toString()).isZero();
        assertThat(test.out()).contains("ok    token: obtained from 127.0.0.1").contains("ok    alerts_v2: readable")
                .contains("Connector 'graph' works.");

        CliTesting.Run run = vigil(data, "connectors", "run", "graph", "--once");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("alerts                  2  (new").contains("incidents: 2 alerts placed in 1 incident");
        assertThat(run.err()).contains("connectors: graph: alerts_v2 page 1: 2 read, 2 stored, 2 new alerts");

        CliTesting.Run again = vigil(data, "connectors", "run", "graph", "--once", "--json");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().path("stored_new").asInt()).isZero();
        assertThat(again.json().path("skipped_at_checkpoint").asInt()).isEqualTo(1);
    }

    @Test
    void testSaysWhatFailedAndHowToFixIt() {
        add(base() + "/wrong");
        CliTesting.Run test = vigil(data, "connectors", "test", "graph");
        assertThat(test.exit()).isEqualTo(1);
        assertThat(test.out()).contains("ok    token").contains("FAILED connector 'graph': GET"
                + " /wrong/v1.0/security/alerts_v2 returned HTTP 404").contains("fix: Check the connector's --endpoint");
    }

    @Test
    void aMissingSecretVariableIsAUsageError() {
        CliTesting.Run added = vigil(data, "connectors", "add", "graph", "--kind", "graph-security", "--tenant-id",
                "contoso", "--client-id", "app-1", "--client-secret-env", "NOT_SET");
        assertThat(added.exit()).isEqualTo(2);
        assertThat(added.err()).contains("the environment variable NOT_SET is not set or empty");
    }

    @Test
    void aWebhookConnectorNeedsNoEntraIdAndIsNotRun() {
        CliTesting.Run added = vigil(data, "connectors", "add", "partner", "--kind", "webhook", "--table", "PartnerEvent",
                "--client-secret-env", "GRAPH_SECRET");
        assertThat(added.exit()).as(added.toString()).isZero();

        CliTesting.Run run = vigil(data, "connectors", "run", "partner", "--once");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("connector 'partner' is a webhook receiver").contains("vigil connectors listen");
    }
}
