package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The server's API tokens, kept in {@code DATA/server/tokens.json}.
 *
 * <p>A token is {@code vgl_} and 32 random bytes in base64url; it is shown once, when created, and only its SHA-256
 * is stored. A fast hash is right here: the token has 256 bits of entropy, so no dictionary or brute force can find a
 * preimage, and every request hashes one. Slow, salted hashes such as Argon2 exist for passwords, which people choose
 * from a small space; they would add a hundred milliseconds to every request and nothing to a random token's safety.
 *
 * <p>The tokens are kept by a {@link TokenRepository}: {@code DATA/server/tokens.json} by default (which
 * {@code vigil tokens create|revoke} may change while {@code vigil serve} runs), or PostgreSQL in a scale-out
 * deployment. Either way a revoked token stops working at its next request.
 */
public final class ApiTokens {
    /** Every token starts with it, so secret scanners and people can recognize one. */
    public static final String PREFIX = "vgl_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenRepository repository;

    private ApiTokens(TokenRepository repository) {
        this.repository = requireNonNull(repository, "repository is null");
    }

    /** The tokens of the data directory (kept in {@code DATA/server}). */
    public static ApiTokens in(Path dataDirectory) {
        return new ApiTokens(TokenRepository.inDataDirectory(requireNonNull(dataDirectory, "dataDirectory is null")));
    }

    /** The tokens the repository keeps. */
    public static ApiTokens on(TokenRepository repository) {
        return new ApiTokens(repository);
    }

    /** A token just created: the secret, shown once, and what is kept of it. */
    public record Created(String token, ApiToken record) {}

    /**
     * Creates a token for the tenant and role.
     *
     * @param lifetime how long it works, or null for no expiry
     */
    public Created create(TenantId tenant, Role role, String name, Duration lifetime, Instant now) {
        return create(tenant, role, name, null, lifetime, now);
    }

    /**
     * Creates a token for the tenant and role that belongs to a user: it works only while that user exists and holds
     * a role in the tenant that includes the token's (see {@link Users#allows}).
     *
     * @param user the user the token belongs to, or null for a token of its own (an integration)
     * @param lifetime how long it works, or null for no expiry
     */
    public Created create(TenantId tenant, Role role, String name, String user, Duration lifetime, Instant now) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(role, "role is null");
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new VigilException(ErrorCode.USAGE, "a token needs a --name of 1 to 100 characters",
                    "Name it after who uses it, e.g. --name soar-integration", null);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        ApiToken record = new ApiToken(HexFormat.of().formatHex(idBytes), name.strip(), tenant.value(), role,
                sha256(token), now, lifetime == null ? null : now.plus(lifetime), null, user);
        repository.insert(record);
        return new Created(token, record);
    }

    /** Revokes the token with this id; revoking twice keeps the first time. */
    public ApiToken revoke(String id, Instant now) {
        return repository.change(id, t -> t.revoked() == null ? t.revokedAt(now) : t).orElseThrow(() ->
                new VigilException(ErrorCode.USAGE, "no token has the id '" + id + "'",
                        "Run `vigil tokens list` to see the tokens and their ids.", null));
    }

    /** Every token, revoked and expired ones included, oldest first. */
    public List<ApiToken> list() {
        return repository.list();
    }

    /** The stored token the presented one hashes to, if any (it may still be expired or revoked). */
    public Optional<ApiToken> find(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return repository.findBySha256(sha256(presented));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
