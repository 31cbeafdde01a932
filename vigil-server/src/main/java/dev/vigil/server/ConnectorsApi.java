package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.connectors.Connector;
import dev.vigil.connectors.ConnectorConfig;
import dev.vigil.connectors.Connectors;
import dev.vigil.connectors.RunSummary;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.store.Knowledge;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's connectors as its owner manages them from the web UI's settings: list, add, test and run, the same as
 * {@code vigil connectors list|add|test|run} and through the same code in vigil-connectors. Secrets go in (sealed per
 * tenant by the connectors' secret box) and never come out: the listing says only whether one is stored.
 */
final class ConnectorsApi {
    static final String CONNECTORS = Api.TENANT + "/connectors";
    private static final Set<String> FIELDS = Set.of("name", "kind", "tenant_id", "client_id", "client_secret",
            "endpoint", "authority", "workspace", "query", "table", "lookback", "page_size");

    private final VigilConfig config;
    private final TenantStores stores;
    private final Clock clock;

    ConnectorsApi(VigilConfig config, TenantStores stores, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    List<Route> routes() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("name", "graph");
        example.put("kind", "graph-security");
        example.put("tenant_id", "00000000-0000-0000-0000-000000000000");
        example.put("client_id", "11111111-1111-1111-1111-111111111111");
        example.put("client_secret", "the app registration's client secret");
        example.put("lookback", "P1D");
        return List.of(
                new Route("GET", CONNECTORS, Role.OWNER, "The tenant's connectors: settings, whether a secret is"
                        + " stored (never the secret) and the checkpoint of their last run", null, this::list),
                new Route("POST", CONNECTORS, Role.OWNER, "Add a connector, or replace the one of that name (its"
                        + " checkpoint stays); the secret is stored encrypted and never returned", example,
                        this::add),
                new Route("POST", CONNECTORS + "/{name}/test", Role.OWNER, "Check a connector without storing"
                        + " anything: get a token and read one page; answers each step that worked, or the failure"
                        + " and its fix", null, this::test),
                new Route("POST", CONNECTORS + "/{name}/run", Role.OWNER, "Pull what is new since the connector's"
                        + " checkpoint into the tenant's store, then place new alerts in incidents", null,
                        this::run));
    }

    private Connectors connectors(Call call) {
        return Connectors.standard(config.dataDirectory(), call.tenant());
    }

    private Object list(Call call) {
        return Map.of("tenant", call.tenant().value(), "connectors", connectors(call).describe());
    }

    private Object add(Call call) {
        Map<String, Object> body = call.body(FIELDS);
        String name = text(body, "name");
        String kind = text(body, "kind");
        if (name.isEmpty() || kind.isEmpty()) {
            throw new VigilException(ErrorCode.USAGE, "a connector needs a 'name' and a 'kind'", "Send {\"name\":"
                    + " \"graph\", \"kind\": \"graph-security\", \"tenant_id\": ..., \"client_id\": ...,"
                    + " \"client_secret\": ...}", null);
        }
        Duration lookback = null;
        if (!text(body, "lookback").isEmpty()) {
            try {
                lookback = Duration.parse(text(body, "lookback"));
            } catch (DateTimeParseException e) {
                throw new VigilException(ErrorCode.CONNECTOR_INVALID, "'lookback' is not an ISO 8601 duration: "
                        + text(body, "lookback"), "Send e.g. \"P1D\" (one day) or \"PT6H\" (six hours).", null);
            }
        }
        int pageSize = 0;
        Object size = body.get("page_size");
        if (size != null) {
            if (!(size instanceof Integer n) || n < 1 || n > 1000) {
                throw new VigilException(ErrorCode.CONNECTOR_INVALID, "'page_size' must be a whole number from 1 to"
                        + " 1000, not " + size, "Leave it out for 100.", null);
            }
            pageSize = n;
        }
        call.audit("connector", name);
        call.audit("kind", kind);
        ConnectorConfig settings = new ConnectorConfig(name, ConnectorConfig.Kind.fromId(kind),
                text(body, "tenant_id"), text(body, "client_id"), "", text(body, "endpoint"),
                text(body, "authority"), text(body, "workspace"), text(body, "query"), text(body, "table"), lookback,
                pageSize);
        Connectors connectors = connectors(call);
        connectors.add(settings, text(body, "client_secret"));
        Map<String, Object> row = connectors.describe().stream().filter(r -> name.equals(r.get("name")))
                .findFirst().orElseThrow();
        return new Route.Reply(201, row);
    }

    private Object test(Call call) {
        String name = call.path("name");
        call.audit("connector", name);
        Connector connector = connectors(call).open(name, null);
        List<String> steps = new ArrayList<>();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("connector", name);
        try {
            connector.test(steps::add);
            json.put("ok", true);
        } catch (VigilException e) {
            json.put("ok", false);
            json.put("error", e.getMessage());
            json.put("fix", e.fix());
        }
        json.put("steps", steps);
        call.audit("ok", json.get("ok").toString());
        return json;
    }

    private Object run(Call call) {
        String name = call.path("name");
        call.audit("connector", name);
        return stores.write(call.tenant(), store -> {
            Connector connector = connectors(call).open(name, store);
            RunSummary summary = connector.run(line -> { });
            CorrelationSummary incidents = null;
            if (summary.alertsNew() > 0) {
                incidents = store.incidents().correlate(config.correlationPolicy(),
                        TacticStages.lazy(() -> Knowledge.attackIfPresent(config.dataDirectory())), clock.instant(),
                        step -> { });
                store.commit();
            }
            call.audit("stored", Long.toString(summary.storedNew()));
            call.audit("alerts", Long.toString(summary.alertsNew()));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tenant", call.tenant().value());
            json.put("connector", name);
            json.put("pages", summary.pages());
            json.put("read", summary.read());
            json.put("stored_new", summary.storedNew());
            json.put("already_stored", summary.alreadyStored());
            json.put("skipped_at_checkpoint", summary.skipped());
            json.put("alerts_new", summary.alertsNew());
            json.put("quarantined", summary.quarantined());
            json.put("watermark", summary.watermark() == null ? null : summary.watermark().toString());
            json.put("incidents", incidents == null ? null : Map.of("alerts", incidents.alerts(), "opened",
                    incidents.opened(), "merged", incidents.merged()));
            return json;
        });
    }

    private static String text(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return "";
        }
        if (!(value instanceof String s)) {
            throw new VigilException(ErrorCode.USAGE, "'" + key + "' must be a string, not " + value, null);
        }
        return s.strip();
    }
}
