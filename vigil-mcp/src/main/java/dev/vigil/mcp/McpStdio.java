package dev.vigil.mcp;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.Principal;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * {@code vigil mcp serve --stdio}: one tenant's copilot as an MCP server on standard input and output, for an MCP
 * client that starts Vigil as its child (Claude Desktop, an IDE). The local user owns the data directory, so the
 * caller is the principal given on the command line; the store is held for as long as the client keeps the pipe open.
 * Standard output carries only the protocol: logs go to standard error or the log file.
 */
public final class McpStdio {
    private McpStdio() {}

    /**
     * Serves until the client closes standard input.
     *
     * @param principal who calls: the local user with the role given (reader at least to call any tool)
     */
    public static void serve(VigilConfig config, TenantId tenant, Principal principal, Optional<Embedder> embedder,
            InputStream in, OutputStream out) throws InterruptedException {
        requireNonNull(principal, "principal is null");
        CountDownLatch closed = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ended(super.read(b, off, len));
            }

            private int ended(int n) {
                if (n < 0) {
                    closed.countDown();
                }
                return n;
            }
        };
        try (TenantStore store = TenantStore.open(config.dataDirectory(), tenant, TenantStore.Mode.READ_WRITE)) {
            Copilot copilot = Copilots.embedded(new Workspace(config, store), embedder);
            ReentrantLock lock = new ReentrantLock();
            VigilTools.Tenancy tenancy = new VigilTools.Tenancy() {
                @Override
                public <T> T call(McpTransportContext context, String tool, BiFunction<Copilot, Principal, T> work) {
                    lock.lock(); // a store is confined to one thread at a time
                    try {
                        return work.apply(copilot, principal);
                    } finally {
                        lock.unlock();
                    }
                }
            };
            List<dev.vigil.copilot.SkillSpec> specs = copilot.skills().values().stream().map(Skill::spec).toList();
            McpSyncServer server = VigilTools.server(new StdioServerTransportProvider(VigilTools.MAPPER, watched, out),
                    VigilTools.tools(specs, tenancy), McpPluginTools.version());
            try {
                closed.await();
            } finally {
                server.closeGracefully();
            }
        }
    }
}
