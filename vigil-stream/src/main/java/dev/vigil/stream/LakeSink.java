package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the pipeline's events topic into the lake: a consumer group ({@code stream.application-id} + {@code -lake})
 * reads the events the workers committed ({@code read_committed}), hands them to a {@link LakeWriter}, and commits
 * its offsets only after the writer's files are durable. A sink that dies between the two writes those events again
 * when it or another member takes the partitions over (at least once); the events keep their ids, and compaction
 * keeps one row per id. Run as many sinks as the events topic has partitions to share the work; each commit writes
 * one file per tenant, table and day, at most every {@code ingest.commit-records} events or every
 * {@link #COMMIT_EVERY}.
 */
public final class LakeSink implements AutoCloseable {
    /** How long events wait at most before they are written. */
    static final Duration COMMIT_EVERY = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);

    private final StreamSettings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final LakeWriter writer;
    private final int commitRecords;
    private final List<Event> pending = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private long firstPendingNanos;

    public LakeSink(StreamSettings settings, LakeLayout layout) {
        this.settings = requireNonNull(settings, "settings is null");
        requireNonNull(layout, "layout is null");
        this.commitRecords = settings.limits().commitRecords();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(settings));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.writer = new LakeWriter(layout);
    }

    /** The consumer group of the sinks of a pipeline. */
    public static String groupId(StreamSettings settings) {
        return settings.applicationId() + "-lake";
    }

    /**
     * Reads and writes until {@link #close} is called from another thread (or a failure): creates the pipeline's
     * topics when missing, then polls. What was read when it stops is written and committed before it returns.
     *
     * @throws dev.vigil.model.VigilException {@code BROKER_UNAVAILABLE} when no broker answers at start,
     *     {@code LAKE_FAILED} when the lake cannot be written (the offsets are then not committed)
     */
    public void run() {
        Brokers.ensureTopics(settings);
        consumer.subscribe(List.of(settings.topics().events()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                flush(); // what was read from them is written and committed before another member takes them
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // nothing to do: reading resumes from the group's committed offsets
            }
        });
        try {
            while (!stopped.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (pending.isEmpty()) {
                        firstPendingNanos = System.nanoTime();
                    }
                    pending.add(StreamJson.event(record.value()));
                }
                if (pending.size() >= commitRecords || !pending.isEmpty()
                        && System.nanoTime() - firstPendingNanos >= COMMIT_EVERY.toNanos()) {
                    flush();
                }
            }
        } finally {
            flush();
            consumer.close(Duration.ofSeconds(10));
            writer.close();
        }
    }

    /** Writes what was read, then commits the offsets read so far. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        writer.append(new EventSink.Batch(List.copyOf(pending), List.of()));
        writer.commit();
        written.addAndGet(pending.size());
        pending.clear();
        consumer.commitSync();
        LOG.atDebug().addKeyValue("events", written.get()).log("events written to the lake");
    }

    /** Events written to the lake so far. */
    public long written() {
        return written.get();
    }

    /**
     * Stops {@link #run} (safe from any thread; the consumer itself stays on run's thread): within one poll it writes
     * and commits what it read, then returns.
     */
    @Override
    public void close() {
        stopped.set(true);
    }
}
