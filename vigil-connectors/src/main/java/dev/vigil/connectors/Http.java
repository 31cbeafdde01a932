package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a connector's requests with retries as its {@link RetryPolicy} says, and turns what cannot be retried into a
 * {@link ConnectorException} naming the connector, the method and path, the status and the fix. Bearer tokens come
 * from a {@link TokenProvider}; a 401 invalidates the token and retries once with a fresh one (a token may expire
 * between the cache's check and the server's). No token or secret is ever written to a message or the log.
 */
final class Http {
    private static final Logger LOG = LoggerFactory.getLogger(Http.class);
    private static final int EXCERPT = 300;

    private final String connector;
    private final HttpClient client;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;

    Http(String connector, HttpClient client, RetryPolicy policy, Sleeper sleeper, Clock clock, RandomGenerator random) {
        this.connector = requireNonNull(connector, "connector is null");
        this.client = requireNonNull(client, "client is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    static HttpClient defaultClient(RetryPolicy policy) {
        return HttpClient.newBuilder().connectTimeout(policy.timeout()).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    String connector() {
        return connector;
    }

    /** A response with a 2xx status. */
    record Response(int status, String body, URI uri) {}

    /**
     * Sends the request until it succeeds or may not be retried.
     *
     * @param body null for GET
     * @param tokens null for a request without a bearer token (the token request itself)
     */
    Response send(String method, URI uri, String contentType, String body, TokenProvider tokens) {
        boolean refreshed = false;
        String lastProblem = "";
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(policy.timeout())
                    .header("Accept", "application/json").header("User-Agent", "vigil-connector");
            if (body != null) {
                request.header("Content-Type", contentType)
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            if (tokens != null) {
                request.header("Authorization", "Bearer " + tokens.token());
            }
            HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                pause(attempt, backoff(attempt), method, uri, lastProblem);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigilException(ErrorCode.INTERRUPTED, "connector '" + connector + "' was interrupted during "
                        + method + " " + uri.getPath());
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Response(status, response.body(), uri);
            }
            lastProblem = "HTTP " + status + excerpt(response.body());
            if (status == 401 && tokens != null && !refreshed) {
                refreshed = true;
                tokens.invalidate();
                LOG.info("connector {}: {} {} returned 401; retrying with a fresh token", connector, method,
                        uri.getPath());
                continue;
            }
            if (status == 429 || status == 503) {
                Optional<Duration> asked = retryAfter(response);
                Duration wait = asked.isEmpty() ? backoff(attempt)
                        : asked.get().compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : asked.get();
                pause(attempt, wait, method, uri, lastProblem);
                continue;
            }
            if (status >= 500 || status == 408) {
                pause(attempt, backoff(attempt), method, uri, lastProblem);
                continue;
            }
            throw new ConnectorException("connector '" + connector + "': " + method + " " + uri.getPath() + " returned "
                    + lastProblem, fixFor(status), null, status);
        }
        throw new ConnectorException("connector '" + connector + "': " + method + " " + uri.getPath() + " failed "
                + policy.maxAttempts() + " times; last: " + lastProblem,
                "Check that the endpoint is reachable and healthy, then run the connector again: it resumes from the"
                        + " last stored page.");
    }

    private void pause(int attempt, Duration wait, String method, URI uri, String problem) {
        if (attempt >= policy.maxAttempts()) {
            return;
        }
        LOG.info("connector {}: {} {} attempt {} failed ({}); retrying in {} ms", connector, method, uri.getPath(),
                attempt, problem, wait.toMillis());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "connector '" + connector + "' was interrupted while"
                    + " waiting to retry " + uri.getPath());
        }
    }

    /** Exponential backoff with jitter: between half and all of {@code base * 2^(attempt-1)}, capped. */
    Duration backoff(int attempt) {
        long base = policy.baseDelay().toMillis();
        long exponential = base << Math.min(attempt - 1, 20);
        long capped = Math.min(exponential, policy.maxDelay().toMillis());
        return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 section 10.2.3). */
    Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(this::parseRetryAfter);
    }

    Optional<Duration> parseRetryAfter(String value) {
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ").strip();
        return ": " + (flat.length() > EXCERPT ? flat.substring(0, EXCERPT) + "…" : flat);
    }

    private static String fixFor(int status) {
        return switch (status) {
            case 401 -> "The token was refused twice: check the connector's --tenant-id, --client-id and secret"
                    + " (`vigil connectors add` again with --client-secret-env), and that the secret has not expired.";
            case 403 -> "Grant the app registration the API's application permission and an admin's consent (Graph:"
                    + " SecurityAlert.Read.All and SecurityIncident.Read.All; Log Analytics: the Log Analytics Reader"
                    + " role on the workspace; Defender: AdvancedHunting.Read.All; Sentinel incidents: the Microsoft Sentinel Reader"
                    + " role on the workspace).";
            case 404 -> "Check the connector's --endpoint and --workspace: the path does not exist there.";
            case 400 -> "The API refused the request as sent: check the connector's --query (run it in the portal first)"
                    + " and its settings; the response above says what it objected to.";
            default -> "Check the connector's settings with `vigil connectors test NAME`.";
        };
    }
}
