package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OIDC login through the real server against {@link TestIdentityProvider}: the whole authorization code flow with
 * PKCE, and every way it must refuse.
 */
@DisplayName("OIDC login")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcLoginTest {
    /** What the provider is told, and sends the browser to; the test, as the browser, goes to the real server. */
    static final String REDIRECT = "https://vigil.example/api/v1/oidc/callback";

    @TempDir
    static Path data;

    TestIdentityProvider provider;
    ServerFixture fixture;
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    void start() {
        provider = new TestIdentityProvider();
        fixture = new ServerFixture(data, Optional::empty, Clock.systemUTC(), Map.of(
                "server.oidc.issuer", provider.issuer(),
                "server.oidc.client-id", TestIdentityProvider.CLIENT_ID,
                "server.oidc.client-secret-env", "VIGIL_TEST_OIDC_SECRET",
                "server.oidc.redirect-uri", REDIRECT,
                "server.oidc.allowed-domains", "example.com",
                "server.oidc.default-tenant", "acme",
                "server.oidc.default-role", "reader"));
        Users.in(data).add("dave@corp.test", null, false, Map.of(TenantId.of("acme"), Role.ANALYST,
                TenantId.of("globex"), Role.OWNER), Instant.now());
    }

    @AfterAll
    void stop() {
        fixture.close();
        provider.close();
    }

    @BeforeEach
    void wellBehaved() {
        provider.behave();
        provider.subject = "sub-carol";
        provider.email = "carol@example.com";
    }

    /** The browser's view of one sign-in: the callback's answer. */
    record Finished(HttpResponse<String> callback, String stateCookie, URI callbackUri) {}

    HttpResponse<String> get(URI uri, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        try {
            return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElse(null);
    }

    /** The callback the provider sends the browser to, aimed at the real server. */
    URI toServer(String location) {
        assertThat(location).startsWith(REDIRECT);
        return fixture.uri("/api/v1/oidc/callback" + location.substring(REDIRECT.length()));
    }

    /** Starts at Vigil, signs in at the provider, and comes back to the callback. */
    Finished signIn() {
        HttpResponse<String> start = get(fixture.uri("/api/v1/oidc/login?return=/incidents/1"), null);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(provider.issuer() + "/authorize?").contains("code_challenge_method=S256",
                "response_type=code", "client_id=" + TestIdentityProvider.CLIENT_ID, "nonce=", "state=");
        String stateCookie = cookie(start, "vigil_oidc_state");
        HttpResponse<String> atProvider = get(URI.create(authorize), null);
        assertThat(atProvider.statusCode()).isEqualTo(302);
        URI callback = toServer(atProvider.headers().firstValue("Location").orElseThrow());
        return new Finished(get(callback, stateCookie), stateCookie, callback);
    }

    void assertRefused(HttpResponse<String> callback, String because) {
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(401);
        assertThat(callback.body()).contains("\"code\":\"oidc_failed\"", because);
        assertThat(cookie(callback, "vigil_session")).isNull();
    }

    @Test
    void aFullSignInCreatesAnAllowedDomainsUserAndOpensASession() {
        Finished done = signIn();
        assertThat(done.callback().statusCode()).as(done.callback().body()).isEqualTo(302);
        assertThat(done.callback().headers().firstValue("Location")).hasValue("/incidents/1");
        String session = cookie(done.callback(), "vigil_session");
        assertThat(session).isNotNull();
        HttpResponse<String> me = get(fixture.uri("/api/v1/me"), session);
        assertThat(me.body()).contains("\"user\":\"carol@example.com\"", "\"login_method\":\"oidc\"",
                "\"tenant\":\"acme\",\"role\":\"reader\"");
        assertThat(Users.in(data).get("carol@example.com").oidcSubject()).isEqualTo(provider.issuer()
                + "#sub-carol");
        assertThat(get(fixture.uri("/api/v1/tenants/acme/alerts"), session).statusCode()).isEqualTo(200);
        assertThat(AuditLog.records(data)).anySatisfy(r -> assertThat(r).contains("/oidc/callback",
                "\"actor\":\"carol@example.com\"", "\"provisioned\":\"acme:reader\""));
    }

    @Test
    void aPreProvisionedUserSignsInWithTheRolesItHolds() {
        provider.subject = "sub-dave";
        provider.email = "dave@corp.test";
        Finished done = signIn();
        assertThat(done.callback().statusCode()).as(done.callback().body()).isEqualTo(302);
        String session = cookie(done.callback(), "vigil_session");
        assertThat(get(fixture.uri("/api/v1/me"), session).body()).contains("\"tenant\":\"acme\",\"role\":\"analyst\"",
                "\"tenant\":\"globex\",\"role\":\"owner\"");
        // the same name from another subject at the provider is someone else
        provider.subject = "sub-impostor";
        assertRefused(signIn().callback(), "bound to another identity");
    }

    @Test
    void aUserOutsideTheAllowedDomainsWhoWasNotAddedIsRefused() {
        provider.subject = "sub-eve";
        provider.email = "eve@elsewhere.test";
        HttpResponse<String> callback = signIn().callback();
        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.body()).contains("is not a Vigil user");
        assertThat(Users.in(data).find("eve@elsewhere.test")).isEmpty();
    }

    @Test
    void anUnverifiedEmailIsRefused() {
        provider.subject = "sub-frank";
        provider.email = "frank@example.com";
        provider.emailVerified = false;
        assertRefused(signIn().callback(), "has not verified");
    }

    @Test
    void anUnknownOrReusedStateIsRefused() {
        Finished done = signIn();
        assertThat(done.callback().statusCode()).isEqualTo(302);
        // the same callback again: the state was used
        assertRefused(get(done.callbackUri(), done.stateCookie()), "state is unknown, used already");
        String forged = done.callbackUri().toString().replaceAll("state=[^&]+", "state=forged");
        assertRefused(get(URI.create(forged), "vigil_oidc_state=forged"), "state is unknown");
    }

    @Test
    void aCallbackInAnotherBrowserThanTheOneThatStartedIsRefused() {
        HttpResponse<String> start = get(fixture.uri("/api/v1/oidc/login"), null);
        HttpResponse<String> atProvider = get(URI.create(start.headers().firstValue("Location").orElseThrow()), null);
        URI callback = toServer(atProvider.headers().firstValue("Location").orElseThrow());
        assertRefused(get(callback, null), "not this browser's");
    }

    @Test
    void aWrongNonceIsRefused() {
        provider.nonceOverride = "replayed-nonce";
        assertRefused(signIn().callback(), "nonce claim value rejected");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        provider.audience = "some-other-client";
        assertRefused(signIn().callback(), "aud claim rejected");
    }

    @Test
    void anExpiredTokenIsRefused() {
        provider.lifetime = Duration.ofMinutes(-5);
        assertRefused(signIn().callback(), "Expired JWT");
    }

    @Test
    void aTamperedSignatureIsRefused() {
        provider.tamper = true;
        assertRefused(signIn().callback(), "Invalid signature");
        provider.tamper = false;
        provider.signWithUnknownKey = true;
        assertRefused(signIn().callback(), "Invalid signature");
    }

    @Test
    void aCodeIssuedForAnotherPkceChallengeIsRefusedByTheTokenEndpoint() {
        // the browser starts a sign-in at Vigil...
        HttpResponse<String> start = get(fixture.uri("/api/v1/oidc/login"), null);
        String stateCookie = cookie(start, "vigil_oidc_state");
        String state = stateCookie.substring(stateCookie.indexOf('=') + 1);
        // ...but the code it comes back with was obtained with an attacker's challenge
        String attackerChallenge = OidcLogin.challenge("attacker-verifier-0123456789012345678901234567");
        HttpResponse<String> injected = get(URI.create(provider.issuer() + "/authorize?response_type=code&client_id="
                + TestIdentityProvider.CLIENT_ID + "&redirect_uri=" + REDIRECT + "&scope=openid&state=" + state
                + "&nonce=n&code_challenge=" + attackerChallenge + "&code_challenge_method=S256"), null);
        URI callback = toServer(injected.headers().firstValue("Location").orElseThrow());
        assertRefused(get(callback, stateCookie), "token endpoint refused the code (invalid_grant)");
    }

    @Test
    void theLoginMethodsNameTheOidcStart() {
        HttpResponse<String> methods = get(fixture.uri("/api/v1/login"), null);
        assertThat(methods.body()).contains("\"login_url\":\"/api/v1/oidc/login\"", provider.issuer());
    }
}
