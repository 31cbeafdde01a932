package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.Correlator;
import dev.vigil.incident.Prevalence;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Groups each tenant's alerts into incidents with the core's {@link Correlator}, one alert at a time, and writes
 * where each alert went to the incidents topic.
 *
 * <p>The correlator's memory is rebuilt from a state store, which Kafka Streams backs with a changelog topic and
 * commits with the output (exactly-once): the store holds every placed alert with its incident, the merges, and the
 * next incident number per tenant. When a task starts (a first start, a restart, a rebalance that moved it here), a
 * tenant's correlator is rebuilt on its first alert by remembering its placed alerts in time order, as the embedded
 * store does from its tables. An alert already placed (the same id delivered again) is not placed twice.
 *
 * <p>Unlike the embedded pipeline, the stream has no stored events to learn which entities are common in the
 * organization (the prevalence baseline) and no ATT&amp;CK knowledge for tactic progression: it correlates on shared
 * entities and the join window, and learns prevalence from the alerts themselves.
 */
final class CorrelateProcessor implements Processor<String, Alert, String, Object> {
    private static final StringSerializer KEYS = new StringSerializer();

    private final CorrelationPolicy policy;
    private final Map<String, Correlator> correlators = new HashMap<>();
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<String, Object> context;

    CorrelateProcessor(CorrelationPolicy policy) {
        this.policy = requireNonNull(policy, "policy is null");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(PipelineTopology.CORRELATION_STORE);
        correlators.clear(); // a revived task starts over from its store
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert alert = record.value();
        if (alert == null) {
            return;
        }
        String tenant = alert.tenant().value();
        String alertKey = alertKey(tenant, alert.id().toString());
        if (store.get(alertKey) != null) {
            return; // placed before: its placement was committed with the store
        }
        Correlator correlator = correlators.computeIfAbsent(tenant, this::restore);
        Assignment assignment = correlator.add(alert);
        store.put(alertKey, placed(assignment.incident(), StreamJson.alert(alert)));
        for (Assignment.Merge merge : assignment.merged()) {
            store.put(mergeKey(tenant, merge.incident()), number(assignment.incident()));
        }
        long next = nextNumber(tenant);
        if (assignment.incident() >= next) {
            store.put(nextKey(tenant), number(assignment.incident() + 1));
        }
        context.forward(new Record<>(tenant, StreamJson.placement(alert, assignment), record.timestamp()),
                "incidents-sink");
    }

    /** A tenant's correlator, remembering every alert the store holds for it. */
    private Correlator restore(String tenant) {
        Correlator correlator = new Correlator(policy, TacticStages.unknown(), Prevalence.none(), nextNumber(tenant));
        Map<Long, Long> merges = new HashMap<>();
        try (KeyValueIterator<String, byte[]> rows = store.prefixScan("m\u0000" + tenant + "\u0000", KEYS)) {
            while (rows.hasNext()) {
                KeyValue<String, byte[]> row = rows.next();
                merges.put(Long.parseLong(row.key.substring(row.key.lastIndexOf('\u0000') + 1)),
                        ByteBuffer.wrap(row.value).getLong());
            }
        }
        List<Map.Entry<Long, Alert>> placed = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> rows = store.prefixScan("a\u0000" + tenant + "\u0000", KEYS)) {
            while (rows.hasNext()) {
                ByteBuffer value = ByteBuffer.wrap(rows.next().value);
                long incident = value.getLong();
                byte[] json = new byte[value.remaining()];
                value.get(json);
                placed.add(Map.entry(root(merges, incident), StreamJson.alert(json)));
            }
        }
        placed.sort(Comparator.comparingLong((Map.Entry<Long, Alert> e) -> e.getValue().timeMicros())
                .thenComparing(e -> e.getValue().id()));
        for (Map.Entry<Long, Alert> entry : placed) {
            correlator.remember(entry.getValue(), entry.getKey(), false);
        }
        return correlator;
    }

    private static long root(Map<Long, Long> merges, long incident) {
        long current = incident;
        for (int hops = 0; merges.containsKey(current) && hops < 10_000; hops++) {
            current = merges.get(current);
        }
        return current;
    }

    private long nextNumber(String tenant) {
        byte[] value = store.get(nextKey(tenant));
        return value == null ? 1 : ByteBuffer.wrap(value).getLong();
    }

    private static byte[] placed(long incident, byte[] alertJson) {
        return ByteBuffer.allocate(8 + alertJson.length).putLong(incident).put(alertJson).array();
    }

    private static byte[] number(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    // Keys are "kind NUL tenant NUL id": a tenant's rows of a kind share a prefix (tenant ids hold no NUL).
    private static String alertKey(String tenant, String alertId) {
        return "a\u0000" + tenant + "\u0000" + alertId;
    }

    private static String mergeKey(String tenant, long incident) {
        return "m\u0000" + tenant + "\u0000" + incident;
    }

    private static String nextKey(String tenant) {
        return "n\u0000" + tenant;
    }
}
