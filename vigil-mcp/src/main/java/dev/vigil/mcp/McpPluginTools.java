package dev.vigil.mcp;

import dev.vigil.copilot.Skill;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugins.RemoteTools;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The skills of {@code Format: MCP} plugin groups: connects to the external server (streamable HTTP with the group's
 * headers, or a stdio command), lists its tools and makes each a {@link McpToolSkill}. A connection is kept per tenant,
 * plugin and server, and reused by every copilot built for the tenant, until a call over it fails.
 */
public final class McpPluginTools implements RemoteTools {
    private static final Pattern SETTING = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Map<String, Connection> CONNECTIONS = new ConcurrentHashMap<>();
    /** Servers that could not be reached, and until when they are not tried again. */
    private static final Map<String, Failure> FAILURES = new ConcurrentHashMap<>();
    /** How long a server that failed is left alone, so that a broken plugin does not slow every question. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(60);
    /** Starting a server (a process, a connection and the handshake) gets at least this long. */
    static final Duration MIN_START = Duration.ofSeconds(30);

    private record Failure(java.time.Instant until, VigilException error) {}

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(McpPluginTools::closeAll, "vigil-mcp-clients-close"));
    }

    /** A live client and the tools its server listed. */
    record Connection(String key, McpSyncClient client, List<McpSchema.Tool> tools, String where) {}

    @Override
    public List<Skill> skills(PluginManifest plugin, PluginManifest.SkillGroup.Mcp group, Map<String, String> settings,
            String tenant, Duration timeout) {
        String url = resolve(group.url(), settings, plugin, "Url");
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        group.headers().forEach((k, v) -> headers.put(k, resolve(v, settings, plugin, "Headers." + k)));
        String key = tenant + "\n" + plugin.name() + "\n" + url + "\n" + group.command() + "\n" + headers + "\n"
                + timeout;
        Failure failed = FAILURES.get(key);
        if (failed != null && java.time.Instant.now().isBefore(failed.until())) {
            throw failed.error();
        }
        Connection connection;
        try {
            connection = CONNECTIONS.computeIfAbsent(key, k -> connect(k, plugin, url, group.command(), headers,
                    timeout));
        } catch (VigilException e) {
            FAILURES.put(key, new Failure(java.time.Instant.now().plus(RETRY_AFTER), e));
            throw e;
        }
        FAILURES.remove(key);
        List<Skill> skills = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (McpSchema.Tool tool : connection.tools()) {
            if (group.tools().isEmpty() || group.tools().contains(tool.name())) {
                McpToolSkill skill = McpToolSkill.of(plugin.name(), tool, connection::client, connection.where(),
                        () -> forget(connection), timeout);
                if (skill != null && names.add(skill.spec().name())) {
                    skills.add(skill);
                }
            }
        }
        return skills;
    }

    /** Drops a connection a call failed over: the next copilot connects again. */
    private static void forget(Connection connection) {
        if (CONNECTIONS.remove(connection.key(), connection)) {
            try {
                connection.client().close();
            } catch (RuntimeException ignored) {
                // it failed already
            }
        }
    }

    private static Connection connect(String key, PluginManifest plugin, String url, List<String> command,
            Map<String, String> headers, Duration timeout) {
        McpClientTransport transport;
        String where;
        if (!url.isEmpty()) {
            URI uri = URI.create(url);
            String base = uri.getScheme() + "://" + uri.getRawAuthority();
            String endpoint = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            HttpRequest.Builder request = HttpRequest.newBuilder();
            headers.forEach(request::header);
            transport = HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).requestBuilder(request)
                    .jsonMapper(VigilTools.MAPPER).connectTimeout(timeout).build();
            where = url;
        } else {
            ServerParameters parameters = ServerParameters.builder(command.get(0))
                    .args(command.subList(1, command.size())).build();
            transport = new StdioClientTransport(parameters, VigilTools.MAPPER);
            where = String.join(" ", command);
        }
        Duration start = timeout.compareTo(MIN_START) < 0 ? MIN_START : timeout;
        // requests wait as long as a server just started may take (a JVM warming up); each tool call is held to the
        // plugin's timeout by its skill
        McpSyncClient client = McpClient.sync(transport).requestTimeout(start).initializationTimeout(start)
                .clientInfo(new McpSchema.Implementation("vigil", "Vigil", version())).build();
        try {
            client.initialize();
            List<McpSchema.Tool> tools = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
                tools.addAll(page.tools());
                cursor = page.nextCursor();
            } while (cursor != null && !cursor.isEmpty() && tools.size() < 1000);
            return new Connection(key, client, List.copyOf(tools), where);
        } catch (RuntimeException e) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // the connection failed anyway
            }
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "the MCP server of plugin " + plugin.name() + " ("
                    + where + ") did not list its tools: " + McpToolSkill.reason(e), url.isEmpty()
                    ? "Check that the command starts an MCP server on standard input and output (run it by hand)"
                    : "Check that the server runs at " + url + ", speaks streamable HTTP, and accepts the plugin's"
                    + " headers (`vigil plugins show " + plugin.name() + "`); raise TimeoutSeconds if it is slow", e);
        }
    }

    /** A value with its {@code {{Setting}}} references replaced by the tenant's settings. */
    private static String resolve(String value, Map<String, String> settings, PluginManifest plugin, String field) {
        Matcher m = SETTING.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String setting = settings.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(m.group(1)))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (setting == null || setting.isEmpty()) {
                throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "the plugin " + plugin.name() + "'s " + field
                        + " needs the setting " + m.group(1) + ", which is not set", "Install it again with --setting "
                        + m.group(1) + "=VALUE", null);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(setting));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String version() {
        String version = McpPluginTools.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Closes every connection (at shutdown, and between tests). */
    public static void closeAll() {
        FAILURES.clear();
        for (Connection connection : List.copyOf(CONNECTIONS.values())) {
            CONNECTIONS.remove(connection.key());
            try {
                connection.client().closeGracefully();
            } catch (RuntimeException ignored) {
                // closing at shutdown
            }
        }
    }
}
