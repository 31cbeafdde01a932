package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Embedder;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentMetrics;
import dev.vigil.incident.IncidentUpdate;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.Responder;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.posture.PostureAnalyzer;
import dev.vigil.posture.PosturePolicy;
import dev.vigil.posture.PostureReport;
import dev.vigil.query.KqlCompiler;
import dev.vigil.store.AlertJson;
import dev.vigil.store.AlertQuery;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.IncidentCase;
import dev.vigil.store.Knowledge;
import dev.vigil.store.PostureStore;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The REST API's route table and what each route does. Every action calls the services the CLI calls
 * ({@link HuntRunner}, the incident store, {@link IncidentCase}, the posture analyzer, the copilot in
 * {@link CopilotApi}) on the tenant's store the server holds; none re-implements them.
 */
final class Api {
    static final String BASE = "/api/v1";
    static final String TENANT = BASE + "/tenants/{tenant}";
    /** Most rows a hunt returns over HTTP, and the default. */
    static final int MAX_HUNT_ROWS = 10_000;
    static final Duration HUNT_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_PAGE = 500;
    /** Most incidents an owner or text filter looks through. */
    static final int MAX_FILTERED = 10_000;

    private final VigilConfig config;
    private final TenantStores stores;
    private final Optional<Responder> responder;
    private final List<Route> routes;

    Api(VigilConfig config, TenantStores stores, Optional<Responder> responder,
            Supplier<Optional<Embedder>> embedder, Gatekeeper gate) {
        this(config, stores, responder, embedder, gate, null);
    }

