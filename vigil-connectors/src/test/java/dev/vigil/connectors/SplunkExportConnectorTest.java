package dev.vigil.connectors;

import static dev.vigil.connectors.FakeMicrosoft.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splunk's search export (output_mode=json: one object per line), authenticated by a Splunk token. */
class SplunkExportConnectorTest {
    static final String EXPORT = """
            {"preview":false,"offset":0,"result":{"_bkt":"main~1~B1","_cd":"1:101","_indextime":"1764410405",\
            "_raw":"Nov 29 10:00:00 fw01 sshd[42]: Failed password for root from 203.0.113.9 port 22 ssh2",\
            "_serial":"0","_si":["idx01","main"],"_sourcetype":"linux_secure","_time":"2026-11-29T10:00:00.000+00:00",\
            "host":"fw01","index":"main","linecount":"1","source":"/var/log/secure","sourcetype":"linux_secure",\
            "splunk_server":"idx01"}}
            {"preview":false,"offset":1,"lastrow":true,"result":{"_bkt":"main~1~B1","_cd":"1:102",\
            "_indextime":"1764410406","_raw":"Nov 29 10:01:00 fw01 sshd[43]: Accepted password for root from 203.0.113.9",\
            "_serial":"1","_si":["idx01","main"],"_sourcetype":"linux_secure","_time":"2026-11-29T10:01:00.000+00:00",\
            "host":"fw01","index":"main","linecount":"1","source":"/var/log/secure","sourcetype":"linux_secure",\
            "splunk_server":"idx01"}}
            """;

    @TempDir
    Path data;

    ConnectorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ConnectorFixture(data);
        fixture.server.acceptStaticToken(ConnectorFixture.SECRET);
        fixture.connectors.registry().put(fixture.connectors.seal(new ConnectorConfig("splunk",
                ConnectorConfig.Kind.SPLUNK_EXPORT, "", "", "", fixture.server.baseUrl(), "", "",
                "index=main sourcetype=linux_secure", "", java.time.Duration.ofDays(1), 0), ConnectorFixture.SECRET));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void exportedResultsAreStoredOnceAndTheNextRunStartsAtTheWatermark() {
        fixture.server.respond(request -> Reply.ok(EXPORT.replace("\"_serial\":\"0\"", "\"_serial\":\""
                + fixture.server.apiRequests().size() + "\"")));

        RunSummary first = fixture.open("splunk").run(line -> { });
        RunSummary second = fixture.open("splunk").run(line -> { });

        assertThat(first.storedNew()).isEqualTo(2);
        assertThat(second.storedNew()).isZero();
        assertThat(fixture.count("SplunkEvent")).isEqualTo(2);
        assertThat(fixture.server.tokensIssued()).isZero();
        FakeMicrosoft.Request one = fixture.server.apiRequests().get(0);
        assertThat(one.path()).isEqualTo("/services/search/v2/jobs/export");
        assertThat(one.authorization()).isEqualTo("Bearer " + ConnectorFixture.SECRET);
        assertThat(one.body()).isEqualTo("search=search+index%3Dmain+sourcetype%3Dlinux_secure"
                + "&earliest_time=1795867200&latest_time=1795953600&output_mode=json");
        assertThat(fixture.server.apiRequests().get(1).body()).contains("&earliest_time=1795946460&");
        assertThat(fixture.connectors.registry().checkpoint("splunk").watermark())
                .isEqualTo(Instant.parse("2026-11-29T10:01:00Z"));
    }

    @Test
    void aMalformedLineStoresNothingAndNamesTheLine() {
        fixture.server.respond(request -> Reply.ok(EXPORT + "{\"preview\":false,\"result\":{\"_time\":\n"));

        ConnectorException failure = catchThrowableOfType(ConnectorException.class,
                () -> fixture.open("splunk").run(line -> { }));

        assertThat(failure).hasMessageStartingWith("connector 'splunk': line 3 of the response of"
                + " /services/search/v2/jobs/export is not valid JSON at column");
        assertThat(fixture.store.tables()).noneMatch(t -> t.name().equals("SplunkEvent"));
    }
}
