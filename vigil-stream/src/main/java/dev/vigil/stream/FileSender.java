package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.Format;
import dev.vigil.ingest.Inputs;
import dev.vigil.ingest.SourceSplitter;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends files to the pipeline's raw topic: walks paths (folders, archives, standard input) as {@code vigil ingest}
 * does, splits each source into records with the core's {@link SourceSplitter}, numbers byte-identical records
 * within a source as ingest does (so the pipeline derives the same event ids), and writes one {@link RawEnvelope}
 * per record, keyed by tenant.
 *
 * <p>Parsing, normalizing and detecting hold no state, so the records of one tenant are spread over every partition
 * of the raw topic in runs of {@value #RUN} records: every worker gets a share of a big import. Records over
 * {@code ingest.max-record-bytes} and sources refused whole (binary, unsupported formats) are sent as refusals, so
 * they reach the quarantine topic. The producer is idempotent and waits for every in-sync replica; a record counts as
 * sent only once the broker has acknowledged it. Sending the same files again is harmless downstream: the events keep
 * their ids.
 */
public final class FileSender implements AutoCloseable {
    static final int RUN = 512;

    private final StreamSettings settings;
    private final TenantId tenant;
    private final Envelopes envelopes;
    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;
    private final InputStream stdin;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private int partitions;
    private int partition;
    private int inRun;

    /** What was sent. */
    public record Summary(int sources, long records, long refused, Map<String, String> skipped,
            Map<String, String> failed, double seconds) {
        public Summary {
            skipped = Map.copyOf(skipped);
            failed = Map.copyOf(failed);
        }

        public double recordsPerSecond() {
            return seconds <= 0 ? 0 : records / seconds;
        }
    }

    public FileSender(StreamSettings settings, TenantId tenant, Format format, Clock clock, InputStream stdin) {
        this.settings = requireNonNull(settings, "settings is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.stdin = requireNonNull(stdin, "stdin is null");
        this.envelopes = new Envelopes(tenant, new SourceSplitter(format, settings.defaultTable(), settings.limits(),
                settings.defaultZone()), settings.limits());
        Map<String, Object> config = RawTopicProducer.producerConfig(settings);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends every source under the paths and waits until the broker has acknowledged all of it.
     *
     * @throws VigilException {@code INPUT_NOT_FOUND} for a path that does not exist, {@code BROKER_UNAVAILABLE}
     *     when the brokers do not answer or refuse the records
     */
    public Summary send(List<String> paths) {
        Inputs.checkExist(paths);
        Brokers.ensureTopics(settings);
        long start = System.nanoTime();
        try {
            partitions = producer.partitionsFor(settings.topics().raw()).size();
        } catch (TimeoutException e) {
            throw Brokers.unreachable(settings.bootstrap(), settings.connectTimeout(), e);
        }
        partition = Math.floorMod(tenant.value().hashCode(), partitions);
        Map<String, String> skipped = Collections.synchronizedMap(new java.util.TreeMap<>());
        Map<String, String> failed = new java.util.TreeMap<>();
        long[] counts = new long[2];
        int[] sources = new int[1];
        Inputs inputs = new Inputs(skipped::put, stdin);
        try {
            inputs.walk(paths, (name, in) -> {
                sources[0]++;
                try {
                    String skippedBecause = readSource(name, in, counts);
                    if (skippedBecause != null) {
                        skipped.put(name, skippedBecause);
                    }
                } catch (IOException e) {
                    failed.put(name, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                            + e.getMessage()));
                }
            });
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, "cannot read the input: " + e.getMessage(), e);
        }
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            if (error instanceof TimeoutException) {
                throw Brokers.unreachable(settings.bootstrap(), settings.connectTimeout(), error);
            }
            throw new VigilException(ErrorCode.BROKER_UNAVAILABLE, "Kafka at " + settings.bootstrap()
                    + " did not take every record of the raw topic " + settings.topics().raw() + ": " + error, error);
        }
        return new Summary(sources[0], counts[0], counts[1], skipped, failed, (System.nanoTime() - start) / 1e9);
    }

    /** Sends a source's records; returns why it was skipped, or null. */
    private String readSource(String name, InputStream in, long[] counts) throws IOException {
        return envelopes.split(name, in, envelope -> {
            send(envelope);
            counts[0]++;
            if (envelope.refusal() != null) {
                counts[1]++;
            }
        });
    }

    private void send(RawEnvelope envelope) {
        Exception error = failure.get();
        if (error != null) {
            throw new VigilException(ErrorCode.BROKER_UNAVAILABLE, "Kafka at " + settings.bootstrap()
                    + " refused a record: " + error, error);
        }
        if (++inRun > RUN) {
            inRun = 1;
            partition = (partition + 1) % partitions;
        }
        try {
            producer.send(new ProducerRecord<>(settings.topics().raw(), partition, clock.millis(),
                    tenant.value(), envelope.encode()), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
        } catch (TimeoutException e) {
            throw Brokers.unreachable(settings.bootstrap(), settings.connectTimeout(), e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }
}
