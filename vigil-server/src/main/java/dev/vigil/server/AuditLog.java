package dev.vigil.server;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's audit log, {@code DATA/server/audit.jsonl}: one JSON line per request, appended and forced to disk,
 * hash-chained so that editing, removing or reordering a record is detected.
 *
 * <p>Each line is a JSON object whose last two members are {@code prev}, the {@code hash} of the record before it
 * (64 zeros for the first), and {@code hash}, the hex SHA-256 of the line's text up to the comma before
 * {@code "hash"}. {@link #verify} recomputes both: a record whose own text was changed fails its hash; one whose
 * predecessor was changed, removed or rehashed fails its link.
 *
 * <p>A record holds the request's method and route, the tenant, the credential's reference (a token's id, a session's
 * short hash) and actor, the role, the outcome status and the time, and what the request did ({@code detail}: the
 * prompt, the query, the user name a login tried); never a token, a password, a cookie or a query's rows.
 */
public final class AuditLog implements AuditTrail {
    /** The {@code prev} of the first record. */
    public static final String GENESIS = "0".repeat(64);
    private static final Pattern TAIL = Pattern.compile(",\"hash\":\"([0-9a-f]{64})\"}$");
    private static final Pattern PREV = Pattern.compile("\"prev\":\"([0-9a-f]{64})\"$");

    private final Path file;
    private final Path dataDirectory;
    private final ReentrantLock lock = new ReentrantLock();
    private String last;
    private long sequence;

    private AuditLog(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.file = file(dataDirectory);
    }

    /** The audit log of the data directory, ready to append to after the records already there. */
    public static AuditLog in(Path dataDirectory) {
        return new AuditLog(requireNonNull(dataDirectory, "dataDirectory is null"));
    }

    /** Where the audit log of a data directory lives. */
    public static Path file(Path dataDirectory) {
        return requireNonNull(dataDirectory, "dataDirectory is null").resolve("server").resolve("audit.jsonl");
    }

    /**
     * One request, as audited. {@code tenant}, {@code tokenId}, {@code actor} and {@code role} may be empty.
     * {@code tokenId} is the API token's id, or {@code session:} and the first hex digits of a login session's hashed
     * id. {@code detail} says what the request did (the prompt asked, the query run, the user name a login tried, why
     * a login failed), never a secret.
     */
    public record Entry(Instant time, String method, String route, String path, String tenant, String tokenId,
            String actor, String role, int status, String code, Map<String, String> detail) {
        public Entry {
            detail = detail == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detail));
        }

        public Entry(Instant time, String method, String route, String path, String tenant, String tokenId,
                String actor, String role, int status, String code) {
            this(time, method, route, path, tenant, tokenId, actor, role, status, code, Map.of());
        }
    }

    @Override
    public void append(Entry entry) {
        lock.lock();
        try {
            if (last == null) {
                List<String> lines = lines();
                last = lines.isEmpty() ? GENESIS : hashOf(lines.getLast());
                sequence = lines.size();
            }
            String sealed = seal(entry, sequence + 1, last);
            String hash = hashOf(sealed);
            String line = sealed + "\n";
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                out.force(false);
            }
            last = hash;
            sequence++;
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot append to the audit log " + file + ": "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What {@link #verify} found.
     *
     * @param records how many records were read
     * @param brokenAt the 1-based line of the first record that fails, or 0 when the chain holds
     * @param reason why that record fails
     */
    public record Verification(long records, long brokenAt, String reason) {
        public boolean intact() {
            return brokenAt == 0;
        }
    }

    @Override
    public Verification verify() {
        return verify(dataDirectory);
    }

    @Override
    public List<String> records() {
        return records(dataDirectory);
    }

    @Override
    public String where() {
        return file.toString();
    }

    /**
     * A record's line, without its line end: the entry's members, {@code seq}, {@code prev} and the {@code hash}
     * that seals them.
     */
    static String seal(Entry entry, long sequence, String previous) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("seq", sequence);
        record.put("time", entry.time().toString());
        record.put("method", entry.method());
        record.put("route", entry.route());
        record.put("path", entry.path());
        record.put("tenant", entry.tenant());
        record.put("token_id", entry.tokenId());
        record.put("actor", entry.actor());
        record.put("role", entry.role());
        record.put("status", entry.status());
        record.put("code", entry.code());
        if (!entry.detail().isEmpty()) {
            record.put("detail", entry.detail());
        }
        record.put("prev", previous);
        String body = ApiJson.MAPPER.writeValueAsString(record);
        String unsealed = body.substring(0, body.length() - 1);
        return unsealed + ",\"hash\":\"" + ApiTokens.sha256(unsealed) + "\"}";
    }

    /** Recomputes the chain of the data directory's audit log and reports the first broken link. */
    public static Verification verify(Path dataDirectory) {
        return verifyChain(readLines(file(dataDirectory)));
    }

    /** Recomputes one chain, given its records in order, and reports the first broken link. */
    static Verification verifyChain(List<String> lines) {
        String previous = GENESIS;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher tail = TAIL.matcher(line);
            if (!tail.find()) {
                return new Verification(lines.size(), i + 1, "the record does not end with its hash");
            }
            String unsealed = line.substring(0, tail.start());
            if (!ApiTokens.sha256(unsealed).equals(tail.group(1))) {
                return new Verification(lines.size(), i + 1, "the record's content does not match its hash: it was"
                        + " changed after it was written");
            }
            Matcher prev = PREV.matcher(unsealed);
            if (!prev.find() || !prev.group(1).equals(previous)) {
                return new Verification(lines.size(), i + 1, i == 0 ? "the first record does not start the chain:"
                        + " records before it were removed" : "the record does not link to the one before it: a"
                        + " record before it was changed, removed or inserted");
            }
            previous = tail.group(1);
        }
        return new Verification(lines.size(), 0, "");
    }

    /** The records of the data directory's audit log, oldest first, as JSON text lines. */
    public static List<String> records(Path dataDirectory) {
        return readLines(file(dataDirectory));
    }

    /** One top-level member of a record line as text (a nested object as JSON), or empty when it has none. */
    public static String field(String line, String name) {
        tools.jackson.databind.JsonNode value = ApiJson.MAPPER.readTree(line).get(name);
        return value == null || value.isNull() ? "" : value.isValueNode() ? value.asString() : value.toString();
    }

    /** The columns of {@link #csv}, in order. */
    public static final List<String> CSV_COLUMNS = List.of("seq", "time", "actor", "tenant", "method", "route", "path",
            "status", "code", "token_id", "role", "detail", "hash");

    /** Records as CSV (RFC 4180: quoted where needed, CRLF line ends), with a header of {@link #CSV_COLUMNS}. */
    public static String csv(List<String> lines) {
        StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (String line : lines) {
            tools.jackson.databind.JsonNode record = ApiJson.MAPPER.readTree(line);
            List<String> cells = new ArrayList<>();
            for (String column : CSV_COLUMNS) {
                tools.jackson.databind.JsonNode value = record.get(column);
                String text = value == null || value.isNull() ? "" : value.isValueNode() ? value.asString()
                        : value.toString();
                cells.add(text.matches("[^\",\r\n]*") && !text.startsWith("=") && !text.startsWith("+")
                        && !text.startsWith("-") && !text.startsWith("@") ? text
                        : "\"" + (startsLikeFormula(text) ? "'" : "") + text.replace("\"", "\"\"") + "\"");
            }
            out.append(String.join(",", cells)).append("\r\n");
        }
        return out.toString();
    }

    /** A cell a spreadsheet would run as a formula is prefixed with a quote (CSV injection). */
    private static boolean startsLikeFormula(String text) {
        return !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0;
    }

    private List<String> lines() {
        return readLines(file);
    }

    private static List<String> readLines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot read the audit log " + file + ": "
                    + e.getMessage(), e);
        }
    }

    static String hashOf(String line) {
        Matcher tail = TAIL.matcher(line);
        return tail.find() ? tail.group(1) : ApiTokens.sha256(line);
    }
}
