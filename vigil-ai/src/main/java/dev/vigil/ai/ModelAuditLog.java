package dev.vigil.ai;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every call to a tenant's language model, as it was sent: {@code DATA/audit/<tenant>/model.jsonl}, one JSON line
 * per call, appended and forced to disk before the request leaves, and hash-chained like the server's audit log
 * ({@code prev} is the previous line's {@code hash}; {@code hash} is the SHA-256 of the line up to the comma before
 * it). The {@code request} member is the HTTP body byte for byte; headers, and so the API key, are never written.
 */
public final class ModelAuditLog {
    /** The {@code prev} of the first record. */
    public static final String GENESIS = "0".repeat(64);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final String tenant;
    private final ReentrantLock lock = new ReentrantLock();
    private String last;
    private long sequence;

    private ModelAuditLog(Path file, String tenant) {
        this.file = file;
        this.tenant = tenant;
    }

    /** The model audit log of a tenant in a data directory. */
    public static ModelAuditLog in(Path dataDirectory, String tenant) {
        return new ModelAuditLog(file(dataDirectory, tenant), requireNonNull(tenant, "tenant is null"));
    }

    /** Where a tenant's model audit log lives. */
    public static Path file(Path dataDirectory, String tenant) {
        return dataDirectory.resolve("audit").resolve(tenant).resolve("model.jsonl");
    }

    public Path file() {
        return file;
    }

    /**
     * Appends the record of one call, durable when this returns.
     *
     * @param purpose plan, compose or test
     * @param policy the tenant's policy at the time
     * @param url where it is sent
     * @param body the request body exactly as sent
     */
    public void sent(String purpose, String policy, String url, String body) {
        lock.lock();
        try {
            if (last == null) {
                List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
                last = lines.isEmpty() ? GENESIS : lines.getLast().replaceAll(".*\"hash\":\"([0-9a-f]{64})\"}$", "$1");
                sequence = lines.size();
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("seq", sequence + 1);
            record.put("time", Instant.now().toString());
            record.put("tenant", tenant);
            record.put("purpose", purpose);
            record.put("policy", policy);
            record.put("url", url);
            record.put("request", body);
            record.put("prev", last);
            String json = JSON.writeValueAsString(record);
            String unsealed = json.substring(0, json.length() - 1);
            String hash = sha256(unsealed);
            String line = unsealed + ",\"hash\":\"" + hash + "\"}\n";
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                out.force(false);
            }
            last = hash;
            sequence++;
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot append to the model audit log " + file + ": "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
