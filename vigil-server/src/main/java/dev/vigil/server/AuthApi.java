package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Logging in and out: the login routes of the route table, and what {@code GET /api/v1/me} tells the web UI.
 *
 * <p>The contract a browser follows:
 * <ol>
 *   <li>{@code POST /api/v1/login} with {@code {"username", "password"}} (JSON; a form post is refused, so another site
 *       cannot log a browser into its own account). The answer sets the session cookie and carries what
 *       {@code GET /api/v1/me} does, the {@code csrf_token} included.</li>
 *   <li>Every {@code POST}, {@code PUT}, {@code PATCH} and {@code DELETE} sends that token in {@code X-CSRF-Token}.</li>
 *   <li>When {@code must_change_password} is true (a one-time password), the session may only call
 *       {@code POST /api/v1/password}, {@code GET /api/v1/me} and {@code POST /api/v1/logout}.</li>
 *   <li>{@code POST /api/v1/logout} ends the session and clears the cookie.</li>
 * </ol>
 * With OIDC configured, {@code GET /api/v1/oidc/login} starts a sign-in at the identity provider instead, which ends
 * back at the server with the same cookie set ({@link OidcLogin}).
 */
final class AuthApi {
    static final String LOGIN = Api.BASE + "/login";
    static final String LOGOUT = Api.BASE + "/logout";
    static final String ME = Api.BASE + "/me";
    static final String PASSWORD = Api.BASE + "/password";
    /** What a session opened with a one-time password may call: nothing but setting a new one. */
    static final Set<String> BEFORE_PASSWORD_CHANGE = Set.of("GET " + ME, "POST " + PASSWORD, "POST " + LOGOUT);

    private final Gatekeeper gate;
    private final OidcLogin oidc;

    /** @param oidc the OIDC login, or null when none is configured */
    AuthApi(Gatekeeper gate, OidcLogin oidc) {
        this.gate = requireNonNull(gate, "gate is null");
        this.oidc = oidc;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>(List.of(
                Route.anonymous("GET", LOGIN, "How to log in: with a password, and with OIDC when configured (the URL"
                        + " that starts it)", null, call -> methods()),
                Route.anonymous("POST", LOGIN, "Log in with a user name and password: sets the session cookie"
                        + " (HttpOnly, SameSite=Strict) and answers as GET /me does, with the CSRF token. Rate-limited:"
                        + " after 5 failures for a user or address, 429 with Retry-After, doubling",
                        Map.of("username", "alice", "password", "correct horse battery staple"), this::login),
                new Route("POST", LOGOUT, null, "End the login session and clear its cookie", null, this::logout),
                new Route("GET", ME, null, "Who is calling: the user (or token), each tenant with the role held"
                        + " there, the session's CSRF token to send in X-CSRF-Token, and whether the password must be"
                        + " changed first", null, this::me),
                new Route("POST", PASSWORD, null, "Change your own password (a session's user); ends your other"
                        + " sessions. Required first after a one-time password",
                        Map.of("current", "the old password", "new", "a new password of 12+ characters"),
                        this::changePassword)));
        if (oidc != null) {
            routes.addAll(oidc.routes());
        }
        return routes;
    }

