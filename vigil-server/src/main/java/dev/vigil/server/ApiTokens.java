package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.core.type.TypeReference;

/**
 * The server's API tokens, kept in {@code DATA/server/tokens.json}.
 *
 * <p>A token is {@code vgl_} and 32 random bytes in base64url; it is shown once, when created, and only its SHA-256
 * is stored. A fast hash is right here: the token has 256 bits of entropy, so no dictionary or brute force can find a
 * preimage, and every request hashes one. Slow, salted hashes such as Argon2 exist for passwords, which people choose
 * from a small space; they would add a hundred milliseconds to every request and nothing to a random token's safety.
 *
 * <p>The file is small JSON, replaced atomically (written beside, forced to disk, renamed over) under a file lock, so
 * {@code vigil tokens create|revoke} may run while {@code vigil serve} does: the server rereads the file whenever it
 * changed, so a revoked token stops working at its next request.
 */
public final class ApiTokens {
    /** Every token starts with it, so secret scanners and people can recognize one. */
    public static final String PREFIX = "vgl_";
    private static final TypeReference<List<ApiToken>> LIST = new TypeReference<>() {};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Path lockFile;
    private List<ApiToken> cached = List.of();
    private FileTime cachedModified;
    private long cachedSize = -1;

    private ApiTokens(Path directory) {
        this.file = directory.resolve("tokens.json");
        this.lockFile = directory.resolve("tokens.lock");
    }

    /** The tokens of the data directory (kept in {@code DATA/server}). */
    public static ApiTokens in(Path dataDirectory) {
        return new ApiTokens(requireNonNull(dataDirectory, "dataDirectory is null").resolve("server"));
    }

    /** A token just created: the secret, shown once, and what is kept of it. */
    public record Created(String token, ApiToken record) {}

    /**
     * Creates a token for the tenant and role.
     *
     * @param lifetime how long it works, or null for no expiry
     */
    public Created create(TenantId tenant, Role role, String name, Duration lifetime, Instant now) {
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
                sha256(token), now, lifetime == null ? null : now.plus(lifetime), null);
        update(tokens -> {
            List<ApiToken> next = new ArrayList<>(tokens);
            next.add(record);
            return next;
        });
        return new Created(token, record);
    }

    /** Revokes the token with this id; revoking twice keeps the first time. */
    public ApiToken revoke(String id, Instant now) {
        ApiToken[] found = new ApiToken[1];
        update(tokens -> tokens.stream().map(t -> {
            if (!t.id().equals(id)) {
                return t;
            }
            found[0] = t.revoked() == null ? t.revokedAt(now) : t;
            return found[0];
        }).toList());
        if (found[0] == null) {
            throw new VigilException(ErrorCode.USAGE, "no token has the id '" + id + "'",
                    "Run `vigil tokens list` to see the tokens and their ids.", null);
        }
        return found[0];
    }

    /** Every token, revoked and expired ones included, oldest first. */
    public synchronized List<ApiToken> list() {
        refresh();
        return cached;
    }

    /** The stored token the presented one hashes to, if any (it may still be expired or revoked). */
    public synchronized Optional<ApiToken> find(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented).getBytes(StandardCharsets.US_ASCII);
        refresh();
        for (ApiToken token : cached) {
            if (MessageDigest.isEqual(hash, token.sha256().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }

    private void refresh() {
        try {
            if (!Files.exists(file)) {
                cached = List.of();
                cachedModified = null;
                cachedSize = -1;
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(cachedModified) && size == cachedSize) {
                return;
            }
            cached = List.copyOf(read());
            cachedModified = modified;
            cachedSize = size;
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private List<ApiToken> read() throws IOException {
        return Files.exists(file) ? ApiJson.MAPPER.readValue(Files.readString(file), LIST) : List.of();
    }

    private synchronized void update(UnaryOperator<List<ApiToken>> change) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lock.lock()) {
                List<ApiToken> next = change.apply(read());
                Path temporary = file.resolveSibling("tokens.json.tmp");
                try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    out.write(java.nio.ByteBuffer.wrap(ApiJson.MAPPER.writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(next)));
                    out.force(true);
                }
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                cachedModified = null;
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot write " + file + ": " + e.getMessage(), e);
        }
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
