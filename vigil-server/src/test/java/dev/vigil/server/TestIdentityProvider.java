package dev.vigil.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Connect provider for the tests, on the JDK's HTTP server: discovery, JWKS, an authorization
 * endpoint that signs in whoever {@link #signIn} names and redirects back with a code, and a token endpoint that
 * checks the client's credentials, the redirect URI and the PKCE verifier (S256) before it hands out an RS256-signed
 * ID token. Its knobs make it misbehave the ways a test needs: another audience, an expired token, another nonce, a
 * tampered signature, a key the JWKS does not have.
 */
final class TestIdentityProvider implements AutoCloseable {
    static final String CLIENT_ID = "vigil-test";
    static final String CLIENT_SECRET = "test-client-secret-9f3a";

    private final HttpServer server;
    private final RSAKey key;
    private final RSAKey otherKey;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** Who the next authorization signs in: the ID token's {@code sub} and {@code email}. */
    volatile String subject = "sub-1";
    volatile String email = "carol@example.com";
    volatile Boolean emailVerified = true;
    /** Misbehaviours, off by default. */
    volatile String audience = CLIENT_ID;
    volatile Duration lifetime = Duration.ofMinutes(5);
    volatile String nonceOverride;
    volatile boolean tamper;
    volatile boolean signWithUnknownKey;
    volatile int tokenRequests;

    private record Grant(String clientId, String redirectUri, String challenge, String nonce, String subject,
            String email, Boolean verified) {}

    TestIdentityProvider() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-key").generate();
            otherKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", exchange -> send(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer());
        document.put("authorization_endpoint", issuer() + "/authorize");
        document.put("token_endpoint", issuer() + "/token");
        document.put("jwks_uri", issuer() + "/jwks");
        document.put("response_types_supported", java.util.List.of("code"));
        document.put("code_challenge_methods_supported", java.util.List.of("S256"));
        document.put("token_endpoint_auth_methods_supported", java.util.List.of("client_secret_basic"));
        send(exchange, 200, ApiJson.MAPPER.writeValueAsString(document));
    }

    /** Signs in {@link #subject} at once (no page) and redirects back with a code, as a provider does. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(query.get("response_type")) || !CLIENT_ID.equals(query.get("client_id"))
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null
                || !query.getOrDefault("scope", "").contains("openid")) {
            send(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(query.get("client_id"), query.get("redirect_uri"), query.get("code_challenge"),
                query.get("nonce"), subject, email, emailVerified));
        exchange.getResponseHeaders().add("Location", query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests++;
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null
                || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String verifier = form.get("code_verifier");
        if (verifier == null || !OidcLogin.challenge(verifier).equals(grant.challenge())) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed\"}");
            return;
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(grant.subject())
                .audience(audience).issueTime(Date.from(now.minus(Duration.ofSeconds(1))))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("nonce", nonceOverride != null ? nonceOverride : grant.nonce()).claim("email", grant.email());
        if (grant.verified() != null) {
            claims.claim("email_verified", grant.verified());
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signWithUnknownKey ? otherKey : key));
            String idToken = jwt.serialize();
            if (tamper) {
                // change one claim and keep the old signature
                String[] parts = idToken.split("\\.");
                String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace(grant.email(), "admin@example.com");
                idToken = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            }
            send(exchange, 200, ApiJson.MAPPER.writeValueAsString(Map.of("access_token", "opaque",
                    "token_type", "Bearer", "id_token", idToken)));
        } catch (JOSEException e) {
            send(exchange, 500, "{\"error\":\"server_error\"}");
        }
    }

    /** Resets the knobs to a well-behaved provider. */
    void behave() {
        audience = CLIENT_ID;
        lifetime = Duration.ofMinutes(5);
        nonceOverride = null;
        tamper = false;
        signWithUnknownKey = false;
        emailVerified = true;
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return values;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
