package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.VigilConfig;
import dev.vigil.stream.StreamSettings;
import dev.vigil.stream.StreamWorker;
import dev.vigil.stream.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code vigil stream publish}, {@code send} and {@code sink} against a one-node broker in this JVM. */
class StreamBrokerCliTest {
    static KafkaClusterTestKit cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        cluster.close();
    }

    @Test
    void publishesATenantsRulesAndIndicatorsAndSaysWhatWorkersWillRun() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("failed-logon.yml"), """
                title: Failed logon
                id: 0b0e8a62-4d1b-4c8e-9d0a-1a2b3c4d5e01
                logsource: {product: windows, service: security}
                detection:
                    selection:
                        EventID: 4625
                    condition: selection
                """);
        Files.writeString(rules.resolve("README.md"), "not a rule");
        Path intel = Files.writeString(dir.resolve("bad.txt"), "203.0.113.66\nevil.example.com\n");

        CliTesting.Run run = vigil(dir, "stream", "publish", "--tenant", "acme", "--rules", rules.toString(), "--intel",
                intel.toString(), "--bootstrap", cluster.bootstrapServers(), "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode json = run.json();
        assertThat(json.get("topic").asString()).isEqualTo("vigil.config");
        assertThat(json.get("rules").asInt()).isEqualTo(1);
        assertThat(json.get("indicators").asInt()).isEqualTo(2);
    }

    @Test
    void sendsFilesToTheRawTopicAndListsWhatItSkipped() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("input"));
        Files.writeString(logs.resolve("a.json"), "{\"Message\":\"one\"}\n{\"Message\":\"two\"}\n");
        Files.write(logs.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});

        CliTesting.Run run = vigil(dir, "stream", "send", logs.toString(), "--tenant", "acme", "--bootstrap",
                cluster.bootstrapServers(), "--set", "stream.topic-prefix=cli.");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).containsPattern("acme\\s+cli\\.raw\\s+2\\s+2\\s+0\\s");
        assertThat(run.out()).contains("skipped " + logs.resolve("picture.png"));
    }

    @Test
    void sinksThePipelinesEventsIntoTheLakeWhereHuntsFindThem() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("telemetry")); // not DATA/logs, where vigil writes its log
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            lines.append("{\"EventTime\":\"2024-05-06T10:00:").append(String.format("%02d", i))
                    .append("Z\",\"Message\":\"line ").append(i).append("\"}\n");
        }
        Files.writeString(logs.resolve("a.json"), lines);
        String lake = dir.resolve("lake").toString();
        CliTesting.Run send = vigil(dir, "stream", "send", logs.toString(), "--tenant", "acme", "--bootstrap",
                cluster.bootstrapServers(), "--set", "stream.topic-prefix=sink.");
        assertThat(send.exit()).as("%s", send).isZero();
        StreamSettings settings = StreamSettings.from(VigilConfig.defaults(), cluster.bootstrapServers())
                .withTopics(Topics.withPrefix("sink.")).withApplicationId("vigil-sink-cli")
                .withStateDir(dir.resolve("state"));
        CliTesting.Run run;
        try (StreamWorker worker = StreamWorker.start(settings)) {
            assertThat(awaitRecords("sink.events", 50)).as("the worker's events").isEqualTo(50);
            run = vigil(dir, "stream", "sink", "--to", "lake", "--stop-when-idle", "5", "--bootstrap",
                    cluster.bootstrapServers(), "--set", "stream.topic-prefix=sink.", "--set", "lake.root=" + lake,
                    "--json");
        }

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode json = run.json();
        assertThat(json.get("topic").asString()).isEqualTo("sink.events");
        assertThat(json.get("events").asLong()).isEqualTo(50);
        assertThat(json.get("files").asInt()).isPositive();
        CliTesting.Run hunt = vigil(dir, "lake", "hunt", "JsonEvent | count", "--tenant", "acme", "--set",
                "lake.root=" + lake, "--json");
        assertThat(hunt.exit()).as("%s", hunt).isZero();
        assertThat(hunt.out()).contains("50");
    }

    @Test
    void aSinkTargetOtherThanTheLakeIsAUsageError() {
        CliTesting.Run run = vigil(dir, "stream", "sink", "--to", "postgres", "--bootstrap",
                cluster.bootstrapServers());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--to postgres is not a sink target");
    }

    /** How many committed records the topic holds once it holds {@code count}, or after 90 s. */
    private static int awaitRecords(String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (read < count && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return read;
    }
}
