package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Inputs;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.RecordReader;
import dev.vigil.ingest.SourceSplitter;
import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.AlertSink;
import dev.vigil.sigma.DetectingSink;
import dev.vigil.sigma.Detector;
import dev.vigil.sigma.EventDetector;
import dev.vigil.store.TenantStore;
import dev.vigil.config.LakeSettings;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.Event;
import dev.vigil.stream.ContentPublisher;
import dev.vigil.stream.LakeSink;
import dev.vigil.stream.SinkSettings;
import dev.vigil.stream.StreamJson;
import dev.vigil.stream.FileSender;
import dev.vigil.stream.StreamSettings;
import dev.vigil.stream.StreamWorker;
import dev.vigil.stream.TenantContent;
import dev.vigil.stream.Topics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The scale-out pipeline's throughput against the embedded pipeline, on the same records in the same run.
 *
 * <p>The sample (the first {@code sampleBytes} of JSON records under the paths, OTRF by default) is written once as
 * NDJSON, then:
 * <ol>
 *   <li><b>embedded, in memory</b> (the baseline): {@code Ingestor} reads, parses, normalizes and runs the tenant's
 *       Sigma rules, into a sink that counts: the core's work with nothing stored;</li>
 *   <li><b>embedded, into DuckDB</b>: the same into a fresh store, as {@code vigil ingest} does;</li>
 *   <li><b>send</b>: {@code vigil stream send}'s work, into the raw topic, acknowledged by the broker;</li>
 *   <li><b>Kafka pipeline, P partitions</b>: a worker with P stream threads parses, normalizes, detects and
 *       correlates the raw topic with {@code exactly_once_v2}, writing events, alerts and incidents back to the
 *       broker. Timed from the worker's first RUNNING state to the moment its committed offsets reach the end of
 *       the raw topic and of the alerts topic, counting from its first commit: group join, restoring the config
 *       table and compiling the rules are start-up costs, left out; every record counted is committed downstream.
 *       </li>
 *   <li><b>lake writer alone</b> and <b>lake sink</b>: the last run's events into a Parquet lake, by a
 *       {@code LakeWriter} from memory and by a {@code LakeSink} from the events topic, in commits of the same size,
 *       each timed from its first commit to its last.</li>
 * </ol>
 * The broker is a one-node KRaft cluster in this JVM unless a bootstrap address is given; it shares the machine's
 * cores with the worker, as a small deployment's would not.
 */
public final class KafkaPipelineBenchmark {
    static final TenantId TENANT = TenantId.of("bench");

    /**
     * @param paths what to sample (folders, archives, files of JSON records)
     * @param sampleBytes how many bytes of records to sample
     * @param rules Sigma rule folders the tenant runs
     * @param partitions the partition counts to measure, each with as many stream threads
     * @param bootstrap an existing cluster, or null for one in this JVM
     */
    public record Options(List<String> paths, long sampleBytes, List<Path> rules, List<Integer> partitions,
            String bootstrap) {
        public Options {
            paths = List.copyOf(paths);
            rules = List.copyOf(rules);
            partitions = List.copyOf(partitions);
        }
    }

    /** One measured configuration: records per second, per partition, and the ratio to the in-memory baseline. */
    public record Measurement(String name, int partitions, long records, double seconds, double recordsPerSecond,
            double ratio) {
        public double perPartition() {
            return partitions == 0 ? recordsPerSecond : recordsPerSecond / partitions;
        }
    }

    public record Report(long records, long sampleBytes, int rules, String broker, List<Measurement> measurements) {}

    private final Options options;
    private final PrintWriter progress;
    private StreamSettings lastRun;

