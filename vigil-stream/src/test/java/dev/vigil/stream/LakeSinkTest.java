package dev.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.LakeSettings;
import dev.vigil.config.VigilConfig;
import dev.vigil.ingest.Format;
import dev.vigil.lake.LakeFile;
import dev.vigil.lake.LakeHunts;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.store.HuntRunner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lake sink on a real broker (one in-process KRaft node shared by the class): the events of the pipeline reach the
 * lake, and DuckDB over the lake finds each exactly once, also when a sink dies at any step of a commit.
 */
class LakeSinkTest {
    static final TenantId ACME = TenantId.of("acme");
    /** A sink that dies leaves the group after 6 s (the broker's least session timeout) instead of 45. */
    static final Map<String, Object> FAST_FAILOVER = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    static LocalKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    static SinkSettings sinkSettings(String name) {
        return SinkSettings.from(VigilConfig.defaults()).withGroupId("vigil-sink-" + name)
                .withCommitInterval(Duration.ofSeconds(5));
    }

    @Test
    void writesEveryEventOfThePipelineIntoTheLakeOnce() throws Exception {
        StreamSettings settings = kafka.settings("pipeline", dir.resolve("state"), 2);
        Path file = KafkaPipelineTest.logons(dir.resolve("logons.json"), 3_000);
        try (FileSender sender = new FileSender(settings, ACME, Format.AUTO, Clock.systemUTC(),
                new ByteArrayInputStream(new byte[0]))) {
            sender.send(List.of(file.toString()));
        }
        try (StreamWorker worker = StreamWorker.start(settings)) {
            assertThat(kafka.readCommitted(settings.topics().events(), read -> read.size() >= 3_000,
                    Duration.ofSeconds(90))).hasSize(3_000);
        }
        LakeLayout layout = new LakeLayout(LakeSettings.local(dir.resolve("lake").toString()));
        List<LakeFile> files = new ArrayList<>();
        LakeSink.Progress progress;
        try (LakeSink sink = new LakeSink(settings, sinkSettings("pipeline").withCommitRecords(1_000), layout,
                Map.of())) {
            progress = sink.run(Duration.ofSeconds(3), (p, written) -> files.addAll(written));
        }

        List<String> expected = PipelineTopologyTest.ingest(ACME, file).stream().map(e -> e.id().toString()).toList();
        assertThat(eventIds(layout)).hasSize(3_000).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(progress.events()).isEqualTo(3_000);
        assertThat(progress.commits()).as("1,000 events per commit").isGreaterThanOrEqualTo(3);
        assertThat(files).as("one file per table and day of each commit").hasSize(progress.commits())
                .extracting(f -> f.day().toString()).containsOnly("2024-05-06");
        assertThat(files).allSatisfy(f -> assertThat(Path.of(f.location()).getFileName().toString())
                .startsWith("part-").endsWith(".parquet"));
        try (Stream<Path> all = Files.walk(layout.localRoot())) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
        }
    }

    @Test
    void writesIntoALakeInObjectStorage() throws Exception {
        S3ProxyJunitCore s3 = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2").build();
        s3.beforeEach();
        try {
            try (S3Client client = S3Client.builder().endpointOverride(s3.getUri()).region(Region.US_EAST_1)
                    .forcePathStyle(true).credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
                client.createBucket(b -> b.bucket("lake"));
            }
            StreamSettings settings = kafka.settings("s3", dir.resolve("unused"), 2);
            Brokers.ensureTopics(settings);
            List<Event> events = PipelineTopologyTest.ingest(ACME, KafkaPipelineTest.logons(dir.resolve("logons.json"),
                    3_000));
            produce(settings.topics().events(), events);
            // no keys in the environment variables the settings name: anonymous requests, as S3Proxy here takes
            LakeLayout layout = new LakeLayout(new LakeSettings("s3://lake/vigil", 128L << 20,
                    new LakeSettings.ObjectStorage(s3.getUri().getAuthority(), "us-east-1", "path", false,
                            "VIGIL_TEST_UNSET_KEY_ID", "VIGIL_TEST_UNSET_SECRET"), "local[2]"));
            List<LakeFile> files = new ArrayList<>();
            try (LakeSink sink = new LakeSink(settings, sinkSettings("s3").withCommitRecords(1_000), layout,
                    Map.of())) {
                sink.run(Duration.ofSeconds(3), (p, written) -> files.addAll(written));
            }

            assertThat(files).extracting(LakeFile::location).allMatch(location -> location.startsWith(
                    "s3://lake/vigil/tenant=acme/table="));
            assertThat(files.stream().mapToLong(LakeFile::rows).sum()).isEqualTo(3_000);
            try (LakeWriter reader = new LakeWriter(layout)) {
                assertThat(reader.alreadyStored(events)).as("every event's id, read back from the bucket")
                        .hasSize(3_000);
            }
        } finally {
            s3.afterEach();
        }
    }

    /** Where the first sink dies: right after a step of its second commit, or killed at a moment of the test's choosing. */
    enum Crash { AFTER_MARKING, AFTER_WRITING_BEFORE_OFFSETS, AFTER_OFFSETS, KILLED_MID_RUN }

    @ParameterizedTest
    @EnumSource(Crash.class)
    void aSinkThatDiesAnywhereLosesNothingAndDuplicatesNothing(Crash crash) throws Exception {
        String name = "crash-" + crash.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        StreamSettings settings = kafka.settings(name, dir.resolve("unused"), 2);
        Brokers.ensureTopics(settings);
        List<Event> events = PipelineTopologyTest.ingest(ACME, KafkaPipelineTest.logons(dir.resolve("logons.json"),
                12_000));
        produce(settings.topics().events(), events);
        Path lake = dir.resolve("lake");
        LakeLayout layout = new LakeLayout(LakeSettings.local(lake.toString()));

        Process first = sink(name, lake, 2_000, switch (crash) {
            case AFTER_MARKING -> List.of("MARKED", "2");
            case AFTER_WRITING_BEFORE_OFFSETS -> List.of("WRITTEN", "2");
            case AFTER_OFFSETS -> List.of("COMMITTED", "2");
            case KILLED_MID_RUN -> List.of();
        });
        try {
            if (crash == Crash.KILLED_MID_RUN) {
                awaitFiles(lake, 1, Duration.ofSeconds(90));
                first.destroyForcibly(); // no shutdown hook, no commit
            }
            assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the first sink died").isTrue();
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        List<String> before = eventIds(layout);
        assertThat(before).as("the first sink wrote part of the events").isNotEmpty().hasSizeLessThan(12_000);

        LakeSink.Progress progress;
        try (LakeSink second = new LakeSink(settings, sinkSettings(name).withCommitRecords(5_000), layout,
                FAST_FAILOVER)) {
            progress = second.run(Duration.ofSeconds(3), LakeSink.Listener.NONE);
        }

        assertThat(eventIds(layout)).hasSize(12_000).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(events.stream().map(e -> e.id().toString()).toList());
        assertThat(progress.events() + before.size()).isEqualTo(12_000);
        switch (crash) {
            case AFTER_MARKING -> assertThat(progress.alreadyStored()).as("the files were not written").isZero();
            case AFTER_WRITING_BEFORE_OFFSETS -> assertThat(progress.alreadyStored())
                    .as("the second commit's events were written but not acknowledged").isPositive();
            case AFTER_OFFSETS -> assertThat(progress.alreadyStored()).as("every write was acknowledged").isZero();
            case KILLED_MID_RUN -> { }
        }
    }

    /** The event ids of every table of the tenant, through DuckDB over the lake. */
    static List<String> eventIds(LakeLayout layout) {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(Path.of(layout.tenantLocation(ACME)))) {
            return ids;
        }
        try (LakeHunts hunts = new LakeHunts(layout, ACME)) {
            for (String table : hunts.snapshot().tables().keySet()) {
                HuntRunner.Result result = hunts.run(table + " | project event_id", Map.of(),
                        new HuntRunner.Limits(1_000_000, Duration.ofSeconds(60)));
                result.rows().rows().forEach(row -> ids.add((String) row.get(0)));
            }
        }
        return ids;
    }

    private static void produce(String topic, List<Event> events) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            int i = 0;
            for (Event event : events) {
                // both partitions, in runs, so that every commit holds records of each
                producer.send(new ProducerRecord<>(topic, (i++ / 700) % 2, event.tenant().value(),
                        StreamJson.event(event)));
            }
            producer.flush();
        }
    }

    private static void awaitFiles(Path lake, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(lake)) {
                try (Stream<Path> all = Files.walk(lake)) {
                    if (all.filter(p -> p.getFileName().toString().startsWith("part-")).count() >= count) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no file in the lake after " + timeout);
    }

    private Process sink(String name, Path lake, int commitRecords, List<String> halt) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), SinkMain.class.getName(), kafka.bootstrap(), name,
                lake.toString(), Integer.toString(commitRecords)));
        command.addAll(halt);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + "-sink.log").toFile()).start();
    }
}
