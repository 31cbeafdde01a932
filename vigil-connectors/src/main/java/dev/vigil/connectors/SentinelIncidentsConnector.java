package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.TenantId;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Pulls Microsoft Sentinel incidents through the Azure management API:
 * {@code GET {workspace}/providers/Microsoft.SecurityInsights/incidents?api-version=...&$filter=properties/lastModifiedTimeUtc ge ...
 * &$orderby=properties/lastModifiedTimeUtc asc&$top=N}, following {@code nextLink}, and for each incident its alerts
 * ({@code POST {incident id}/alerts}). The connector's workspace is the workspace's ARM resource id
 * ({@code /subscriptions/S/resourceGroups/G/providers/Microsoft.OperationalInsights/workspaces/W}). Checkpoints work as
 * for the Graph connector: the next link after each committed page, the watermark and its ids at the end.
 */
final class SentinelIncidentsConnector implements Connector {
    static final String API_VERSION = "2025-06-01";

    private final ConnectorConfig config;
    private final TenantId tenant;
    private final Http http;
    private final TokenProvider tokens;
    private final ConnectorRegistry registry;
    private final PageWriter writer;
    private final Clock clock;

    SentinelIncidentsConnector(ConnectorConfig config, TenantId tenant, Http http, TokenProvider tokens,
            ConnectorRegistry registry, PageWriter writer, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
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

    private String incidentsUrl() {
        String workspace = config.workspace().startsWith("/") ? config.workspace() : "/" + config.workspace();
        return config.endpointOrDefault() + workspace + "/providers/Microsoft.SecurityInsights/incidents";
    }

    URI firstPage(Checkpoint checkpoint) {
        Instant since = checkpoint.watermark() != null ? checkpoint.watermark()
                : clock.instant().minus(config.lookback()).truncatedTo(ChronoUnit.SECONDS);
        return URI.create(incidentsUrl() + "?api-version=" + API_VERSION + "&$filter="
                + encode("properties/lastModifiedTimeUtc ge " + since) + "&$orderby="
                + encode("properties/lastModifiedTimeUtc asc") + "&$top=" + config.pageSize());
    }

    @Override
    public RunSummary run(Consumer<String> progress) {
        requireNonNull(writer, "a connector built for testing cannot run");
        Checkpoint checkpoint = registry.checkpoint(config.name());
        HighWater high = checkpoint.midRun() ? new HighWater(checkpoint.runWatermark(), checkpoint.runIds())
                : new HighWater(checkpoint.watermark(), checkpoint.idsAtWatermark());
        URI next = checkpoint.midRun() ? URI.create(checkpoint.resumeLink()) : firstPage(checkpoint);
        RunSummary summary = RunSummary.EMPTY;
        while (next != null) {
            Http.Response response = http.send("GET", next, null, null, tokens);
            JsonNode body = Responses.parse(config.name(), response);
            JsonNode value = body.get("value");
            if (value == null || !value.isArray()) {
                throw Responses.missing(config.name(), response, "value");
            }
            List<SourceRecord> records = new ArrayList<>();
            List<PageWriter.Rejected> rejected = new ArrayList<>();
            long skipped = 0;
            for (JsonNode incident : value) {
                SourceRecord record;
                try {
                    record = SentinelMapping.incident(incident);
                } catch (GraphSecurityMapping.Rejected e) {
                    rejected.add(new PageWriter.Rejected(incident.toString(), "sentinel incident: " + e.getMessage()));
                    continue;
                }
                if (checkpoint.alreadyStored(record.vendorId(), record.modified())) {
                    skipped++;
                    continue;
                }
                records.add(record);
                String reference = SentinelMapping.reference(incident);
                for (JsonNode alert : alertsOf(incident)) {
                    try {
                        records.add(SentinelMapping.alert(tenant, alert, reference));
                    } catch (GraphSecurityMapping.Rejected e) {
                        rejected.add(new PageWriter.Rejected(alert.toString(), "sentinel alert: " + e.getMessage()));
                    }
                }
            }
            int page = summary.pages() + 1;
            PageWriter.Written written = writer.write("connector:" + config.name() + ":incidents:page" + page,
                    records, rejected);
            for (SourceRecord record : records) {
                if (record.table().equals(SentinelMapping.INCIDENT_TABLE)) {
                    high.observe(record.vendorId(), record.modified());
                }
            }
            String link = GraphSecurityMapping.text(body, "nextLink");
            next = link.isEmpty() ? null : URI.create(link);
            registry.saveCheckpoint(config.name(), next == null
                    ? new Checkpoint(high.mark(), high.ids(), "", null, Set.of())
                    : new Checkpoint(checkpoint.watermark(), checkpoint.idsAtWatermark(), link, high.mark(), high.ids()));
            summary = summary.plus(new RunSummary(1, value.size(), written.storedNew(), written.alreadyStored(), skipped,
                    written.alertsNew(), written.quarantined(), high.mark()));
            progress.accept(config.name() + ": incidents page " + page + ": " + value.size() + " read, "
                    + written.storedNew() + " stored, " + written.alertsNew() + " new alerts");
        }
        return summary;
    }

    /** The incident's alerts ({@code POST {incident id}/alerts}), following {@code nextLink}. */
    private List<JsonNode> alertsOf(JsonNode incident) {
        String id = GraphSecurityMapping.text(incident, "id");
        List<JsonNode> alerts = new ArrayList<>();
        if (id.isEmpty()) {
            return alerts;
        }
        URI next = URI.create(config.endpointOrDefault() + id + "/alerts?api-version=" + API_VERSION);
        while (next != null) {
            Http.Response response = http.send("POST", next, "application/json", "", tokens);
            JsonNode body = Responses.parse(config.name(), response);
            JsonNode value = body.get("value");
            if (value == null || !value.isArray()) {
                throw Responses.missing(config.name(), response, "value");
            }
            value.forEach(alerts::add);
            String link = GraphSecurityMapping.text(body, "nextLink");
            next = link.isEmpty() ? null : URI.create(link);
        }
        return alerts;
    }

    @Override
    public void test(Consumer<String> out) {
        tokens.token();
        out.accept("token: obtained from " + URI.create(config.tokenUrl()).getHost() + " for " + config.kind().scope());
        Http.Response response = http.send("GET", URI.create(incidentsUrl() + "?api-version=" + API_VERSION
                + "&$top=1"), null, null, tokens);
        JsonNode body = Responses.parse(config.name(), response);
        if (!body.path("value").isArray()) {
            throw Responses.missing(config.name(), response, "value");
        }
        out.accept("incidents: readable (" + body.path("value").size() + " on a first page of 1)");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
