package dev.vigil.report.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.report.build.RenderedReport;
import dev.vigil.webhook.WebhookSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookDeliveryTest {
    private static final String SECRET = "s3cret-shared-with-the-receiver";
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:05Z");
    private static final Delivery.Context CONTEXT = new Delivery.Context("acme", "weekly-soc", "monday-soc",
            Instant.parse("2026-11-30T08:00:00Z"), Map.of("period", "7d"));
    private static final RenderedReport REPORT = new RenderedReport("Weekly SOC report", "weekly-soc-acme.pdf",
            "application/pdf", new byte[] {'%', 'P', 'D', 'F', 0, (byte) 0xff, 42});

    /** A request as the receiver got it. */
    record Received(Map<String, String> headers, byte[] body) {}

    /** An answer the receiver gives: a status and its headers. */
    record Answer(int status, Map<String, String> headers) {}

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
            headers.put("method", exchange.getRequestMethod());
            received.add(new Received(headers, exchange.getRequestBody().readAllBytes()));
            Answer answer;
            synchronized (answers) {
                answer = answers.isEmpty() ? new Answer(200, Map.of()) : answers.poll();
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] text = ("answer " + answer.status()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), text.length);
            exchange.getResponseBody().write(text);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Destination.Webhook webhook(String secretVariable) {
        return Destination.Webhook.of("http://127.0.0.1:" + server.getAddress().getPort() + "/hook", secretVariable);
    }

    private WebhookDelivery delivery(Destination.Webhook webhook, Map<String, String> environment) {
        return new WebhookDelivery(webhook, environment::get, HttpClient.newHttpClient(), waits::add,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void answer(int status, Map<String, String> headers) {
        answers.add(new Answer(status, headers));
    }

    @Test
    void theReportIsPostedAsSignedJsonWithTheDocumentInBase64() {
        DeliveryResult result = delivery(webhook("REPORT_SECRET"), Map.of("REPORT_SECRET", SECRET))
                .deliver(REPORT, CONTEXT);

        assertThat(result).isEqualTo(new DeliveryResult(webhook("REPORT_SECRET").describe(), true,
                "HTTP 200 answer 200", 1));
        Received request = received.getFirst();
        assertThat(request.headers()).containsEntry("method", "POST").containsEntry("Content-Type",
                "application/json").containsEntry("X-Vigil-Timestamp", "1796025605");
        assertThat(WebhookSignature.verify(SECRET.getBytes(StandardCharsets.UTF_8),
                request.headers().get("X-Vigil-Timestamp"), request.body(),
                request.headers().get("X-Vigil-Signature"))).isTrue();
        assertThat(WebhookSignature.verify("another secret of some length".getBytes(StandardCharsets.UTF_8),
                request.headers().get("X-Vigil-Timestamp"), request.body(),
                request.headers().get("X-Vigil-Signature"))).isFalse();

        JsonNode json = JsonMapper.builder().build().readTree(request.body());
        assertThat(json.path("event").asString()).isEqualTo("report");
        assertThat(json.path("tenant").asString()).isEqualTo("acme");
        assertThat(json.path("schedule").asString()).isEqualTo("monday-soc");
        assertThat(json.path("slot").asString()).isEqualTo("2026-11-30T08:00:00Z");
        assertThat(json.path("period").asString()).isEqualTo("7d");
        JsonNode document = json.path("report");
        assertThat(document.path("file_name").asString()).isEqualTo("weekly-soc-acme.pdf");
        assertThat(document.path("media_type").asString()).isEqualTo("application/pdf");
        assertThat(document.path("size").asInt()).isEqualTo(7);
        assertThat(Base64.getDecoder().decode(document.path("content_base64").asString())).isEqualTo(REPORT.bytes());
    }

    @Test
    void a503IsRetriedAfterTheRetryAfterTheServerAskedForWithTheSameDeliveryId() {
        answer(503, Map.of("Retry-After", "7"));

        DeliveryResult result = delivery(webhook("REPORT_SECRET"), Map.of("REPORT_SECRET", SECRET))
                .deliver(REPORT, CONTEXT);

        assertThat(result.delivered()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
        assertThat(received).hasSize(2);
        assertThat(received.get(0).headers().get("X-Vigil-Delivery")).hasSize(32)
                .isEqualTo(received.get(1).headers().get("X-Vigil-Delivery"));
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
    }

    @Test
    void aRetryAfterDateAndA429AreHonouredToo() {
        answer(429, Map.of("Retry-After", "Mon, 30 Nov 2026 08:00:35 GMT"));

        DeliveryResult result = delivery(webhook(""), Map.of()).deliver(REPORT, CONTEXT);

        assertThat(result.delivered()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void serverErrorsBackOffExponentiallyThenGiveUp() {
        for (int i = 0; i < WebhookDelivery.MAX_ATTEMPTS; i++) {
            answer(500, Map.of());
        }

        DeliveryResult result = delivery(webhook(""), Map.of()).deliver(REPORT, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(result.detail()).isEqualTo("HTTP 500 answer 500 (gave up after 4 attempts)");
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    }

    @Test
    void aRefusedRequestIsNotRetried() {
        answer(401, Map.of());

        DeliveryResult result = delivery(webhook(""), Map.of()).deliver(REPORT, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).isEqualTo("HTTP 401 answer 401 (not retried: the request itself was refused)");
        assertThat(received).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aServerAskingForMoreThanAMinuteIsNotWaitedFor() {
        answer(503, Map.of("Retry-After", "3600"));

        DeliveryResult result = delivery(webhook(""), Map.of()).deliver(REPORT, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).contains("asked to retry after 3600 s");
        assertThat(waits).isEmpty();
    }

    @Test
    void aMissingSecretSendsNothingRatherThanSendingUnsigned() {
        DeliveryResult result = delivery(webhook("REPORT_SECRET"), Map.of()).deliver(REPORT, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).startsWith("not sent: $REPORT_SECRET is not set");
        assertThat(received).isEmpty();
    }

    @Test
    void noAnswerIsRetriedAndReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Destination.Webhook nowhere = Destination.Webhook.of("http://127.0.0.1:" + closedPort + "/hook", "");

        DeliveryResult result = delivery(nowhere, Map.of()).deliver(REPORT, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).startsWith("no answer: ").endsWith("(gave up after 4 attempts)");
        assertThat(waits).hasSize(3);
    }
}
