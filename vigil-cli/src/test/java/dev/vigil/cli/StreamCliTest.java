package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil stream}: how it fails without a broker (the pipeline itself is tested in vigil-stream). */
class StreamCliTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheWorkerTheSenderThePublisherAndTheSink() {
        CliTesting.Run run = vigil("stream", "--help");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("run", "send", "publish", "sink", "docs/SCALE-OUT.md");
        assertThat(vigil("stream", "sink", "--help").out()).contains("--to", "--stop-when-idle", "--json",
                "stream.sink.commit-records");
    }

    @Test
    void anUnreachableBrokerIsNamedWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("a.json"), "{\"Message\":\"hello\"}\n");

        CliTesting.Run run = vigil(dir, "stream", "send", file.toString(), "--bootstrap", "localhost:1", "--set",
                "stream.connect-timeout=2s");

        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("error[broker_unavailable]").contains("no Kafka broker answered at localhost:1")
                .contains("fix: Start Kafka or point the pipeline at a running broker: --bootstrap HOST:PORT");
    }

    @Test
    void aBootstrapThatIsNotHostAndPortIsAUsageError() {
        CliTesting.Run run = vigil(dir, "stream", "run", "--bootstrap", "kafka-1");

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("error[config_invalid]").contains("'kafka-1' is not a list of HOST:PORT");
    }

    @Test
    void aRuleThatDoesNotParseIsRefusedBeforeAnyBrokerIsAsked() throws Exception {
        Path rule = Files.writeString(dir.resolve("bad.yml"), "title: Broken\ndetection: [\n");

        CliTesting.Run run = vigil(dir, "stream", "publish", "--rules", rule.toString(), "--bootstrap",
                "localhost:1");

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("error[rule_invalid]").contains("bad.yml");
    }
}
