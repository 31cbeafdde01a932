package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.TenantId;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Pulls the Microsoft Graph Security API: {@code GET /v1.0/security/alerts_v2} and
 * {@code GET /v1.0/security/incidents?$expand=alerts}, each filtered on {@code lastUpdateDateTime ge} its checkpoint's
 * watermark and paged with {@code $top} and {@code @odata.nextLink}. Each stream has its own checkpoint (the connector's
 * name, and the name with {@code .incidents}). After each committed page the checkpoint records the next link, so a
 * run stopped mid-stream resumes at the page after the last stored one; at the end of a stream the watermark moves to
 * the highest {@code lastUpdateDateTime} stored, with the ids at it, which the next run's overlapping first page skips.
 */
final class GraphSecurityConnector implements Connector {
    private static final DateTimeFormatter ODATA_TIME = DateTimeFormatter.ISO_INSTANT;

    private final ConnectorConfig config;
    private final TenantId tenant;
    private final Http http;
    private final TokenProvider tokens;
    private final ConnectorRegistry registry;
    private final PageWriter writer;
    private final Clock clock;

    GraphSecurityConnector(ConnectorConfig config, TenantId tenant, Http http, TokenProvider tokens,
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

    /** The streams this connector reads, in order. */
    enum Stream {
        ALERTS("alerts_v2", ""),
        INCIDENTS("incidents", ".incidents");

        final String path;
        final String checkpointSuffix;

        Stream(String path, String checkpointSuffix) {
            this.path = path;
            this.checkpointSuffix = checkpointSuffix;
        }
    }

    @Override
    public RunSummary run(Consumer<String> progress) {
        RunSummary total = RunSummary.EMPTY;
        for (Stream stream : Stream.values()) {
            total = total.plus(run(stream, progress));
        }
        return total;
    }

    RunSummary run(Stream stream, Consumer<String> progress) {
        requireNonNull(writer, "a connector built for testing cannot run");
        String checkpointName = config.name() + stream.checkpointSuffix;
        Checkpoint checkpoint = registry.checkpoint(checkpointName);
        HighWater high = checkpoint.midRun() ? new HighWater(checkpoint.runWatermark(), checkpoint.runIds())
                : new HighWater(checkpoint.watermark(), checkpoint.idsAtWatermark());
        URI next = checkpoint.midRun() ? URI.create(checkpoint.resumeLink()) : firstPage(stream, checkpoint);
        RunSummary summary = RunSummary.EMPTY;
        boolean resuming = checkpoint.midRun();
        while (next != null) {
            Http.Response response;
            try {
                response = http.send("GET", next, null, null, tokens);
            } catch (ConnectorException e) {
                if (!resuming || e.httpStatus() < 400 || e.httpStatus() >= 500 || e.httpStatus() == 401
                        || e.httpStatus() == 403) {
                    throw e;
                }
                // The saved next link has expired (skip tokens do): ask again from the watermark. The pages stored
                // before are read again and stored nothing twice.
                progress.accept(config.name() + ": " + stream.path + ": the saved next page is gone (HTTP "
                        + e.httpStatus() + "); reading again from the watermark");
                resuming = false;
                high = new HighWater(checkpoint.watermark(), checkpoint.idsAtWatermark());
                next = firstPage(stream, checkpoint);
                continue;
            }
            resuming = false;
            JsonNode body = Responses.parse(config.name(), response);
            JsonNode value = body.get("value");
            if (value == null || !value.isArray()) {
                throw Responses.missing(config.name(), response, "value");
            }
            Page mapped = map(tenant, stream, value, checkpoint);
            List<SourceRecord> records = mapped.records();
            long skipped = mapped.skipped();
            int page = summary.pages() + 1;
            PageWriter.Written written = writer.write("connector:" + config.name() + ":" + stream.path + ":page" + page,
                    records, mapped.rejected());
            for (SourceRecord record : records) {
                if (record.table().equals(stream == Stream.ALERTS ? GraphSecurityMapping.ALERT_TABLE
                        : GraphSecurityMapping.INCIDENT_TABLE)) {
                    high.observe(record.vendorId(), record.modified());
                }
            }
            String link = GraphSecurityMapping.text(body, "@odata.nextLink");
            next = link.isEmpty() ? null : URI.create(link);
            Checkpoint after = next == null
                    ? new Checkpoint(high.mark(), high.ids(), "", null, Set.of())
                    : new Checkpoint(checkpoint.watermark(), checkpoint.idsAtWatermark(), link, high.mark(), high.ids());
            registry.saveCheckpoint(checkpointName, after);
            summary = summary.plus(new RunSummary(1, value.size(), written.storedNew(), written.alreadyStored(), skipped,
                    written.alertsNew(), written.quarantined(), high.mark()));
            progress.accept(config.name() + ": " + stream.path + " page " + page + ": " + value.size() + " read, "
                    + written.storedNew() + " stored, " + written.alertsNew() + " new alerts");
        }
        return summary;
    }

    /** A page's records mapped for storing: the records, those that could not be mapped, those stored before. */
    record Page(List<SourceRecord> records, List<PageWriter.Rejected> rejected, long skipped) {}

    /**
     * Maps the {@code value} array of one page of a stream: each alert, or each incident and the alerts it expands,
     * except records the checkpoint says are stored already. Shared by {@link #run} and {@link GraphSecurityPages},
     * so a page read from a file lands exactly as the same page fetched from the API.
     */
    static Page map(TenantId tenant, Stream stream, JsonNode value, Checkpoint checkpoint) {
        List<SourceRecord> records = new ArrayList<>();
        List<PageWriter.Rejected> rejected = new ArrayList<>();
        long skipped = 0;
        for (JsonNode item : value) {
            try {
                SourceRecord record = stream == Stream.ALERTS ? GraphSecurityMapping.alert(tenant, item)
                        : GraphSecurityMapping.incident(item);
                if (checkpoint.alreadyStored(record.vendorId(), record.modified())) {
                    skipped++;
                    continue;
                }
                records.add(record);
                if (stream == Stream.INCIDENTS) {
                    for (JsonNode alert : GraphSecurityMapping.incidentAlerts(item)) {
                        try {
                            records.add(GraphSecurityMapping.alert(tenant, alert));
                        } catch (GraphSecurityMapping.Rejected e) {
                            rejected.add(new PageWriter.Rejected(alert.toString(), "graph alert: " + e.getMessage()));
                        }
                    }
                }
            } catch (GraphSecurityMapping.Rejected e) {
                rejected.add(new PageWriter.Rejected(item.toString(), "graph " + stream.path + ": " + e.getMessage()));
            }
        }
        return new Page(records, rejected, skipped);
    }

    URI firstPage(Stream stream, Checkpoint checkpoint) {
        Instant since = checkpoint.watermark() != null ? checkpoint.watermark()
                : clock.instant().minus(config.lookback()).truncatedTo(ChronoUnit.SECONDS);
        StringBuilder query = new StringBuilder("?$filter=")
                .append(encode("lastUpdateDateTime ge " + ODATA_TIME.format(since)))
                .append("&$top=").append(config.pageSize());
        if (stream == Stream.INCIDENTS) {
            query.append("&$expand=alerts");
        }
        return URI.create(config.endpointOrDefault() + "/v1.0/security/" + stream.path + query);
    }

    @Override
    public void test(Consumer<String> out) {
        tokens.token();
        out.accept("token: obtained from " + URI.create(config.tokenUrl()).getHost() + " for " + config.kind().scope());
        for (Stream stream : Stream.values()) {
            URI first = URI.create(config.endpointOrDefault() + "/v1.0/security/" + stream.path + "?$top=1"
                    + (stream == Stream.INCIDENTS ? "&$expand=alerts" : ""));
            Http.Response response = http.send("GET", first, null, null, tokens);
            JsonNode body = Responses.parse(config.name(), response);
            if (!body.path("value").isArray()) {
                throw Responses.missing(config.name(), response, "value");
            }
            out.accept(stream.path + ": readable (" + body.path("value").size() + " record(s) on a first page of 1)");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
