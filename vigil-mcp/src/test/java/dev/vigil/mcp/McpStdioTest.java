package dev.vigil.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.TenantId;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP SDK's own client starts {@code vigil mcp serve --stdio}'s server in a child JVM, lists and calls its tools. */
class McpStdioTest {
    static final String MARKER = "MARKER-5f1d-acme";

    @TempDir
    Path data;

    /** The command line of a child JVM on this test's class path. */
    static List<String> javaCommand(String main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> all = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), main));
        all.addAll(List.of(args));
        return all;
    }

    static ServerParameters java(String main, String... args) {
        List<String> command = javaCommand(main, args);
        return ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build();
    }

    static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    @Test
    void anMcpClientListsAndCallsTheTenantsSkillsOverStdio() {
        Seed.tenant(data, TenantId.of("acme"), MARKER);
        StdioClientTransport transport = new StdioClientTransport(java(StdioServerMain.class.getName(),
                data.toString(), "acme", "reader"), VigilTools.MAPPER);
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(90)).build()) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("vigil");

            List<McpSchema.Tool> tools = client.listTools().tools();
            Map<String, McpSchema.Tool> byName = tools.stream().collect(Collectors.toMap(McpSchema.Tool::name,
                    t -> t));
            assertThat(byName).containsKeys("incidents-list", "incident-summary", "ask");
            assertThat(byName.get("incident-summary").inputSchema().get("type")).isEqualTo("object");
            assertThat(((Map<?, ?>) byName.get("incident-summary").inputSchema().get("properties")).keySet())
                    .asString().contains("incident");
            assertThat(byName.get("ask").inputSchema().get("required")).isEqualTo(List.of("prompt"));

            McpSchema.CallToolResult listed = client.callTool(new McpSchema.CallToolRequest("incidents-list",
                    Map.of()));
            assertThat(listed.isError()).as(text(listed)).isFalse();
            assertThat(text(listed)).contains("ws-acme");
            assertThat(listed.structuredContent()).isNotNull();
            assertThat(text(listed)).contains("\"tables\"");

            McpSchema.CallToolResult asked = client.callTool(new McpSchema.CallToolRequest("ask",
                    Map.of("prompt", "which incidents are open?")));
            assertThat(asked.isError()).as(text(asked)).isFalse();
            assertThat(text(asked)).contains("ws-acme").contains("incidents-list");

            McpSchema.CallToolResult missing = client.callTool(new McpSchema.CallToolRequest("incident-summary",
                    Map.of()));
            assertThat(missing.isError()).isTrue();
            assertThat(text(missing)).contains("needs its input 'incident'").contains("Fix:");
        }
    }
}
