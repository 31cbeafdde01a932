package dev.vigil.copilot.plugins;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OAuth 2.0 client-credentials tokens, cached per tenant, token endpoint, client and scopes until shortly before they
 * expire (half their lifetime early, at most 30 s), so that a token is never sent in its last seconds. Safe for use
 * by several threads; two threads may both fetch a token when none is cached, which is harmless.
 */
final class TokenCache {
    private record Key(String tenant, String endpoint, String clientId, String scopes) {}

    private record Token(String value, Instant refreshAt) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TokenCache SHARED = new TokenCache(Clock.systemUTC());

    private final Clock clock;
    private final ConcurrentMap<Key, Token> tokens = new ConcurrentHashMap<>();

    TokenCache(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    static TokenCache shared() {
        return SHARED;
    }

    /** A valid access token, fetched from the endpoint when none is cached or the cached one is about to expire. */
    String token(HttpClient client, String tenant, String endpoint, String clientId, String clientSecret, String scopes,
            Duration timeout) {
        Key key = new Key(tenant, endpoint, clientId, scopes);
        Token cached = tokens.get(key);
        if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
            return cached.value();
        }
        Token fresh = fetch(client, endpoint, clientId, clientSecret, scopes, timeout);
        tokens.put(key, fresh);
        return fresh.value();
    }

    /** Forgets a token the API refused, so that the next call fetches a new one. */
    void invalidate(String tenant, String endpoint, String clientId, String scopes) {
        tokens.remove(new Key(tenant, endpoint, clientId, scopes));
    }

    private Token fetch(HttpClient client, String endpoint, String clientId, String clientSecret, String scopes,
            Duration timeout) {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret) + (scopes.isBlank() ? "" : "&scope=" + encode(scopes));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        Instant asked = clock.instant();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "the token endpoint " + endpoint
                    + " did not answer within " + timeout.toMillis() + " ms", "Check that the token endpoint is up"
                    + " and reachable from Vigil.", e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "the token endpoint " + endpoint
                    + " cannot be reached: " + e, "Check the TokenEndpoint of the plugin's Authorization.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while asking " + endpoint + " for a token", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "the token endpoint " + endpoint + " refused the"
                    + " client credentials with HTTP " + response.statusCode(), "Check the ClientId and ClientSecret"
                    + " settings (`vigil plugins install DIR --setting ClientSecret=...` replaces them).", null);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "the token endpoint " + endpoint
                    + " answered with something other than JSON", "Check the TokenEndpoint of the plugin.", e);
        }
        String token = body.path("access_token").asString("");
        if (token.isEmpty()) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "the token endpoint " + endpoint
                    + " answered without an access_token", "Check the TokenEndpoint of the plugin.", null);
        }
        long lifetime = body.path("expires_in").asLong(3600);
        long early = Math.min(30, lifetime / 2);
        return new Token(token, asked.plusSeconds(lifetime - early));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
