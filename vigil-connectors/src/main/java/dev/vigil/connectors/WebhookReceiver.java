package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A generic webhook receiver: {@code POST /webhook/NAME} with {@code Authorization: Bearer TOKEN} and a JSON object,
 * a JSON array of objects or NDJSON. The records are stored in the connector's {@code --table} (default
 * {@value #DEFAULT_TABLE}) at their own time ({@code TimeGenerated}, {@code Timestamp}, {@code @timestamp},
 * {@code time}; else the time received), and the sender gets {@code 200} only once they are committed: a sender that
 * retries after a failure or a timeout stores nothing twice, since event ids derive from the records. A request that
 * is not valid JSON stores nothing and gets {@code 400} naming the line and column; a wrong token {@code 401}; a body
 * over 1 MiB {@code 413}. Requests are handled one at a time on the server's thread, which alone uses the store.
 */
public final class WebhookReceiver implements AutoCloseable {
    static final String DEFAULT_TABLE = "WebhookEvent";
    static final int MAX_BODY = 1 << 20;

    private final ConnectorConfig config;
    private final byte[] token;
    private final PageWriter writer;
    private final Clock clock;
    private final AtomicLong stored = new AtomicLong();
    private HttpServer server;

    WebhookReceiver(ConnectorConfig config, String token, PageWriter writer, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.token = ("Bearer " + requireNonNull(token, "token is null")).getBytes(StandardCharsets.UTF_8);
        this.writer = requireNonNull(writer, "writer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Starts listening; port 0 picks a free one. Returns the port. */
    public int start(String bindAddress, int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        } catch (IOException e) {
            throw ConnectorConfig.invalid("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(),
                    "Pick another --port, or stop the process that holds it.");
        }
        server.createContext("/webhook/" + config.name(), this::handle);
        server.start(); // the default executor: one thread, so the store stays confined to it
        return server.getAddress().getPort();
    }

    /** The path senders post to. */
    public String path() {
        return "/webhook/" + config.name();
    }

    /** Events stored since the receiver started. */
    public long stored() {
        return stored.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405, "{\"error\":\"use POST\"}");
                return;
            }
            String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            if (!MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8))) {
                reply(exchange, 401, "{\"error\":\"send the connector's token as Authorization: Bearer TOKEN\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reply(exchange, 413, "{\"error\":\"the body is larger than 1 MiB; send smaller batches\"}");
                return;
            }
            List<JsonNode> records;
            try {
                records = records(new String(body, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, ConnectorRegistry.JSON.writeValueAsString(Map.of("error", e.getMessage())));
                return;
            }
            Instant now = clock.instant();
            List<SourceRecord> out = new ArrayList<>();
            for (JsonNode record : records) {
                Instant time = now;
                for (String field : new String[] {"TimeGenerated", "Timestamp", "@timestamp", "time"}) {
                    Optional<Instant> parsed = GraphSecurityMapping.optionalTime(record, field);
                    if (parsed.isPresent()) {
                        time = parsed.get();
                        break;
                    }
                }
                out.add(new SourceRecord(record.toString(), config.table().isEmpty() ? DEFAULT_TABLE : config.table(),
                        time, "", time, Optional.empty()));
            }
            PageWriter.Written written;
            try {
                written = writer.write("webhook:" + config.name(), out, List.of());
            } catch (RuntimeException e) {
                reply(exchange, 503, "{\"error\":\"not stored; send the batch again\"}");
                return;
            }
            stored.addAndGet(written.storedNew());
            reply(exchange, 200, "{\"received\":" + records.size() + ",\"stored\":" + written.storedNew()
                    + ",\"already_stored\":" + written.alreadyStored() + ",\"quarantined\":" + written.quarantined()
                    + "}");
        }
    }

    /** The records of a body: an object, an array of objects, or one object per line. */
    static List<JsonNode> records(String body) {
        List<JsonNode> out = new ArrayList<>();
        String trimmed = body.strip();
        if (trimmed.startsWith("[")) {
            JsonNode array = parse(trimmed, 0);
            for (JsonNode item : array) {
                if (!item.isObject()) {
                    throw new IllegalArgumentException("every element of the array must be a JSON object");
                }
                out.add(item);
            }
            return out;
        }
        String[] lines = body.split("\r?\n");
        boolean single = false;
        try {
            JsonNode whole = ConnectorRegistry.JSON.readTree(trimmed);
            single = whole != null && whole.isObject();
            if (single) {
                out.add(whole);
                return out;
            }
        } catch (JacksonException notOneObject) {
            // NDJSON: read line by line below
        }
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node = parse(lines[i], i + 1);
            if (!node.isObject()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a JSON object");
            }
            out.add(node);
        }
        return out;
    }

    private static JsonNode parse(String text, int line) {
        try {
            return ConnectorRegistry.JSON.readTree(text);
        } catch (JacksonException e) {
            int atLine = line > 0 ? line : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw new IllegalArgumentException("not valid JSON at line " + atLine + ", column " + column + ": "
                    + e.getOriginalMessage() + "; nothing of this request was stored");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
