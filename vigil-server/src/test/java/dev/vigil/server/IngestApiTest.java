package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The NDJSON ingest API: durable answers with quarantined lines, size limits, backpressure and quotas. */
@DisplayName("Ingest API")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestApiTest {
    @TempDir
    static Path data;

    ServerFixture fixture;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data, Optional::empty, Clock.systemUTC(), Map.of(
                "server.ingest.max-body-bytes", "65536",
                "server.ingest.concurrent-requests", "1",
                "server.ingest.tenant-quotas", "globex=5/8"));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    ServerFixture.Answer ingest(String tenant, String token, String body) {
        return ingest(tenant, token, body, "");
    }

    ServerFixture.Answer ingest(String tenant, String token, String body, String query) {
        HttpRequest request = HttpRequest.newBuilder(fixture.uri("/api/v1/tenants/" + tenant + "/ingest" + query))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(request);
    }

    ServerFixture.Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = fixture.client.send(request, HttpResponse.BodyHandlers.ofString());
            return new ServerFixture.Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static final String BATCH = """
            {"EventID": 4625, "Computer": "ingest-host", "TargetUserName": "mallory", "TimeCreated": "2026-11-29T10:00:00Z"}
            {"EventID": 4625, "Computer": "ingest-host", "TargetUserName": "mallory"
            {"EventID": 4624, "Computer": "ingest-host", "TargetUserName": "alice", "TimeCreated": "2026-11-29T10:01:00Z"}

            {"EventID": 4634, "Computer": "ingest-host", "TargetUserName": "alice", "TimeCreated": "2026-11-29T10:02:00Z"}
            """;

    @Test
    void anIngestTokenSendsRecordsAndHearsWhichLinesWereQuarantinedAndWhy() {
        ServerFixture.Answer answer = ingest("acme", fixture.tokens.get("ingest"), BATCH);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("read").asLong()).isEqualTo(4);
        assertThat(json.get("accepted").asLong()).isEqualTo(3);
        assertThat(json.get("quarantined").asLong()).isEqualTo(1);
        JsonNode bad = json.get("quarantined_records").get(0);
        assertThat(bad.get("line").asLong()).isEqualTo(2);
        assertThat(bad.get("reason").asString()).isNotBlank();
        assertThat(bad.get("detail").asString()).isNotBlank();

        // stored durably: the analyst finds them; sent again, nothing is stored twice
        String table = json.get("tables").propertyNames().iterator().next();
        ServerFixture.Answer hunt = fixture.send("POST", "/api/v1/tenants/acme/hunt", fixture.tokens.get("analyst"),
                "{\"query\": \"" + table + " | where Computer == 'ingest-host' | count\"}");
        assertThat(hunt.body()).as(hunt.body()).contains("[[3]]");
        ServerFixture.Answer again = ingest("acme", fixture.tokens.get("ingest"), BATCH);
        assertThat(again.json().get("stored_new").asLong()).isZero();
        assertThat(again.json().get("already_stored").asLong()).isEqualTo(3);
        // an ingest token reads nothing
        assertThat(fixture.get("/api/v1/tenants/acme/alerts", fixture.tokens.get("ingest")).status()).isEqualTo(403);
        assertThat(AuditLog.records(data)).anySatisfy(r -> assertThat(r).contains("/ingest",
                "\"records\":\"4\"", "\"quarantined\":\"1\"", "\"actor\":\"acme-ingest\""));
    }

    @Test
    void theFormatHintReadsOtherFormatsLineByLine() {
        String syslog = "<34>Oct 11 22:14:15 fw-1 sshd[42]: Failed password for root from 198.51.100.9 port 22\n";
        ServerFixture.Answer answer = ingest("acme", fixture.tokens.get("owner"), syslog, "?format=syslog");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("accepted").asLong()).isEqualTo(1);
        assertThat(answer.json().get("tables").toString()).contains("Syslog");
        ServerFixture.Answer unknown = ingest("acme", fixture.tokens.get("owner"), syslog, "?format=nonsense");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("code").asString()).isEqualTo("format_unknown");
    }

    @Test
    void aBodyOverTheLimitIs413SayingHowToSplitIt() {
        String line = "{\"EventID\": 1, \"Computer\": \"big\", \"pad\": \"" + "x".repeat(1000) + "\"}\n";
        ServerFixture.Answer answer = ingest("acme", fixture.tokens.get("ingest"), line.repeat(70));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("message").asString()).contains("limit is 65536 bytes",
                "server.ingest.max-body-bytes");
        assertThat(answer.json().get("fix").asString()).contains("split -C 65536");
    }

    @Test
    void aTenantOverItsQuotaGets429NamingTheQuotaAndNothingIsStored() {
        String three = "{\"EventID\": 1, \"n\": 1}\n{\"EventID\": 1, \"n\": 2}\n{\"EventID\": 1, \"n\": 3}\n";
        assertThat(ingest("globex", fixture.tokens.get("other-tenant"), three).status()).isEqualTo(200);
        ServerFixture.Answer over = ingest("globex", fixture.tokens.get("other-tenant"),
                three.replace("\"n\": ", "\"n\": 1"));
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.json().get("code").asString()).isEqualTo("quota_exceeded");
        assertThat(over.json().get("message").asString()).contains("5 records per minute",
                "server.ingest.tenant-quotas", "nothing of it was stored");
        long retry = Long.parseLong(over.response().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1L, 60L);
        // acme has no quota
        assertThat(ingest("acme", fixture.tokens.get("ingest"), three.repeat(3)).status()).isEqualTo(200);
    }

    @Test
    void aRequestBeyondTheConcurrentLimitIs429WithRetryAfter() throws Exception {
        // the test holds acme's store, so an ingest into acme takes the only slot and waits there
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> fixture.server.stores().write(ServerFixture.ACME, store -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        holding.await();
        // on a thread of its own: the common pool may be busy with another test's leftovers
        var first = new java.util.concurrent.CompletableFuture<ServerFixture.Answer>();
        startWaitingIngest(first);
        ServerFixture.Answer refused = null;
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (refused == null && System.nanoTime() < deadline) {
            if (first.isDone()) {
                if (first.get().status() != 429) {
                    break;
                }
                // a probe took the slot before acme's request reached it: acme's request was the one refused, so
                // send it again; the probe, whose store is free, has given the slot back by now
                first = new java.util.concurrent.CompletableFuture<>();
                startWaitingIngest(first);
                Thread.sleep(50);
                continue;
            }
            ServerFixture.Answer answer = ingest("globex", fixture.tokens.get("other-tenant"), "");
            seen.add(answer.status());
            if (answer.status() == 429) {
                refused = answer;
            } else {
                Thread.sleep(20);
            }
        }
        boolean firstDoneEarly = first.isDone();
        release.countDown();
        holder.join();
        assertThat(firstDoneEarly).as("the first request waits for the store the test holds: " + (firstDoneEarly
                ? first.get().status() + " " + first.get().body() : "")).isFalse();
        assertThat(refused).as("a second request while the first holds the only slot; statuses seen: "
                + seen.subList(Math.max(0, seen.size() - 5), seen.size()) + " of " + seen.size()).isNotNull();
        assertThat(refused.json().get("code").asString()).isEqualTo("rate_limited");
        assertThat(refused.json().get("message").asString()).contains("server.ingest.concurrent-requests");
        assertThat(refused.response().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(first.get().json().get("accepted").asLong()).isEqualTo(1);
    }

    private void startWaitingIngest(java.util.concurrent.CompletableFuture<ServerFixture.Answer> answer) {
        Thread.ofVirtual().start(() -> answer.complete(ingest("acme", fixture.tokens.get("ingest"),
                "{\"EventID\": 7, \"waited\": true}\n")));
    }

    @Test
    void anIngestBodyMustBeNdjsonText() {
        HttpRequest form = HttpRequest.newBuilder(fixture.uri("/api/v1/tenants/acme/ingest"))
                .header("Authorization", "Bearer " + fixture.tokens.get("ingest"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")).build();
        ServerFixture.Answer answer = send(form);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("fix").asString()).contains("application/x-ndjson");
    }
}
