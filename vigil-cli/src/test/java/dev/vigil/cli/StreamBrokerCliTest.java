package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code vigil stream publish} and {@code send} against a one-node broker in this JVM. */
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
}
