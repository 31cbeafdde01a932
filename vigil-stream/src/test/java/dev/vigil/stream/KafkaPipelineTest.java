package dev.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingest.Format;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline on a real broker (one in-process KRaft node shared by the class), with exactly-once workers. */
class KafkaPipelineTest {
    static final TenantId ACME = TenantId.of("acme");
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

    @Test
    void storesEveryRecordOnceWithTheIdsOfEmbeddedIngest() throws Exception {
        StreamSettings settings = kafka.settings("once", dir.resolve("state"), 2);
        Path file = logons(dir.resolve("logons.json"), 3_000);
        Files.writeString(file, "{\"broken\n", java.nio.file.StandardOpenOption.APPEND);
        ContentPublisher.publish(settings, ACME, new TenantContent(Map.of("failed-logon.yml",
                PipelineTopologyTest.FAILED_LOGON), Map.of()));
        FileSender.Summary sent = send(settings, file);
        assertThat(sent.records()).isEqualTo(3_001);

        try (StreamWorker worker = StreamWorker.start(settings)) {
            List<ConsumerRecord<String, byte[]>> events = kafka.readCommitted(settings.topics().events(),
                    read -> read.size() >= 3_000, Duration.ofSeconds(90));
            List<ConsumerRecord<String, byte[]>> quarantined = kafka.readCommitted(settings.topics().quarantine(),
                    read -> !read.isEmpty(), Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> placements = kafka.readCommitted(settings.topics().incidents(),
                    read -> read.size() >= 1_000, Duration.ofSeconds(60));

            Set<String> expected = new HashSet<>();
            for (Event event : PipelineTopologyTest.ingest(ACME, file)) {
                expected.add(event.id().toString());
            }
            assertThat(events).extracting(r -> r.key()).containsOnly("acme");
            assertThat(events).extracting(r -> (String) StreamJson.map(r.value()).get("id"))
                    .hasSize(3_000).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
            assertThat(quarantined).singleElement()
                    .satisfies(r -> assertThat(StreamJson.map(r.value())).containsEntry("reason", "malformed_json"));
            assertThat(placements).as("one in three logons failed: one alert each, each placed once").hasSize(1_000)
                    .extracting(r -> (String) StreamJson.map(r.value()).get("id")).doesNotHaveDuplicates();
        }
    }

    @Test
    void aWorkerKilledMidRunLosesNothingAndDuplicatesNothing() throws Exception {
        String name = "killed";
        StreamSettings settings = kafka.settings(name, dir.resolve("unused"), 2);
        int records = 20_000;
        ContentPublisher.publish(settings, ACME, new TenantContent(Map.of("failed-logon.yml",
                PipelineTopologyTest.FAILED_LOGON), Map.of()));
        send(settings, logons(dir.resolve("logons.json"), records));

        Process first = worker(name, dir.resolve("state-1"));
        List<ConsumerRecord<String, byte[]>> before;
        try {
            before = kafka.readCommitted(settings.topics().events(), read -> !read.isEmpty(), Duration.ofSeconds(90));
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // no shutdown hook, no commit: a crash
        }
        assertThat(before).as("the first worker committed some events before it was killed").isNotEmpty();

        Process second = worker(name, dir.resolve("state-2")); // another machine: state from the changelog
        try {
            List<ConsumerRecord<String, byte[]>> events = kafka.readCommitted(settings.topics().events(),
                    read -> read.size() >= records, Duration.ofSeconds(150));
            List<String> ids = new ArrayList<>();
            events.forEach(r -> ids.add((String) StreamJson.map(r.value()).get("id")));
            assertThat(before.size()).as("killed mid-run").isLessThan(records);
            assertThat(ids).hasSize(records).doesNotHaveDuplicates();

            int failedLogons = (records + 2) / 3; // every third logon, the first included
            List<ConsumerRecord<String, byte[]>> placements = kafka.readCommitted(settings.topics().incidents(),
                    read -> read.size() >= failedLogons, Duration.ofSeconds(60));
            assertThat(placements).extracting(r -> (String) StreamJson.map(r.value()).get("id"))
                    .hasSize(failedLogons).doesNotHaveDuplicates();
        } finally {
            second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnreachableBrokerIsNamedWithTheFix() {
        StreamSettings settings = kafka.settings("nowhere", dir, 1).withBootstrap("localhost:1");

        assertThatThrownBy(() -> Brokers.ensureTopics(settings, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("localhost:1");
                    assertThat(e.code().fix()).contains("--bootstrap");
                });
    }

    private static FileSender.Summary send(StreamSettings settings, Path file) {
        try (FileSender sender = new FileSender(settings, ACME, Format.AUTO,
                Clock.systemUTC(), new ByteArrayInputStream(new byte[0]))) {
            return sender.send(List.of(file.toString()));
        }
    }

    /** Logons of many users over a few days, one in three failed. */
    static Path logons(Path file, int count) throws IOException {
        StringBuilder text = new StringBuilder();
        Instant start = Instant.parse("2024-05-06T00:00:00Z");
        for (int i = 0; i < count; i++) {
            text.append(PipelineTopologyTest.logon(i % 3 == 0 ? 4625 : 4624, "user" + (i % 500),
                    start.plusSeconds(i * 7L).toString(), "ws" + (i % 50) + ".corp.example", "10.0." + (i % 200)
                            + ".9")).append('\n');
        }
        return Files.writeString(file, text);
    }

    private Process worker(String name, Path stateDir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName(), kafka.bootstrap(), name, stateDir.toString(), "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + "-" + stateDir.getFileName() + ".log")
                        .toFile()).start();
    }
}
