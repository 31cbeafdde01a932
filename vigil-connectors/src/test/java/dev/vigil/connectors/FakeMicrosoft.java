package dev.vigil.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Entra ID's token endpoint and a Microsoft API on one local server on a free port. Tokens are {@code token-N}; the
 * API answers 401 to any token but the latest (or to all after {@link #expireTokens()}), as a real API does to an
 * expired token, then hands the request to the test's responder. Every request is recorded.
 */
final class FakeMicrosoft implements AutoCloseable {
    record Request(String method, String path, String query, String authorization, String body) {
        /** The decoded query parameter, or "" . */
        String param(String name) {
            if (query == null) {
                return "";
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return pair.substring(eq + 1);
                }
            }
            return "";
        }
    }

    record Reply(int status, String body, Map<String, String> headers) {
        static Reply ok(String body) {
            return new Reply(200, body, Map.of());
        }

        static Reply status(int status, String body, String... headers) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < headers.length; i += 2) {
                map.put(headers[i], headers[i + 1]);
            }
            return new Reply(status, body, map);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile String validToken = "";
    private volatile String staticToken = null;
    private volatile Function<Request, Reply> responder = request -> Reply.status(404, "{}");
    private volatile Function<Request, Reply> tokenResponder = null;

    FakeMicrosoft() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void respond(Function<Request, Reply> responder) {
        this.responder = responder;
    }

    void respondToTokenRequests(Function<Request, Reply> tokenResponder) {
        this.tokenResponder = tokenResponder;
    }

    /** Accepts this bearer token too, as an API with long-lived tokens (Splunk) does. */
    void acceptStaticToken(String token) {
        this.staticToken = token;
    }

    /** Makes every token issued so far invalid, as if it had expired. */
    void expireTokens() {
        validToken = "";
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Request> apiRequests() {
        return requests.stream().filter(r -> !r.path().endsWith("/oauth2/v2.0/token")).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"), body);
        synchronized (this) {
            requests.add(request);
        }
        Reply reply;
        if (request.path().endsWith("/oauth2/v2.0/token")) {
            reply = tokenResponder != null ? tokenResponder.apply(request) : null;
            if (reply == null) {
                String token = "token-" + tokensIssued.incrementAndGet();
                validToken = token;
                reply = Reply.ok("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\"" + token + "\"}");
            }
        } else if ((staticToken == null || !("Bearer " + staticToken).equals(request.authorization()))
                && (validToken.isEmpty() || !("Bearer " + validToken).equals(request.authorization()))) {
            reply = Reply.status(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\","
                    + "\"message\":\"Access token has expired or is not yet valid.\"}}");
        } else {
            reply = responder.apply(request);
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
