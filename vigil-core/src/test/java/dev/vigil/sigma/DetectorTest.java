package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection as ingest runs it: rules, filters and correlations over events read through the real ingest path. */
class DetectorTest {

    private static final String FAILED_LOGON = """
            title: Failed logon
            id: 0b0e8a62-4d1b-4c8e-9d0a-1a2b3c4d5e01
            name: failed_logon
            status: test
            level: low
            tags: [attack.credential-access, attack.t1110]
            logsource: {product: windows, service: security}
            detection:
                selection:
                    EventID: 4625
                condition: selection
            """;

    private static final String BRUTE_FORCE = """
            title: Many failed logons for one account
            id: 0b0e8a62-4d1b-4c8e-9d0a-1a2b3c4d5e02
            status: test
            level: high
            tags: [attack.credential-access, attack.t1110.001]
            correlation:
                type: event_count
                rules: [failed_logon]
                group-by: [TargetUserName]
                timespan: 5m
                condition:
                    gte: 3
            """;

    @TempDir
    Path folder;

    @Test
    void a_correlation_fires_over_the_events_behind_it_and_its_rule_does_not_alert_alone() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add(logon(4625, "alice", "2024-05-06T10:0" + i + ":00Z"));
        }
        lines.add(logon(4625, "bob", "2024-05-06T10:00:30Z"));
        lines.add(logon(4625, "carol", "2024-05-06T10:00:00Z"));
        lines.add(logon(4625, "carol", "2024-05-06T10:30:00Z")); // outside the 5 minutes of the first
        lines.add(logon(4625, "carol", "2024-05-06T11:00:00Z"));

        List<Alert> alerts = detect(lines, FAILED_LOGON + "---\n" + BRUTE_FORCE);

        assertThat(alerts).extracting(Alert::source).containsOnly("sigma-correlation");
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.getFirst();
        assertThat(alert.title()).isEqualTo("Many failed logons for one account");
        assertThat(alert.matchedFields()).containsEntry("TargetUserName", "alice").containsEntry("event_count", "3");
        assertThat(alert.eventIds()).hasSize(3);
        assertThat(alert.techniques()).containsExactly("T1110.001");
    }

    @Test
    void with_generate_the_rule_alerts_on_its_own_too() throws IOException {
        List<String> lines = List.of(logon(4625, "alice", "2024-05-06T10:00:00Z"));
        List<Alert> alerts = detect(lines, FAILED_LOGON + "---\n" + BRUTE_FORCE.replace("timespan: 5m",
                "timespan: 5m\n    generate: true"));
        assertThat(alerts).extracting(Alert::source).containsExactly("sigma");
    }

    @Test
    void an_ordered_sequence_names_the_entities_of_the_event_that_completed_it() throws IOException {
        String success = """
                title: Successful logon
                id: 0b0e8a62-4d1b-4c8e-9d0a-1a2b3c4d5e03
                name: successful_logon
                status: test
                level: low
                logsource: {product: windows, service: security}
                detection:
                    selection:
                        EventID: 4624
                    condition: selection
                """;
        String failuresThenSuccess = """
                title: Failures then a success from one address
                id: 0b0e8a62-4d1b-4c8e-9d0a-1a2b3c4d5e04
                status: test
                level: critical
                correlation:
                    type: temporal_ordered
                    rules: [failed_logon, successful_logon]
                    group-by: [IpAddress]
                    timespan: 10m
                """;
        List<String> lines = List.of(logon(4625, "alice", "2024-05-06T10:00:00Z"),
                logon(4625, "bob", "2024-05-06T10:00:10Z"), logon(4624, "carol", "2024-05-06T10:00:20Z"));

        List<Alert> alerts = detect(lines, FAILED_LOGON + "---\n" + success + "---\n" + failuresThenSuccess);

        Alert alert = alerts.stream().filter(a -> a.source().equals("sigma-correlation")).findFirst().orElseThrow();
        assertThat(alert.entities()).first().isEqualTo(new Alert.Entity("IpAddress", "10.0.0.9"));
        // carol's logon completed the sequence: she is named; the failures before it are evidence, not entities
        assertThat(alert.entities()).extracting(Alert.Entity::value).contains("carol").doesNotContain("alice", "bob");
        assertThat(alert.eventIds()).hasSize(3);
    }

    @Test
    void a_count_names_only_its_group() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add(logon(4625, "alice", "2024-05-06T10:0" + i + ":00Z"));
        }
        List<Alert> alerts = detect(lines, FAILED_LOGON + "---\n" + BRUTE_FORCE);
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.entities())
                .containsExactly(new Alert.Entity("TargetUserName", "alice")));
    }

    @Test
    void a_filter_excludes_what_it_names_from_the_rules_it_names() throws IOException {
        String filter = """
                title: Service accounts fail by design
                logsource: {product: windows, service: security}
                filter:
                    rules: [failed_logon]
                    selection:
                        TargetUserName|startswith: svc_
                    condition: selection
                """;
        List<String> lines = List.of(logon(4625, "svc_backup", "2024-05-06T10:00:00Z"),
                logon(4625, "alice", "2024-05-06T10:00:01Z"), logon(4624, "alice", "2024-05-06T10:00:02Z"));
        List<Alert> alerts = detect(lines, FAILED_LOGON + "---\n" + filter);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.getFirst().matchedFields()).containsEntry("EventID", "4625");
        assertThat(alerts.getFirst().entities()).extracting(Alert.Entity::value).contains("alice");
    }

    private List<Alert> detect(List<String> lines, String rulesYaml) throws IOException {
        Path input = folder.resolve("security.json");
        Files.write(input, lines);
        RuleSet rules = RuleSet.compile(SigmaParser.parse(rulesYaml, "test.yml"), LogSourceMap.builtIn(),
                Placeholders.none());
        assertThat(rules.failures()).isEmpty();
        SigmaRegressionTest.CollectingSink sink = new SigmaRegressionTest.CollectingSink();
        DetectingSink<SigmaRegressionTest.CollectingSink> detecting =
                new DetectingSink<>(sink, new Detector(TenantId.DEFAULT, rules));
        Clock clock = Clock.systemUTC();
        new Ingestor(new Ingestor.Options(TenantId.DEFAULT, Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock), detecting,
                Ingestor.ProgressListener.NONE, clock, new ByteArrayInputStream(new byte[0]))
                .ingest(List.of(input.toString()));
        detecting.finish();
        return sink.alerts;
    }

    /** A Security-channel logon event in NXLog's flat shape. */
    private static String logon(int eventId, String user, String time) {
        return "{\"EventTime\":\"" + time + "\",\"Hostname\":\"ws1.corp.example\",\"EventID\":" + eventId
                + ",\"Channel\":\"Security\",\"SourceName\":\"Microsoft-Windows-Security-Auditing\","
                + "\"TargetUserName\":\"" + user + "\",\"IpAddress\":\"10.0.0.9\",\"LogonType\":\"3\"}";
    }
}