    private Object methods() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("password", true);
        json.put("oidc", oidc == null ? null : Map.of("login_url", OidcLogin.START, "issuer", oidc.issuer()));
        return json;
    }

    private Object login(Call call) {
        String contentType = call.context().contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new VigilException(ErrorCode.USAGE, "a login must be sent as JSON",
                    "POST {\"username\": ..., \"password\": ...} with Content-Type: application/json", null);
        }
        Map<String, Object> body = call.body(Set.of("username", "password"));
        if (!(body.get("username") instanceof String username) || username.isBlank()
                || !(body.get("password") instanceof String password)) {
            throw new VigilException(ErrorCode.USAGE, "a login needs a 'username' and a 'password' string",
                    "Send {\"username\": \"alice\", \"password\": \"...\"}", null);
        }
        String name = username.strip().toLowerCase(java.util.Locale.ROOT);
        if (name.length() > 100) {
            name = name.substring(0, 100);
        }
        call.auditActor(name);
        String address = call.clientAddress();
        Instant now = gate.clock().instant();
        Optional<Duration> wait = gate.throttle().wait(name, address, now);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            call.context().header("Retry-After", Long.toString(seconds));
            call.audit("outcome", "throttled");
            throw new VigilException(ErrorCode.RATE_LIMITED, "too many failed logins for this user or from this"
                    + " address; try again in " + seconds + " s");
        }
        Optional<User> user = gate.users().authenticate(name, password.toCharArray());
        if (user.isEmpty()) {
            gate.throttle().failed(name, address, now);
            call.audit("outcome", "wrong user name or password");
            throw new VigilException(ErrorCode.LOGIN_FAILED, "wrong user name or password");
        }
        gate.throttle().succeeded(name);
        call.audit("outcome", "logged in");
        return open(call, user.get(), "password");
    }

    /** Opens a session for the user, sets its cookie, and answers as {@code GET /me} does. */
    Object open(Call call, User user, String method) {
        LoginSessions.Created created = gate.sessions().open(user.name(), method, gate.clock().instant());
        call.context().res().addHeader("Set-Cookie", gate.sessionCookie(created.id()));
        call.audit("session", created.session().reference());
        return describe(new Credential.Session(created.session(), user));
    }

    private Object logout(Call call) {
        call.context().res().addHeader("Set-Cookie", gate.expiredCookie());
        if (call.credential() instanceof Credential.Session session) {
            gate.sessions().end(session.session());
            return Map.of("logged_out", true);
        }
        return Map.of("logged_out", false, "note", "an API token has no session to end; revoke it with"
                + " `vigil tokens revoke ID`");
    }

    private Object me(Call call) {
        return describe(call.credential());
    }

    private Object changePassword(Call call) {
        if (!(call.credential() instanceof Credential.Session session)) {
            throw new VigilException(ErrorCode.USAGE, "an API token has no password to change",
                    "Log in with POST /api/v1/login and change it in that session; an operator sets passwords with"
                            + " `vigil users passwd NAME`", null);
        }
        Map<String, Object> body = call.body(Set.of("current", "new"));
        if (!(body.get("current") instanceof String current) || !(body.get("new") instanceof String next)) {
            throw new VigilException(ErrorCode.USAGE, "changing the password needs 'current' and 'new' strings");
        }
        String name = session.user().name();
        if (gate.users().authenticate(name, current.toCharArray()).isEmpty()) {
            gate.throttle().failed(name, call.clientAddress(), gate.clock().instant());
            throw new VigilException(ErrorCode.LOGIN_FAILED, "the current password is wrong");
        }
        if (current.equals(next)) {
            throw new VigilException(ErrorCode.PASSWORD_WEAK, "the new password must differ from the current one");
        }
        User changed = gate.users().setPassword(name, next.toCharArray(), false, gate.clock().instant());
        gate.sessions().endAllOf(name, session.session());
        call.audit("outcome", "password changed");
        return describe(new Credential.Session(session.session(), changed));
    }

    /** The caller as the web UI needs it. */
    static Map<String, Object> describe(Credential credential) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<Map<String, Object>> tenants = new ArrayList<>();
        switch (credential) {
            case Credential.Session session -> {
                json.put("kind", "session");
                json.put("user", session.user().name());
                session.user().tenants().forEach((tenant, role) -> tenants.add(membership(tenant, role)));
                json.put("tenants", tenants);
                json.put("csrf_token", session.session().csrfToken());
                json.put("must_change_password", session.user().mustChangePassword());
                json.put("login_method", session.session().method());
            }
            case Credential.Token token -> {
                json.put("kind", "token");
                json.put("user", token.token().user() != null ? token.token().user() : token.token().name());
                json.put("token", Map.of("id", token.token().id(), "name", token.token().name()));
                tenants.add(membership(token.token().tenant(), token.token().role()));
                json.put("tenants", tenants);
                json.put("csrf_token", null);
                json.put("must_change_password", false);
            }
        }
        return json;
    }

    private static Map<String, Object> membership(String tenant, Role role) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", tenant);
        json.put("role", role.toString());
        json.put("grants", role.grants().stream().map(Role::toString).sorted().toList());
        return json;
    }
}
