package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call what: every route of the server's own route table, for every kind of caller, and no byte of one
 * tenant's data in another tenant's answers.
 */
@DisplayName("REST API access")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAccessTest {
    @TempDir
    static Path data;

    ServerFixture fixture;
    String action;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data);
        action = fixture.firstAction();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    /**
     * The route's path for tenant {@code tenant}, with acme's incident 1 and its first action, a session id no one
     * has (the session routes answer 404 after the gate), turn 1, a built-in promptbook and a built-in report
     * template.
     */
    String path(Route route, String tenant) {
        return route.path().replace("{tenant}", tenant).replace("{n}", "1").replace("{id}", action)
                .replace("{session}", NO_SESSION).replace("{turn}", "1").replace("{name}", "incident-investigation")
                .replace("{template}", "executive");
    }

    static final String NO_SESSION = "6f1c2a8e-0000-4000-8000-000000000000";

    static String body(Route route) {
        return route.example() == null ? null : ApiJson.MAPPER.writeValueAsString(route.example());
    }

    /** What a caller must get: 401 without a working token, 403 for another tenant or too small a role, else OK. */
    static int expected(Route route, String caller) {
        return switch (caller) {
            case "none", "bad", "expired", "revoked" -> 401;
            case "other-tenant" -> route.tenantScoped() ? 403 : 200;
            default -> route.role() == null || Role.parse(caller).includes(route.role()) ? 200 : 403;
        };
    }

    @Test
    void everyRouteAnswersEveryCallerAsItsRoleSays() {
        List<String> callers = List.of("none", "bad", "expired", "revoked", "other-tenant", "reader", "analyst",
                "owner");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route route : fixture.server.routes()) {
            for (String caller : callers) {
                ServerFixture.Answer answer = fixture.send(route.method(), path(route, "acme"),
                        fixture.tokens.get(caller), body(route));
                int want = expected(route, caller);
                boolean ok = want == 200 ? answer.status() < 400 || isDomainOutcome(answer) : answer.status() == want;
                if (!ok) {
                    failures.add(route.method() + " " + route.path() + " as " + caller + ": expected " + want
                            + " but got " + answer.status() + " " + answer.body());
                }
                if (answer.status() >= 400) {
                    assertThat(answer.json().has("code") && answer.json().has("message") && answer.json().has("fix"))
                            .as("error shape of " + answer.body()).isTrue();
                }
                checked++;
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isEqualTo(fixture.server.routes().size() * callers.size());
        assertThat(fixture.server.routes()).extracting(Route::path).contains("/api/v1/tenants/{tenant}/hunt",
                "/api/v1/tenants/{tenant}/incidents/{n}/actions/{id}/approve");
    }

    /** An authorized call may still fail on the data (approving an action twice); that is not an access failure. */
    private static boolean isDomainOutcome(ServerFixture.Answer answer) {
        return answer.status() != 401 && answer.status() != 403 && answer.status() < 500;
    }

    @Test
    void anotherTenantsTokenGetsTheSameRefusalWhetherTheTenantExistsOrNot() {
        ServerFixture.Answer existing = fixture.get("/api/v1/tenants/acme/alerts", fixture.tokens.get("other-tenant"));
        ServerFixture.Answer missing = fixture.get("/api/v1/tenants/nosuch/alerts", fixture.tokens.get("other-tenant"));
        assertThat(existing.status()).isEqualTo(403);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(existing.body()).isEqualTo(missing.body());
    }

    @Test
    void noAnswerToAnotherTenantCarriesTheCanary() {
        String token = fixture.tokens.get("other-tenant");
        List<String> bodies = new ArrayList<>();
        for (Route route : fixture.server.routes()) {
            bodies.add(fixture.send(route.method(), path(route, "globex"), token, body(route)).body());
            bodies.add(fixture.send(route.method(), path(route, "acme"), token, body(route)).body());
        }
        for (String kql : List.of("SysmonEvent | take 100", "search \"CANARY\"", "union * | take 100")) {
            bodies.add(fixture.send("POST", "/api/v1/tenants/globex/hunt", token,
                    ApiJson.MAPPER.writeValueAsString(Map.of("query", kql))).body());
        }
        assertThat(bodies).allSatisfy(body -> assertThat(body).doesNotContain(ServerFixture.CANARY));
        // and the canary is really there for acme, so the check above can fail
        assertThat(fixture.get("/api/v1/tenants/acme/alerts", fixture.tokens.get("reader")).body())
                .contains(ServerFixture.CANARY);
    }

    @Test
    void unknownRoutesAnswer404InTheErrorShapeWithTheSecurityHeaders() {
        ServerFixture.Answer answer = fixture.get("/api/v1/tenants/acme/nothing-here", fixture.tokens.get("owner"));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("code").asString()).isEqualTo("route_not_found");
        assertThat(answer.response().headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(answer.response().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.response().headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(answer.response().headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void aBodyOverOneMebibyteIs413() {
        String big = "{\"query\":\"" + "x".repeat(VigilServer.MAX_BODY_BYTES) + "\"}";
        ServerFixture.Answer answer = fixture.send("POST", "/api/v1/tenants/acme/hunt/check",
                fixture.tokens.get("owner"), big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("code").asString()).isEqualTo("request_too_large");
    }

    @Test
    void theOpenApiDocumentListsEveryRouteWithItsRole() {
        var document = fixture.get("/api/v1/openapi.json", fixture.tokens.get("reader")).json();
        assertThat(document.get("openapi").asString()).isEqualTo("3.1.0");
        for (Route route : fixture.server.routes()) {
            var operation = document.get("paths").get(route.path()).get(route.method().toLowerCase());
            assertThat(operation).as(route.path()).isNotNull();
            assertThat(operation.get("x-vigil-role").asString())
                    .isEqualTo(route.role() == null ? "any" : route.role().toString());
        }
    }
}
