package dev.vigil.mcp;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * An external MCP server for the client test, built with the SDK alone: one tool, {@code lookup_asset(hostname)},
 * answering from a fixed inventory; an unknown host is a tool error.
 */
public final class LookupAssetServerMain {
    private LookupAssetServerMain() {}

    static SyncToolSpecification tool() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("hostname", Map.of("type",
                "string", "description", "The host name of the asset")), "required", List.of("hostname"));
        McpSchema.Tool tool = McpSchema.Tool.builder().name("lookup_asset")
                .description("Look up the owner, department and criticality of an asset (a host) in the CMDB asset"
                        + " inventory.").inputSchema(schema).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            Object host = request.arguments().get("hostname");
            if ("ws-acme".equals(host)) {
                return McpSchema.CallToolResult.builder().addTextContent("Asset ws-acme: owner Dana Reyes,"
                        + " department Finance, criticality high (CMDB-4711).").build();
            }
            return McpSchema.CallToolResult.builder().isError(true).addTextContent("no asset named " + host).build();
        }).build();
    }

    /** A tool that answers after five seconds. */
    static SyncToolSpecification slow() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("hostname", Map.of("type",
                "string")));
        McpSchema.Tool tool = McpSchema.Tool.builder().name("slow_lookup").description("A slow lookup")
                .inputSchema(schema).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return McpSchema.CallToolResult.builder().addTextContent("late").build();
        }).build();
    }

    public static void main(String[] args) throws Exception {
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(VigilTools.MAPPER))
                .serverInfo("cmdb", "1.0").capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tool(), slow()).build();
        Thread.currentThread().join();
        server.close();
    }
}
