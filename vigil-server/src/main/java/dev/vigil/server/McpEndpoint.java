package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.mcp.VigilTools;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's skills as an MCP server over streamable HTTP at {@value #PATH}, beside the REST API and behind the same API
 * tokens: a request without a valid {@code Authorization: Bearer vgl_...} is refused (401), and a token opens its own
 * tenant only. Each tenant has a server of its own (its tools are its copilot's skills, plugins included, and its MCP
 * sessions are its own), so that a session id of one tenant means nothing to another's token. Every request is
 * audited like a REST request, and every tool call once more with the tool's name, the caller and the outcome.
 */
final class McpEndpoint extends HttpServlet {
    static final String PATH = "/mcp";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);
    private static final String TOKEN = "vigil.mcp.token";

    /** A tenant's MCP server, its transport, and the state of the tenant's plugins its tools were listed from. */
    private static final class Served {
        final HttpServletStreamableServerTransportProvider transport;
        final VigilTools.Tenancy tenancy;
        McpSyncServer server;
        volatile String plugins;

        Served(HttpServletStreamableServerTransportProvider transport, VigilTools.Tenancy tenancy) {
            this.transport = transport;
            this.tenancy = tenancy;
        }
    }

    private final transient VigilConfig config;
    private final transient TenantStores stores;
    private final transient AuditTrail audit;
    private final transient Clock clock;
    private final transient Supplier<Optional<Embedder>> embedder;
    private final transient Function<String, ApiToken> authenticate;
    private final transient Map<TenantId, Served> tenants = new ConcurrentHashMap<>();

    /** @param authenticate the token of an {@code Authorization} header, or {@link VigilException} refusing it */
    McpEndpoint(VigilConfig config, TenantStores stores, AuditTrail audit, Clock clock,
            Supplier<Optional<Embedder>> embedder, Function<String, ApiToken> authenticate) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.embedder = requireNonNull(embedder, "embedder is null");
        this.authenticate = requireNonNull(authenticate, "authenticate is null");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiToken token = null;
        String code = "";
        try {
            token = authenticate.apply(request.getHeader("Authorization"));
            request.setAttribute(TOKEN, token);
            TenantId tenant = TenantId.of(token.tenant());
            Served served = tenants.computeIfAbsent(tenant, this::serve);
            refresh(tenant, served);
            served.transport.service(request, response);
        } catch (VigilException e) {
            code = e.code().id();
            error(response, e);
        } catch (jakarta.servlet.ServletException | RuntimeException e) {
            code = ErrorCode.INTERNAL.id();
            LOG.error("MCP request {} {} failed", request.getMethod(), request.getRequestURI(), e);
            error(response, new VigilException(ErrorCode.INTERNAL, "the MCP request failed inside the server; the log"
                    + " has the details", e));
        } finally {
            record(request.getMethod(), PATH, token == null ? "" : token.tenant(), token, response.getStatus(), code);
        }
    }

    /** A tenant's MCP server: its copilot's skills as tools, each call run as the token's principal. */
    private Served serve(TenantId tenant) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(VigilTools.MAPPER).mcpEndpoint(PATH).maxRequestSize(VigilServer.MAX_BODY_BYTES)
                .contextExtractor(request -> McpTransportContext.create(Map.of(TOKEN, request.getAttribute(TOKEN))))
                .build();
        VigilTools.Tenancy tenancy = new VigilTools.Tenancy() {
            @Override
            public <T> T call(McpTransportContext context, String tool, BiFunction<Copilot, Principal, T> work) {
                ApiToken token = context.get(TOKEN) instanceof ApiToken t ? t : null;
                if (token == null || !token.tenant().equals(tenant.value())) {
                    // the transport hands each request's own token: another tenant's can never reach this server
                    record("MCP", "tools/call " + tool, tenant.value(), token, 403, ErrorCode.PERMISSION_DENIED.id());
                    throw new VigilException(ErrorCode.PERMISSION_DENIED, "this call carries no token of tenant "
                            + tenant.value());
                }
                Principal principal = new Principal(token.name(), token.role());
                String code = "";
                try {
                    return stores.read(tenant, store -> work.apply(copilot(store), principal));
                } catch (VigilException e) {
                    code = e.code().id();
                    throw e;
                } catch (RuntimeException e) {
                    code = ErrorCode.INTERNAL.id();
                    throw e;
                } finally {
                    record("MCP", "tools/call " + tool, tenant.value(), token, code.isEmpty() ? 200
                            : 400, code);
                }
            }
        };
        Served served = new Served(transport, tenancy);
        served.plugins = plugins(tenant);
        List<dev.vigil.copilot.SkillSpec> specs = stores.read(tenant, store -> copilot(store).skills().values()
                .stream().map(Skill::spec).toList());
        served.server = VigilTools.server(transport, VigilTools.tools(specs, tenancy), "server");
        return served;
    }

    /**
     * Offers the tenant's current skills when its plugins changed since its tools were listed (a plugin installed,
     * enabled, disabled or removed on the running server): tools are added and removed, and clients are told.
     */
    private void refresh(TenantId tenant, Served served) {
        String now;
        try {
            now = plugins(tenant);
        } catch (VigilException e) {
            return; // the shared store cannot be read just now: keep offering the tools listed
        }
        if (now.equals(served.plugins)) {
            return;
        }
        synchronized (served) {
            if (now.equals(served.plugins)) {
                return;
            }
            List<dev.vigil.copilot.SkillSpec> specs = stores.read(tenant, store -> copilot(store).skills().values()
                    .stream().map(Skill::spec).toList());
            java.util.Set<String> offered = new java.util.HashSet<>();
            served.server.listTools().forEach(t -> offered.add(t.name()));
            java.util.Set<String> wanted = new java.util.HashSet<>();
            specs.forEach(s -> wanted.add(s.name()));
            wanted.add(VigilTools.ASK);
            offered.stream().filter(name -> !wanted.contains(name)).forEach(served.server::removeTool);
            VigilTools.tools(specs.stream().filter(s -> !offered.contains(s.name())).toList(), served.tenancy)
                    .stream().filter(t -> !offered.contains(t.tool().name())).forEach(served.server::addTool);
            served.server.notifyToolsListChanged();
            served.plugins = now;
        }
    }

    /** The state of the tenant's plugins, which installing, enabling, configuring and removing change. */
    private String plugins(TenantId tenant) {
        return stores.plugins(tenant).revision();
    }

    private Copilot copilot(dev.vigil.store.TenantStore store) {
        return Copilots.embedded(new Workspace(config, store), embedder.get());
    }

    private static void error(HttpServletResponse response, VigilException e) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().id());
        body.put("message", e.getMessage());
        body.put("fix", e.fix());
        response.setStatus(e.code().category().httpStatus());
        if (e.code() == ErrorCode.AUTHENTICATION_REQUIRED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
        }
        response.setContentType("application/json");
        response.getOutputStream().write(ApiJson.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }

    private void record(String method, String route, String tenant, ApiToken token, int status, String code) {
        try {
            audit.append(new AuditLog.Entry(clock.instant(), method, route, PATH, tenant,
                    token == null ? "" : token.id(), token == null ? "" : token.name(),
                    token == null ? "" : token.role().toString(), status, code));
        } catch (VigilException e) {
            LOG.error("the audit record of MCP {} {} could not be written", method, route, e);
        }
    }

    /** Closes the tenants' MCP servers (their sessions end). */
    void close() {
        for (Served served : tenants.values()) {
            try {
                served.server.closeGracefully();
            } catch (RuntimeException e) {
                LOG.warn("closing an MCP server failed", e);
            }
        }
        tenants.clear();
    }
}
