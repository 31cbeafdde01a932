package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bench.ServerLoadBenchmark.Latency;
import dev.vigil.copilot.promptbook.Promptbooks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The load benchmark's percentiles, question mix and ingested records. */
class ServerLoadBenchmarkTest {

    @Test
    void percentilesAreNearestRankOverTheSortedLatencies() {
        List<Double> millis = new ArrayList<>(LongStream.rangeClosed(1, 100).mapToObj(n -> (double) n).toList());
        Collections.shuffle(millis, new java.util.Random(7));
        assertThat(Latency.of(millis)).isEqualTo(new Latency(100, 50, 90, 95, 99, 100));
        assertThat(Latency.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Latency(3, 2, 3, 3, 3, 3));
        assertThat(Latency.of(List.of(42.0))).isEqualTo(new Latency(1, 42, 42, 42, 42, 42));
        assertThat(Latency.of(List.of())).isEqualTo(Latency.NONE);
    }

    @Test
    void theMixAsksEveryPromptbookInANewSessionAndEveryBenchmarkQuestion() {
        List<ServerLoadBenchmark.Question> mix = ServerLoadBenchmark.mix();
        long sessions = mix.stream().filter(ServerLoadBenchmark.Question::newSession).count();
        assertThat(sessions).isEqualTo(Promptbooks.builtIn().size());
        assertThat(mix.getFirst().newSession()).isTrue();
        assertThat(mix).extracting(ServerLoadBenchmark.Question::prompt)
                .containsAll(CopilotBenchmark.questions().stream().map(CopilotBenchmark.Question::text).toList())
                .contains("Summarize incident 2", "What did user jamal.novak do?")
                .noneMatch(prompt -> prompt.contains("<") && prompt.contains(">"));
    }

    @Test
    void recordsAreDistinctJsonOfTheDemosShapesOverManyHosts() {
        LoadRecords records = new LoadRecords(Instant.parse("2026-11-20T12:00:00Z"));
        StringBuilder out = new StringBuilder();
        records.append(out, 1_000, 400);
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(400).doesNotHaveDuplicates();
        JsonMapper json = JsonMapper.builder().build();
        Set<String> hosts = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (String line : lines) {
            JsonNode record = json.readTree(line);
            if (record.has("winlog")) {
                hosts.add(record.path("winlog").path("computer_name").asString());
                kinds.add("sysmon " + record.path("winlog").path("event_id").asInt());
            } else {
                hosts.add(record.path("Event").path("System").path("Computer").asString());
                kinds.add("security " + record.path("Event").path("System").path("EventID").asInt());
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder("sysmon 1", "sysmon 3", "sysmon 22", "sysmon 10",
                "security 4624", "security 4625");
        assertThat(hosts).hasSize(LoadRecords.HOSTS).allMatch(h -> h.startsWith(LoadRecords.HOST_PREFIX));
    }
}
