package dev.vigil.connectors;

import static dev.vigil.connectors.FakeMicrosoft.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import dev.vigil.store.AlertQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphSecurityConnectorTest {
    private static final String ALERTS = "/v1.0/security/alerts_v2";
    private static final String INCIDENTS = "/v1.0/security/incidents";

    @TempDir
    Path data;

    ConnectorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ConnectorFixture(data);
        fixture.add("graph", ConnectorConfig.Kind.GRAPH_SECURITY, "", "");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Alerts da1..da6 on three pages of two; all of one incident per page. */
    static String alertsPage(String base, int page) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            int n = (page - 1) * 2 + i;
            values.add(GraphPayloads.alert("da" + n, "10" + page, "2026-11-29T1" + n / 10 + ":0" + n % 10 + ":00Z",
                    "2026-11-29T11:0" + n + ":00.1234567Z"));
        }
        return GraphPayloads.page("alerts_v2", page < 3 ? base + ALERTS + "?$skiptoken=p" + (page + 1) : null, values);
    }

    static int pageOf(FakeMicrosoft.Request request) {
        String token = request.param("$skiptoken");
        return token.isEmpty() ? 1 : Integer.parseInt(token.substring(1));
    }

    void serveThreePages() {
        String base = fixture.server.baseUrl();
        fixture.server.respond(request -> request.path().equals(ALERTS) ? Reply.ok(alertsPage(base, pageOf(request)))
                : Reply.ok(GraphPayloads.page("incidents", null, List.of())));
    }

    @Test
    void followsNextLinksAndStoresTheRecordsAndTheirAlerts() {
        serveThreePages();
        List<String> progress = new ArrayList<>();

        RunSummary summary = fixture.open("graph").run(progress::add);

        assertThat(summary.pages()).isEqualTo(4); // three pages of alerts, one (empty) of incidents
        assertThat(summary.read()).isEqualTo(6);
        assertThat(summary.storedNew()).isEqualTo(6);
        assertThat(summary.alertsNew()).isEqualTo(6);
        assertThat(fixture.count("GraphSecurityAlert")).isEqualTo(6);
        assertThat(fixture.store.alerts(AlertQuery.newest(100))).hasSize(6)
                .allSatisfy(alert -> assertThat(alert.source()).isEqualTo("graph-security"));
        assertThat(progress).hasSize(4).first().asString().contains("alerts_v2 page 1: 2 read, 2 stored");
        FakeMicrosoft.Request first = fixture.server.apiRequests().get(0);
        assertThat(first.param("$filter")).isEqualTo("lastUpdateDateTime%20ge%202026-11-28T12%3A00%3A00Z");
        assertThat(first.param("$top")).isEqualTo("2");
        assertThat(first.authorization()).isEqualTo("Bearer token-1");
        assertThat(fixture.server.tokensIssued()).isEqualTo(1);
    }

    @Test
    void theNextRunAsksFromTheWatermarkAndSkipsWhatItStoredThere() {
        serveThreePages();
        fixture.open("graph").run(line -> { });
        int before = fixture.server.apiRequests().size();

        RunSummary again = fixture.open("graph").run(line -> { });

        FakeMicrosoft.Request first = fixture.server.apiRequests().get(before);
        assertThat(first.param("$filter")).isEqualTo("lastUpdateDateTime%20ge%202026-11-29T11%3A06%3A00.123456700Z");
        // The fake ignores the filter and replays everything: only the ids at the watermark are skipped by the
        // checkpoint, and the store keeps the rest once.
        assertThat(again.storedNew()).isZero();
        assertThat(again.alertsNew()).isZero();
        assertThat(again.skipped()).isEqualTo(1);
        assertThat(fixture.count("GraphSecurityAlert")).isEqualTo(6);
    }

    @Test
    void aRunStoppedAfterPageTwoResumesAtPageThreeWithoutGapsOrDuplicates() {
        String base = fixture.server.baseUrl();
        fixture.server.respond(request -> {
            if (!request.path().equals(ALERTS)) {
                return Reply.ok(GraphPayloads.page("incidents", null, List.of()));
            }
            int page = pageOf(request);
            return page == 3 ? Reply.status(500, "{\"error\":{\"code\":\"InternalServerError\"}}")
                    : Reply.ok(alertsPage(base, page));
        });
        ConnectorException failure = catchThrowableOfType(ConnectorException.class,
                () -> fixture.open("graph").run(line -> { }));
        assertThat(failure).hasMessageContaining("connector 'graph'").hasMessageContaining(ALERTS)
                .hasMessageContaining("failed 4 times").hasMessageContaining("HTTP 500");
        assertThat(fixture.count("GraphSecurityAlert")).isEqualTo(4);

        fixture.restart();
        serveThreePages();
        int before = fixture.server.apiRequests().size();
        RunSummary resumed = fixture.open("graph").run(line -> { });

        List<FakeMicrosoft.Request> rerun = fixture.server.apiRequests().subList(before,
                fixture.server.apiRequests().size());
        assertThat(rerun.stream().filter(r -> r.path().equals(ALERTS)).map(GraphSecurityConnectorTest::pageOf))
                .containsExactly(3);
        assertThat(resumed.storedNew()).isEqualTo(2);
        assertThat(fixture.count("GraphSecurityAlert")).isEqualTo(6);
        assertThat(fixture.store.alerts(AlertQuery.newest(100))).extracting(a -> a.matchedFields().get("id"))
                .containsExactlyInAnyOrder("da1", "da2", "da3", "da4", "da5", "da6");
        Checkpoint checkpoint = fixture.connectors.registry().checkpoint("graph");
        assertThat(checkpoint.midRun()).isFalse();
        assertThat(checkpoint.watermark()).isEqualTo(Instant.parse("2026-11-29T11:06:00.1234567Z"));
        assertThat(checkpoint.idsAtWatermark()).containsExactly("da6");
    }

    @Test
    void anExpiredNextLinkFallsBackToTheWatermarkAndStoresNothingTwice() {
        String base = fixture.server.baseUrl();
        fixture.server.respond(request -> {
            if (!request.path().equals(ALERTS)) {
                return Reply.ok(GraphPayloads.page("incidents", null, List.of()));
            }
            int page = pageOf(request);
            return page == 3 ? Reply.status(503, "") : Reply.ok(alertsPage(base, page));
        });
        catchThrowableOfType(ConnectorException.class, () -> fixture.open("graph").run(line -> { }));
        java.util.concurrent.atomic.AtomicBoolean refused = new java.util.concurrent.atomic.AtomicBoolean();
        fixture.server.respond(request -> {
            if (!request.path().equals(ALERTS)) {
                return Reply.ok(GraphPayloads.page("incidents", null, List.of()));
            }
            int page = pageOf(request);
            return page == 3 && !refused.getAndSet(true)
                    ? Reply.status(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid skip token\"}}")
                    : Reply.ok(alertsPage(base, page));
        });
        List<String> progress = new ArrayList<>();

        RunSummary resumed = fixture.open("graph").run(progress::add);

        assertThat(progress).anyMatch(line -> line.contains("the saved next page is gone (HTTP 400)"));
        assertThat(resumed.storedNew()).isEqualTo(2);
        assertThat(resumed.alertsNew()).isEqualTo(2);
        assertThat(fixture.count("GraphSecurityAlert")).isEqualTo(6);
        assertThat(fixture.store.alerts(AlertQuery.newest(100))).hasSize(6);
    }

    @Test
    void throttlingWaitsAsLongAsRetryAfterSays() {
        String base = fixture.server.baseUrl();
        AtomicInteger calls = new AtomicInteger();
        fixture.server.respond(request -> {
            if (!request.path().equals(ALERTS)) {
                return Reply.ok(GraphPayloads.page("incidents", null, List.of()));
            }
            return switch (calls.incrementAndGet()) {
                case 1 -> Reply.status(429, "{\"error\":{\"code\":\"TooManyRequests\"}}", "Retry-After", "7");
                case 2 -> Reply.status(503, "", "Retry-After", "Sun, 29 Nov 2026 12:00:30 GMT");
                default -> Reply.ok(alertsPage(base, 3));
            };
        });

        RunSummary summary = fixture.open("graph").run(line -> { });

        assertThat(fixture.sleeper.waits()).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(30));
        assertThat(summary.storedNew()).isEqualTo(2);
    }

    @Test
    void anExpiredTokenIsRefreshedOnceAndTheRunContinues() {
        String base = fixture.server.baseUrl();
        fixture.server.respond(request -> {
            if (!request.path().equals(ALERTS)) {
                return Reply.ok(GraphPayloads.page("incidents", null, List.of()));
            }
            int page = pageOf(request);
            String body = alertsPage(base, page);
            if (page == 1) {
                fixture.server.expireTokens(); // the token expires right after page 1
            }
            return Reply.ok(body);
        });

        RunSummary summary = fixture.open("graph").run(line -> { });

        assertThat(summary.storedNew()).isEqualTo(6);
        assertThat(fixture.server.tokensIssued()).isEqualTo(2);
        assertThat(fixture.server.apiRequests()).extracting(FakeMicrosoft.Request::authorization)
                .containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2", "Bearer token-2",
                        "Bearer token-2");
    }

    @Test
    void aMalformedPageFailsNamingTheConnectorPathAndPositionAndStoresNothingOfIt() {
        String base = fixture.server.baseUrl();
        fixture.server.respond(request -> {
            int page = pageOf(request);
            return page == 2 ? Reply.ok("{\"value\":[{\"id\":\"da3\",\"title\":\"x\"\n,\"severity\": }]}")
                    : Reply.ok(alertsPage(base, page));
        });

        ConnectorException failure = catchThrowableOfType(ConnectorException.class,
                () -> fixture.open("graph").run(line -> { }));

        assertThat(failure.getMessage()).startsWith("connector 'graph': the response of " + ALERTS
                + " is not valid JSON at line 2, column 14");
        assertThat(failure.fix()).contains("nothing of it was stored");
        assertThat(fixture.count("GraphSecurityAlert")).isEqualTo(2);
        Checkpoint checkpoint = fixture.connectors.registry().checkpoint("graph");
        assertThat(checkpoint.resumeLink()).endsWith("$skiptoken=p2");
    }

    @Test
    void aPartialPageStoresWhatItCanAndQuarantinesTheRest() {
        fixture.server.respond(request -> request.path().equals(ALERTS) ? Reply.ok(GraphPayloads.page("alerts_v2", null,
                List.of(GraphPayloads.alert("da1", "101", "2026-11-29T10:00:00Z", "2026-11-29T10:05:00Z"),
                        "{\"title\":\"no id\",\"createdDateTime\":\"2026-11-29T10:00:00Z\"}",
                        "{\"id\":\"da9\",\"title\":\"no time\"}")))
                : Reply.ok(GraphPayloads.page("incidents", null, List.of())));

        RunSummary summary = fixture.open("graph").run(line -> { });

        assertThat(summary.read()).isEqualTo(3);
        assertThat(summary.storedNew()).isEqualTo(1);
        assertThat(summary.quarantined()).isEqualTo(2);
        assertThat(fixture.store.quarantineCounts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
    }

    @Test
    void incidentsWithTheirAlertsAreStoredAndTheAlertsOfOneIncidentBecomeOneVigilIncident() {
        String alertA = GraphPayloads.alert("da1", "55", "2026-11-29T09:00:00Z", "2026-11-29T09:10:00Z");
        String alertB = GraphPayloads.alert("da2", "55", "2026-11-29T09:30:00Z", "2026-11-29T09:40:00Z")
                .replace("tempdc.contoso.com", "other-host.contoso.com");
        String alertC = GraphPayloads.alert("da3", "56", "2026-11-29T09:31:00Z", "2026-11-29T09:41:00Z");
        fixture.server.respond(request -> request.path().equals(ALERTS)
                ? Reply.ok(GraphPayloads.page("alerts_v2", null, List.of(alertA)))
                : Reply.ok(GraphPayloads.page("incidents", null, List.of(
                        GraphPayloads.incident("55", "2026-11-29T09:45:00Z", alertA, alertB),
                        GraphPayloads.incident("56", "2026-11-29T09:46:00Z", alertC)))));

        RunSummary summary = fixture.open("graph").run(line -> { });
        CorrelationSummary correlated = fixture.store.incidents().correlate(CorrelationPolicy.defaults(),
                TacticStages.unknown(), ConnectorFixture.NOW, step -> { });
        fixture.store.commit();

        assertThat(summary.alertsNew()).isEqualTo(3);
        assertThat(fixture.count("GraphSecurityIncident")).isEqualTo(2);
        assertThat(fixture.count("GraphSecurityAlert")).isEqualTo(3); // da1 came twice, byte-identical: stored once
        assertThat(fixture.store.alerts(AlertQuery.newest(10))).extracting(Alert::incidentRef)
                .containsExactlyInAnyOrder("defender:55", "defender:55", "defender:56");
        assertThat(correlated.alerts()).isEqualTo(3);
        assertThat(correlated.opened()).isEqualTo(2);
        assertThat(fixture.connectors.registry().checkpoint("graph.incidents").watermark())
                .isEqualTo(Instant.parse("2026-11-29T09:46:00Z"));
    }
}
