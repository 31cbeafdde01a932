package dev.vigil.mcp;

import dev.vigil.config.ConfigLoader;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import java.util.Map;
import java.util.Optional;

/** A child JVM for the stdio test: Vigil's MCP server over {@code args[0]}'s tenant {@code args[1]}, role {@code args[2]}. */
public final class StdioServerMain {
    private StdioServerMain() {}

    public static void main(String[] args) throws Exception {
        McpStdio.serve(ConfigLoader.load(null, Map.of(), Map.of("data-dir", args[0])), TenantId.of(args[1]),
                new Principal("mcp-test", Role.parse(args[2])), Optional.empty(), System.in, System.out);
    }
}
