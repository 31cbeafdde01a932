package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/v1/tenants/{tenant}/ingest}: records sent over HTTP, one per line (NDJSON; or the lines of another
 * format {@code vigil ingest} reads, named with {@code ?format=}), through the same pipeline as {@code vigil ingest}:
 * the {@link Ingestor} parses, normalizes and quarantines outside the tenant's lock, and the tenant's store commits
 * the batches of requests that arrive together in one transaction ({@link TenantStores#store}, group commit). The
 * answer comes only once every record is durable, stored or quarantined with its line and reason, so a client that got it may forget the
 * batch; one that did not may send it again, since records already stored are recognized and not stored twice.
 *
 * <p>Limits, each answered before anything is stored: a body over {@code server.ingest.max-body-bytes} is 413 (with
 * how to split it); more requests at once than {@code server.ingest.concurrent-requests} is 429 with
 * {@code Retry-After} (backpressure: the server does not queue what it cannot take); records past the tenant's quota
 * per minute or day are 429 naming the quota, with {@code Retry-After} set to the end of its window.
 */
final class IngestApi {
    static final String PATH = Api.TENANT + "/ingest";
    /** Most quarantined records listed one by one in an answer; all are counted, and kept in the quarantine. */
    static final int MAX_LISTED = 1_000;

    private final VigilConfig config;
    private final TenantStores stores;
    private final Clock clock;
    private final Semaphore admitted;
    private final IngestQuotas quotas;
    private final int maxBodyBytes;
    /**
     * Built once, not per request: it parses normalization.yaml (about 3% of an ingest request's CPU), and is
     * immutable once built.
     */
    private final Normalizer normalizer;

    private final Detections detections;
    /** In scale mode, where records go instead of the tenant's store; null in embedded mode. */
    private final ScaleMode scale;

    IngestApi(VigilConfig config, TenantStores stores, Clock clock) {
        this(config, stores, clock, null);
    }

    /** @param scale the raw topic records go to in scale mode, or null to store them here (embedded mode) */
    IngestApi(VigilConfig config, TenantStores stores, Clock clock, ScaleMode scale) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.admitted = new Semaphore((Integer) config.value(ConfigKey.SERVER_INGEST_CONCURRENT));
        this.quotas = IngestQuotas.from(config);
        this.maxBodyBytes = maxBodyBytes(config);
        this.normalizer = Normalizer.standard(clock);
        this.detections = new Detections(config, stores, clock);
        this.scale = scale;
    }

    static int maxBodyBytes(VigilConfig config) {
        return (Integer) config.value(ConfigKey.SERVER_INGEST_MAX_BODY_BYTES);
    }

    List<Route> routes() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("EventID", 4625);
        example.put("Computer", "ws-1");
        example.put("TargetUserName", "alice");
        example.put("IpAddress", "203.0.113.7");
        example.put("TimeCreated", "2026-11-29T10:00:00Z");
        return List.of(new Route("POST", PATH, Role.INGEST, "Send records to the tenant: NDJSON, one record per line"
                + " (Content-Type: application/x-ndjson; ?format= and ?table= as vigil ingest takes them). Answers once"
                + " every record is stored or quarantined: counts, and each quarantined record's line and reason."
                + " 413 over server.ingest.max-body-bytes; 429 with Retry-After when busy or over the tenant's quota",
                example, Route.JSON, Route.NDJSON, false, this::ingest));
    }

    private Object ingest(Call call) {
        TenantId tenant = call.tenant();
        Format format = format(call.query("format"));
        String table = call.query("table") == null ? config.defaultTable() : call.query("table");
        String contentType = call.context().contentType();
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!(type.startsWith(Route.NDJSON) || type.startsWith("application/json") || type.startsWith("text/plain"))) {
            throw new VigilException(ErrorCode.USAGE, "the ingest body must be application/x-ndjson (or"
                    + " application/json, text/plain), not '" + contentType + "'",
                    "Send it with -H 'Content-Type: application/x-ndjson' (curl --data-binary @file.ndjson)", null);
        }
        if (call.context().header("Content-Encoding") != null) {
            throw new VigilException(ErrorCode.USAGE, "a compressed ingest body is not accepted",
                    "Send the records uncompressed, in requests of at most " + maxBodyBytes + " bytes", null);
        }
        if (!admitted.tryAcquire()) {
            call.context().header("Retry-After", "1");
            throw new VigilException(ErrorCode.RATE_LIMITED, "the server is already working on "
                    + config.value(ConfigKey.SERVER_INGEST_CONCURRENT) + " ingest requests"
                    + " (server.ingest.concurrent-requests); nothing of this one was stored");
        }
        try {
            byte[] body = call.context().bodyAsBytes();
            if (body.length > maxBodyBytes) {
                throw tooLarge(body.length, maxBodyBytes);
            }
            long records = lines(body);
            long[] retryAfter = {0};
            try {
                quotas.admit(tenant, records, clock.instant(), retryAfter);
            } catch (VigilException e) {
                call.context().header("Retry-After", Long.toString(Math.max(1, retryAfter[0])));
                throw e;
            }
            call.audit("records", Long.toString(records));
            call.audit("bytes", Integer.toString(body.length));
            if (scale != null) {
                return sendToRawTopic(call, tenant, format, table, body);
            }
            // parsing, normalizing and detection run outside the tenant's lock; only appending and committing take
            // turns on it
            Detections.Run detection = detections.open(tenant);
            GroupCommitted sink = new GroupCommitted(stores, tenant, detection);
            Ingestor ingestor = new Ingestor(new Ingestor.Options(tenant, format, table, config.ingestLimits(),
                    config.defaultZone()), normalizer, sink, Ingestor.ProgressListener.NONE, clock,
                    new ByteArrayInputStream(body));
            IngestSummary summary = ingestor.ingest(List.of("-"));
            Detections.Outcome detected = detection.finish();
            call.audit("stored", Long.toString(summary.stored()));
            call.audit("quarantined", Long.toString(summary.quarantined()));
            call.audit("alerts", Long.toString(detected.alerts()));
            Map<String, Object> json = answer(tenant, summary, sink.acknowledged);
            json.put("alerts_new", detected.alerts());
            json.put("incidents", detected.incidents() == null ? null : Map.of("alerts",
                    detected.incidents().alerts(), "opened", detected.incidents().opened(), "merged",
                    detected.incidents().merged()));
            return json;
        } finally {
            admitted.release();
        }
    }

    /** How long a client waits before sending again when the brokers did not take a request's records. */
    static final int BROKER_RETRY_SECONDS = 5;

    /**
     * Scale mode: the body's records go to the raw topic as the stream sender's envelopes, and the answer comes once
     * the broker acknowledged all of them. {@code accepted} counts the records on the topic for the workers to parse
     * (they store, quarantine and detect there, so {@code stored_new}, {@code already_stored}, {@code alerts_new}
     * and {@code incidents} are null); {@code quarantined} counts those refused here (over
     * {@code ingest.max-record-bytes}, or a body refused whole), sent on as refusals for the workers to quarantine.
     * Brokers that do not acknowledge answer 503 with {@code Retry-After}: nothing is reported as taken that may be
     * lost, and sending the body again is harmless (events keep their ids).
     */
    private Map<String, Object> sendToRawTopic(Call call, TenantId tenant, Format format, String table,
            byte[] body) {
        long start = System.nanoTime();
        ScaleMode.Sent sent;
        try {
            sent = scale.send(tenant, format, table, "stdin", body);
        } catch (VigilException e) {
            if (e.code() == ErrorCode.BROKER_UNAVAILABLE) {
                call.context().header("Retry-After", Integer.toString(BROKER_RETRY_SECONDS));
            }
            throw e;
        }
        call.audit("accepted", Long.toString(sent.accepted()));
        call.audit("quarantined", Long.toString(sent.refused().size()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", tenant.value());
        json.put("read", sent.read());
        json.put("accepted", sent.accepted());
        json.put("stored_new", null);
        json.put("already_stored", null);
        json.put("quarantined", sent.refused().size());
        List<Map<String, Object>> listed = new ArrayList<>();
        Map<String, Long> byReason = new TreeMap<>();
        for (dev.vigil.stream.RawEnvelope refused : sent.refused()) {
            byReason.merge(refused.refusal().reason().id(), 1L, Long::sum);
            if (listed.size() < MAX_LISTED) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("line", refused.record().position().line());
                item.put("reason", refused.refusal().reason().id());
                item.put("detail", refused.refusal().detail());
                listed.add(item);
            }
        }
        json.put("quarantined_records", listed);
        json.put("quarantined_by_reason", byReason);
        json.put("tables", Map.of());
        json.put("milliseconds", Math.round((System.nanoTime() - start) / 100_000.0) / 10.0);
        json.put("alerts_new", null);
        json.put("incidents", null);
        json.put("topic", scale.topic());
        if (sent.skipped() != null) {
            json.put("skipped", sent.skipped());
        }
        return json;
    }

    /** The 413 of an ingest body over the limit, saying how to split it. */
    static VigilException tooLarge(long bytes, int limit) {
        return new VigilException(ErrorCode.REQUEST_TOO_LARGE, "the ingest body has " + bytes + " bytes; the limit"
                + " is " + limit + " bytes (server.ingest.max-body-bytes)", "Split the records into requests of at"
                + " most " + limit + " bytes on line boundaries, e.g. `split -C " + limit + " events.ndjson part-`"
                + " and send each part; records already stored are not stored twice if a part is sent again", null);
    }

    private static Format format(String name) {
        if (name == null || name.isBlank()) {
            return Format.AUTO;
        }
        try {
            return Format.fromCliName(name.strip());
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.FORMAT_UNKNOWN, "?format=" + name + ": " + e.getMessage());
        }
    }

    /** Records in the body: its non-blank lines. */
    static long lines(byte[] body) {
        long count = 0;
        boolean content = false;
        for (byte b : body) {
            if (b == '\n') {
                if (content) {
                    count++;
                }
                content = false;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                content = true;
            }
        }
        return content ? count + 1 : count;
    }

    private static Map<String, Object> answer(TenantId tenant, IngestSummary summary,
            List<QuarantinedRecord> quarantined) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", tenant.value());
        json.put("read", summary.read());
        json.put("accepted", summary.stored());
        json.put("stored_new", summary.storedNew());
        json.put("already_stored", summary.alreadyStored());
        json.put("quarantined", summary.quarantined());
        List<Map<String, Object>> listed = new ArrayList<>();
        for (QuarantinedRecord record : quarantined.subList(0, Math.min(MAX_LISTED, quarantined.size()))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("line", record.position().line());
            item.put("reason", record.reason().id());
            item.put("detail", record.detail());
            listed.add(item);
        }
        json.put("quarantined_records", listed);
        json.put("quarantined_by_reason", new TreeMap<>(summary.quarantinedByReason()));
        json.put("tables", new TreeMap<>(summary.tables()));
        json.put("milliseconds", Math.round(summary.seconds() * 10_000) / 10.0);
        return json;
    }

    /**
     * The tenant's store as ingest sees it, through {@link TenantStores#store}: each batch is durable (committed
     * together with the batches other requests hand in at the same time) when {@link #append} returns, so
     * {@link #commit} has nothing left to do but acknowledge. Remembers the quarantined records it made durable.
     */
    static final class GroupCommitted implements EventSink {
        private final TenantStores stores;
        private final TenantId tenant;
        final List<QuarantinedRecord> acknowledged = new ArrayList<>();
        private final List<QuarantinedRecord> pending = new ArrayList<>();
        private final Detections.Run detection;

        GroupCommitted(TenantStores stores, TenantId tenant, Detections.Run detection) {
            this.stores = requireNonNull(stores, "stores is null");
            this.tenant = requireNonNull(tenant, "tenant is null");
            this.detection = requireNonNull(detection, "detection is null");
        }

        @Override
        public Result append(Batch batch) {
            List<Alert> alerts = detection.detect(batch.events());
            TenantStores.Stored stored = stores.store(tenant, batch, alerts, detection.newRuleStats());
            detection.stored(stored.alerts());
            pending.addAll(batch.quarantined());
            return stored.result();
        }

        @Override
        public void commit() {
            acknowledged.addAll(pending);
            pending.clear();
        }
    }
}
