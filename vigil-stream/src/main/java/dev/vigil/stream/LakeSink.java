package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.lake.LakeFile;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the pipeline's events topic into the Parquet lake: a consumer ({@code read_committed}, so aborted
 * transactions of a crashed worker never reach the lake) that hands the events to a {@link LakeWriter} and commits
 * in batches ({@link SinkSettings}), so that each commit makes one large file per tenant, table and day.
 *
 * <p><b>Nothing acknowledged is lost.</b> The consumer offsets of a batch are committed only after the writer's
 * files are durable (complete and renamed into place). A sink that dies before that leaves the offsets where they
 * were, and whoever takes its partitions reads the batch again.
 *
 * <p><b>Nothing is stored twice.</b> Reading a batch again must not add its events a second time when the crash came
 * after some of its files were in place. Before it writes a batch, the sink commits the offsets it already had,
 * unchanged, with metadata naming the last offset of each partition it is about to write
 * ({@value #IN_DOUBT}{@code N}); after the files are in place it commits the new offsets with that mark removed. So
 * the committed offsets themselves tell a sink that starts on a partition which records a previous owner may have
 * written without acknowledging them. Only for those records (one batch at most) does it look up the event ids in
 * the partitions of the lake they belong to, and it writes only the events the lake does not hold yet. Event ids are
 * derived from the data ({@link StreamJson}), so a record read again has the same id.
 *
 * <p>This was chosen over file names derived from offset ranges (a batch written again replaces its files) because
 * batches read again need not end where they ended before (the limits are size and time), compaction may have merged
 * some of the batch's files into others meanwhile, and object storage cannot rename; and over removing duplicates in
 * every query, which would make every hunt pay for a rare crash. The lookups cost nothing while no sink crashes.
 * Within one batch the sink keeps the first event per id; an event that reaches the topic twice in different
 * batches (a sender that sent its files again) is stored twice until compaction, which keeps one row per id.
 *
 * <p>Confined to the thread that calls {@link #run}; {@link #stop} may be called from any thread.
 */
public final class LakeSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);

    /** The commit metadata of a partition whose records up to N may be in the lake without their offset committed. */
    static final String IN_DOUBT = "vigil-lake-sink:in-doubt-through=";

    /**
     * What the sink has done since it started.
     *
     * @param events events written into the lake
     * @param alreadyStored events read again after a crash and found in the lake already, so not written again
     * @param duplicates events whose id came twice within one batch, written once
     * @param unreadable records on the topic that are not event JSON (no Vigil worker wrote them), skipped
     * @param commits batches committed
     * @param files Parquet files written
     * @param bytes bytes of those files
     */
    public record Progress(long events, long alreadyStored, long duplicates, long unreadable, int commits, int files,
            long bytes, double seconds) {
        public double eventsPerSecond() {
            return seconds <= 0 ? 0 : events / seconds;
        }
    }

    /** Told after each commit. */
    public interface Listener {
        Listener NONE = (progress, files) -> { };

        void committed(Progress progress, List<LakeFile> files);
    }

    /** The steps of one commit, in order; tests stop a sink after each to prove it crash-safe. */
    enum Step { MARKED, WRITTEN, COMMITTED }

    /** Called after each step of a commit; a test's hook halts the JVM there. */
    interface StepHook {
        StepHook NONE = (step, commit) -> { };

        void after(Step step, int commit);
    }

    private final StreamSettings stream;
    private final SinkSettings sink;
    private final LakeWriter writer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final StepHook hook;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** Per assigned partition: the offset committed for it (where a batch of it starts). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** Per assigned partition: the last offset a previous owner may have written without committing it. */
    private final Map<TopicPartition, Long> inDoubtThrough = new HashMap<>();
    /** Per partition in the open batch: its last offset in it. */
    private final Map<TopicPartition, Long> batchLast = new LinkedHashMap<>();
    private final List<Event> inDoubtEvents = new ArrayList<>();
    private final Set<EventId> batchIds = new HashSet<>();
    private int batchRecords;
    private int batchEvents;
    private long batchBytes;
    private long batchStarted;
    private long lastRecord;

    private final long started = System.nanoTime();
    private long events;
    private long alreadyStored;
    private long duplicates;
    private long unreadable;
    private int commits;
    private int files;
    private long bytes;

    /**
     * A sink of the events topic of {@code stream} into the lake. Checks that a broker answers (creating the
     * pipeline's topics if missing), then subscribes at the first {@link #run}.
     *
     * @param overrides consumer settings of its own on top of Vigil's (security settings, a shorter session timeout)
     * @throws dev.vigil.model.VigilException {@code BROKER_UNAVAILABLE} when no broker answers at the address
     */
    public LakeSink(StreamSettings stream, SinkSettings sink, LakeLayout layout, Map<String, Object> overrides) {
        this(stream, sink, layout, overrides, StepHook.NONE);
    }

    LakeSink(StreamSettings stream, SinkSettings sink, LakeLayout layout, Map<String, Object> overrides,
            StepHook hook) {
        this.stream = requireNonNull(stream, "stream is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.hook = requireNonNull(hook, "hook is null");
        requireNonNull(layout, "layout is null");
        Brokers.ensureTopics(stream);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stream.bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, sink.groupId());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(5_000, sink.commitRecords()));
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) stream.connectTimeout().toMillis());
        config.putAll(requireNonNull(overrides, "overrides is null"));
        this.writer = new LakeWriter(layout);
        try {
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /**
     * Consumes and writes until {@link #stop} is called or, when {@code stopWhenIdle} is given, no record has come for
     * that long while it held partitions; then commits what it holds and returns what it did.
     */
    public Progress run(Duration stopWhenIdle, Listener listener) {
        requireNonNull(listener, "listener is null");
        consumer.subscribe(List.of(stream.topics().events()), new Rebalance(listener));
        lastRecord = System.nanoTime();
        try {
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                if (!records.isEmpty()) {
                    lastRecord = System.nanoTime();
                    add(records);
                }
                if (batchRecords >= sink.commitRecords() || batchBytes >= sink.commitBytes()
                        || batchRecords > 0 && System.nanoTime() - batchStarted >= sink.commitInterval().toNanos()) {
                    commit(listener);
                    lastRecord = System.nanoTime(); // idle is time spent waiting, not writing
                }
                if (stopWhenIdle != null && records.isEmpty() && !consumer.assignment().isEmpty()
                        && System.nanoTime() - lastRecord >= stopWhenIdle.toNanos()) {
                    break;
                }
            }
            commit(listener);
        } catch (WakeupException e) {
            commit(listener); // stopped while committing offsets: finish the batch
        }
        return progress();
    }

    /** Makes {@link #run} commit what it holds and return; from any thread. */
    public void stop() {
        stopping.set(true);
        consumer.wakeup();
    }

    public Progress progress() {
        return new Progress(events, alreadyStored, duplicates, unreadable, commits, files, bytes,
                (System.nanoTime() - started) / 1e9);
    }

    private void add(ConsumerRecords<String, byte[]> records) {
        List<Event> fresh = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (batchRecords == 0) {
                batchStarted = System.nanoTime();
            }
            batchLast.put(partition, record.offset());
            batchRecords++;
            batchBytes += record.value() == null ? 0 : record.value().length;
            Event event;
            try {
                event = StreamJson.event(record.value());
            } catch (RuntimeException e) {
                unreadable++;
                LOG.atWarn().log("skipped {}-{}@{}: not an event of the pipeline ({}); no Vigil worker wrote it",
                        record.topic(), record.partition(), record.offset(), e.toString());
                continue;
            }
            if (!batchIds.add(event.id())) {
                duplicates++;
                continue;
            }
            Long doubt = inDoubtThrough.get(partition);
            if (doubt != null && record.offset() <= doubt) {
                inDoubtEvents.add(event);
            } else {
                fresh.add(event);
            }
        }
        if (!fresh.isEmpty()) {
            writer.append(new EventSink.Batch(fresh, List.of()));
            batchEvents += fresh.size();
        }
    }

    /** Marks the batch in doubt, writes its files, then commits its offsets; a commit that fails drops the batch. */
    private void commit(Listener listener) {
        if (batchLast.isEmpty()) {
            return;
        }
        int commit = commits + 1;
        try {
            Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
            batchLast.forEach((partition, last) -> marks.put(partition, new OffsetAndMetadata(
                    committed.get(partition), IN_DOUBT + Math.max(last, inDoubtThrough.getOrDefault(partition, -1L)))));
            consumer.commitSync(marks);
            hook.after(Step.MARKED, commit);

            if (!inDoubtEvents.isEmpty()) {
                Set<String> stored = writer.alreadyStored(inDoubtEvents);
                List<Event> missing = new ArrayList<>();
                for (Event event : inDoubtEvents) {
                    if (!stored.contains(event.id().toString())) {
                        missing.add(event);
                    }
                }
                alreadyStored += inDoubtEvents.size() - missing.size();
                batchEvents += missing.size();
                LOG.atInfo().log("{} events read again after a sink stopped mid-commit: {} were in the lake already",
                        inDoubtEvents.size(), inDoubtEvents.size() - missing.size());
                if (!missing.isEmpty()) {
                    writer.append(new EventSink.Batch(missing, List.of()));
                }
            }
            List<LakeFile> written = writer.flush();
            hook.after(Step.WRITTEN, commit);

            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            batchLast.forEach((partition, last) -> {
                Long doubt = inDoubtThrough.get(partition);
                done.put(partition, new OffsetAndMetadata(last + 1, doubt != null && doubt > last ? IN_DOUBT + doubt
                        : ""));
            });
            consumer.commitSync(done);
            done.forEach((partition, offset) -> {
                committed.put(partition, offset.offset());
                if (offset.metadata().isEmpty()) {
                    inDoubtThrough.remove(partition);
                }
            });
            commits = commit;
            events += batchEvents;
            files += written.size();
            for (LakeFile file : written) {
                bytes += Math.max(0, file.bytes());
            }
            clearBatch();
            hook.after(Step.COMMITTED, commit);
            listener.committed(progress(), written);
        } catch (CommitFailedException e) {
            // the group took the partitions away (this sink stalled past max.poll.interval.ms): whoever has them now
            // reads the batch again from the committed offsets, the in-doubt mark included
            LOG.atWarn().log("the sink lost its partitions before it could commit; their new owner writes them: {}",
                    e.getMessage());
            abandonBatch();
        }
    }

    private void clearBatch() {
        batchLast.clear();
        inDoubtEvents.clear();
        batchIds.clear();
        batchRecords = 0;
        batchBytes = 0;
        batchEvents = 0;
    }

    /** Forgets the open batch and rewinds the partitions still assigned to where it started. */
    private void abandonBatch() {
        writer.discard();
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition partition : batchLast.keySet()) {
            if (assigned.contains(partition) && committed.containsKey(partition)) {
                consumer.seek(partition, committed.get(partition));
            }
        }
        clearBatch();
    }

    /** Commits before partitions go, and reads where each partition starts (and what is in doubt) when they come. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final Listener listener;

        Rebalance(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.stream().anyMatch(batchLast::containsKey)) {
                commit(listener);
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.stream().anyMatch(batchLast::containsKey)) {
                abandonBatch();
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            lastRecord = System.nanoTime(); // idle counts from when there is something to read
            Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(Set.copyOf(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = offsets.get(partition);
                if (offset == null) {
                    committed.put(partition, consumer.position(partition));
                    continue;
                }
                committed.put(partition, offset.offset());
                String metadata = offset.metadata();
                if (metadata != null && metadata.startsWith(IN_DOUBT)) {
                    long through = Long.parseLong(metadata.substring(IN_DOUBT.length()));
                    inDoubtThrough.put(partition, through);
                    LOG.atInfo().log("{}: offsets {} to {} may be in the lake already (a sink stopped mid-commit);"
                            + " their events are looked up before they are written", partition, offset.offset(),
                            through);
                }
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                committed.remove(partition);
                inDoubtThrough.remove(partition);
            }
        }
    }

    /** Stops consuming (without committing: call {@link #stop} and let {@link #run} return first) and closes. */
    @Override
    public void close() {
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
        } finally {
            writer.close();
        }
    }
}
