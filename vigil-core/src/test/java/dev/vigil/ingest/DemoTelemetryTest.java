package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.DemoOrganization;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTelemetryTest {
    private static final LocalDate DAY = LocalDate.of(2030, 1, 2);
    private static final double SCALE = 0.05;

    @TempDir
    Path directory;

    @Test
    void theSameDayGivesTheSameBytesInEveryJvm() throws Exception {
        // Pinned by digest against a golden file written by an earlier JVM: a map whose iteration order changes
        // between JVMs (Map.of) would change the records' bytes, their event ids, and so re-running the demo would
        // store everything again.
        Map<String, Object> digests = new TreeMap<>();
        DemoOrganization.Files files = new DemoOrganization(DAY, SCALE).write(directory, DemoOrganization.Progress.NONE);
        List<Path> all = new ArrayList<>(files.telemetry());
        all.addAll(List.of(files.inventory(), files.graphAlerts(), files.graphIncidents()));
        for (Path file : all) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            digests.put(directory.relativize(file).toString().replace('\\', '/'), HexFormat.of().formatHex(digest));
        }

        GoldenFiles.check("demo-telemetry-digests", digests);
    }

    @Test
    void everyRecordIsStoredAndTheAttacksAreInTheData() throws Exception {
        List<Path> files = new DemoOrganization(DAY, SCALE).writeTo(directory);
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, files.toArray(Path[]::new));

        assertThat(summary.quarantined()).isZero();
        assertThat(summary.stored()).isEqualTo(summary.read()).isPositive();
        assertThat(summary.tables()).containsOnlyKeys("SecurityEvent", "SysmonEvent", "SigninLogs", "CommonSecurityLog",
                "Syslog", "WindowsEvent", "ZeekDns", "ZeekHttp");
        List<Event> events = sink.events();
        assertThat(events).filteredOn(e -> e.table().equals("SigninLogs")
                        && DemoOrganization.SPRAY_SOURCE_IP.equals(e.common(CommonColumn.SRC_IP))
                        && "failure".equals(e.common(CommonColumn.OUTCOME)))
                .hasSize(30);
        assertThat(events).filteredOn(e -> "process_access".equals(e.common(CommonColumn.ACTION))
                        && String.valueOf(e.fields().get("TargetImage")).endsWith("lsass.exe"))
                .singleElement()
                .satisfies(e -> assertThat(e.common(CommonColumn.HOST)).startsWith(DemoOrganization.PHISHED_HOST));
        assertThat(events).filteredOn(e -> e.table().equals("Syslog")
                        && DemoOrganization.SSH_ATTACKER_IP.equals(String.valueOf(e.fields().get("SyslogMessage")).replaceAll(".* from (\\S+) port.*", "$1")))
                .hasSize(61);
        // the exploited wiki: the exploit request seen by the sensor, and the shells its JVM started
        assertThat(events).filteredOn(e -> e.table().equals("ZeekHttp")
                        && "/template/aui/text-inline.vm".equals(e.fields().get("uri")))
                .hasSize(3);
        assertThat(events).filteredOn(e -> e.table().equals("SysmonEvent")
                        && String.valueOf(e.fields().get("ParentImage")).endsWith("/java"))
                .hasSize(6);
    }

    @Test
    void syslogLinesCarryTheirYearSoOldDemosAreDatedRight() throws Exception {
        // RFC 3164 timestamps have no year; a demo of another year than the clock's would land in the wrong one
        LocalDate past = LocalDate.of(2019, 3, 4);
        List<Path> files = new DemoOrganization(past, SCALE).writeTo(directory);
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestTesting.ingest(sink, files.toArray(Path[]::new));

        Instant first = past.minusDays(DemoOrganization.DAYS).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = past.atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(sink.events()).filteredOn(e -> e.table().equals("Syslog") || e.table().equals("CommonSecurityLog"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(Instant.EPOCH.plusNanos(e.timeMicros() * 1_000))
                        .isBetween(first, end));
    }
}
