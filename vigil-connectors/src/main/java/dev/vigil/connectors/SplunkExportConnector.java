package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pulls Splunk's search export ({@code POST /services/search/v2/jobs/export} with {@code search},
 * {@code earliest_time}, {@code latest_time} and {@code output_mode=json}), which streams one JSON object per line:
 * {@code {"preview":false,"offset":N,"result":{...}}}, with {@code "lastrow":true} on the last. Each final result is
 * stored as an event with Splunk's field names in the connector's {@code --table} (default {@value #DEFAULT_TABLE}),
 * at its {@code _time}. {@code _serial} is dropped: it numbers the results of one search, so it would make the same
 * event differ between two runs. The watermark is the highest {@code _time} stored; the next run starts at it, and
 * the events there, the same again, are stored once. Authentication is a Splunk authentication token as bearer token.
 */
final class SplunkExportConnector implements Connector {
    static final String DEFAULT_TABLE = "SplunkEvent";

    private final ConnectorConfig config;
    private final Http http;
    private final TokenProvider tokens;
    private final ConnectorRegistry registry;
    private final PageWriter writer;
    private final Clock clock;

    SplunkExportConnector(ConnectorConfig config, Http http, TokenProvider tokens, ConnectorRegistry registry,
            PageWriter writer, Clock clock) {
        this.config = requireNonNull(config, "config is null");
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

    private String table() {
        return config.table().isEmpty() ? DEFAULT_TABLE : config.table();
    }

    private Http.Response export(Instant since, Instant until) {
        String search = config.query().stripLeading().startsWith("search ") || config.query().stripLeading()
                .startsWith("|") ? config.query() : "search " + config.query();
        String form = "search=" + encode(search) + "&earliest_time=" + epoch(since) + "&latest_time=" + epoch(until)
                + "&output_mode=json";
        return http.send("POST", URI.create(config.endpointOrDefault() + "/services/search/v2/jobs/export"),
                "application/x-www-form-urlencoded", form, tokens);
    }

    /** The final results of an export response, in order; a line that is not JSON fails naming its line. */
    List<ObjectNode> results(Http.Response response) {
        List<ObjectNode> out = new ArrayList<>();
        String[] lines = response.body().split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = ConnectorRegistry.JSON.readTree(line);
            } catch (JacksonException e) {
                throw new ConnectorException("connector '" + config.name() + "': line " + (i + 1) + " of the response"
                        + " of " + response.uri().getPath() + " is not valid JSON at column "
                        + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ": "
                        + e.getOriginalMessage(), "Splunk sent a truncated or malformed export; nothing of it was"
                        + " stored. Run the connector again.", e);
            }
            if (node.path("preview").asBoolean(false) || !node.path("result").isObject()) {
                continue; // preview rows and messages
            }
            ObjectNode result = ((ObjectNode) node.get("result")).deepCopy();
            result.remove("_serial");
            out.add(result);
        }
        return out;
    }

    @Override
    public RunSummary run(Consumer<String> progress) {
        requireNonNull(writer, "a connector built for testing cannot run");
        Checkpoint checkpoint = registry.checkpoint(config.name());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant since = checkpoint.watermark() != null ? checkpoint.watermark() : now.minus(config.lookback());
        Http.Response response = export(since, now);
        List<ObjectNode> results = results(response);
        List<SourceRecord> records = new ArrayList<>();
        HighWater high = new HighWater(checkpoint.watermark(), Set.of());
        for (ObjectNode result : results) {
            Optional<Instant> time = GraphSecurityMapping.optionalTime(result, "_time");
            records.add(new SourceRecord(result.toString(), table(), time.orElse(now), "", time.orElse(now),
                    Optional.empty()));
        }
        PageWriter.Written written = writer.write("connector:" + config.name(), records, List.of());
        records.forEach(record -> high.observe("", record.modified()));
        registry.saveCheckpoint(config.name(), new Checkpoint(high.mark() == null ? since : high.mark(), Set.of(), "",
                null, Set.of()));
        progress.accept(config.name() + ": " + results.size() + " results read, " + written.storedNew() + " stored");
        return new RunSummary(1, results.size(), written.storedNew(), written.alreadyStored(), 0, 0,
                written.quarantined(), high.mark());
    }

    @Override
    public void test(Consumer<String> out) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<ObjectNode> results = results(export(now.minus(config.lookback()), now));
        out.accept("search: ran; " + results.size() + " result(s) over the lookback, for table " + table()
                + " (nothing stored)");
    }

    static String epoch(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
