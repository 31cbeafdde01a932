package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.plugins.InstalledPlugins;
import dev.vigil.mcp.McpPluginTools;
import dev.vigil.mcp.VigilTools;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external MCP server over streamable HTTP (built with the SDK, on Jetty, requiring an API key header) installed
 * as acme's {@code Format: MCP} plugin: its tool is a skill of acme's copilot, so Vigil's own MCP endpoint lists and
 * runs it for acme's token, and globex never sees it.
 */
class McpHttpPluginTest {
    @TempDir
    Path data;

    static SyncToolSpecification lookupAsset() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("hostname", Map.of("type",
                "string", "description", "The host name of the asset")), "required", List.of("hostname"));
        McpSchema.Tool tool = McpSchema.Tool.builder().name("lookup_asset").description("Look up the owner,"
                + " department and criticality of an asset (a host) in the CMDB asset inventory.")
                .inputSchema(schema).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> McpSchema.CallToolResult
                .builder().addTextContent("Asset " + request.arguments().get("hostname") + ": owner Dana Reyes,"
                        + " criticality high.").build()).build();
    }

    @Test
    void anHttpMcpServersToolIsAPluginSkillServedBackOverVigilsOwnMcpEndpoint() throws Exception {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(VigilTools.MAPPER).mcpEndpoint("/mcp").build();
        McpSyncServer cmdb = McpServer.sync(transport).serverInfo("cmdb", "1.0").jsonMapper(VigilTools.MAPPER)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build()).tools(lookupAsset())
                .build();
        AtomicInteger refused = new AtomicInteger();
        HttpServlet keyed = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException,
                    jakarta.servlet.ServletException {
                if (!"s3cret".equals(request.getHeader("X-Api-Key"))) {
                    refused.incrementAndGet();
                    response.sendError(401);
                    return;
                }
                transport.service(request, response);
            }
        };
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(keyed);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/mcp");
        jetty.setHandler(context);
        jetty.start();
        try (ServerFixture fixture = new ServerFixture(data)) {
            try (McpSyncClient before = client(fixture, fixture.tokens.get("reader"))) {
                before.initialize();
                assertThat(before.listTools().tools().stream().map(McpSchema.Tool::name))
                        .contains("incidents-list").doesNotContain("cmdb-lookup-asset");
            }
            // installed while the server runs: the next MCP request offers its tool
            Path folder = Files.createDirectories(data.resolve("cmdb-plugin"));
            Files.writeString(folder.resolve("plugin.yaml"), """
                    Descriptor:
                      Name: Cmdb
                      Description: The CMDB's asset inventory, over MCP
                      Settings:
                        - Name: ApiKey
                          Required: true
                    SkillGroups:
                      - Format: MCP
                        Settings:
                          Url: http://127.0.0.1:%d/mcp
                          Headers:
                            X-Api-Key: "{{ApiKey}}"
                    """.formatted(connector.getLocalPort()));
            new InstalledPlugins(data, ServerFixture.ACME).install(folder, Map.of("ApiKey", "s3cret"), "operator");

            try (McpSyncClient acme = client(fixture, fixture.tokens.get("reader"))) {
                acme.initialize();
                assertThat(acme.listTools().tools().stream().map(McpSchema.Tool::name)).contains("cmdb-lookup-asset");
                McpSchema.CallToolResult result = acme.callTool(new McpSchema.CallToolRequest("cmdb-lookup-asset",
                        Map.of("hostname", "ws-acme")));
                String text = text(result);
                assertThat(result.isError()).as(text).isFalse();
                assertThat(text).contains("Asset ws-acme: owner Dana Reyes").contains("mcp:cmdb/lookup_asset");
            }
            try (McpSyncClient globex = client(fixture, fixture.tokens.get("other-tenant"))) {
                globex.initialize();
                assertThat(globex.listTools().tools().stream().map(McpSchema.Tool::name))
                        .doesNotContain("cmdb-lookup-asset");
            }
            assertThat(refused).hasValue(0);
        } finally {
            McpPluginTools.closeAll();
            cmdb.close();
            jetty.stop();
        }
    }

    static McpSyncClient client(ServerFixture fixture, String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:"
                + fixture.server.port()).endpoint("/mcp").requestBuilder(HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + token)).jsonMapper(VigilTools.MAPPER).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(30)).build();
    }

    static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }
}
