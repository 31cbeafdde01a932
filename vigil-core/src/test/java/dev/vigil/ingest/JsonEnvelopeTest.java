package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API responses that wrap their records in one array are ingested record by record. */
class JsonEnvelopeTest {
    private static final String DEFENDER_RESPONSE = """
            {
              "Schema": [{"Name": "Timestamp", "Type": "DateTime"}, {"Name": "DeviceName", "Type": "String"}],
              "Results": [
                {"Timestamp": "2024-05-01T10:00:00Z", "DeviceId": "d1", "DeviceName": "ws1", "ActionType": "ProcessCreated",
                 "FileName": "powershell.exe", "ProcessCommandLine": "powershell -enc AA=="},
                {"Timestamp": "2024-05-01T10:00:05Z", "DeviceId": "d1", "DeviceName": "ws1", "ActionType": "ConnectionSuccess",
                 "RemoteIP": "198.51.100.7"}
              ],
              "Stats": {"ExecutionTime": 0.5}
            }
            """;

    @TempDir
    Path dir;

    private final InMemoryEventSink sink = new InMemoryEventSink();

    private IngestSummary ingest(String name, String text) throws IOException {
        return IngestTesting.ingest(sink, Files.writeString(dir.resolve(name), text));
    }

    @Test
    void aDefenderAdvancedHuntingResponseGivesOneEventPerResult() throws IOException {
        IngestSummary summary = ingest("hunting.json", DEFENDER_RESPONSE);

        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.quarantined()).isZero();
        assertThat(sink.events()).extracting(Event::table).containsExactly("DeviceProcessEvents", "DeviceNetworkEvents");
        assertThat(sink.events()).extracting(e -> e.position().line()).containsExactly(4L, 6L);
        assertThat(sink.events().get(0).raw()).startsWith("{\"Timestamp\": \"2024-05-01T10:00:00Z\"").endsWith("\"powershell -enc AA==\"}");
    }

    @Test
    void aGraphResponseGivesOneEventPerValue() throws IOException {
        String response = """
                {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2",
                 "value":[{"id":"a1","title":"Suspicious PowerShell","severity":"high","createdDateTime":"2024-05-01T10:00:00Z"},
                          {"id":"a2","title":"Password spray","severity":"medium","createdDateTime":"2024-05-01T11:00:00Z"}],
                 "@odata.nextLink":"https://graph.microsoft.com/v1.0/security/alerts_v2?$skiptoken=x"}""";

        IngestSummary summary = ingest("alerts.json", response);

        assertThat(summary.read()).isEqualTo(2);
        assertThat(sink.events()).extracting(e -> e.fields().get("title"))
                .containsExactly("Suspicious PowerShell", "Password spray");
        assertThat(sink.events().get(1).timeMicros()).isEqualTo(Timestamps.parseMicros("2024-05-01T11:00:00Z"));
    }

    @Test
    void anEmptyResultArrayGivesNoEvents() throws IOException {
        IngestSummary summary = ingest("empty.json", "{\"Schema\":[],\"Results\":[]}");

        assertThat(summary.read()).isZero();
    }

    @Test
    void aLogRecordWithAValueArrayIsOneRecordNotAnEnvelope() throws IOException {
        IngestSummary summary = ingest("record.json",
                "{\"TimeGenerated\":\"2024-05-01T10:00:00Z\",\"Type\":\"AppLog\",\"value\":[{\"a\":1},{\"a\":2}]}\n"
                        + "{\"Results\":[{\"a\":1}],\"Schema\":[]}\n");

        assertThat(summary.read()).isEqualTo(2);
        assertThat(sink.events()).extracting(e -> e.fields().get("value")).containsExactly("[{\"a\":1},{\"a\":2}]", null);
    }

    @Test
    void recognitionNeedsTheCompanionKeyBeforeTheArray() {
        assertThat(JsonEnvelope.detect("{\"Schema\":[],\"Results\":[{}]}".getBytes())).isNotNull();
        assertThat(JsonEnvelope.detect("{\"Results\":[{}],\"Schema\":[]}".getBytes())).isNull();
        assertThat(JsonEnvelope.detect("{\"@odata.context\":\"x\",\"value\":[{}]}".getBytes())).isNotNull();
        assertThat(JsonEnvelope.detect("{\"@odata.context\":\"x\",\"value\":[1,2]}".getBytes())).isNull();
        assertThat(JsonEnvelope.detect("not json".getBytes())).isNull();
    }
}
