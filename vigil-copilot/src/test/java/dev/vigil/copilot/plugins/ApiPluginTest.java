package dev.vigil.copilot.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Specifications of API plugin skills against a local device-risk service: one operation per skill, each
 * authentication the manifest can ask for, and the failures an analyst meets (a refused key, a 500, a timeout).
 */
class ApiPluginTest {
    private static final String SPEC = """
                  OpenApiSpec:
                    openapi: 3.0.3
                    info: {title: Device risk, version: "1.0"}
                    paths:
                      /devices/{deviceName}/risk:
                        get:
                          operationId: getDeviceRisk
                          summary: Risk reasons of a device
                          parameters:
                            - {name: deviceName, in: path, required: true, schema: {type: string}}
                            - {name: top, in: query, schema: {type: integer}}
                      /fail:
                        get: {operationId: failing, summary: Always fails}
                      /slow:
                        get: {operationId: slow, summary: Answers late}
            """;

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile String validToken = "";
    private MutableClock clock;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/token", this::token);
        server.createContext("/devices/", exchange -> {
            synchronized (requests) {
                requests.add(exchange.getRequestURI().toString() + " " + auth(exchange));
            }
            if (!authorized(exchange)) {
                respond(exchange, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            respond(exchange, 200, """
                    {"device": "WS-01", "reasons": [
                      {"reason": "RDP exposed to the internet", "score": 80, "confirmed": true},
                      {"reason": "Outdated OpenSSL", "score": 45, "confirmed": false}]}""");
        });
        server.createContext("/fail", exchange -> respond(exchange, 500, "{\"error\":\"database unavailable\"}"));
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "[]");
        });
        server.start();
        clock = new MutableClock(Instant.parse("2025-09-01T12:00:00Z"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anApiKeyGoesInItsHeaderAndTheAnswerBecomesATableWithEvidence() {
        ApiSkill skill = skill("Authorization: {Type: APIKey, Key: x-api-key, Location: Header}", "getDeviceRisk",
                Map.of("ApiKey", "k-123"));

        SkillResult result = PluginTenant.run(skill, "device_name", "WS-01", "top", "2");

        assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
        assertThat(result.markdown()).isEqualTo("**Risk reasons of a device** (plugin Device risk) answered with 2 records.");
        assertThat(result.tables().get(0).columns()).containsExactly("reason", "score", "confirmed");
        assertThat(result.tables().get(0).rows().get(0)).containsExactly("RDP exposed to the internet", 80L, true);
        assertThat(result.evidence().get(0).refs()).containsExactly("api:device-risk/getDeviceRisk");
        assertThat(requests).containsExactly("/devices/WS-01/risk?top=2 x-api-key=k-123");
        assertThat(skill.spec().name()).isEqualTo("device-risk-get-device-risk");
    }

    @Test
    void aRefusedKeyFailsSayingWhatToCheckWithoutPrintingTheKey() {
        ApiSkill skill = skill("Authorization: {Type: APIKey, Key: api_key, Location: QueryParams}", "getDeviceRisk",
                Map.of("ApiKey", "wrong-key"));

        SkillResult result = PluginTenant.run(skill, "device_name", "WS-01");

        assertThat(result.status()).isEqualTo(SkillResult.Status.FAILED);
        assertThat(result.markdown()).startsWith("The API of plugin Device risk answered HTTP 401 to GET "
                + base() + "/devices/WS-01/risk:").contains("Fix: The API refused the credentials")
                .doesNotContain("wrong-key");
    }

    @Test
    void basicAuthenticationSendsTheUserAndPasswordSettings() {
        ApiSkill skill = skill("Authorization: {Type: Basic}", "getDeviceRisk",
                Map.of("Username", "vigil", "Password", "s3cret"));

        SkillResult result = PluginTenant.run(skill, "device_name", "WS-01");

        assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
        assertThat(requests).containsExactly("/devices/WS-01/risk basic=vigil:s3cret");
    }

    @Test
    void oauthClientCredentialsTokensAreCachedUntilTheyExpireThenRefreshed() {
        ApiSkill skill = skill("Authorization: {Type: OAuthClientCredentialsFlow, TokenEndpoint: '{{BaseUrl}}/token',"
                + " Scopes: risk.read}", "getDeviceRisk", Map.of("ClientId", "vigil", "ClientSecret", "cs-1"));

        SkillResult first = PluginTenant.run(skill, "device_name", "WS-01");
        SkillResult cached = PluginTenant.run(skill, "device_name", "WS-01");
        clock.advance(Duration.ofSeconds(31)); // the token lives 60 s and is renewed 30 s early
        SkillResult refreshed = PluginTenant.run(skill, "device_name", "WS-01");

        assertThat(List.of(first, cached, refreshed)).extracting(SkillResult::status)
                .containsOnly(SkillResult.Status.OK);
        assertThat(tokensIssued).hasValue(2);
        assertThat(requests).containsExactly("/devices/WS-01/risk bearer=token-1", "/devices/WS-01/risk bearer=token-1",
                "/devices/WS-01/risk bearer=token-2");
    }

    @Test
    void aTokenTheApiNoLongerAcceptsIsReplacedOnce() {
        ApiSkill skill = skill("Authorization: {Type: OAuthClientCredentialsFlow, TokenEndpoint: '{{BaseUrl}}/token'}",
                "getDeviceRisk", Map.of("ClientId", "vigil", "ClientSecret", "cs-1"));
        PluginTenant.run(skill, "device_name", "WS-01");
        validToken = "revoked";

        SkillResult result = PluginTenant.run(skill, "device_name", "WS-01");

        assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
        assertThat(tokensIssued).hasValue(2);
    }

    @Test
    void aServerErrorIsAFailedResultNamingTheCallAndTheFix() {
        ApiSkill skill = skill("Authorization: {Type: None}", "failing", Map.of());

        SkillResult result = PluginTenant.run(skill);

        assertThat(result.status()).isEqualTo(SkillResult.Status.FAILED);
        assertThat(result.markdown()).isEqualTo("The API of plugin Device risk answered HTTP 500 to GET " + base()
                + "/fail:\n\n```\n{\"error\":\"database unavailable\"}\n```\n\n"
                + "Fix: The service failed; ask again later, or check the service's own logs.");
    }

    @Test
    void aCallPastTheTimeoutIsAbandoned() {
        ApiSkill skill = skill("Authorization: {Type: None}", "slow", Map.of());

        long start = System.nanoTime();
        SkillResult result = PluginTenant.run(skill);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_800));
        assertThat(result.status()).isEqualTo(SkillResult.Status.FAILED);
        assertThat(result.markdown()).startsWith("The call GET " + base() + "/slow did not answer within 300 ms and was"
                + " abandoned.");
    }

    @Test
    void aMissingSettingSaysHowToGiveIt() {
        ApiSkill skill = skill("Authorization: {Type: APIKey, Key: x-api-key}", "getDeviceRisk", Map.of());

        SkillResult result = PluginTenant.run(skill, "device_name", "WS-01");

        assertThat(result.markdown()).isEqualTo("plugin device-risk has no value for its setting ApiKey in tenant acme"
                + "\n\nFix: Give it with `vigil plugins install DIR --setting ApiKey=VALUE --tenant acme`.");
    }

    // --- the fixture ------------------------------------------------------------------------------------------

    private ApiSkill skill(String authorization, String operationId, Map<String, String> settings) {
        String manifest = """
                Descriptor:
                  Name: DeviceRisk
                  DisplayName: Device risk
                  Description: Device risk from the local risk service
                  Settings:
                    - {Name: BaseUrl, Required: true}
                  %s
                SkillGroups:
                  - Format: API
                    Settings:
                      EndpointUrlSettingName: BaseUrl
                %s""".formatted(authorization, SPEC);
        PluginManifest plugin = PluginParser.parse(manifest, "plugin.yaml", null);
        PluginManifest.SkillGroup.Api api = (PluginManifest.SkillGroup.Api) plugin.groups().get(0);
        PluginManifest.ApiOperation operation = api.operations().stream()
                .filter(o -> o.operationId().equals(operationId)).findFirst().orElseThrow();
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("BaseUrl", base());
        return new ApiSkill(plugin, api.baseUrl(), operation, all, "acme", HttpClient.newHttpClient(),
                new TokenCache(clock), Duration.ofMillis(300));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!form.contains("grant_type=client_credentials") || !form.contains("client_id=vigil")
                || !form.contains("client_secret=cs-1")) {
            respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        validToken = "token-" + tokensIssued.incrementAndGet();
        respond(exchange, 200, "{\"access_token\":\"" + validToken + "\",\"token_type\":\"Bearer\",\"expires_in\":60}");
    }

    private boolean authorized(HttpExchange exchange) {
        String auth = auth(exchange);
        return auth.equals("x-api-key=k-123") || auth.equals("basic=vigil:s3cret") || auth.equals("bearer=" + validToken);
    }

    /** How the request authenticated, as the tests read it. */
    private static String auth(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("x-api-key");
        if (key != null) {
            return "x-api-key=" + key;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Basic ")) {
            return "basic=" + new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        }
        if (header != null && header.startsWith("Bearer ")) {
            return "bearer=" + header.substring(7);
        }
        String query = exchange.getRequestURI().getQuery();
        return query != null && query.contains("api_key=") ? "query-key" : "none";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A clock the test moves forward, for token expiry. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
