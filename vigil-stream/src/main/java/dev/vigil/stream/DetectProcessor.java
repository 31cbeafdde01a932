package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.EventDetector;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each event's tenant's Sigma rules and indicators over it, as ingest's detecting sink does, and forwards the
 * alerts keyed by tenant. A tenant's content is compiled the first time one of its events arrives and again when its
 * value on the config topic changes (checked every few seconds, not per event); a tenant with no content costs a map
 * lookup per event. Indicators are active or expired as of when the content was compiled.
 */
final class DetectProcessor implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(DetectProcessor.class);
    static final Duration REFRESH = Duration.ofSeconds(5);

    /**
     * Content compiled in this JVM, by tenant and content digest: the stream threads of a worker compile a tenant's
     * rules once, not once per task. A few entries; replaced content ages out as new content comes.
     */
    private static final Map<String, TenantContent.Compiled> COMPILED = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TenantContent.Compiled> eldest) {
                    return size() > 64;
                }
            });

    private final Clock wallClock;
    private final Map<String, Compiled> tenants = new HashMap<>();
    private KeyValueStore<String, byte[]> content;
    private ProcessorContext<String, Object> context;

    DetectProcessor(Clock wallClock) {
        this.wallClock = requireNonNull(wallClock, "wallClock is null");
    }

    /** A tenant's detectors and the content they were compiled from (null: the tenant has none). */
    private record Compiled(byte[] source, List<EventDetector> detectors) {}

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.content = context.getStateStore(PipelineTopology.CONFIG_STORE);
        tenants.clear();
        context.schedule(REFRESH, PunctuationType.WALL_CLOCK_TIME, now -> refresh());
    }

    @Override
    public void process(Record<String, Object> record) {
        Event event = (Event) record.value();
        Compiled compiled = tenants.computeIfAbsent(event.tenant().value(), this::compile);
        if (compiled.detectors().isEmpty()) {
            return;
        }
        List<Event> one = List.of(event);
        for (EventDetector detector : compiled.detectors()) {
            for (Alert alert : detector.detect(one)) {
                context.forward(new Record<>(alert.tenant().value(), alert, record.timestamp()), "alerts-sink");
            }
        }
    }

    private void refresh() {
        tenants.replaceAll((tenant, compiled) -> Arrays.equals(compiled.source(), content.get(tenant)) ? compiled
                : compile(tenant));
    }

    private static String digest(byte[] value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(value));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private Compiled compile(String tenant) {
        byte[] value = content.get(tenant);
        if (value == null) {
            return new Compiled(null, List.of());
        }
        try {
            String key = tenant + "/" + digest(value);
            TenantContent.Compiled compiled = COMPILED.get(key);
            if (compiled == null) {
                compiled = TenantContent.decode(value).compile(TenantId.of(tenant), wallClock.instant());
                COMPILED.put(key, compiled);
                LOG.atInfo().addKeyValue("tenant", tenant).addKeyValue("rules", compiled.ruleCount())
                        .addKeyValue("indicators", compiled.indicatorCount()).log("detection content compiled");
                TenantContent.Compiled logged = compiled;
                logged.problems().forEach(problem -> LOG.atWarn().addKeyValue("tenant", tenant).log(problem));
            }
            return new Compiled(value, compiled.detectors());
        } catch (RuntimeException e) {
            // content that passed `vigil stream publish` but not this worker's engine: events still flow, and the
            // log says which tenant runs without detection until its content is published again
            LOG.atError().addKeyValue("tenant", tenant).setCause(e)
                    .log("tenant content does not compile; its events are not matched until it is published again");
            return new Compiled(value, List.of());
        }
    }
}
