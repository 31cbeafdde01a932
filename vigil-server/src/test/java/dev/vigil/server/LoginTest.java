package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Logging in with a password: the session cookie, CSRF, one-time passwords, expiry, throttling and the audit. */
@DisplayName("Login sessions")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginTest {
    @TempDir
    static Path data;

    final TestClock clock = new TestClock(Instant.now());
    ServerFixture fixture;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data, Optional::empty, clock);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private ServerFixture.Answer login(String user, String password) {
        return fixture.send("POST", "/api/v1/login", null, ApiJson.MAPPER.writeValueAsString(
                Map.of("username", user, "password", password)));
    }

    @Test
    void aLoginSetsAnHttpOnlyStrictSessionCookieAndAnswersWhoTheUserIsWithTheCsrfToken() {
        ServerFixture.Answer answer = login("mssp", ServerFixture.password("mssp"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String cookie = answer.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("vigil_session=").contains("; HttpOnly", "; SameSite=Strict", "; Path=/")
                .doesNotContain("Secure");
        String id = cookie.substring("vigil_session=".length(), cookie.indexOf(';'));
        assertThat(id).matches("[A-Za-z0-9_-]{43}");
        JsonNode me = answer.json();
        assertThat(me.get("user").asString()).isEqualTo("mssp");
        assertThat(me.get("kind").asString()).isEqualTo("session");
        assertThat(me.get("csrf_token").asString()).hasSize(43);
        assertThat(me.get("must_change_password").asBoolean()).isFalse();
        assertThat(me.get("tenants").toString()).contains("\"tenant\":\"acme\",\"role\":\"analyst\"",
                "\"tenant\":\"globex\",\"role\":\"reader\"");
        // the session id is kept hashed: no file of the server holds it
        try (var files = Files.list(data.resolve("server"))) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(id);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aUserActsWithTheRoleItHoldsInEachTenant() {
        ServerFixture.Browser mssp = fixture.login("mssp");
        String comment = ApiJson.MAPPER.writeValueAsString(Map.of("comment", "checked by the MSSP"));
        assertThat(fixture.sendAs(mssp, "PATCH", "/api/v1/tenants/acme/incidents/1", comment).status())
                .isEqualTo(200);
        ServerFixture.Answer globexChange = fixture.sendAs(mssp, "PATCH", "/api/v1/tenants/globex/incidents/1",
                comment);
        assertThat(globexChange.status()).isEqualTo(403);
        assertThat(globexChange.body()).contains("needs the analyst role");
        assertThat(fixture.sendAs(mssp, "GET", "/api/v1/tenants/globex/alerts", null).status()).isEqualTo(200);
        ServerFixture.Answer outside = fixture.sendAs(fixture.login("acme-owner"), "GET",
                "/api/v1/tenants/globex/alerts", null);
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.json().get("message").asString()).isEqualTo("you are not a member of the tenant in the path");
    }

    @Test
    void anUnsafeMethodWithTheCookieNeedsTheCsrfTokenButABearerTokenDoesNot() {
        ServerFixture.Browser browser = fixture.login("acme-analyst");
        String body = ApiJson.MAPPER.writeValueAsString(Map.of("query", "SysmonEvent | take 1"));
        ServerFixture.Answer without = fixture.sendAs(browser, "POST", "/api/v1/tenants/acme/hunt", body, false);
        assertThat(without.status()).isEqualTo(403);
        assertThat(without.json().get("code").asString()).isEqualTo("csrf_invalid");
        ServerFixture.Answer wrong = fixture.sendAs(new ServerFixture.Browser(browser.cookie(), "x".repeat(43)),
                "POST", "/api/v1/tenants/acme/hunt", body);
        assertThat(wrong.json().get("code").asString()).isEqualTo("csrf_invalid");
        assertThat(fixture.sendAs(browser, "POST", "/api/v1/tenants/acme/hunt", body).status()).isEqualTo(200);
        assertThat(fixture.sendAs(browser, "GET", "/api/v1/tenants/acme/alerts", null, false).status())
                .isEqualTo(200);
        assertThat(fixture.send("POST", "/api/v1/tenants/acme/hunt", fixture.tokens.get("analyst"), body).status())
                .isEqualTo(200);
    }

    @Test
    void aFormPostCannotLogIn() {
        var request = java.net.http.HttpRequest.newBuilder(fixture.uri("/api/v1/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=mssp&password=x")).build();
        try {
            var response = fixture.client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        ServerFixture.Browser browser = fixture.login("acme-reader");
        assertThat(fixture.sendAs(browser, "GET", "/api/v1/me", null).status()).isEqualTo(200);
        ServerFixture.Answer out = fixture.sendAs(browser, "POST", "/api/v1/logout", null);
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.response().headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        ServerFixture.Answer after = fixture.sendAs(browser, "GET", "/api/v1/me", null);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("message").asString()).contains("session has ended");
    }

    @Test
    void aSessionEndsWhenIdleTooLongOrOlderThanItsLifetime() {
        ServerFixture.Browser idle = fixture.login("acme-reader");
        clock.advance(Duration.ofMinutes(29));
        assertThat(fixture.sendAs(idle, "GET", "/api/v1/me", null).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(29));
        assertThat(fixture.sendAs(idle, "GET", "/api/v1/me", null).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(31));
        assertThat(fixture.sendAs(idle, "GET", "/api/v1/me", null).status()).isEqualTo(401);

        ServerFixture.Browser busy = fixture.login("acme-reader");
        for (int i = 0; i < 25; i++) {
            clock.advance(Duration.ofMinutes(25));
            assertThat(fixture.sendAs(busy, "GET", "/api/v1/me", null).status()).as("after %d h", i * 25 / 60)
                    .isEqualTo(i * 25 < 12 * 60 - 25 ? 200 : 401);
        }
    }

    @Test
    void aOneTimePasswordOpensNothingButChangingIt() {
        Users users = Users.in(data);
        users.add("newcomer", "one-time-secret-42".toCharArray(), true, Map.of(TenantId.of("acme"), Role.READER),
                clock.instant());
        ServerFixture.Browser browser = fixture.login("newcomer", "one-time-secret-42");
        assertThat(fixture.sendAs(browser, "GET", "/api/v1/me", null).json().get("must_change_password")
                .asBoolean()).isTrue();
        ServerFixture.Answer refused = fixture.sendAs(browser, "GET", "/api/v1/tenants/acme/alerts", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("code").asString()).isEqualTo("password_change_required");

        ServerFixture.Answer weak = fixture.sendAs(browser, "POST", "/api/v1/password",
                ApiJson.MAPPER.writeValueAsString(Map.of("current", "one-time-secret-42", "new", "short")));
        assertThat(weak.json().get("code").asString()).isEqualTo("password_weak");
        ServerFixture.Answer changed = fixture.sendAs(browser, "POST", "/api/v1/password",
                ApiJson.MAPPER.writeValueAsString(Map.of("current", "one-time-secret-42",
                        "new", "my own long passphrase")));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("must_change_password").asBoolean()).isFalse();
        assertThat(fixture.sendAs(browser, "GET", "/api/v1/tenants/acme/alerts", null).status()).isEqualTo(200);
        assertThat(login("newcomer", "one-time-secret-42").status()).isEqualTo(401);
        assertThat(login("newcomer", "my own long passphrase").status()).isEqualTo(200);
        assertThat(users.get("newcomer").passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void repeatedFailuresMakeTheUserWaitLongerAndLonger() {
        Users.in(data).add("target", "target-password-1".toCharArray(), false, Map.of(TenantId.of("acme"),
                Role.READER), clock.instant());
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            ServerFixture.Answer wrong = login("target", "guess-" + i);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().get("code").asString()).isEqualTo("login_failed");
        }
        ServerFixture.Answer locked = login("target", "target-password-1");
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().get("code").asString()).isEqualTo("rate_limited");
        assertThat(locked.response().headers().firstValue("Retry-After")).hasValue("1");
        clock.advance(Duration.ofSeconds(2));
        assertThat(login("target", "guess-again").status()).isEqualTo(401);
        assertThat(login("target", "target-password-1").response().headers().firstValue("Retry-After"))
                .hasValue("2");
        clock.advance(Duration.ofSeconds(3));
        assertThat(login("target", "target-password-1").status()).isEqualTo(200);
        // the address's failures are counted too; a success does not clear them, time does
        clock.advance(LoginThrottle.MAX_WAIT.plusSeconds(1));
    }

    @Test
    void manyFailuresFromOneAddressSlowDownEveryUserNameTriedFromIt() {
        clock.advance(LoginThrottle.MAX_WAIT.plusSeconds(1));
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(login("nobody-" + i, "guess").status()).isEqualTo(401);
        }
        assertThat(login("nobody-else", "guess").status()).isEqualTo(429);
        clock.advance(LoginThrottle.MAX_WAIT.plusSeconds(1));
    }

    @Test
    void loginsAndFailedLoginsAreAuditedWithoutThePassword() {
        clock.advance(LoginThrottle.MAX_WAIT.plusSeconds(1));
        login("acme-analyst", "not-the-password-7");
        fixture.login("acme-analyst");
        List<String> records = AuditLog.records(data).stream().filter(r -> r.contains("\"route\":\"POST"
                + " /api/v1/login\"")).toList();
        assertThat(records).anySatisfy(r -> assertThat(r).contains("\"actor\":\"acme-analyst\"",
                "\"code\":\"login_failed\"", "\"status\":401", "wrong user name or password"));
        assertThat(records).anySatisfy(r -> assertThat(r).contains("\"actor\":\"acme-analyst\"", "\"status\":200",
                "\"outcome\":\"logged in\"", "\"token_id\":\"\""));
        assertThat(String.join("\n", AuditLog.records(data))).doesNotContain("not-the-password-7",
                ServerFixture.password("acme-analyst"));
        assertThat(AuditLog.verify(data).intact()).isTrue();
    }

    @Test
    void theUsersFileKeepsOnlyArgon2idHashesAndOnlyItsOwnerMayReadIt() throws Exception {
        Path file = data.resolve("server").resolve("users.json");
        assertThat(Files.readString(file)).doesNotContain(ServerFixture.password("mssp")).contains("$argon2id$");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("server").resolve("tokens.json")))).isEqualTo("rw-------");
    }
}
