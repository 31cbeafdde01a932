package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.mcp.VigilTools;
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

/** {@code vigil mcp serve --stdio} as an MCP client starts it: a child process on the demo tenant, reader by default. */
class McpCliTest {
    @TempDir
    Path data;

    @Test
    void vigilMcpServeStdioAnswersTheSdksClientOverTheDemo() {
        CliTesting.Run demo = CliTesting.vigil(data, "demo", "--no-serve", "--scale", DemoCopilot.SCALE, "--as-of", DemoCopilot.AS_OF, "--json");
        assertThat(demo.exit()).as(demo.toString()).isZero();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerParameters command = ServerParameters.builder(java).args(List.of("--enable-native-access=ALL-UNNAMED",
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "mcp", "serve",
                "--stdio", "--data", data.toString(), "--tenant", DemoCopilot.TENANT, "--no-model")).build();
        try (McpSyncClient client = McpClient.sync(new StdioClientTransport(command, VigilTools.MAPPER))
                .requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(120)).build()) {
            assertThat(client.initialize().serverInfo().name()).isEqualTo("vigil");
            List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(tools).contains("incidents-list", "incident-summary", "ask");

            McpSchema.CallToolResult listed = client.callTool(new McpSchema.CallToolRequest("incidents-list",
                    Map.of()));
            String text = listed.content().stream().map(c -> ((McpSchema.TextContent) c).text())
                    .collect(Collectors.joining("\n"));
            assertThat(listed.isError()).as(text).isFalse();
            assertThat(text).containsIgnoringCase("incident");
            assertThat(listed.structuredContent()).isNotNull();
        }
    }

    @Test
    void theCommandNeedsATransportAndATenantWithData() {
        CliTesting.Run help = CliTesting.vigil("mcp", "serve", "--help");
        CliTesting.Run none = CliTesting.vigil(data, "mcp", "serve");
        CliTesting.Run empty = CliTesting.vigil(data, "mcp", "serve", "--stdio", "--tenant", "nobody");

        assertThat(help.exit()).as(help.toString()).isZero();
        assertThat(help.out()).contains("--stdio").contains("--http").contains("vigil mcp serve --stdio --tenant");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("error[usage]").contains("--stdio").contains("--http");
        assertThat(empty.exit()).isNotZero();
        assertThat(empty.err()).contains("tenant 'nobody' has no data");
    }
}
