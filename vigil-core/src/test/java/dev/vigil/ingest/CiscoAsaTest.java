package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Cisco ASA writes its year into the BSD timestamp and its real severity into the %ASA-n-id tag. */
class CiscoAsaTest {
    private static final String LINE = "Oct 10 2018 12:34:56 localhost CiscoASA[999]: %ASA-4-106023: Deny tcp src"
            + " outside:100.66.19.254/80 dst inside:172.31.98.44/8277 by access-group \"inbound\" [0x0, 0x0]";

    @Test
    void anAsaLineIsRecognizedAndParsedWithItsYearAndSeverity() throws Exception {
        assertThat(FormatSniffer.sniff(LINE.getBytes(StandardCharsets.UTF_8)).format()).isEqualTo(Format.SYSLOG);

        ParsedRecord parsed = new SyslogParser(Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC),
                ZoneOffset.UTC).parse(RawRecord.of(LINE, new SourcePosition("asa.log", 1, 0)));

        assertThat(parsed.table()).isEqualTo("Syslog");
        assertThat(parsed.timeMicros()).isEqualTo(Timestamps.parseMicros("2018-10-10T12:34:56Z"));
        assertThat(parsed.fields())
                .containsEntry("HostName", "localhost")
                .containsEntry("ProcessName", "CiscoASA")
                .containsEntry("ProcessID", 999L)
                .containsEntry("SeverityLevel", "warning")
                .containsEntry("CiscoFacility", "ASA")
                .containsEntry("MessageId", "106023");
        assertThat((String) parsed.fields().get("SyslogMessage")).startsWith("%ASA-4-106023: Deny tcp");
    }

    @Test
    void zeekLogsWithoutAUidAreToldByTheirFileNameAndEpochTs() {
        JsonShapes shapes = new JsonShapes("JsonEvent", JsonShape.AUTO);
        java.util.Map<String, Object> x509 = new java.util.LinkedHashMap<>(java.util.Map.of("ts", 1297551044.62617,
                "fingerprint", "a5b0"));

        assertThat(shapes.classify(x509, "data/Zeek/x509.log").table()).isEqualTo("ZeekX509");
        assertThat(shapes.classify(new java.util.LinkedHashMap<>(java.util.Map.of("ts", 1297551044.6, "a", 1)),
                "data/app/events.json").table()).isEqualTo("JsonEvent");
    }
}
