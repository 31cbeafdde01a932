package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.SourceSplitter;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeStores;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.stream.Envelopes;
import dev.vigil.stream.RawEnvelope;
import dev.vigil.stream.RawTopicProducer;
import dev.vigil.stream.StreamSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What makes {@code vigil serve --mode scale} a stateless API node: it keeps nothing on its own disk that another
 * node would need. Shared state (users, tokens, audit, copilot sessions, and the incidents and alerts that
 * {@code vigil stream incidents} stores from the pipeline) is in PostgreSQL ({@code store.state: postgresql});
 * records sent to it (the ingest API, the syslog listeners) go to the pipeline's raw topic on Kafka, where the stream
 * workers parse, detect and correlate them; the tenants' events are read from the lake ({@code lake.root}) through
 * {@link LakeStores}.
 *
 * <p>All three are required and checked when the server starts ({@link #check}, then {@link #connect}): a missing
 * key, a broker that does not answer or a lake folder that is not there fails the start with the key and the fix.
 *
 * <p>Routes over what a scale-mode node does not hold yet answer {@code SCALE_MODE_UNSUPPORTED} (409) with what is
 * missing ({@link #restrict}), never an empty or made-up answer: posture, connectors, reports, the tenant's
 * model settings and promptbook imports (files in the data directory).
 */
final class ScaleMode implements AutoCloseable {
    /**
     * The tenant-scoped routes a scale-mode node serves, by method and path below {@code /api/v1/tenants/{tenant}};
     * routes outside a tenant (login, {@code me}, the OpenAPI document) are all served.
     */
    static final Set<String> SERVED = Set.of(
            "POST /hunt", "POST /hunt/check", "POST /ingest",
            "GET /incidents", "GET /incidents/{n}", "PATCH /incidents/{n}", "POST /incidents/{n}/actions/{id}/approve",
            "POST /incidents/{n}/actions/{id}/reject", "GET /alerts",
            "GET /plugins", "POST /plugins", "PATCH /plugins/{name}", "DELETE /plugins/{name}",
            "POST /copilot/ask", "POST /copilot/ask/stream", "GET /copilot/ask/stream", "POST /copilot/plan",
            "GET /copilot/skills", "GET /copilot/suggest", "GET /evidence",
            "GET /copilot/sessions", "POST /copilot/sessions", "GET /copilot/sessions/{session}",
            "PATCH /copilot/sessions/{session}", "POST /copilot/sessions/{session}/duplicate",
            "PUT /copilot/sessions/{session}/pins/{turn}", "DELETE /copilot/sessions/{session}/pins/{turn}",
            "GET /copilot/sessions/{session}/export", "DELETE /copilot/sessions/{session}",
            "GET /copilot/promptbooks", "GET /copilot/promptbooks/{name}", "POST /copilot/promptbooks/{name}/run",
            "POST /copilot/promptbooks/{name}/run/stream",
            "GET /members", "PUT /members/{user}", "DELETE /members/{user}",
            "GET /tokens", "POST /tokens", "DELETE /tokens/{id}");

    private final StreamSettings stream;
    private final RawTopicProducer producer;
    private final LakeStores lake;
    private final Clock clock;

    private ScaleMode(StreamSettings stream, RawTopicProducer producer, LakeStores lake, Clock clock) {
        this.stream = stream;
        this.producer = producer;
        this.lake = lake;
        this.clock = clock;
    }

    /** Whether the configuration asks for scale mode ({@code server.mode: scale}, or {@code --mode scale}). */
    static boolean requested(VigilConfig config) {
        return "scale".equals(config.value(ConfigKey.SERVER_MODE));
    }

    /**
     * Checks, before anything is opened, that the configuration names the three shared services.
     *
     * @throws VigilException {@code CONFIG_INVALID} naming the first key missing and how to set it
     */
    static void check(VigilConfig config) {
        if (!"postgresql".equals(config.value(ConfigKey.STORE_STATE))) {
            throw missing(config, ConfigKey.STORE_STATE, "is '" + config.value(ConfigKey.STORE_STATE) + "'; a"
                    + " scale-mode node keeps users, tokens, audit and sessions in PostgreSQL, shared by every node",
                    "Set store.state: postgresql and store.postgresql.url: jdbc:postgresql://HOST:5432/vigil (or"
                            + " VIGIL_STORE_STATE and VIGIL_STORE_POSTGRESQL_URL); docs/SCALE-OUT.md shows the whole"
                            + " configuration.");
        }
        config.sharedState(); // store.postgresql.url is named when it is missing
        if (config.origin(ConfigKey.STREAM_BOOTSTRAP).equals("default")) {
            throw missing(config, ConfigKey.STREAM_BOOTSTRAP, "is not set; a scale-mode node sends every record it"
                    + " receives to the pipeline's raw topic on Kafka",
                    "Set stream.bootstrap: kafka-1:9092,kafka-2:9092 (or VIGIL_STREAM_BOOTSTRAP) to the brokers the"
                            + " stream workers (vigil stream run) use.");
        }
        if (((String) config.value(ConfigKey.LAKE_ROOT)).isEmpty()) {
            throw missing(config, ConfigKey.LAKE_ROOT, "is not set; a scale-mode node reads the tenants' events from"
                    + " the lake, not from its data directory",
                    "Set lake.root (or VIGIL_LAKE_ROOT) to the lake the lake writers fill: s3://BUCKET/PREFIX with"
                            + " the lake.s3.* settings, or a folder mounted on every API node.");
        }
    }

    private static VigilException missing(VigilConfig config, ConfigKey key, String problem, String fix) {
        return new VigilException(ErrorCode.CONFIG_INVALID, "vigil serve --mode scale: " + key.key() + " ("
                + config.origin(key) + ") " + problem, fix, null);
    }

    /**
     * Reaches Kafka (creating the pipeline's topics when missing) and the lake.
     *
     * @throws VigilException {@code BROKER_UNAVAILABLE} naming {@code stream.bootstrap} when no broker answers,
     *     {@code CONFIG_INVALID} naming {@code lake.root} when it is not a readable folder
     */
    static ScaleMode connect(VigilConfig config, Clock clock) {
        check(config);
        LakeLayout layout = new LakeLayout(config.lake());
        if (layout.isLocal()) {
            Path root = layout.localRoot();
            if (!Files.isDirectory(root) || !Files.isReadable(root)) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, "vigil serve --mode scale: lake.root ("
                        + config.origin(ConfigKey.LAKE_ROOT) + ") names " + root + ", which is not a readable folder",
                        "Mount the lake there (the folder the lake writers fill), or correct lake.root.", null);
            }
        }
        LakeStores lake = new LakeStores(layout);
        try {
            lake.check(); // an object-storage lake answers a listing with these keys
        } catch (VigilException e) {
            lake.close();
            throw new VigilException(e.code(), "vigil serve --mode scale: lake.root (" + config.origin(
                    ConfigKey.LAKE_ROOT) + "): " + e.getMessage(), e.fix(), e);
        }
        StreamSettings stream = StreamSettings.from(config, null);
        RawTopicProducer producer = new RawTopicProducer(stream);
        try {
            producer.connect();
        } catch (VigilException e) {
            producer.close();
            lake.close();
            if (e.code() == ErrorCode.BROKER_UNAVAILABLE) {
                throw new VigilException(ErrorCode.BROKER_UNAVAILABLE, "vigil serve --mode scale: stream.bootstrap ("
                        + config.origin(ConfigKey.STREAM_BOOTSTRAP) + "): " + e.getMessage(), "Start Kafka, or set"
                        + " stream.bootstrap to brokers this node can reach (a broker listener, not a controller"
                        + " port); stream.connect-timeout sets how long to wait.", e);
            }
            throw e;
        }
        return new ScaleMode(stream, producer, lake, clock);
    }

    LakeStores lake() {
        return lake;
    }

    /** The raw topic records go to. */
    String topic() {
        return producer.topic();
    }

    /**
     * What became of a body sent to the raw topic: records read, accepted (on the topic for the workers to parse),
     * and refused before sending (over {@code ingest.max-record-bytes}, or a source refused whole), which are on
     * the topic too, as refusals the workers quarantine.
     */
    record Sent(long read, long accepted, List<RawEnvelope> refused, String skipped) {
        Sent {
            refused = List.copyOf(refused);
        }
    }

    /**
     * Splits a body into the raw topic's records as {@code vigil stream send} does ({@link Envelopes}: the same
     * limits, occurrence numbers and refusals) and sends them, keyed by tenant; returns once the broker acknowledged
     * every one.
     *
     * @throws VigilException {@code BROKER_UNAVAILABLE} (503) when a record was not acknowledged
     */
    Sent send(TenantId tenant, Format format, String table, String source, byte[] body) {
        requireNonNull(tenant, "tenant is null");
        Envelopes envelopes = new Envelopes(tenant, new SourceSplitter(format, table, stream.limits(),
                stream.defaultZone()), stream.limits());
        List<RawEnvelope> records = new ArrayList<>();
        String skipped;
        try {
            skipped = envelopes.split(source, new ByteArrayInputStream(body), records::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail to read
        }
        producer.sendAll(tenant, records, clock.millis());
        List<RawEnvelope> refused = records.stream().filter(r -> r.refusal() != null).toList();
        return new Sent(records.size(), records.size() - refused.size(), refused, skipped);
    }

    /**
     * The routes as a scale-mode node serves them: those in {@link #SERVED} and those outside a tenant as they are,
     * every other one answering {@code SCALE_MODE_UNSUPPORTED} with what it needs that this node does not hold.
     */
    static List<Route> restrict(List<Route> routes) {
        List<Route> out = new ArrayList<>(routes.size());
        for (Route route : routes) {
            String below = route.path().startsWith(Api.TENANT) ? route.path().substring(Api.TENANT.length()) : null;
            if (below == null || SERVED.contains(route.method() + " " + below)) {
                out.add(route);
                continue;
            }
            String needs = needs(below);
            out.add(new Route(route.method(), route.path(), route.role(), route.summary() + " (not served in scale"
                    + " mode yet: " + needs + ")", route.example(), route.produces(), route.consumes(),
                    route.anonymous(), call -> {
                        throw new VigilException(ErrorCode.SCALE_MODE_UNSUPPORTED, route.method() + " "
                                + route.path() + " is not served by a scale-mode node yet: " + needs);
                    }));
        }
        return List.copyOf(out);
    }

    /** What a refused route reads or writes that a scale-mode node does not hold, for its error. */
    static String needs(String below) {
        String first = below.replaceFirst("^/([^/]+).*", "$1").toLowerCase(Locale.ROOT);
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("posture", "the inventory, findings and exposure history are kept in each tenant's embedded"
                + " store");
        reasons.put("connectors", "connectors and their watermarks are kept in the data directory");
        reasons.put("reports", "reports read the posture, which a scale-mode node does not hold, and scheduled"
                + " reports are ticked by an embedded server");
        reasons.put("model", "the tenant's model settings are a file in the data directory");
        reasons.put("copilot", "imported promptbooks are files in the data directory");
        return reasons.getOrDefault(first, "it reads or writes state a scale-mode node does not hold");
    }

    @Override
    public void close() {
        producer.close();
        lake.close();
    }
}
