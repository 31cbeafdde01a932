package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Log Analytics (Sentinel) query API response gives one record per row, its values under their column names. */
class LogAnalyticsResponseTest {
    private static final String RESPONSE = """
            {
              "tables": [
                {
                  "name": "PrimaryResult",
                  "columns": [
                    {"name": "TimeGenerated", "type": "datetime"},
                    {"name": "Computer", "type": "string"},
                    {"name": "EventID", "type": "int"},
                    {"name": "Channel", "type": "string"},
                    {"name": "TargetUserName", "type": "string"},
                    {"name": "Type", "type": "string"},
                    {"name": "AdditionalInfo", "type": "dynamic"}
                  ],
                  "rows": [
                    ["2024-05-01T10:00:00Z", "DC1", 4625, "Security", "alice", "SecurityEvent", null],
                    ["2024-05-01T10:00:01Z", "DC1", 4624, "Security", "alice", "SecurityEvent", {"a": [1, 2]}]
                  ]
                }
              ]
            }
            """;

    @TempDir
    Path dir;

    @Test
    void eachRowIsARecordInItsTypesTable() throws IOException {
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, Files.writeString(dir.resolve("query.json"), RESPONSE));

        assertThat(summary.failedSources()).isEmpty();
        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.quarantined()).isZero();
        Event failed = sink.events().get(0);
        assertThat(failed.table()).isEqualTo("SecurityEvent");
        assertThat(failed.fields()).containsEntry("EventID", 4625L).containsEntry("TargetUserName", "alice");
        assertThat(failed.timeMicros()).isEqualTo(Timestamps.parseMicros("2024-05-01T10:00:00Z"));
        assertThat(failed.position().line()).isEqualTo(15);
        assertThat(failed.raw()).isEqualTo("{\"TimeGenerated\":\"2024-05-01T10:00:00Z\",\"Computer\":\"DC1\",\"EventID\":4625,"
                + "\"Channel\":\"Security\",\"TargetUserName\":\"alice\",\"Type\":\"SecurityEvent\",\"AdditionalInfo\":null}");
        assertThat(sink.events().get(1).fields()).containsEntry("AdditionalInfo.a", "[1,2]");
    }

    @Test
    void recognitionNeedsTablesWithColumns() {
        assertThat(LogAnalyticsReader.looksLikeOne(RESPONSE.getBytes())).isTrue();
        assertThat(LogAnalyticsReader.looksLikeOne("{\"tables\": 3}".getBytes())).isFalse();
        assertThat(LogAnalyticsReader.looksLikeOne("{\"a\":1}".getBytes())).isFalse();
    }
}
