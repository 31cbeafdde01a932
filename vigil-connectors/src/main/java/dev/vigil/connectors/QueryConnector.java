package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.TenantId;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a KQL query and stores its rows as events, in the table the query reads first (or the connector's
 * {@code --table}), with the row's own {@code Type} winning where it has one. Two APIs:
 * <ul>
 *   <li>Azure Monitor Log Analytics ({@code POST /v1/workspaces/{id}/query} with {@code {query, timespan}}; the
 *       response is {@code tables[{name, columns[{name,type}], rows[[...]]}]}); the window is the ISO 8601 interval
 *       from the watermark to now, and the watermark is the highest {@code TimeGenerated} stored;</li>
 *   <li>Microsoft Defender advanced hunting ({@code POST /api/advancedhunting/run} with {@code {Query}}; the response
 *       is {@code {Schema, Results}}); the query gets {@code | where Timestamp >= datetime(watermark)} appended, and
 *       the watermark is the highest {@code Timestamp} stored.</li>
 * </ul>
 * Both answer in one response, which is committed whole, then the checkpoint moves. The window starts at the
 * watermark itself, so rows at the watermark come back; they are the same records, with the same event ids, and the
 * store keeps them once.
 */
final class QueryConnector implements Connector {
    private static final Pattern FIRST_TABLE = Pattern.compile("^\\s*(?:let\\s[^;]*;\\s*)*([A-Za-z_][A-Za-z0-9_]*)");

    private final ConnectorConfig config;
    private final Http http;
    private final TokenProvider tokens;
    private final ConnectorRegistry registry;
    private final PageWriter writer;
    private final Clock clock;

    QueryConnector(ConnectorConfig config, TenantId tenant, Http http, TokenProvider tokens, ConnectorRegistry registry,
            PageWriter writer, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(tenant, "tenant is null");
        this.http = requireNonNull(http, "http is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.writer = writer;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public ConnectorConfig config() {
        return config;
    }

    /** The table rows go to: the connector's {@code --table}, else the query's first table, else {@code QueryResult}. */
    static String tableOf(ConnectorConfig config) {
        if (!config.table().isEmpty()) {
            return config.table();
        }
        Matcher matcher = FIRST_TABLE.matcher(config.query());
        return matcher.find() ? matcher.group(1) : "QueryResult";
    }

    private boolean logAnalytics() {
        return config.kind() == ConnectorConfig.Kind.LOG_ANALYTICS;
    }

    private String timeField() {
        return logAnalytics() ? "TimeGenerated" : "Timestamp";
    }

    @Override
    public RunSummary run(Consumer<String> progress) {
        requireNonNull(writer, "a connector built for testing cannot run");
        Checkpoint checkpoint = registry.checkpoint(config.name());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant since = checkpoint.watermark() != null ? checkpoint.watermark() : now.minus(config.lookback());
        Http.Response response = send(since, now);
        List<ObjectNode> rows = rows(Responses.parse(config.name(), response), response);
        String table = tableOf(config);
        List<SourceRecord> records = new ArrayList<>();
        HighWater high = new HighWater(checkpoint.watermark(), checkpoint.idsAtWatermark());
        for (ObjectNode row : rows) {
            String rowTable = GraphSecurityMapping.text(row, "Type");
            Optional<Instant> time = GraphSecurityMapping.optionalTime(row, timeField());
            records.add(new SourceRecord(row.toString(), rowTable.matches("[A-Za-z][A-Za-z0-9_]{0,127}") ? rowTable
                    : table, time.orElse(now), "", time.orElse(now), Optional.empty()));
        }
        PageWriter.Written written = writer.write("connector:" + config.name(), records, List.of());
        for (SourceRecord record : records) {
            high.observe("", record.modified());
        }
        registry.saveCheckpoint(config.name(), new Checkpoint(high.mark() == null ? since : high.mark(), Set.of(), "",
                null, Set.of()));
        progress.accept(config.name() + ": " + rows.size() + " rows read, " + written.storedNew() + " stored");
        return new RunSummary(1, rows.size(), written.storedNew(), written.alreadyStored(), 0, 0,
                written.quarantined(), high.mark());
    }

    private Http.Response send(Instant since, Instant until) {
        ObjectNode body = ConnectorRegistry.JSON.createObjectNode();
        URI uri;
        if (logAnalytics()) {
            body.put("query", config.query());
            body.put("timespan", since + "/" + until);
            uri = URI.create(config.endpointOrDefault() + "/v1/workspaces/" + config.workspace() + "/query");
        } else {
            body.put("Query", config.query() + "\n| where Timestamp >= datetime(" + since + ")");
            uri = URI.create(config.endpointOrDefault() + "/api/advancedhunting/run");
        }
        return http.send("POST", uri, "application/json", body.toString(), tokens);
    }

    /** The response's rows as objects of column name to value, in column order. */
    List<ObjectNode> rows(JsonNode body, Http.Response response) {
        List<ObjectNode> out = new ArrayList<>();
        if (logAnalytics()) {
            JsonNode tables = body.get("tables");
            if (tables == null || !tables.isArray()) {
                throw Responses.missing(config.name(), response, "tables");
            }
            for (JsonNode result : tables) {
                List<String> columns = new ArrayList<>();
                for (JsonNode column : result.path("columns")) {
                    columns.add(GraphSecurityMapping.text(column, "name"));
                }
                int index = 0;
                for (JsonNode row : result.path("rows")) {
                    index++;
                    if (!row.isArray() || row.size() != columns.size()) {
                        throw new ConnectorException("connector '" + config.name() + "': row " + index + " of table '"
                                + GraphSecurityMapping.text(result, "name") + "' in the response of "
                                + response.uri().getPath() + " has " + row.size() + " values for " + columns.size()
                                + " columns", "The response is inconsistent; nothing of it was stored. Run the"
                                + " connector again.");
                    }
                    Map<String, JsonNode> values = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        values.put(columns.get(i), row.get(i));
                    }
                    ObjectNode object = ConnectorRegistry.JSON.createObjectNode();
                    values.forEach(object::set);
                    out.add(object);
                }
            }
        } else {
            JsonNode results = body.get("Results");
            if (results == null || !results.isArray()) {
                throw Responses.missing(config.name(), response, "Results");
            }
            for (JsonNode result : results) {
                if (result.isObject()) {
                    out.add((ObjectNode) result);
                }
            }
        }
        return out;
    }

    @Override
    public void test(Consumer<String> out) {
        tokens.token();
        out.accept("token: obtained from " + URI.create(config.tokenUrl()).getHost() + " for " + config.kind().scope());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Http.Response response = send(now.minus(config.lookback()), now);
        List<ObjectNode> rows = rows(Responses.parse(config.name(), response), response);
        out.accept("query: ran; " + rows.size() + " row(s) over the lookback, for table " + tableOf(config)
                + " (nothing stored)");
    }
}
