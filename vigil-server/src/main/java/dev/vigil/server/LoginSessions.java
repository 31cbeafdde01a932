package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The login sessions of a running server.
 *
 * <p>A session id is 32 random bytes (256 bits) in base64url, sent to the browser once in the session cookie; the
 * server keeps only its SHA-256, so a copy of the server's memory or log cannot replay a session. A session ends
 * after {@code idle} without a request, after {@code lifetime} whatever happens, at logout, and when its user is
 * removed or changes password. Each session carries its own CSRF token (the synchronizer token the browser sends back
 * in {@code X-CSRF-Token}).
 *
 * <p>Sessions live in memory: a restart of the server logs everyone out, which is the safe failure.
 */
final class LoginSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** From this many sessions on, each login first forgets the expired ones, so abandoned ones do not pile up. */
    private static final int SWEEP_FROM = 1_000;

    private final Duration idle;
    private final Duration lifetime;
    private final Map<String, Session> byHash = new ConcurrentHashMap<>();

    /** One session: whose, since when, last used when, and its CSRF token. */
    record Session(String hash, String user, String csrfToken, Instant created, Instant lastSeen, String method) {
        Session {
            requireNonNull(hash, "hash is null");
            requireNonNull(user, "user is null");
            requireNonNull(csrfToken, "csrfToken is null");
        }

        /** A short, non-secret reference for the audit log: the first 12 hex digits of the id's hash. */
        String reference() {
            return "session:" + hash.substring(0, 12);
        }
    }

    /** A new session: the id, shown once (in the cookie), and what is kept of it. */
    record Created(String id, Session session) {}

    LoginSessions(Duration idle, Duration lifetime) {
        this.idle = requireNonNull(idle, "idle is null");
        this.lifetime = requireNonNull(lifetime, "lifetime is null");
    }

    Duration idle() {
        return idle;
    }

    Duration lifetime() {
        return lifetime;
    }

    /**
     * Opens a session for the user.
     *
     * @param method how the user signed in: {@code password} or {@code oidc}
     */
    Created open(String user, String method, Instant now) {
        if (byHash.size() >= SWEEP_FROM) {
            sweep(now);
        }
        String id = random();
        Session session = new Session(ApiTokens.sha256(id), user, random(), now, now, method);
        byHash.put(session.hash(), session);
        return new Created(id, session);
    }

    /** The live session of this id, its last use moved to {@code now}; empty when unknown, idle or too old. */
    Optional<Session> find(String id, Instant now) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String hash = ApiTokens.sha256(id);
        Session found = byHash.get(hash);
        if (found == null) {
            return Optional.empty();
        }
        if (!now.isBefore(found.lastSeen().plus(idle)) || !now.isBefore(found.created().plus(lifetime))) {
            byHash.remove(hash, found);
            return Optional.empty();
        }
        Session touched = new Session(found.hash(), found.user(), found.csrfToken(), found.created(), now,
                found.method());
        byHash.replace(hash, found, touched);
        return Optional.of(touched);
    }

    /** Ends one session. */
    void end(Session session) {
        byHash.remove(session.hash());
    }

    /** Ends every session of the user but {@code keep} (null to end them all). */
    void endAllOf(String user, Session keep) {
        byHash.values().removeIf(s -> s.user().equals(user) && (keep == null || !s.hash().equals(keep.hash())));
    }

    /** Forgets sessions that expired; called now and then so that abandoned sessions do not pile up. */
    void sweep(Instant now) {
        byHash.values().removeIf(s -> !now.isBefore(s.lastSeen().plus(idle))
                || !now.isBefore(s.created().plus(lifetime)));
    }

    int size() {
        return byHash.size();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
