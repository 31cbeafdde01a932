package dev.vigil.ai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A hand-written OpenAI-compatible server for tests: it replays a script of replies over
 * {@code POST /v1/chat/completions}, as plain JSON or as server-sent events, and keeps every request it received.
 * A request with no scripted reply left gets a 500.
 */
/** A hand-written OpenAI-compatible chat server on a free port that replays scripted replies (also used by vigil-server's tests). */
public final class FakeOpenAiServer implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One scripted reply. */
    public sealed interface Reply {
        /** A complete chat completion. */
        record Json(String body) implements Reply {}

        /** A streamed completion: each chunk is one {@code data:} event, then {@code data: [DONE]}. */
        record Stream(List<String> chunks) implements Reply {}

        /** Any body with any status, for malformed replies. */
        record Raw(int status, String contentType, String body) implements Reply {}

        /** A reply that comes only after a delay. */
        record Late(long millis, Reply reply) implements Reply {}
    }

    /** A request as received. */
    public record Received(String path, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public FakeOpenAiServer then(Reply reply) {
        script.add(reply);
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), body));
        Reply reply = script.poll();
        try {
            respond(exchange, reply);
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to do
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, Reply reply) throws IOException {
        switch (reply) {
            case null -> send(exchange, 500, "application/json", "{\"error\":{\"message\":\"no scripted reply\"}}");
            case Reply.Json json -> send(exchange, 200, "application/json", json.body());
            case Reply.Raw raw -> send(exchange, raw.status(), raw.contentType(), raw.body());
            case Reply.Late late -> {
                try {
                    Thread.sleep(late.millis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                respond(exchange, late.reply());
            }
            case Reply.Stream stream -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (String chunk : stream.chunks()) {
                        out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- scripted replies

    /** A completion that calls tools: each call as {name, arguments JSON}. */
    public static Reply toolCalls(String... nameThenArguments) {
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < nameThenArguments.length; i += 2) {
            calls.add(Map.of("id", "call_" + (i / 2 + 1), "type", "function", "function",
                    Map.of("name", nameThenArguments[i], "arguments", nameThenArguments[i + 1])));
        }
        Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", null);
        message.put("tool_calls", calls);
        return completion(message, "tool_calls");
    }

    /** A completion with text only. */
    public static Reply text(String text) {
        return completion(Map.of("role", "assistant", "content", text), "stop");
    }

    private static Reply completion(Map<String, Object> message, String finish) {
        Map<String, Object> choice = Map.of("index", 0, "message", message, "finish_reason", finish);
        return new Reply.Json(JSON.writeValueAsString(Map.of("id", "chatcmpl-test", "object", "chat.completion",
                "created", 1, "model", "test-model", "choices", List.of(choice),
                "usage", Map.of("prompt_tokens", 1, "completion_tokens", 1, "total_tokens", 2))));
    }

    /** A streamed completion of text, one chunk per piece. */
    public static Reply stream(String... pieces) {
        List<String> chunks = new ArrayList<>();
        for (String piece : pieces) {
            chunks.add(JSON.writeValueAsString(Map.of("id", "chatcmpl-test", "object", "chat.completion.chunk",
                    "created", 1, "model", "test-model", "choices",
                    List.of(Map.of("index", 0, "delta", Map.of("content", piece))))));
        }
        Map<String, Object> last = new java.util.LinkedHashMap<>();
        last.put("index", 0);
        last.put("delta", Map.of());
        last.put("finish_reason", "stop");
        chunks.add(JSON.writeValueAsString(Map.of("id", "chatcmpl-test", "object", "chat.completion.chunk",
                "created", 1, "model", "test-model", "choices", List.of(last))));
        return new Reply.Stream(chunks);
    }

    /** A streamed completion that also calls a tool (which a composition must ignore). */
    static Reply streamWithToolCall(String text, String tool, String arguments) {
        List<String> chunks = new ArrayList<>();
        chunks.add(JSON.writeValueAsString(Map.of("id", "c", "object", "chat.completion.chunk", "created", 1,
                "model", "test-model", "choices", List.of(Map.of("index", 0, "delta", Map.of("content", text))))));
        chunks.add(JSON.writeValueAsString(Map.of("id", "c", "object", "chat.completion.chunk", "created", 1,
                "model", "test-model", "choices", List.of(Map.of("index", 0, "delta", Map.of("tool_calls",
                        List.of(Map.of("index", 0, "id", "call_x", "type", "function",
                                "function", Map.of("name", tool, "arguments", arguments)))))))));
        Map<String, Object> last = new java.util.LinkedHashMap<>();
        last.put("index", 0);
        last.put("delta", Map.of());
        last.put("finish_reason", "tool_calls");
        chunks.add(JSON.writeValueAsString(Map.of("id", "c", "object", "chat.completion.chunk", "created", 1,
                "model", "test-model", "choices", List.of(last))));
        return new Reply.Stream(chunks);
    }
}
