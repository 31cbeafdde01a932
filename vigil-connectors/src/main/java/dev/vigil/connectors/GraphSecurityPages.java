package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.AlertSink;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores pages of the Microsoft Graph Security API that were saved to files (an export, a replay, the demo's
 * Defender incidents) exactly as the Graph Security connector stores the pages it fetches: the same mapping onto
 * alert and incident records and Vigil alerts, the same page writer, so they correlate with Vigil's own alerts like
 * any connector's. No checkpoint is kept: the page is stored whole, and storing it again stores nothing twice.
 */
public final class GraphSecurityPages {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GraphSecurityPages() {}

    /** Which API a page came from. */
    public enum Kind {
        /** {@code GET /v1.0/security/alerts_v2}. */
        ALERTS,
        /** {@code GET /v1.0/security/incidents?$expand=alerts}. */
        INCIDENTS
    }

    /**
     * Stores one page ({@code {"value": [...]}}) into the store.
     *
     * @param source names the page in quarantine records and event sources ({@code the file name})
     * @throws ConnectorException when the page is not JSON or has no {@code value} array
     */
    public static <S extends EventSink & AlertSink> RunSummary store(TenantId tenant, S store, Kind kind, String source,
            String page, Clock clock) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(store, "store is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(source, "source is null");
        requireNonNull(page, "page is null");
        JsonNode body;
        try {
            body = JSON.readTree(page);
        } catch (JacksonException e) {
            throw ConnectorConfig.invalid(source + " is not a Graph Security API page: " + e.getOriginalMessage(),
                    "Pass the JSON body of a GET /v1.0/security/alerts_v2 or /incidents?$expand=alerts response.");
        }
        JsonNode value = body.get("value");
        if (value == null || !value.isArray()) {
            throw ConnectorConfig.invalid(source + " has no 'value' array",
                    "Pass the JSON body of a GET /v1.0/security/alerts_v2 or /incidents?$expand=alerts response.");
        }
        GraphSecurityConnector.Stream stream = kind == Kind.ALERTS ? GraphSecurityConnector.Stream.ALERTS
                : GraphSecurityConnector.Stream.INCIDENTS;
        GraphSecurityConnector.Page mapped = GraphSecurityConnector.map(tenant, stream, value, Checkpoint.initial());
        PageWriter writer = new PageWriter(tenant, store, store, Normalizer.standard(clock));
        PageWriter.Written written = writer.write("graph-security:" + kind.name().toLowerCase(Locale.ROOT) + ":"
                + source, mapped.records(), mapped.rejected());
        Instant high = null;
        for (SourceRecord record : mapped.records()) {
            if (high == null || record.modified().isAfter(high)) {
                high = record.modified();
            }
        }
        return new RunSummary(1, value.size(), written.storedNew(), written.alreadyStored(), mapped.skipped(),
                written.alertsNew(), written.quarantined(), high);
    }
}
