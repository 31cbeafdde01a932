package dev.vigil.server;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the server's API tokens are kept (their hashes, never the tokens); {@link ApiTokens} makes and checks them,
 * this only stores. A token opens exactly one tenant, which its record names; it is looked up by its hash, before its
 * tenant is known, as a request presents it. Two implementations: a {@link SecretFile} in the data directory
 * ({@link #inDataDirectory}) and PostgreSQL ({@link PostgresTokens}).
 */
public interface TokenRepository {
    /** Every token, revoked and expired ones included, oldest first. */
    List<ApiToken> list();

    /** The token whose SHA-256 (hex) this is, if any. */
    Optional<ApiToken> findBySha256(String sha256);

    /** Adds a token. */
    void insert(ApiToken token);

    /**
     * Replaces the token of this id by {@code change} of it, atomically against other changes.
     *
     * @return the token as changed, or empty when there is no such token
     */
    Optional<ApiToken> change(String id, UnaryOperator<ApiToken> change);

    /** The tokens file of the data directory ({@code DATA/server/tokens.json}). */
    static TokenRepository inDataDirectory(java.nio.file.Path dataDirectory) {
        return new FileTokens(dataDirectory.resolve("server").resolve("tokens.json"));
    }
}
