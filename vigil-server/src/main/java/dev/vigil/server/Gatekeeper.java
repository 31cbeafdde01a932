package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from: an API token in the {@code Authorization} header, else a login session in the session
 * cookie. Holds what decides it (the tokens, the users, the live sessions, the login throttle) and the cookie's
 * shape.
 *
 * <p>The session cookie is {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (a browser sends it only
 * with requests that start on Vigil's own pages, so another site cannot ride on it; the price is that a link to Vigil
 * from elsewhere opens the login page, which is fine for a security console), {@code Path=/}, and {@code Secure}
 * when the server speaks TLS, where it is also named {@code __Host-vigil_session} so that no other host or path can
 * set it. Unsafe methods ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) made with the cookie must also
 * send the session's CSRF token in {@value #CSRF_HEADER} (a synchronizer token: a page of another site can neither
 * read it nor set the header without a CORS preflight, which this server never grants); calls with an API token need
 * none, since no browser adds a bearer token by itself.
 */
final class Gatekeeper {
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApiTokens tokens;
    private final Users users;
    private final LoginSessions sessions;
    private final LoginThrottle throttle = new LoginThrottle();
    private final Clock clock;
    private final boolean secure;

    Gatekeeper(ApiTokens tokens, Users users, LoginSessions sessions, Clock clock, boolean secure) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.users = requireNonNull(users, "users is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.secure = secure;
    }

    ApiTokens tokens() {
        return tokens;
    }

    Users users() {
        return users;
    }

    LoginSessions sessions() {
        return sessions;
    }

    LoginThrottle throttle() {
        return throttle;
    }

    Clock clock() {
        return clock;
    }

    boolean secure() {
        return secure;
    }

    /** The session cookie's name. */
    String cookieName() {
        return secure ? "__Host-vigil_session" : "vigil_session";
    }

    /**
     * The credential of the request: the bearer token when an {@code Authorization} header is sent, else the session
     * cookie. {@code AUTHENTICATION_REQUIRED} when neither is sent or valid and {@code required}; else null when none
     * is sent (a sent credential that is not valid is refused even on a route that needs none).
     */
    Credential authenticate(Context ctx, boolean required) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            return new Credential.Token(token(header));
        }
        String cookie = ctx.cookie(cookieName());
        if (cookie != null && !cookie.isEmpty()) {
            Instant now = clock.instant();
            Optional<LoginSessions.Session> session = sessions.find(cookie, now);
            if (session.isEmpty()) {
                if (!required) {
                    return null;
                }
                throw unauthenticated("the login session has ended (logged out, idle too long, or older than the"
                        + " session lifetime); log in again");
            }
            Optional<User> user = users.find(session.get().user());
            if (user.isEmpty()) {
                sessions.end(session.get());
                throw unauthenticated("the session's user no longer exists");
            }
            return new Credential.Session(session.get(), user.get());
        }
        if (!required) {
            return null;
        }
        throw unauthenticated("no API token or session cookie was sent");
    }

    /** The token of an {@code Authorization} header; {@code AUTHENTICATION_REQUIRED} when missing or not valid. */
    ApiToken token(String header) {
        if (header == null || header.isBlank()) {
            throw unauthenticated("no API token was sent");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated("the Authorization header is not a bearer token");
        }
        Optional<ApiToken> found = tokens.find(header.substring(7).strip());
        if (found.isEmpty()) {
            throw unauthenticated("the API token is not valid");
        }
        Instant now = clock.instant();
        ApiToken token = found.get();
        if (!token.activeAt(now)) {
            throw unauthenticated("the API token (id " + token.id() + ") is " + token.state(now));
        }
        if (!users.allows(token)) {
            throw unauthenticated("the API token (id " + token.id() + ") belongs to user '" + token.user()
                    + "', who no longer holds its role in tenant '" + token.tenant() + "'");
        }
        return token;
    }

    /** Refuses an unsafe method made with the session cookie unless it carries the session's CSRF token. */
    void checkCsrf(Credential credential, Context ctx) {
        if (!(credential instanceof Credential.Session session) || SAFE_METHODS.contains(ctx.method().name())) {
            return;
        }
        String sent = ctx.header(CSRF_HEADER);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new VigilException(ErrorCode.CSRF_INVALID, sent == null ? "a " + ctx.method().name()
                    + " with the session cookie needs the " + CSRF_HEADER + " header" : "the " + CSRF_HEADER
                    + " header does not match the session's CSRF token");
        }
    }

    /** The {@code Set-Cookie} value that hands the browser a new session. */
    String sessionCookie(String id) {
        return cookieName() + "=" + id + "; Path=/; Max-Age=" + sessions.lifetime().toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that makes the browser forget the session. */
    String expiredCookie() {
        return cookieName() + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    static VigilException unauthenticated(String message) {
        return new VigilException(ErrorCode.AUTHENTICATION_REQUIRED, message);
    }
}
