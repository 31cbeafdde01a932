package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Embedder;
import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.Role;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.ingest.EventSink;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A real server on port 0 over a real data directory with two tenants: {@code acme}, whose data carries a canary
 * string, and {@code globex}. It holds a token for every kind of caller the tests need, and a user for every role in
 * acme ({@code acme-reader}, ...; password {@link #password}), plus {@code mssp}, analyst in acme and reader in
 * globex.
 */
final class ServerFixture implements AutoCloseable {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    /** Appears in acme's events and alerts, and must never reach anyone but acme. */
    static final String CANARY = "CANARY-b7e1c9d2-acme-only";
    static final long BASE_MILLIS = 1_714_564_800_000L;

    final Path data;
    final VigilConfig config;
    final VigilServer server;
    final Map<String, String> tokens = new LinkedHashMap<>();
    final HttpClient client = HttpClient.newHttpClient();

    ServerFixture(Path data) {
        this(data, Optional::empty);
    }

    /** With the embedding model the copilot ranks skills with (empty for word overlap, the fastest). */
    ServerFixture(Path data, Supplier<Optional<Embedder>> embedder) {
        this(data, embedder, Clock.systemUTC());
    }

    /** With the clock sessions, tokens and logins expire by. */
    ServerFixture(Path data, Supplier<Optional<Embedder>> embedder, Clock clock) {
        this(data, embedder, clock, Map.of());
    }

    /** With configuration settings ({@code server.ingest.max-body-bytes}: value) on top of the defaults. */
    ServerFixture(Path data, Supplier<Optional<Embedder>> embedder, Clock clock, Map<String, String> settings) {
        this.data = data;
        Map<String, String> flags = new LinkedHashMap<>(settings);
        flags.put("data-dir", data.toString());
        this.config = ConfigLoader.load(null, Map.of(), flags);
        // seeded where the server keeps them: the data directory, or PostgreSQL under store.state: postgresql
        try (ServerState state = ServerState.open(config)) {
            seedInto(data, ACME, CANARY, state::share);
            seedInto(data, GLOBEX, "globex-benign", state::share);
            ApiTokens store = state.tokens();
            Instant now = Instant.now();
            for (Role role : Role.values()) {
                tokens.put(role.toString(), store.create(ACME, role, "acme-" + role, null, now).token());
            }
            tokens.put("other-tenant", store.create(GLOBEX, Role.OWNER, "globex-owner", null, now).token());
            tokens.put("expired", store.create(ACME, Role.OWNER, "expired", Duration.ofHours(1),
                    now.minus(Duration.ofHours(2))).token());
            ApiTokens.Created revoked = store.create(ACME, Role.OWNER, "revoked", null, now);
            store.revoke(revoked.record().id(), now);
            tokens.put("revoked", revoked.token());
            tokens.put("bad", ApiTokens.PREFIX + "A".repeat(43));
            tokens.put("none", null);
            Users users = state.users();
            for (Role role : Role.values()) {
                users.add("acme-" + role, password("acme-" + role).toCharArray(), false, Map.of(ACME, role), now);
            }
            users.add("mssp", password("mssp").toCharArray(), false, Map.of(ACME, Role.ANALYST, GLOBEX, Role.READER),
                    now);
            users.add("globex-owner", password("globex-owner").toCharArray(), false, Map.of(GLOBEX, Role.OWNER), now);
        }
        this.server = VigilServer.start(config, "127.0.0.1", 0, Optional.empty(), clock, embedder);
    }

    /** Events and two alerts on one host and user, correlated into an incident; the marker is in both. */
    static void seedInto(Path data, TenantId tenant, String marker) {
        seedInto(data, tenant, marker, store -> { });
    }

    /** As {@link #seedInto(Path, TenantId, String)}, with the incidents where the server's shared state keeps them. */
    static void seedInto(Path data, TenantId tenant, String marker, java.util.function.Consumer<TenantStore> share) {
        try (TenantStore store = TenantStore.open(data, tenant, TenantStore.Mode.READ_WRITE)) {
            share.accept(store);
            List<Event> events = new ArrayList<>();
            List<Alert> alerts = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                long millis = BASE_MILLIS + n * 60_000L;
                String raw = "{\"n\":" + n + ",\"cmd\":\"" + marker + "\"}";
                String[] common = new String[CommonColumn.count()];
                common[CommonColumn.HOST.ordinal()] = "ws-" + tenant;
                common[CommonColumn.USER.ordinal()] = "user-" + tenant;
                common[CommonColumn.COMMAND_LINE.ordinal()] = "powershell -c " + marker;
                common[CommonColumn.EVENT_CODE.ordinal()] = "1";
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("EventID", 1L);
                fields.put("Computer", "ws-" + tenant);
                fields.put("CommandLine", "powershell -c " + marker);
                EventId id = EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0);
                events.add(new Event(id, tenant, "SysmonEvent", millis * 1000, common, fields, raw,
                        new SourcePosition("seed.json", n, 0)));
                if (n <= 2) {
                    alerts.add(new Alert(UUID.nameUUIDFromBytes((tenant + "-" + n).getBytes(StandardCharsets.UTF_8)),
                            tenant, "sigma", "rule-" + n, "Suspicious PowerShell " + marker, "high", "",
                            millis * 1000, List.of("T1059.001"), Map.of("CommandLine", "powershell -c " + marker),
                            List.of(new Alert.Entity("host", "ws-" + tenant), new Alert.Entity("user", "user-"
                                    + tenant)), List.of(id), "SysmonEvent", ""));
                }
            }
            store.append(new EventSink.Batch(events, List.of()));
            store.appendAlerts(alerts);
            store.commit();
            store.incidents().correlate(CorrelationPolicy.defaults(), TacticStages.unknown(), Instant.now(), s -> { });
            store.commit();
        }
    }

    /** The password of a fixture user. */
    static String password(String user) {
        return "pw-" + user + "-0123456789";
    }

    /** A browser's login session: its cookie and CSRF token. */
    record Browser(String cookie, String csrf) {}

    /** Logs the user in and returns the session; fails the test unless the login succeeds. */
    Browser login(String user, String password) {
        Answer answer = send("POST", "/api/v1/login", null, ApiJson.MAPPER.writeValueAsString(
                Map.of("username", user, "password", password)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String setCookie = answer.response().headers().firstValue("Set-Cookie").orElseThrow();
        return new Browser(setCookie.substring(0, setCookie.indexOf(';')), answer.json().get("csrf_token").asString());
    }

    Browser login(String user) {
        return login(user, password(user));
    }

    /** A request as the browser sends it: the session cookie, and the CSRF token when {@code csrf}. */
    Answer sendAs(Browser browser, String method, String path, String body, boolean csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Cookie", browser.cookie());
        if (csrf && browser.csrf() != null) {
            request.header("X-CSRF-Token", browser.csrf());
        }
        return exchange(request, method, body);
    }

    Answer sendAs(Browser browser, String method, String path, String body) {
        return sendAs(browser, method, path, body, true);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** An answer: status, body text and headers. */
    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            return ApiJson.MAPPER.readTree(body);
        }
    }

    Answer send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return exchange(request, method, body);
    }

    private Answer exchange(HttpRequest.Builder request, String method, String body) {
        if (body != null) {
            request.header("Content-Type", "application/json");
            // a large body waits for the server's go-ahead, so a refusal (413) arrives instead of a reset connection
            // when the server closes while the body is still being sent
            request.expectContinue(body.length() > 65_536);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new AssertionError("cannot reach the server: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    /** The id of the first proposed action of acme's incident 1. */
    String firstAction() {
        Answer answer = get("/api/v1/tenants/acme/incidents/1", tokens.get("owner"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode actions = answer.json().get("actions");
        assertThat(actions.isEmpty()).as("incident 1 proposes actions: " + answer.body()).isFalse();
        return actions.get(0).get("id").asString();
    }

    @Override
    public void close() {
        server.close();
    }
}
