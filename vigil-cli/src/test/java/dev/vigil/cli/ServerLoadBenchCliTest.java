package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil bench server-load} at a small scale: a real server over the seeded demo, two analysts for three
 * seconds while a few hundred events per second are ingested. It checks the report's shape and that nothing went
 * wrong, never how fast anything was (speed belongs in BENCHMARKS.md).
 */
@DisplayName("vigil bench server-load")
class ServerLoadBenchCliTest {
    @TempDir
    Path data;

    @Test
    void aShortRunAnswersEveryQuestionAndStoresEveryAcknowledgedRecord() {
        Run run = vigil(data, "bench", "server-load", "--duration", "3s", "--users", "2", "--ingest-rate", "200",
                "--batch", "50", "--senders", "2", "--baseline-questions", "2", "--stream-every", "2", "--json");
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode report = run.json();
        assertThat(report.path("tenant").asString()).isEqualTo("bench");
        assertThat(report.path("errors").asLong()).as(run.out()).isZero();
        assertThat(report.path("error_samples").size()).isZero();

        JsonNode idle = report.path("idle");
        assertThat(idle.path("users").asInt()).isEqualTo(1);
        assertThat(idle.path("answered").asLong()).isEqualTo(2);
        JsonNode loaded = report.path("loaded");
        assertThat(loaded.path("users").asInt()).isEqualTo(2);
        assertThat(loaded.path("answered").asLong()).isPositive().isEqualTo(loaded.path("asked").asLong());
        assertThat(loaded.path("streamed").asLong()).isPositive();
        for (JsonNode latency : new JsonNode[] {idle.path("latency"), loaded.path("latency")}) {
            assertThat(latency.path("p50").asDouble()).isPositive();
            assertThat(latency.path("p50").asDouble()).isLessThanOrEqualTo(latency.path("p90").asDouble());
            assertThat(latency.path("p90").asDouble()).isLessThanOrEqualTo(latency.path("p95").asDouble());
            assertThat(latency.path("p95").asDouble()).isLessThanOrEqualTo(latency.path("p99").asDouble());
            assertThat(latency.path("p99").asDouble()).isLessThanOrEqualTo(latency.path("max").asDouble());
        }
        assertThat(report.path("p50_ratio").asDouble()).isPositive();

        JsonNode ingest = report.path("ingest");
        assertThat(ingest.path("target_per_second").asLong()).isEqualTo(200);
        assertThat(ingest.path("acknowledged").asLong()).isPositive().isEqualTo(ingest.path("stored_new").asLong());
        assertThat(ingest.path("acknowledged").asLong() % 50).isZero();
        assertThat(ingest.path("errors").asLong()).isZero();
        assertThat(ingest.path("quarantined").asLong()).isZero();
        assertThat(ingest.path("request_latency").path("count").asLong()).isPositive();
        assertThat(report.path("stored_after").asLong()).isEqualTo(report.path("stored_before").asLong()
                + ingest.path("stored_new").asLong());
        assertThat(report.path("stored_matches").asBoolean()).isTrue();
        assertThat(run.err()).contains("idle baseline", "loaded: 2 analysts");
    }
}
