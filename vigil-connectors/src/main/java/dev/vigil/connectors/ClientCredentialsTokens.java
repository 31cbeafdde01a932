package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * OAuth2 client-credentials tokens from Entra ID ({@code POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token}
 * with {@code grant_type=client_credentials}, the client id and secret and the API's {@code /.default} scope). A token
 * is cached until {@code expires_in} minus a margin (five minutes, or a tenth of its lifetime when that is shorter),
 * so that it never expires in flight in the ordinary case; the API's 401 covers the rest.
 */
final class ClientCredentialsTokens implements TokenProvider {
    private static final Duration MARGIN = Duration.ofMinutes(5);

    private final Http http;
    private final URI tokenUrl;
    private final String clientId;
    private final String secret;
    private final String scope;
    private final Clock clock;
    private String token;
    private Instant refreshAt = Instant.MIN;
    private int fetched;

    ClientCredentialsTokens(Http http, String tokenUrl, String clientId, String secret, String scope, Clock clock) {
        this.http = requireNonNull(http, "http is null");
        this.tokenUrl = URI.create(requireNonNull(tokenUrl, "tokenUrl is null"));
        this.clientId = requireNonNull(clientId, "clientId is null");
        this.secret = requireNonNull(secret, "secret is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    @Override
    public synchronized void invalidate() {
        token = null;
    }

    /** How many tokens were fetched so far. */
    synchronized int fetched() {
        return fetched;
    }

    private void fetch() {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(secret) + "&scope=" + encode(scope);
        Http.Response response;
        try {
            response = http.send("POST", tokenUrl, "application/x-www-form-urlencoded", form, null);
        } catch (ConnectorException e) {
            throw new ConnectorException("connector '" + http.connector() + "' could not get a token from Entra ID: "
                    + e.getMessage(), "Check --tenant-id (the directory id), --client-id and the client secret (a"
                    + " secret expires: create a new one under the app registration's Certificates & secrets, then"
                    + " `vigil connectors add` again with --client-secret-env). Entra's AADSTS code above says which.",
                    e);
        }
        JsonNode body;
        try {
            body = ConnectorRegistry.JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new ConnectorException("connector '" + http.connector() + "': the token response of "
                    + tokenUrl.getPath() + " is not JSON", "Check the connector's --authority URL.", e);
        }
        String accessToken = body.path("access_token").asString("");
        if (accessToken.isEmpty()) {
            throw new ConnectorException("connector '" + http.connector() + "': the token response of "
                    + tokenUrl.getPath() + " has no access_token", "Check the connector's --authority URL.");
        }
        long lifetime = body.path("expires_in").asLong(3599);
        Duration margin = Duration.ofSeconds(Math.min(MARGIN.toSeconds(), lifetime / 10));
        token = accessToken;
        refreshAt = clock.instant().plusSeconds(lifetime).minus(margin);
        fetched++;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
