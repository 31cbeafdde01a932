package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Embedder;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlSyntaxException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson3;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's REST API server ({@code vigil serve}): Javalin on Jetty with virtual threads, serving the {@link Route}
 * table under {@code /api/v1}: hunting, incidents, alerts, posture and the copilot.
 *
 * <p>Every request goes through one gate, in this order: the body size limit (413), the bearer token (401 when
 * missing, unknown, expired or revoked), the tenant (403 when the path's tenant is not the token's; the answer is the
 * same whether that tenant exists or not), the route's role (403), then the route's action. Errors are
 * {@code {code, message, fix}} with the error code's HTTP status; unknown routes answer 404 in the same shape. A
 * streamed answer ({@link Route.Events}) that fails after its first event ends with an {@code error} event of the same
 * shape instead. Every request, refused or not, is appended to the hash-chained {@link AuditLog}, once its answer is
 * complete (a stream's when it ends).
 *
 * <p>The same server answers the Model Context Protocol over streamable HTTP at {@code /mcp} ({@link McpEndpoint}):
 * the tenant's skills as MCP tools, behind the same tokens and audit log.
 *
 * <p>The server holds the tenants' stores open for writing while it runs; it opens those that exist when it starts,
 * so a data directory another Vigil process holds fails the start with {@code STORE_LOCKED}.
 *
 * <p>In scale mode ({@code server.mode: scale}, {@link ScaleMode}) it holds no store: records go to the pipeline's raw
 * topic on Kafka, events are read from the lake, state is in PostgreSQL, and routes over what it does not hold yet
 * answer {@code scale_mode_unsupported}.
 */
public final class VigilServer implements AutoCloseable {
    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);
    static final String HANDLED = "vigil.handled";

    private final TenantStores stores;
    private final Gatekeeper gate;
    private final ServerState state;
    private final AuditTrail audit;
    private final Api api;
    private final Clock clock;
    private final Javalin app;
    private final McpEndpoint mcp;
    private final int ingestLimit;
    private final ClientAddresses clients;
    private final boolean secure;
    private SyslogListeners syslog;
    private final ReportTimer reportTimer;
    /** Scale mode's Kafka producer and lake readers; null in embedded mode. */
    private final ScaleMode scale;

    private VigilServer(VigilConfig config, Optional<dev.vigil.incident.Responder> responder, Clock clock,
            Supplier<Optional<Embedder>> embedder, String host, int port) {
        Optional<Tls> tls = Tls.from(config, System.getenv());
        this.secure = tls.isPresent();
        boolean scaleMode = ScaleMode.requested(config);
        if (scaleMode) {
            ScaleMode.check(config); // the configuration first, before any service is reached
        }
        this.state = ServerState.open(config);
        try {
            this.scale = scaleMode ? ScaleMode.connect(config, clock) : null;
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
        this.stores = scale != null ? TenantStores.overLake(scale.lake()::open, state::shareWithScaleNode,
                state::sharedPlugins)
                : new TenantStores(config.dataDirectory(), state::sharedSessions, state::sharedPlugins,
                        state::sharedIncidents);
        this.gate = new Gatekeeper(state.tokens(), state.users(),
                new LoginSessions((java.time.Duration) config.value(dev.vigil.config.ConfigKey.SERVER_SESSION_IDLE),
                        (java.time.Duration) config.value(dev.vigil.config.ConfigKey.SERVER_SESSION_LIFETIME)),
                clock, secure);
        this.audit = state.audit();
        this.api = new Api(config, stores, responder, embedder, gate, scale);
        this.clock = clock;
        this.ingestLimit = IngestApi.maxBodyBytes(config);
        this.clients = ClientAddresses.parse((String) config.value(dev.vigil.config.ConfigKey.SERVER_TRUSTED_PROXIES));
        this.mcp = new McpEndpoint(config, stores, audit, clock, embedder, gate::token);
        this.reportTimer = new ReportTimer(config, stores, clock);
        this.app = Javalin.create(javalin -> {
            // MCP over streamable HTTP: a servlet of its own at /mcp (an exact mapping, ahead of Javalin's /*)
            javalin.jetty.modifyServletContextHandler(handler -> {
                org.eclipse.jetty.ee10.servlet.ServletHolder holder = new org.eclipse.jetty.ee10.servlet.ServletHolder(
                        "vigil-mcp", mcp);
                holder.setAsyncSupported(true);
                handler.addServlet(holder, McpEndpoint.PATH);
            });
            javalin.jsonMapper(new JavalinJackson3(ApiJson.MAPPER, false));
            javalin.concurrency.useVirtualThreads = true;
            javalin.http.maxRequestSize = Math.max(MAX_BODY_BYTES, IngestApi.maxBodyBytes(config));
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            tls.ifPresent(https -> javalin.jetty.addConnector((server, http) -> https.connector(server, http, host,
                    port)));
            javalin.routes.before(this::securityHeaders);
            for (Route route : api.routes()) {
                javalin.routes.addHttpHandler(HandlerType.findOrCreate(route.method()), route.path(),
                        ctx -> dispatch(route, ctx));
            }
            WebUi web = new WebUi();
            javalin.routes.addHttpHandler(HandlerType.GET, "/", web::page);
            javalin.routes.addHttpHandler(HandlerType.GET, WebUi.ASSETS + "<path>", web::asset);
            javalin.routes.error(404, this::notFound);
        });
    }

    /**
     * Opens the data directory's tenant stores and starts serving.
     *
     * @param host the address to listen on, e.g. {@code 127.0.0.1}
     * @param port the port, or 0 for any free one ({@link #port()} tells which)
     * @throws VigilException {@code STORE_LOCKED} when another process holds a tenant's store
     */
    public static VigilServer start(VigilConfig config, String host, int port) {
        return start(config, host, port, WebhookResponder.from(config), Clock.systemUTC(), new ModelEmbedder());
    }

    /**
     * As {@link #start(VigilConfig, String, int)}, with the responder, the clock tokens expire by, and the embedding
     * model the copilot ranks skills with (empty for word overlap).
     */
    static VigilServer start(VigilConfig config, String host, int port,
            Optional<dev.vigil.incident.Responder> responder, Clock clock, Supplier<Optional<Embedder>> embedder) {
        requireNonNull(config, "config is null");
        requireNonNull(host, "host is null");
        requireNonNull(embedder, "embedder is null");
        VigilServer server = new VigilServer(config, responder, clock, embedder, host, port);
        try {
            server.stores.openExisting();
            server.app.start(host, port);
            server.syslog = SyslogListeners.start(SyslogListeners.parse((String) config.value(
                    dev.vigil.config.ConfigKey.SERVER_SYSLOG_LISTENERS)), host, config, server.stores, clock,
                    server.scale);
            if (server.scale == null) { // scheduled reports read incidents and posture, which scale mode lacks yet
                server.reportTimer.start();
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Checks, without reaching any service, that a configuration asking for scale mode names what it needs
     * ({@code store.state: postgresql}, {@code stream.bootstrap}, {@code lake.root}); does nothing in embedded mode.
     *
     * @throws VigilException {@code CONFIG_INVALID} naming the key and the fix
     */
    public static void checkMode(VigilConfig config) {
        if (ScaleMode.requested(config)) {
            ScaleMode.check(config);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** The tenants' stores the server holds (tests hold one to keep a request waiting). */
    TenantStores stores() {
        return stores;
    }

    /** The syslog listeners' ports, in the order of {@code server.syslog.listeners}. */
    List<Integer> syslogPorts() {
        return syslog == null ? List.of() : syslog.ports();
    }

    /** The route table the server serves, in order. */
    public List<Route> routes() {
        return api.routes();
    }

    @Override
    public void close() {
        try {
            if (syslog != null) {
                syslog.close();
            }
            reportTimer.close();
            mcp.close();
            app.stop();
        } finally {
            try {
                stores.close();
            } finally {
                try {
                    if (scale != null) {
                        scale.close(); // after the syslog listeners sent what they had gathered
                    }
                } finally {
                    state.close();
                }
            }
        }
    }

    /** Whether the server runs as a stateless scale-mode node ({@code --mode scale}). */
    public boolean scaleMode() {
        return scale != null;
    }

    /** Whether the server speaks HTTPS ({@code server.tls.keystore}). */
    public boolean secure() {
        return secure;
    }

    /**
     * The headers of every answer. The API's answers are data, never a page: their policy allows nothing. Other
     * paths (the web UI's pages and assets) may load only from the server itself, with no inline script, and no
     * other site may frame them. Under TLS, browsers are told to use HTTPS only (HSTS).
     */
    private void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", ctx.path().startsWith(Api.BASE + "/") || ctx.path().equals(McpEndpoint.PATH)
                ? "default-src 'none'; frame-ancestors 'none'"
                : WebUi.CONTENT_SECURITY_POLICY);
        if (secure) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Frame-Options", "DENY");
    }

    /**
     * The one gate: size, credential (token or session, with the CSRF token for a session's unsafe method), a
     * pending password change, tenant membership, role; then the action; errors in one shape; and the audit record.
     */
    private void dispatch(Route route, Context ctx) {
        ctx.attribute(HANDLED, Boolean.TRUE);
        ctx.attribute(Call.CLIENT, clients.client(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For")));
        Credential credential = null;
        Role role = null;
        Call call = null;
        String tenant = "";
        String code = "";
        EventSink sink = null;
        try {
            String length = ctx.header("Content-Length");
            if (route.consumes().equals(Route.NDJSON)) {
                if (length != null && parseLength(length) > ingestLimit) {
                    throw IngestApi.tooLarge(parseLength(length), ingestLimit);
                }
            } else if (length != null && parseLength(length) > MAX_BODY_BYTES) {
                throw new VigilException(ErrorCode.REQUEST_TOO_LARGE, "the request body has " + length
                        + " bytes; the limit is " + MAX_BODY_BYTES);
            }
            credential = gate.authenticate(ctx, !route.anonymous());
            TenantId tenantId = null;
            Principal principal = null;
            if (credential != null) {
                gate.checkCsrf(credential, ctx);
                if (credential instanceof Credential.Session session && session.user().mustChangePassword()
                        && !AuthApi.BEFORE_PASSWORD_CHANGE.contains(route.method() + " " + route.path())) {
                    throw new VigilException(ErrorCode.PASSWORD_CHANGE_REQUIRED, "user '" + session.user().name()
                            + "' logged in with a one-time password and must set a new one first");
                }
                role = credential.role();
                if (route.tenantScoped()) {
                    String requested = ctx.pathParam("tenant");
                    tenantId = tenantOrNull(requested);
                    Optional<Role> held = tenantId == null ? Optional.empty() : credential.roleIn(tenantId);
                    if (held.isEmpty()) {
                        // the same answer whether the tenant exists or not
                        throw new VigilException(ErrorCode.PERMISSION_DENIED, credential instanceof Credential.Token
                                ? "this token is not valid for the tenant in the path"
                                : "you are not a member of the tenant in the path", credential instanceof
                                Credential.Token ? "Use a token created for that tenant (vigil tokens create --tenant"
                                + " T)" : "Ask an owner of that tenant to add you (vigil users grant NAME --tenant T"
                                + " --role R)", null);
                    }
                    tenant = requested;
                    role = held.get();
                }
                principal = new Principal(credential.actor(), role);
                if (route.role() != null) {
                    principal.require(route.role(), route.method() + " " + route.path());
                }
            }
            call = new Call(ctx, credential, principal, tenantId);
            Object result = route.action().handle(call);
            switch (result) {
                case Route.Reply reply -> ctx.status(reply.status()).json(reply.body());
                case Route.Redirect redirect -> ctx.status(302).header("Location", redirect.location());
                case Route.Text text -> ctx.status(200).contentType(text.contentType()).result(text.text());
                case Route.Bytes bytes -> ctx.status(200).contentType(bytes.contentType())
                        .header("Content-Disposition", "inline; filename=\"" + bytes.fileName() + "\"")
                        .result(bytes.bytes());
                case Route.Events events -> {
                    sink = new EventSink(ctx);
                    events.send(sink);
                    sink.finish();
                    code = sink.errorCode();
                }
                case null, default -> ctx.status(200).json(result);
            }
        } catch (VigilException e) {
            code = e.code().id();
            fail(ctx, sink, e);
        } catch (HttpResponseException e) {
            ErrorCode mapped = e.getStatus() == 413 ? ErrorCode.REQUEST_TOO_LARGE : ErrorCode.USAGE;
            code = mapped.id();
            fail(ctx, sink, new VigilException(mapped, e.getMessage() == null ? mapped.fix() : e.getMessage()));
        } catch (Exception e) {
            code = ErrorCode.INTERNAL.id();
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            fail(ctx, sink, new VigilException(ErrorCode.INTERNAL, "the request failed inside the server; the log"
                    + " has the details", e));
        } finally {
            record(ctx, route.method() + " " + route.path(), tenant, credential, role, call, code);
        }
    }

    /** Answers an error: in the JSON error shape, or as the last event of a stream that has started. */
    private static void fail(Context ctx, EventSink sink, VigilException e) {
        if (sink != null && sink.started()) {
            sink.error(e);
        } else {
            error(ctx, e);
        }
    }

    private static TenantId tenantOrNull(String value) {
        try {
            return TenantId.of(value);
        } catch (VigilException e) {
            return null;
        }
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What the call did, and where it came from (the client, as the trusted proxies tell it). */
    private Map<String, String> detail(Context ctx, Call call) {
        Map<String, String> detail = new LinkedHashMap<>();
        String client = ctx.attribute(Call.CLIENT);
        detail.put("client", client != null ? client : clients.client(ctx.req().getRemoteAddr(),
                ctx.header("X-Forwarded-For")));
        if (call != null) {
            detail.putAll(call.auditDetail());
        }
        return detail;
    }

    private void notFound(Context ctx) {
        if (ctx.attribute(HANDLED) != null) {
            return;
        }
        error(ctx, new VigilException(ErrorCode.ROUTE_NOT_FOUND, "no route " + ctx.method() + " " + ctx.path()));
        record(ctx, "", "", null, null, null, ErrorCode.ROUTE_NOT_FOUND.id());
    }

    private static void error(Context ctx, VigilException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().id());
        body.put("message", e.getMessage());
        body.put("fix", e.fix());
        if (e instanceof KqlSyntaxException syntax) {
            body.put("line", syntax.line());
            body.put("column", syntax.column());
        }
        if (e.code() == ErrorCode.AUTHENTICATION_REQUIRED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"vigil\"");
        }
        ctx.status(e.code().category().httpStatus()).json(body);
    }

    private void record(Context ctx, String route, String tenant, Credential credential, Role role, Call call,
            String code) {
        try {
            String actor = credential != null ? credential.actor()
                    : call != null && call.auditActor() != null ? call.auditActor() : "";
            audit.append(new AuditLog.Entry(clock.instant(), ctx.method().name(), route, ctx.path(), tenant,
                    credential == null ? "" : credential.reference(), actor, role == null ? "" : role.toString(),
                    ctx.statusCode(), code, detail(ctx, call)));
        } catch (VigilException e) {
            LOG.error("the audit record of {} {} could not be written", ctx.method(), ctx.path(), e);
            error(ctx, e);
        }
    }
}
