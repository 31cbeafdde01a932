package dev.vigil.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.core.type.TypeReference;

/**
 * The API tokens in {@code DATA/server/tokens.json}, a {@link SecretFile}: mode 600, replaced atomically under a file
 * lock, so {@code vigil tokens create|revoke} may run while {@code vigil serve} does; the server rereads the file
 * whenever it changed, so a revoked token stops working at its next request.
 */
final class FileTokens implements TokenRepository {
    private static final TypeReference<List<ApiToken>> LIST = new TypeReference<>() {};

    private final SecretFile<ApiToken> file;

    FileTokens(Path file) {
        this.file = new SecretFile<>(file, LIST);
    }

    @Override
    public List<ApiToken> list() {
        return file.read();
    }

    @Override
    public Optional<ApiToken> findBySha256(String sha256) {
        byte[] hash = sha256.getBytes(StandardCharsets.US_ASCII);
        for (ApiToken token : file.read()) {
            if (MessageDigest.isEqual(hash, token.sha256().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }

    @Override
    public void insert(ApiToken token) {
        file.update(tokens -> {
            List<ApiToken> next = new ArrayList<>(tokens);
            next.add(token);
            return next;
        });
    }

    @Override
    public Optional<ApiToken> change(String id, UnaryOperator<ApiToken> change) {
        ApiToken[] found = new ApiToken[1];
        file.update(tokens -> tokens.stream().map(t -> {
            if (!t.id().equals(id)) {
                return t;
            }
            found[0] = change.apply(t);
            return found[0];
        }).toList());
        return Optional.ofNullable(found[0]);
    }
}
