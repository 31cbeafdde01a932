package dev.vigil.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Entra ID's token endpoint and Microsoft Graph Security on a local JDK server on a free port: the token endpoint of
 * directory tenant {@code directory-tenant} issues {@code graph-token}; {@code alerts_v2} answers one page of two
 * alerts (da-1, da-2, from an hour ago) in the documented shape; {@code incidents} answers an empty page.
 */
final class GraphStandIn implements AutoCloseable {
    static final String DIRECTORY = "directory-tenant";
    static final String TOKEN_PATH = "/" + DIRECTORY + "/oauth2/v2.0/token";

    final HttpServer server;
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> tokenForms = new CopyOnWriteArrayList<>();

    GraphStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(TOKEN_PATH, exchange -> {
            tokenForms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"graph-token\"}");
        });
        server.createContext("/v1.0/security/alerts_v2", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            Instant recent = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            reply(exchange, 200, "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2\","
                    + "\"value\":[" + alert("da-1", recent) + "," + alert("da-2", recent.plusSeconds(60)) + "]}");
        });
        server.createContext("/v1.0/security/incidents", exchange -> reply(exchange, 200,
                "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#security/incidents\",\"value\":[]}"));
        server.start();
    }

    /** The base URL of both the token service and the API. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes the token endpoint refuse the client secret, as Entra ID does (AADSTS7000215). */
    void refuseSecrets() {
        server.removeContext(TOKEN_PATH);
        server.createContext(TOKEN_PATH, exchange -> reply(exchange, 401,
                "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret.\"}"));
    }

    static String alert(String id, Instant at) {
        return """
                {"@odata.type":"#microsoft.graph.security.alert","id":"%1$s","providerAlertId":"%1$s-p",\
                "incidentId":"77","status":"new","severity":"high","serviceSource":"microsoftDefenderForEndpoint",\
                "detectionSource":"antivirus","title":"Suspicious execution of hidden file %1$s",\
                "description":"A hidden file has been launched.","category":"DefenseEvasion",\
                "mitreTechniques":["T1564.001"],"createdDateTime":"%2$s","lastUpdateDateTime":"%2$s",\
                "firstActivityDateTime":"%2$s","lastActivityDateTime":"%2$s","comments":[],"evidence":[\
                {"@odata.type":"#microsoft.graph.security.deviceEvidence","createdDateTime":"%2$s",\
                "verdict":"unknown","remediationStatus":"none","roles":[],"tags":[],\
                "deviceDnsName":"tempdc.contoso.com","osPlatform":"WindowsServer2016"}]}"""
                .formatted(id, at);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
