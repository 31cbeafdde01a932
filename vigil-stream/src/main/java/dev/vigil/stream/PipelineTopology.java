package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.model.QuarantinedRecord;
import java.time.Clock;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scale-out pipeline as a Kafka Streams topology, built on the core's own code:
 *
 * <pre>
 * raw ──parse+normalize──┬─► events
 *  (RawEnvelope)         ├─► quarantine          (records that do not parse, with the reason)
 *                        └─detect (Sigma, IOC)─► alerts ──correlate──► incidents
 *                            ▲                                 (state: correlation store)
 * config ── global table ────┘  (per-tenant rules and indicators)
 * </pre>
 *
 * <p>Parsing, normalizing and detecting are one sub-topology with no state of its own, so they spread over every
 * partition of the raw topic: the sender may spread one tenant's records over all of them. Correlation is the second
 * sub-topology: the alerts topic is keyed (and so partitioned) by tenant, so one task holds a tenant's incidents, and
 * its state lives in a changelogged store that survives restarts and moves with the task on a rebalance.
 *
 * <p>Every id is derived from the data (the event id from the raw bytes, the tenant, the occurrence number and the
 * record's time; the alert id from the rule and the events), and a record without a time of its own takes the raw
 * record's Kafka timestamp, not the worker's clock; so processing a record again yields the same records, and with
 * {@code exactly_once_v2} each input's output is committed once.
 */
public final class PipelineTopology {
    /** The global store of per-tenant detection content, from the config topic. */
    public static final String CONFIG_STORE = "vigil-tenant-content";
    /** Where correlation keeps the placed alerts, merges and incident numbers of every tenant of its task. */
    public static final String CORRELATION_STORE = "vigil-correlation";

    private PipelineTopology() {}

    public static Topology build(Topics topics, IngestLimits limits, CorrelationPolicy policy) {
        return build(topics, limits, policy, Clock.systemUTC());
    }

    /**
     * @param wallClock used only to decide which indicators are active (expiry) when a tenant's content is compiled
     */
    public static Topology build(Topics topics, IngestLimits limits, CorrelationPolicy policy, Clock wallClock) {
        requireNonNull(topics, "topics is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(policy, "policy is null");
        StringSerializer keys = new StringSerializer();
        StringDeserializer keyReader = new StringDeserializer();
        Serializer<Object> values = new ValueSerializer();
        Topology topology = new Topology();
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CONFIG_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "config-source", keyReader, new ByteArrayDeserializer(), topics.config(), "config-update",
                ContentUpdater::new);
        topology.addSource("raw-source", keyReader, new ByteArrayDeserializer(), topics.raw());
        topology.addProcessor("parse", () -> new ParseProcessor(limits), "raw-source");
        topology.addSink("events-sink", topics.events(), keys, values, "parse");
        topology.addSink("quarantine-sink", topics.quarantine(), keys, values, "parse");
        topology.addProcessor("detect", () -> new DetectProcessor(wallClock), "parse");
        topology.addSink("alerts-sink", topics.alerts(), keys, values, "detect");
        topology.addSource("alerts-source", keyReader, alertReader(), topics.alerts());
        topology.addProcessor("correlate", () -> new CorrelateProcessor(policy), "alerts-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CORRELATION_STORE),
                Serdes.String(), Serdes.ByteArray()), "correlate");
        topology.addSink("incidents-sink", topics.incidents(), keys, values, "correlate");
        return topology;
    }

    private static Deserializer<Alert> alertReader() {
        return (topic, bytes) -> bytes == null ? null : StreamJson.alert(bytes);
    }

    /** Writes what the processors forward: events, quarantined records and alerts as JSON, bytes as they are. */
    static final class ValueSerializer implements Serializer<Object> {
        @Override
        public byte[] serialize(String topic, Object value) {
            return switch (value) {
                case null -> null;
                case Event event -> StreamJson.event(event);
                case QuarantinedRecord record -> StreamJson.quarantined(record);
                case Alert alert -> StreamJson.alert(alert);
                case byte[] bytes -> bytes;
                default -> throw new IllegalArgumentException("no serializer for " + value.getClass().getName());
            };
        }
    }
}
