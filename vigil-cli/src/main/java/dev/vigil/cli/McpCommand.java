package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Embedder;
import dev.vigil.mcp.McpStdio;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.server.VigilServer;
import dev.vigil.server.ServerState;
import dev.vigil.store.TenantStore;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil mcp serve}: Vigil's skills as a Model Context Protocol server. */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Vigil's copilot skills as MCP tools, for MCP clients (Claude Desktop, IDEs, agents): over"
                + " standard input and output for one tenant, or over streamable HTTP with API tokens.",
        subcommands = {McpCommand.Serve.class})
final class McpCommand extends CommandGroup {

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve the tenant's skills (and 'ask', the whole copilot) as MCP tools.",
                    "--stdio: for a client that starts Vigil itself; the local user acts, as reader unless --role"
                            + " says otherwise. Standard output carries only the protocol.",
                    "--http: the REST server with MCP at /mcp (as `vigil serve`); each request needs"
                            + " 'Authorization: Bearer vgl_...', whose tenant and role it acts with."},
            footer = {"", "Examples:", "  vigil mcp serve --stdio --tenant default",
                    "  vigil mcp serve --http --port 8470   # then http://127.0.0.1:8470/mcp with a token"})
    static final class Serve implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        static final class Transport {
            @Option(names = "--stdio", required = true, description = "Over standard input and output.")
            boolean stdio;

            @Option(names = "--http", required = true, description = "Over streamable HTTP at /mcp.")
            boolean http;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Transport transport;

        @Option(names = "--as", paramLabel = "USER",
                description = "With --stdio: who acts (default: $VIGIL_USER, else the OS user).")
        String user;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "reader",
                description = "With --stdio: the role to act with, reader, analyst or owner (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--model", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Rank skills with the in-jar embedding model (default: on).")
        boolean model;

        @Option(names = "--port", paramLabel = "N", defaultValue = "8470", description = "With --http: the port"
                + " (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
                description = "With --http: the address to listen on (default: ${DEFAULT-VALUE}).")
        String bind;

        @Override
        public Integer call() throws InterruptedException {
            VigilConfig config = common.load();
            PrintWriter err = spec.commandLine().getErr();
            if (transport.http) {
                VigilServer server = VigilServer.start(config, bind, port);
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    stopped.countDown();
                }, "vigil-mcp-stop"));
                PrintWriter out = spec.commandLine().getOut();
                out.printf(Locale.ROOT, "Vigil MCP on http://%s:%d/mcp (streamable HTTP, and the REST API under"
                        + " /api/v1; data %s); Ctrl-C stops it.%n", bind, server.port(),
                        config.dataDirectory().toAbsolutePath());
                if (ServerState.with(config, state -> state.tokens().list().isEmpty())) {
                    out.println("No API token exists yet: create one with 'vigil tokens create --tenant T --role reader"
                            + " --name N'.");
                }
                out.flush();
                stopped.await();
                return 0;
            }
            if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
                throw new VigilException(ErrorCode.USAGE, "tenant '" + config.tenant() + "' has no data in "
                        + config.dataDirectory(), "Run 'vigil demo' for demo data, or 'vigil ingest FILE --tenant "
                        + config.tenant() + "' first.", null);
            }
            String name = user;
            if (name == null || name.isBlank()) {
                name = System.getenv("VIGIL_USER");
            }
            if (name == null || name.isBlank()) {
                name = System.getProperty("user.name", "local");
            }
            Principal principal = new Principal(name.strip(), Role.parse(role));
            // standard output belongs to the protocol: anything else a library prints goes to standard error
            PrintStream protocol = System.out;
            System.setOut(System.err);
            Optional<Embedder> embedder = CopilotSession.embedder(model, err);
            McpStdio.serve(config, config.tenant(), principal, embedder, System.in, protocol);
            return 0;
        }
    }
}
