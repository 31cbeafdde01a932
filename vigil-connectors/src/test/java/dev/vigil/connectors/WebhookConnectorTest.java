package dev.vigil.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic webhook receiver on a free port: batches acknowledged once stored, each stored once. */
class WebhookConnectorTest {
    static final String BATCH = """
            [{"TimeGenerated":"2026-11-29T10:00:00Z","Computer":"dc01","EventID":4625,"Account":"CONTOSO\\\\bob"},
             {"TimeGenerated":"2026-11-29T10:00:05Z","Computer":"dc01","EventID":4624,"Account":"CONTOSO\\\\bob"}]""";

    @TempDir
    Path data;

    ConnectorFixture fixture;
    WebhookReceiver receiver;
    HttpClient client = HttpClient.newHttpClient();
    String url;

    @BeforeEach
    void start() throws Exception {
        fixture = new ConnectorFixture(data);
        fixture.connectors.registry().put(fixture.connectors.seal(new ConnectorConfig("hooks",
                ConnectorConfig.Kind.WEBHOOK, "", "", "", "", "", "", "", "PartnerEvent", Duration.ofDays(1), 0),
                "hook-token-123"));
        receiver = fixture.connectors.receiver("hooks", fixture.store);
        int port = receiver.start("127.0.0.1", 0);
        url = "http://127.0.0.1:" + port + receiver.path();
    }

    @AfterEach
    void stop() {
        receiver.close();
        fixture.close();
    }

    HttpResponse<String> post(String token, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBatchIsAcknowledgedOnceStoredAndARetryStoresNothingTwice() throws Exception {
        HttpResponse<String> first = post("hook-token-123", BATCH);
        HttpResponse<String> retry = post("hook-token-123", BATCH);
        HttpResponse<String> ndjson = post("hook-token-123",
                "{\"time\":\"2026-11-29T11:00:00Z\",\"Computer\":\"ws1\"}\n{\"Computer\":\"ws2\"}\n");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"received\":2,\"stored\":2,\"already_stored\":0,\"quarantined\":0}");
        assertThat(retry.body()).isEqualTo("{\"received\":2,\"stored\":0,\"already_stored\":2,\"quarantined\":0}");
        assertThat(ndjson.body()).contains("\"stored\":2");
        assertThat(fixture.count("PartnerEvent")).isEqualTo(4);
        assertThat(receiver.stored()).isEqualTo(4);
    }

    @Test
    void aWrongTokenOrAMalformedBodyStoresNothing() throws Exception {
        HttpResponse<String> unauthorized = post("guess", BATCH);
        HttpResponse<String> malformed = post("hook-token-123", "{\"Computer\":\"dc01\"}\n{\"Computer\": }\n");

        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("not valid JSON at line 2, column 14")
                .contains("nothing of this request was stored");
        assertThat(fixture.store.tables()).noneMatch(t -> t.name().equals("PartnerEvent"));
    }

    @Test
    void aWebhookIsListenedOnNotRun() {
        assertThatThrownBy(() -> fixture.connectors.open("hooks", fixture.store))
                .hasMessage("connector 'hooks' is a webhook receiver: it is not run but listened on");
    }
}
