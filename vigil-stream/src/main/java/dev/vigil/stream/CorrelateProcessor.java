package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.Correlator;
import dev.vigil.incident.Prevalence;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
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
 * commits with the output (exactly-once): the store holds the placed alerts with their incident, the merges, the
 * next incident number and the latest alert time per tenant. Placed alerts are kept for twice the progression window
 * (in alert time) behind the tenant's latest, then pruned, which bounds the store by the activity of that
 * window. When a task starts (a first start, a restart, a rebalance that moved it here), a
 * tenant's correlator is rebuilt on its first alert by remembering its placed alerts in time order, as the embedded
 * store does from its tables. An alert already placed (the same id delivered again) is not placed twice.
 *
 * <p>Unlike the embedded pipeline, the stream has no stored events to learn which entities are common in the
 * organization (the prevalence baseline) and no ATT&amp;CK knowledge for tactic progression: it correlates on shared
 * entities and the join window, and learns prevalence from the alerts themselves.
 */
final class CorrelateProcessor implements Processor<String, Alert, String, Object> {
    private static final StringSerializer KEYS = new StringSerializer();

    /** How often placed alerts past retention are deleted from the store. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final CorrelationPolicy policy;
    /** Placed alerts are kept this long (in alert time) behind a tenant's latest: twice the progression window. */
    private final long retainMicros;
    private final Map<String, Correlator> correlators = new HashMap<>();
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<String, Object> context;

    CorrelateProcessor(CorrelationPolicy policy) {
        this.policy = requireNonNull(policy, "policy is null");
        this.retainMicros = 2 * policy.progressionWindow().toNanos() / 1000;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(PipelineTopology.CORRELATION_STORE);
        correlators.clear(); // a revived task starts over from its store
        context.schedule(PRUNE_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> prune());
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
        store.put(alertKey, placed(assignment.incident(), alert.timeMicros(), StreamJson.alert(alert)));
        if (alert.timeMicros() > latest(tenant)) {
            store.put(latestKey(tenant), number(alert.timeMicros()));
        }
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
        // alerts older than the progression window behind the latest can no longer be joined: not worth remembering
        long horizon = latest(tenant) - policy.progressionWindow().toNanos() / 1000;
        try (KeyValueIterator<String, byte[]> rows = store.prefixScan("a\u0000" + tenant + "\u0000", KEYS)) {
            while (rows.hasNext()) {
                ByteBuffer value = ByteBuffer.wrap(rows.next().value);
                long incident = value.getLong();
                if (value.getLong() < horizon) {
                    continue;
                }
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

    /**
     * Deletes the placed alerts of every tenant that lie more than the retention behind its latest alert. An alert
     * delivered again after that is placed again: a sink keeping the first placement per alert id stays right.
     */
    private void prune() {
        List<String> tenants = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> rows = store.prefixScan("t\u0000", KEYS)) {
            rows.forEachRemaining(row -> tenants.add(row.key.substring(2)));
        }
        for (String tenant : tenants) {
            long cutoff = latest(tenant) - retainMicros;
            List<String> old = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> rows = store.prefixScan("a\u0000" + tenant + "\u0000", KEYS)) {
                while (rows.hasNext()) {
                    KeyValue<String, byte[]> row = rows.next();
                    if (ByteBuffer.wrap(row.value).getLong(8) < cutoff) {
                        old.add(row.key);
                    }
                }
            }
            old.forEach(store::delete);
        }
    }

    private long latest(String tenant) {
        byte[] value = store.get(latestKey(tenant));
        return value == null ? Long.MIN_VALUE / 2 : ByteBuffer.wrap(value).getLong();
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

    /** A placed alert's value: its incident, its time, its JSON. */
    private static byte[] placed(long incident, long timeMicros, byte[] alertJson) {
        return ByteBuffer.allocate(16 + alertJson.length).putLong(incident).putLong(timeMicros).put(alertJson)
                .array();
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

    private static String latestKey(String tenant) {
        return "t\u0000" + tenant;
    }
}