    public KafkaPipelineBenchmark(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws Exception {
        Path work = Files.createTempDirectory("vigil-bench-kafka");
        try {
            Path sample = work.resolve("sample.ndjson");
            long[] sampled = writeSample(sample);
            Map<String, String> ruleFiles = ruleFiles();
            TenantContent content = new TenantContent(ruleFiles, Map.of());
            TenantContent.Compiled compiled = content.compile(TENANT, Instant.now());
            progress.printf(Locale.ROOT, "bench: %,d records (%,d bytes) sampled, %,d Sigma rules active%n",
                    sampled[0], sampled[1], compiled.ruleCount());
            List<Measurement> measurements = new ArrayList<>();
            double baseline = embedded(sample, compiled.detectors(), null);
            measurements.add(new Measurement("embedded: parse + normalize + detect, in memory", 0, sampled[0],
                    sampled[0] / baseline, baseline, 1.0));
            double stored = embedded(sample, compiled.detectors(), work.resolve("store"));
            measurements.add(new Measurement("embedded: parse + normalize + detect into DuckDB", 0, sampled[0],
                    sampled[0] / stored, stored, stored / baseline));
            progress.printf(Locale.ROOT, "bench: embedded %,.0f records/s in memory, %,.0f into DuckDB%n", baseline,
                    stored);
            String broker;
            try (Cluster cluster = Cluster.of(options.bootstrap())) {
                broker = cluster.description;
                for (int partitions : options.partitions()) {
                    measurements.addAll(kafka(cluster.bootstrap, partitions, sample, content, sampled[0], baseline,
                            work.resolve("state-" + partitions)));
                }
                measurements.addAll(lake(lastRun, work, baseline));
            }
            return new Report(sampled[0], sampled[1], compiled.ruleCount(), broker, measurements);
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private List<Measurement> kafka(String bootstrap, int partitions, Path sample, TenantContent content, long records,
            double baseline, Path stateDir) throws Exception {
        String name = "bench-" + partitions + "-" + Long.toHexString(System.nanoTime());
        StreamSettings settings = StreamSettings.from(VigilConfig.defaults(), bootstrap)
                .withTopics(Topics.withPrefix(name + ".")).withApplicationId(name).withPartitions(partitions)
                .withThreads(partitions).withStateDir(stateDir);
        ContentPublisher.publish(settings, TENANT, content);
        FileSender.Summary sent;
        try (FileSender sender = new FileSender(settings, TENANT, Format.AUTO, Clock.systemUTC(),
                new ByteArrayInputStream(new byte[0]))) {
            sent = sender.send(List.of(sample.toString()));
        }
        List<Measurement> out = new ArrayList<>();
        out.add(new Measurement("send to the raw topic, " + partitions + " partition(s)", partitions, sent.records(),
                sent.seconds(), sent.recordsPerSecond(), sent.recordsPerSecond() / baseline));
        double seconds;
        long counted;
        try (StreamWorker worker = StreamWorker.start(settings);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // timed from the first commit: compiling the rules and restoring the config table are start-up costs
            long[] first = waitForFirstCommit(admin, name, settings.topics().raw());
            waitUntilConsumed(admin, name, settings.topics().raw());
            waitUntilConsumed(admin, name, settings.topics().alerts());
            seconds = (System.nanoTime() - first[0]) / 1e9;
            counted = records - first[1];
        }
        lastRun = settings;
        double rate = counted / seconds;
        progress.printf(Locale.ROOT, "bench: Kafka pipeline, %d partition(s): %,.0f records/s (send %,.0f/s)%n",
                partitions, rate, sent.recordsPerSecond());
        out.add(new Measurement("Kafka pipeline, " + partitions + " partition(s) / stream thread(s)", partitions,
                counted, seconds, rate, rate / baseline));
        return out;
    }

    /**
     * The lake sink draining the last run's events topic into a lake, against the lake writer alone writing the same
     * events (read from the topic beforehand, held in memory) in commits of the same size, in this run. Both are
     * timed from their first commit to their last, so the sink's group join and the writer's start are left out.
     */
    private List<Measurement> lake(StreamSettings settings, Path work, double baseline) {
        List<Event> events = new ArrayList<>();
        long readStart = 0;
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            String topic = settings.topics().events();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                var records = consumer.poll(java.time.Duration.ofMillis(200));
                if (readStart == 0 && !records.isEmpty()) {
                    readStart = System.nanoTime();
                }
                records.forEach(r -> events.add(StreamJson.event(r.value())));
            }
        }
        double readRate = events.size() / ((System.nanoTime() - readStart) / 1e9);
        int perCommit = Math.max(1_000, events.size() / 8);
        long[] writer = new long[2]; // events after the first commit, nanoseconds from the first commit to the last
        try (LakeWriter lakeWriter = new LakeWriter(new LakeLayout(LakeSettings.local(work.resolve("lake-writer")
                .toString())))) {
            long first = 0;
            for (int from = 0; from < events.size(); from += perCommit) {
                List<Event> batch = events.subList(from, Math.min(events.size(), from + perCommit));
                lakeWriter.append(new EventSink.Batch(batch, List.of()));
                lakeWriter.commit();
                if (from == 0) {
                    first = System.nanoTime();
                } else {
                    writer[0] += batch.size();
                }
            }
            writer[1] = System.nanoTime() - first;
        }
        long[] sink = new long[4]; // first commit's events and time, last commit's events and time
        SinkSettings sinkSettings = SinkSettings.from(VigilConfig.defaults()).withGroupId(settings.applicationId()
                + "-lake").withCommitRecords(perCommit);
        try (LakeSink lakeSink = new LakeSink(settings, sinkSettings, new LakeLayout(LakeSettings.local(
                work.resolve("lake-sink").toString())), Map.of())) {
            lakeSink.run(java.time.Duration.ofSeconds(3), (p, files) -> {
                if (sink[1] == 0) {
                    sink[0] = p.events();
                    sink[1] = System.nanoTime();
                }
                sink[2] = p.events();
                sink[3] = System.nanoTime();
            });
        }
        double writerRate = writer[0] / (writer[1] / 1e9);
        if (sink[2] != events.size()) {
            throw new IllegalStateException("the lake sink wrote " + sink[2] + " of the topic's " + events.size()
                    + " events");
        }
        if (sink[3] == sink[1]) {
            throw new IllegalStateException("the lake sink committed once: sample more records to time it");
        }
        double sinkRate = (sink[2] - sink[0]) / ((sink[3] - sink[1]) / 1e9);
        progress.printf(Locale.ROOT, "bench: %,d events into the lake, %,d per commit: writer alone %,.0f events/s,"
                + " sink from the events topic %,.0f events/s%n", events.size(), perCommit, writerRate, sinkRate);
        return List.of(
                new Measurement("read the events topic and decode its JSON, one consumer (events/s)", 0,
                        events.size(), events.size() / readRate, readRate, readRate / baseline),
                new Measurement("lake writer alone, " + perCommit + " events per commit (events/s)", 0, writer[0],
                        writer[1] / 1e9, writerRate, writerRate / baseline),
                new Measurement("lake sink from the events topic, " + perCommit + " events per commit (events/s)",
                        0, sink[2] - sink[0], (sink[3] - sink[1]) / 1e9, sinkRate, sinkRate / baseline));
    }

    /** Waits for the group's first commit on the topic; returns when it was seen and the records it covered. */
    private static long[] waitForFirstCommit(Admin admin, String group, String topic) throws Exception {
        while (true) {
            long sum = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get().entrySet()) {
                if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
                    sum += entry.getValue().offset();
                }
            }
            if (sum > 0) {
                return new long[] {System.nanoTime(), sum};
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the group's committed offsets (committed with its output, exactly once) reach the topic's end. */
    private static void waitUntilConsumed(Admin admin, String group, String topic) throws Exception {
        while (true) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            boolean done = true;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                // the last committed offset may sit just past a transaction marker, never before the last record
                if (end.getValue().offset() > 0 && (at == null || at.offset() < end.getValue().offset())) {
                    done = false;
                }
            }
            if (done) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** The embedded pipeline's records per second over the sample: in memory when {@code store} is null. */
    private double embedded(Path sample, List<EventDetector> detectors, Path store) {
        Clock clock = Clock.systemUTC();
        Ingestor.Options ingest = new Ingestor.Options(TENANT, Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                IngestLimits.DEFAULTS, ZoneOffset.UTC);
        Detector detector = detectors.stream().filter(Detector.class::isInstance).map(Detector.class::cast)
                .findFirst().orElse(null);
        List<EventDetector> others = detectors.stream().filter(d -> !(d instanceof Detector)).toList();
        IngestSummary summary;
        if (store == null) {
            CountingSink sink = new CountingSink();
            DetectingSink<CountingSink> detecting = new DetectingSink<>(sink, detector, others);
            summary = new Ingestor(ingest, Normalizer.standard(clock), detecting, Ingestor.ProgressListener.NONE,
                    clock, new ByteArrayInputStream(new byte[0])).ingest(List.of(sample.toString()));
            detecting.finish();
        } else {
            try (TenantStore tenantStore = TenantStore.open(store, TENANT, TenantStore.Mode.READ_WRITE)) {
                DetectingSink<TenantStore> detecting = new DetectingSink<>(tenantStore, detector, others);
                summary = new Ingestor(ingest, Normalizer.standard(clock), detecting, Ingestor.ProgressListener.NONE,
                        clock, new ByteArrayInputStream(new byte[0])).ingest(List.of(sample.toString()));
                detecting.finish();
            }
        }
        return summary.read() / summary.seconds();
    }

    /** Writes the first {@code sampleBytes} of records under the paths as NDJSON; returns records and bytes. */
    private long[] writeSample(Path sample) throws IOException {
        long[] written = new long[2];
        SourceSplitter splitter = new SourceSplitter(Format.AUTO, IngestDefaults.DEFAULT_TABLE, IngestLimits.DEFAULTS,
                ZoneOffset.UTC);
        try (OutputStream out = Files.newOutputStream(sample)) {
            Inputs inputs = new Inputs((name, reason) -> { }, new ByteArrayInputStream(new byte[0]));
            try {
                inputs.walk(options.paths(), (name, in) -> {
                    if (written[1] >= options.sampleBytes()) {
                        return;
                    }
                    if (splitter.open(name, in) instanceof SourceSplitter.Split split) {
                        try (split) {
                            if (!(split.spec() instanceof dev.vigil.ingest.ParserSpec.Json)) {
                                return; // NDJSON holds JSON records only
                            }
                            RecordReader reader = split.reader();
                            while (written[1] < options.sampleBytes()) {
                                var record = reader.next();
                                if (record == null) {
                                    break;
                                }
                                if (record.text().indexOf('\n') >= 0) {
                                    continue;
                                }
                                out.write(record.bytes());
                                out.write('\n');
                                written[0]++;
                                written[1] += record.length();
                            }
                        } catch (RecordReader.Oversized skipped) {
                            // an over-long record ends this source's part of the sample
                        }
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return written;
    }

    private Map<String, String> ruleFiles() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (Path root : options.rules()) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    try {
                        dev.vigil.sigma.SigmaParser.parse(text, file.toString());
                        files.put(file.toString(), text);
                    } catch (dev.vigil.sigma.SigmaRuleException e) {
                        // a rule the engine refuses is left out of both sides alike
                    }
                }
            }
        }
        return files;
    }

    /** The rule folder the benchmark runs by default: SigmaHQ's Windows rules (most of the sample is Windows). */
    public static List<Path> defaultRules() {
        Path sigma = Path.of(System.getProperty("vigil.shared.data",
                System.getenv().getOrDefault("VIGIL_SHARED_DATA", "../shared/data"))).resolve("sigma");
        return Stream.of(sigma.resolve("rules").resolve("windows")).filter(Files::isDirectory).toList();
    }

    /** A store that keeps nothing: the in-memory baseline. */
    private static final class CountingSink implements EventSink, AlertSink {
        long events;
        long alerts;

        @Override
        public Result append(Batch batch) {
            events += batch.events().size();
            return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
        }

        @Override
        public void commit() {}

        @Override
        public int appendAlerts(List<Alert> list) {
            alerts += list.size();
            return list.size();
        }
    }

    /** The broker to measure against: the one given, or a one-node KRaft cluster started here. */
    private static final class Cluster implements AutoCloseable {
        final String bootstrap;
        final String description;
        final KafkaClusterTestKit kit;

        private Cluster(String bootstrap, String description, KafkaClusterTestKit kit) {
            this.bootstrap = bootstrap;
            this.description = description;
            this.kit = kit;
        }

        static Cluster of(String bootstrap) throws Exception {
            if (bootstrap != null) {
                return new Cluster(bootstrap, bootstrap, null);
            }
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("message.max.bytes", Integer.toString(64 << 20))
                    .build();
            // the test kit prints its bootstrap metadata to standard output, which carries the report (and --json)
            java.io.PrintStream stdout = System.out;
            System.setOut(System.err);
            try {
                kit.format();
                kit.startup();
                kit.waitForReadyBrokers();
            } finally {
                System.setOut(stdout);
            }
            return new Cluster(kit.bootstrapServers(), "one-node KRaft broker in the benchmark's JVM", kit);
        }

        @Override
        public void close() throws Exception {
            if (kit != null) {
                kit.close();
            }
        }
    }

    /** The report as a Markdown table, as BENCHMARKS.md shows it. */
    public static String markdown(Report report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d records (%,d bytes), %,d Sigma rules, broker: %s, %d cores%n%n",
                report.records(), report.sampleBytes(), report.rules(), report.broker(),
                Runtime.getRuntime().availableProcessors()));
        out.append("| measurement | records/s | per partition | ratio to embedded in memory |\n|---|---:|---:|---:|\n");
        for (Measurement m : report.measurements()) {
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.2f |%n", m.name(), m.recordsPerSecond(),
                    m.partitions() == 0 ? "" : String.format(Locale.ROOT, "%,.0f", m.perPartition()), m.ratio()));
        }
        return out.toString();
    }

    /** {@code java -cp ... dev.vigil.bench.KafkaPipelineBenchmark [--sample-mb N] [--partitions 1,2,4] [PATH...]} */
    public static void main(String[] args) throws Exception {
        long sampleMegabytes = 32;
        List<Integer> partitions = List.of(1, 2, 4);
        String bootstrap = null;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sample-mb" -> sampleMegabytes = Long.parseLong(args[++i]);
                case "--partitions" -> partitions = Stream.of(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--bootstrap" -> bootstrap = args[++i];
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            paths.add(IngestBenchmark.defaultPaths().getFirst());
        }
        PrintWriter err = new PrintWriter(System.err, true);
        Report report = new KafkaPipelineBenchmark(new Options(paths, sampleMegabytes << 20, defaultRules(),
                partitions, bootstrap), err).run();
        System.out.print(markdown(report));
    }
}
