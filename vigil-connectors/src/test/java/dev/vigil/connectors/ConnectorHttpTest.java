package dev.vigil.connectors;

import static dev.vigil.connectors.FakeMicrosoft.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectorHttpTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    FakeMicrosoft server;
    RecordingSleeper sleeper = new RecordingSleeper();
    Http http;
    ClientCredentialsTokens tokens;

    @BeforeEach
    void start() throws Exception {
        server = new FakeMicrosoft();
        http = new Http("test", Http.defaultClient(ConnectorFixture.POLICY), ConnectorFixture.POLICY, sleeper,
                Clock.fixed(NOW, ZoneOffset.UTC), new SplittableRandom(7));
        tokens = new ClientCredentialsTokens(http, server.baseUrl() + "/dir/oauth2/v2.0/token", "client-1",
                "the secret", "https://graph.microsoft.com/.default", Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    URI api() {
        return URI.create(server.baseUrl() + "/v1.0/security/alerts_v2");
    }

    @Test
    void theTokenRequestIsClientCredentialsAndTheTokenIsCached() {
        server.respond(request -> Reply.ok("{\"value\":[]}"));
        http.send("GET", api(), null, null, tokens);
        http.send("GET", api(), null, null, tokens);

        assertThat(server.tokensIssued()).isEqualTo(1);
        FakeMicrosoft.Request token = server.requests().get(0);
        assertThat(token.method()).isEqualTo("POST");
        assertThat(token.path()).isEqualTo("/dir/oauth2/v2.0/token");
        assertThat(token.body()).isEqualTo("grant_type=client_credentials&client_id=client-1&client_secret=the+secret"
                + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoffAndJitter() {
        AtomicInteger calls = new AtomicInteger();
        server.respond(request -> calls.incrementAndGet() < 4 ? Reply.status(502, "bad gateway")
                : Reply.ok("{\"value\":[]}"));

        assertThat(http.send("GET", api(), null, null, tokens).status()).isEqualTo(200);

        assertThat(sleeper.waits()).hasSize(3);
        long[] bases = {1000, 2000, 4000};
        for (int i = 0; i < 3; i++) {
            assertThat(sleeper.waits().get(i).toMillis()).isBetween(bases[i] / 2, bases[i]);
        }
    }

    @Test
    void clientErrorsAreNotRetriedAndSayHowToFixThem() {
        server.respond(request -> Reply.status(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing role"
                + " SecurityAlert.Read.All\"}}"));

        ConnectorException failure = catchThrowableOfType(ConnectorException.class,
                () -> http.send("GET", api(), null, null, tokens));

        assertThat(failure).hasMessage("connector 'test': GET /v1.0/security/alerts_v2 returned HTTP 403:"
                + " {\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing role SecurityAlert.Read.All\"}}");
        assertThat(failure.fix()).contains("SecurityAlert.Read.All").contains("admin's consent");
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void aRefusedSecretSaysSoWithoutPrintingIt() {
        server.respondToTokenRequests(request -> Reply.status(401, "{\"error\":\"invalid_client\","
                + "\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}"));

        ConnectorException failure = catchThrowableOfType(ConnectorException.class, tokens::token);

        assertThat(failure.getMessage()).contains("could not get a token from Entra ID").contains("AADSTS7000215")
                .doesNotContain("the secret");
        assertThat(failure.fix()).contains("--client-secret-env");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndCapped() {
        assertThat(http.parseRetryAfter("12")).contains(Duration.ofSeconds(12));
        assertThat(http.parseRetryAfter("Sun, 29 Nov 2026 12:01:00 GMT")).contains(Duration.ofMinutes(1));
        assertThat(http.parseRetryAfter("Sun, 29 Nov 2026 11:00:00 GMT")).contains(Duration.ZERO);
        assertThat(http.parseRetryAfter("soon")).isEqualTo(Optional.empty());

        server.respond(new java.util.function.Function<>() {
            int calls;

            @Override
            public Reply apply(FakeMicrosoft.Request request) {
                return ++calls == 1 ? Reply.status(429, "", "Retry-After", "86400") : Reply.ok("{}");
            }
        });
        http.send("GET", api(), null, null, tokens);
        assertThat(sleeper.waits()).containsExactly(Duration.ofMinutes(5));
    }

    @Test
    void anUnreachableEndpointFailsAfterTheLastAttempt() {
        server.close();
        ConnectorException failure = catchThrowableOfType(ConnectorException.class,
                () -> http.send("GET", api(), null, null, null));
        assertThat(failure).hasMessageContaining("connector 'test': GET /v1.0/security/alerts_v2 failed 4 times");
        assertThat(sleeper.waits()).hasSize(3);
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aCachedTokenIsRenewedFiveMinutesBeforeItExpires() {
        MovableClock clock = new MovableClock();
        ClientCredentialsTokens renewing = new ClientCredentialsTokens(http, server.baseUrl() + "/dir/oauth2/v2.0/token",
                "client-1", "the secret", "https://graph.microsoft.com/.default", clock);

        assertThat(renewing.token()).isEqualTo("token-1");
        clock.now = NOW.plusSeconds(3599 - 300 - 1);
        assertThat(renewing.token()).isEqualTo("token-1");
        clock.now = NOW.plusSeconds(3599 - 300);
        assertThat(renewing.token()).isEqualTo("token-2");
        renewing.invalidate();
        assertThat(renewing.token()).isEqualTo("token-3");
        assertThat(renewing.fetched()).isEqualTo(3);
    }

    @Test
    void aTruncatedResponseNamesWhereItEnds() {
        server.respond(request -> Reply.ok("{\"value\":[{\"id\":\"a1\",\"title\":\"cut"));
        ConnectorException failure = catchThrowableOfType(ConnectorException.class,
                () -> Responses.parse("test", http.send("GET", api(), null, null, tokens)));
        assertThat(failure.getMessage()).startsWith("connector 'test': the response of /v1.0/security/alerts_v2 is not"
                + " valid JSON at line 1, column ").contains("end-of-input");
    }
}