    /**
     * @param scale in scale mode, where ingest sends records, and which routes are not served yet
     *     ({@link ScaleMode#restrict}); null in embedded mode
     */
    Api(VigilConfig config, TenantStores stores, Optional<Responder> responder,
            Supplier<Optional<Embedder>> embedder, Gatekeeper gate, ScaleMode scale) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.responder = requireNonNull(responder, "responder is null");
        List<Route> table = new ArrayList<>(List.of(
                new Route("GET", BASE + "/openapi.json", null, "This API described as OpenAPI 3.1", null,
                        call -> OpenApi.document(routes())),
                new Route("POST", TENANT + "/hunt", Role.ANALYST, "Run a KQL hunting query (read-only, with row and"
                        + " time limits); returns the rows, the KQL and the SQL it ran",
                        Map.of("query", "SecurityEvent | where EventID == 4625 | take 10", "max_rows", 100),
                        this::hunt),
                new Route("POST", TENANT + "/hunt/check", Role.READER, "Parse and compile a KQL query without running"
                        + " it; returns the SQL, or the error with its line and column",
                        Map.of("query", "SecurityEvent | take 10"), this::check),
                new Route("GET", TENANT + "/incidents", Role.READER, "Incidents, most recently active first"
                        + " (?limit, ?offset, ?status, ?severity, ?owner: a name or - for unassigned, ?q: text in the"
                        + " number, title, tags or reference)", null, this::incidents),
                new Route("GET", TENANT + "/incidents/{n}", Role.READER, "One incident's whole analysis: summary,"
                        + " timeline, entities, impact, source, guided response, actions and history", null,
                        this::incident),
                new Route("PATCH", TENANT + "/incidents/{n}", Role.ANALYST, "Change an incident's status, severity,"
                        + " classification, determination, owner or tags, or comment on it",
                        Map.of("comment", "looking into it"), this::update),
                new Route("POST", TENANT + "/incidents/{n}/actions/{id}/approve", Role.ANALYST, "Approve a proposed"
                        + " action; it goes to the configured responder, and the outcome is recorded", null,
                        this::approve),
                new Route("POST", TENANT + "/incidents/{n}/actions/{id}/reject", Role.ANALYST, "Reject a proposed"
                        + " action, with the reason", Map.of("reason", "not warranted"), this::reject),
                new Route("GET", TENANT + "/alerts", Role.READER, "Stored alerts, newest first (?limit, ?offset,"
                        + " ?level)", null, this::alerts),
                new Route("GET", TENANT + "/posture", Role.READER, "The posture report: findings with decisions and"
                        + " guidance, remediation plan, exposure scores", null, this::posture)));
        table.addAll(new CopilotApi(config, stores, embedder).routes());
        table.addAll(new UiApi(config, stores).routes());
        table.addAll(new AuthApi(gate, OidcLogin.from(config, gate)).routes());
        table.addAll(new IngestApi(config, stores, gate.clock(), scale).routes());
        table.addAll(new TenantAdminApi(gate, gate.tokens()).routes());
        table.addAll(new ConnectorsApi(config, stores, gate.clock()).routes());
        table.addAll(new PluginsApi(stores::plugins).routes());
        table.addAll(new ModelApi(config, System::getenv).routes());
        table.addAll(new ReportApi(config, stores).routes());
        this.routes = scale == null ? List.copyOf(table) : ScaleMode.restrict(table);
    }

    List<Route> routes() {
        return routes;
    }

    // --- hunting ----------------------------------------------------------------------------------------------

    private Object hunt(Call call) {
        Map<String, Object> body = call.body(Set.of("query", "params", "max_rows"));
        String kql = query(body);
        call.audit("query", kql);
        Map<String, Object> parameters = parameters(body);
        int maxRows = maxRows(body);
        HuntRunner.Result result = stores.read(call.tenant(), store -> new HuntRunner(store).run(kql, parameters,
                new HuntRunner.Limits(maxRows, HUNT_TIMEOUT)));
        QueryResult rows = result.rows();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", call.tenant().value());
        json.put("kql", result.compiled().kql());
        json.put("sql", result.compiled().sql());
        json.put("columns", rows.columns());
        json.put("types", result.compiled().columns().stream().map(c -> c.type().kqlName()).toList());
        json.put("rows", rows.rows());
        json.put("truncated", rows.truncated());
        json.put("chart", result.compiled().chart());
        json.put("milliseconds", Math.round(rows.milliseconds() * 10) / 10.0);
        return json;
    }

    private Object check(Call call) {
        Map<String, Object> body = call.body(Set.of("query", "params"));
        String kql = query(body);
        call.audit("query", kql);
        Map<String, Object> parameters = parameters(body);
        KqlCompiler.Compiled compiled = stores.read(call.tenant(), store -> new HuntRunner(store).compile(kql,
                parameters));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", true);
        json.put("kql", compiled.kql());
        json.put("sql", compiled.sql());
        json.put("columns", compiled.columns().stream().map(c -> Map.of("name", c.name(), "type",
                c.type().kqlName())).toList());
        json.put("tables", compiled.tables());
        return json;
    }

    private static String query(Map<String, Object> body) {
        if (!(body.get("query") instanceof String kql) || kql.isBlank()) {
            throw new VigilException(ErrorCode.USAGE, "the request body needs a 'query' string",
                    "Send {\"query\": \"SecurityEvent | take 10\"}", null);
        }
        return kql;
    }

    private static Map<String, Object> parameters(Map<String, Object> body) {
        Object params = body.get("params");
        if (params == null) {
            return Map.of();
        }
        if (!(params instanceof Map<?, ?> map)) {
            throw new VigilException(ErrorCode.USAGE, "'params' must be an object of parameter names and values");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((name, value) -> values.put(String.valueOf(name), value));
        return values;
    }

    private static int maxRows(Map<String, Object> body) {
        Object value = body.get("max_rows");
        if (value == null) {
            return MAX_HUNT_ROWS;
        }
        if (value instanceof Integer n && n >= 1 && n <= MAX_HUNT_ROWS) {
            return n;
        }
        throw new VigilException(ErrorCode.USAGE, "'max_rows' must be a whole number from 1 to " + MAX_HUNT_ROWS
                + ", not " + value);
    }

    // --- incidents --------------------------------------------------------------------------------------------

    private Object incidents(Call call) {
        int limit = call.queryNumber("limit", 50, 1, MAX_PAGE);
        int offset = call.queryNumber("offset", 0, 0, 1_000_000);
        Optional<Incident.Status> status = Optional.ofNullable(call.query("status")).map(Incident.Status::parse);
        Optional<String> severity = Optional.ofNullable(call.query("severity")).map(s -> s.toLowerCase(Locale.ROOT));
        severity.ifPresent(level -> {
            if (!Lifecycle.SEVERITIES.contains(level)) {
                throw new VigilException(ErrorCode.USAGE, "unknown severity '" + level + "'; one of "
                        + String.join(", ", Lifecycle.SEVERITIES));
            }
        });
        Optional<String> owner = Optional.ofNullable(call.query("owner")).map(String::strip).filter(o -> !o.isEmpty());
        Optional<String> text = Optional.ofNullable(call.query("q")).map(q -> q.strip().toLowerCase(Locale.ROOT))
                .filter(q -> !q.isEmpty());
        // owner and text filter what the store lists, so a filtered page reads up to MAX_FILTERED incidents
        int wanted = owner.isPresent() || text.isPresent() ? MAX_FILTERED : offset + limit + 1;
        List<Incident> read = stores.read(call.tenant(), store -> store.incidents().list(call.principal(), status,
                severity, wanted)).stream()
                .filter(i -> owner.isEmpty() || (owner.get().equals("-") ? i.owner().isEmpty()
                        : i.owner().equalsIgnoreCase(owner.get())))
                .filter(i -> text.isEmpty() || matches(i, text.get()))
                .toList();
        List<Incident> page = read.stream().skip(offset).limit(limit).toList();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", call.tenant().value());
        json.put("incidents", page.stream().map(IncidentCase::summary).toList());
        json.put("metrics", IncidentCase.metrics(IncidentMetrics.of(page)));
        json.put("limit", limit);
        json.put("offset", offset);
        json.put("next_offset", read.size() > offset + limit ? offset + limit : null);
        return json;
    }

    /** Whether an incident's number, title, tags or reference contain the text (lower case). */
    private static boolean matches(Incident incident, String text) {
        return String.valueOf(incident.number()).equals(text)
                || incident.title().toLowerCase(Locale.ROOT).contains(text)
                || incident.reference().toLowerCase(Locale.ROOT).contains(text)
                || incident.tags().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains(text));
    }

    private Object incident(Call call) {
        long number = call.pathNumber("n");
        return stores.read(call.tenant(), store -> load(store, call, number).toJson());
    }

    private IncidentCase load(TenantStore store, Call call, long number) {
        return IncidentCase.load(store, call.principal(), number, Knowledge.attackIfPresent(config.dataDirectory()),
                config.correlationPolicy());
    }

    private Object update(Call call) {
        long number = call.pathNumber("n");
        Map<String, Object> body = call.body(Set.of("status", "severity", "classification", "determination", "owner",
                "add_tags", "remove_tags", "comment"));
        IncidentUpdate update = new IncidentUpdate(text(body, "status").map(Incident.Status::parse),
                text(body, "severity"), text(body, "classification").map(Incident.Classification::parse),
                text(body, "determination"), text(body, "owner"), texts(body, "add_tags"), texts(body, "remove_tags"),
                text(body, "comment"));
        call.audit("incident", Long.toString(number));
        call.audit("change", String.join(",", body.keySet()));
        return stores.write(call.tenant(), store -> {
            Incident updated = store.incidents().update(call.principal(), number, update, Instant.now());
            return IncidentCase.summary(updated);
        });
    }

    private Object approve(Call call) {
        long number = call.pathNumber("n");
        call.body(Set.of());
        String action = call.path("id");
        call.audit("incident", Long.toString(number));
        call.audit("action", action);
        call.audit("decision", "approve");
        return stores.write(call.tenant(), store -> load(store, call, number).approve(store, call.principal(), action,
                responder, Instant.now()));
    }

    private Object reject(Call call) {
        long number = call.pathNumber("n");
        Map<String, Object> body = call.body(Set.of("reason"));
        String reason = text(body, "reason").filter(r -> !r.isBlank()).orElseThrow(() -> new VigilException(
                ErrorCode.USAGE, "rejecting an action needs a 'reason'", "Send {\"reason\": \"why\"}", null));
        String action = call.path("id");
        call.audit("incident", Long.toString(number));
        call.audit("action", action);
        call.audit("decision", "reject");
        return stores.write(call.tenant(), store -> load(store, call, number).reject(store, call.principal(), action,
                reason, Instant.now()));
    }

    private static Optional<String> text(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        throw new VigilException(ErrorCode.USAGE, "'" + key + "' must be a string, not " + value);
    }

    private static List<String> texts(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new VigilException(ErrorCode.USAGE, "'" + key + "' must be a list of strings, not " + value);
    }

    // --- alerts and posture -----------------------------------------------------------------------------------

    private Object alerts(Call call) {
        int limit = call.queryNumber("limit", 50, 1, MAX_PAGE);
        int offset = call.queryNumber("offset", 0, 0, 1_000_000);
        String level = call.query("level");
        if (level != null && AlertQuery.rank(level) < 0) {
            throw new VigilException(ErrorCode.USAGE, "unknown level '" + level + "'; one of "
                    + String.join(", ", AlertQuery.LEVELS));
        }
        AlertQuery query = new AlertQuery(List.of(), Long.MIN_VALUE, level, offset + limit + 1);
        call.principal().require(Role.READER, "read alerts");
        List<Alert> read = stores.read(call.tenant(), store -> store.alerts(query));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", call.tenant().value());
        json.put("alerts", read.stream().skip(offset).limit(limit).map(AlertJson::of).toList());
        json.put("limit", limit);
        json.put("offset", offset);
        json.put("next_offset", read.size() > offset + limit ? offset + limit : null);
        return json;
    }

    private Object posture(Call call) {
        call.principal().require(Role.READER, "read the posture");
        Instant now = Instant.now();
        Knowledge.Vulnerabilities vulns = Knowledge.vulnerabilities(config.dataDirectory());
        PosturePolicy policy = config.posturePolicy();
        PostureAnalyzer analyzer = new PostureAnalyzer(vulns.knowledge(), vulns.matcher(),
                Knowledge.attackIfPresent(config.dataDirectory()).orElse(null), policy);
        return stores.write(call.tenant(), store -> {
            PostureStore posture = store.posture();
            // what the events show (hosts, users, programs) joins the inventory, as `vigil posture` does
            posture.observe();
            store.commit();
            PostureReport report = analyzer.analyze(posture.inventory(), now);
            List<PostureStore.HistoryPoint> history = posture.history("organization", 30);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tenant", call.tenant().value());
            json.put("at", report.at().toString());
            json.put("organization_score", report.organizationScore());
            json.put("counts", report.counts());
            List<Map<String, Object>> points = new ArrayList<>();
            for (PostureStore.HistoryPoint p : history) {
                points.add(Map.of("at", p.at().toString(), "score", p.score(), "findings", p.findings(), "act",
                        p.act(), "known_exploited", p.knownExploited()));
            }
            json.put("history", points);
            json.put("asset_scores", report.assetScores());
            json.put("findings", report.findings());
            json.put("plan", report.plan());
            json.put("notes", report.notes());
            return json;
        });
    }
}
