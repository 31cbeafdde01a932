package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import dev.vigil.mcp.VigilTools;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP SDK's own client over streamable HTTP at {@code /mcp} of a real server: bearer tokens only, the token's
 * tenant only, the token's role, and every call in the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpHttpTest {
    @TempDir
    static Path data;

    ServerFixture fixture;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    McpSyncClient client(String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:"
                + fixture.server.port()).endpoint("/mcp").requestBuilder(request).jsonMapper(VigilTools.MAPPER).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(30)).build();
    }

    static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    @Test
    void aReaderTokenListsAndCallsItsTenantsTools() {
        try (McpSyncClient client = client(fixture.tokens.get("reader"))) {
            client.initialize();
            Map<String, McpSchema.Tool> tools = client.listTools().tools().stream()
                    .collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
            assertThat(tools).containsKeys("incidents-list", "incident-summary", "hunt", "ask");
            assertThat(tools.get("incident-summary").inputSchema().get("required")).isEqualTo(List.of("incident"));

            McpSchema.CallToolResult listed = client.callTool(new McpSchema.CallToolRequest("incidents-list",
                    Map.of()));
            assertThat(listed.isError()).as(text(listed)).isFalse();
            assertThat(text(listed)).contains("ws-acme");

            McpSchema.CallToolResult asked = client.callTool(new McpSchema.CallToolRequest("ask",
                    Map.of("prompt", "summarize incident 1")));
            assertThat(asked.isError()).as(text(asked)).isFalse();
            assertThat(text(asked)).contains("ws-acme");
        }
        assertThat(String.join("\n", AuditLog.records(data))).contains("\"route\":\"tools/call incidents-list\"")
                .contains("\"route\":\"tools/call ask\"").contains("\"actor\":\"acme-reader\"");
    }

    @Test
    void aQueryOfOnesOwnNeedsTheAnalystRole() {
        Map<String, Object> query = Map.of("query", "SysmonEvent | take 5");
        try (McpSyncClient reader = client(fixture.tokens.get("reader"));
                McpSyncClient analyst = client(fixture.tokens.get("analyst"))) {
            reader.initialize();
            analyst.initialize();
            McpSchema.CallToolResult refused = reader.callTool(new McpSchema.CallToolRequest("hunt", query));
            McpSchema.CallToolResult ran = analyst.callTool(new McpSchema.CallToolRequest("hunt", query));

            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).contains("acme-reader (reader) may not run the skill hunt")
                    .contains("Fix: Ask an owner");
            assertThat(ran.isError()).as(text(ran)).isFalse();
            assertThat(text(ran)).contains("ws-acme");
        }
        assertThat(String.join("\n", AuditLog.records(data))).contains("\"code\":\"permission_denied\"");
    }

    @Test
    void anotherTenantsTokenSeesOnlyItsOwnData() {
        try (McpSyncClient client = client(fixture.tokens.get("other-tenant"))) {
            client.initialize();
            McpSchema.CallToolResult listed = client.callTool(new McpSchema.CallToolRequest("incidents-list",
                    Map.of()));
            McpSchema.CallToolResult asked = client.callTool(new McpSchema.CallToolRequest("ask",
                    Map.of("prompt", "which hosts ran powershell?")));
            assertThat(text(listed) + text(asked)).contains("ws-globex").doesNotContain("ws-acme")
                    .doesNotContain(ServerFixture.CANARY);
        }
    }

    java.net.http.HttpResponse<String> post(String token, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri("/mcp"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return fixture.client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSessionOfOneTenantIsUnknownToAnotherTenantsToken() throws Exception {
        java.net.http.HttpResponse<String> init = post(fixture.tokens.get("reader"), null, "{\"jsonrpc\":\"2.0\","
                + "\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

        java.net.http.HttpResponse<String> own = post(fixture.tokens.get("reader"), session, list);
        java.net.http.HttpResponse<String> other = post(fixture.tokens.get("other-tenant"), session, list);

        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("incidents-list");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("incidents-list");
    }

    @Test
    void aMissingOrInvalidTokenIsRefused() {
        for (String kind : List.of("none", "bad", "expired", "revoked")) {
            try (McpSyncClient client = client(fixture.tokens.get(kind))) {
                assertThatThrownBy(client::initialize).as(kind).isNotNull();
            }
        }
        ServerFixture.Answer raw = fixture.send("POST", "/mcp", null, "{\"jsonrpc\":\"2.0\",\"id\":1,"
                + "\"method\":\"tools/list\"}");
        assertThat(raw.status()).isEqualTo(401);
        assertThat(raw.body()).contains("authentication_required");
        assertThat(raw.response().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"vigil\"");
    }
}
