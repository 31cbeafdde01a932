package dev.vigil.connectors;

import static dev.vigil.connectors.FakeMicrosoft.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log Analytics and Defender advanced-hunting queries, stored through ingest's parser and normalizer. */
class QueryConnectorTest {
    /** A Log Analytics query API response in its documented shape: one PrimaryResult table, rows as arrays. */
    static final String SIGNINS = """
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},
            {"name":"UserPrincipalName","type":"string"},{"name":"IPAddress","type":"string"},
            {"name":"ResultType","type":"string"},{"name":"AppDisplayName","type":"string"}],
            "rows":[["2026-11-29T10:00:00Z","alice@contoso.com","198.51.100.4","0","Azure Portal"],
            ["2026-11-29T10:05:00Z","bob@contoso.com","203.0.113.9","50126","Office 365"],
            ["2026-11-29T10:07:00Z","bob@contoso.com","203.0.113.9","0","Office 365"]]}]}""";

    /** A Defender advanced-hunting response in its documented shape: Schema and Results. */
    static final String HUNTING = """
            {"Schema":[{"Name":"Timestamp","Type":"DateTime"},{"Name":"DeviceName","Type":"String"},
            {"Name":"ActionType","Type":"String"},{"Name":"FileName","Type":"String"},
            {"Name":"ProcessCommandLine","Type":"String"},{"Name":"AccountName","Type":"String"}],
            "Results":[{"Timestamp":"2026-11-29T10:00:00.0000000Z","DeviceName":"ws-01.contoso.com",
            "ActionType":"ProcessCreated","FileName":"powershell.exe",
            "ProcessCommandLine":"powershell -enc SQBFAFgA","AccountName":"alice"},
            {"Timestamp":"2026-11-29T10:02:00.0000000Z","DeviceName":"ws-01.contoso.com",
            "ActionType":"ProcessCreated","FileName":"whoami.exe","ProcessCommandLine":"whoami /all",
            "AccountName":"alice"}]}""";

    @TempDir
    Path data;

    ConnectorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ConnectorFixture(data);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void logAnalyticsRowsBecomeEventsOfTheQueriedTableAndTheNextRunStartsAtTheWatermark() {
        fixture.add("sentinel", ConnectorConfig.Kind.LOG_ANALYTICS, "ws-1234",
                "SigninLogs | where ResultType != '' | project TimeGenerated, UserPrincipalName, IPAddress");
        fixture.server.respond(request -> Reply.ok(SIGNINS));

        RunSummary first = fixture.open("sentinel").run(line -> { });
        RunSummary second = fixture.open("sentinel").run(line -> { });

        assertThat(first.storedNew()).isEqualTo(3);
        assertThat(second.storedNew()).isZero();
        assertThat(second.alreadyStored()).isEqualTo(3);
        assertThat(fixture.count("SigninLogs")).isEqualTo(3);
        assertThat(fixture.store.query("SELECT \"user\", src_ip FROM SigninLogs ORDER BY time", 10).rows().get(0))
                .containsExactly("alice@contoso.com", "198.51.100.4");
        FakeMicrosoft.Request one = fixture.server.apiRequests().get(0);
        FakeMicrosoft.Request two = fixture.server.apiRequests().get(1);
        assertThat(one.method()).isEqualTo("POST");
        assertThat(one.path()).isEqualTo("/v1/workspaces/ws-1234/query");
        assertThat(one.body()).contains("\"timespan\":\"2026-11-28T12:00:00Z/2026-11-29T12:00:00Z\"");
        assertThat(two.body()).contains("\"timespan\":\"2026-11-29T10:07:00Z/2026-11-29T12:00:00Z\"");
        assertThat(fixture.connectors.registry().checkpoint("sentinel").watermark())
                .isEqualTo(Instant.parse("2026-11-29T10:07:00Z"));
    }

    @Test
    void defenderHuntingResultsAreStoredAndTheQueryIsBoundedByTheWatermark() {
        fixture.add("hunting", ConnectorConfig.Kind.DEFENDER_HUNTING, "", "DeviceProcessEvents");
        fixture.server.respond(request -> Reply.ok(HUNTING));

        RunSummary summary = fixture.open("hunting").run(line -> { });

        assertThat(summary.storedNew()).isEqualTo(2);
        assertThat(fixture.count("DeviceProcessEvents")).isEqualTo(2);
        FakeMicrosoft.Request request = fixture.server.apiRequests().get(0);
        assertThat(request.path()).isEqualTo("/api/advancedhunting/run");
        assertThat(request.body()).isEqualTo(
                "{\"Query\":\"DeviceProcessEvents\\n| where Timestamp >= datetime(2026-11-28T12:00:00Z)\"}");
        assertThat(fixture.connectors.registry().checkpoint("hunting").watermark())
                .isEqualTo(Instant.parse("2026-11-29T10:02:00Z"));
    }

    @Test
    void aResponseWithoutTheExpectedShapeStoresNothingAndKeepsTheCheckpoint() {
        fixture.add("sentinel", ConnectorConfig.Kind.LOG_ANALYTICS, "ws-1234", "SecurityEvent");
        fixture.server.respond(request -> Reply.ok("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
                + "{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},{\"name\":\"Computer\",\"type\":\"string\"}],"
                + "\"rows\":[[\"2026-11-29T10:00:00Z\",\"dc01\"],[\"2026-11-29T10:01:00Z\"]]}]}"));

        ConnectorException failure = catchThrowableOfType(ConnectorException.class,
                () -> fixture.open("sentinel").run(line -> { }));

        assertThat(failure).hasMessage("connector 'sentinel': row 2 of table 'PrimaryResult' in the response of"
                + " /v1/workspaces/ws-1234/query has 1 values for 2 columns");
        assertThat(fixture.store.tables()).noneMatch(t -> t.name().equals("SecurityEvent"));
        assertThat(fixture.connectors.registry().checkpoint("sentinel")).isEqualTo(Checkpoint.initial());
    }

    @Test
    void theTableComesFromTheQuery() {
        assertThat(QueryConnector.tableOf(config("SigninLogs | take 10", ""))).isEqualTo("SigninLogs");
        assertThat(QueryConnector.tableOf(config("let x = 1;\n SecurityEvent | where EventID == 4625", "")))
                .isEqualTo("SecurityEvent");
        assertThat(QueryConnector.tableOf(config("SigninLogs", "MySignins"))).isEqualTo("MySignins");
    }

    static ConnectorConfig config(String query, String table) {
        return new ConnectorConfig("q", ConnectorConfig.Kind.LOG_ANALYTICS, "d", "c", "", "", "", "ws", query, table,
                Duration.ofDays(1), 0);
    }
}
