package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.DemoOrganization;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo organization's telemetry: the same on every run for a day, and every record readable as written. */
class DemoTelemetryTest {
    private static final LocalDate DAY = LocalDate.of(2030, 1, 2);

    @TempDir
    Path directory;

    @Test
    void theSameDayGivesTheSameBytesInEveryJvm() throws Exception {
        // Pinned by digest against a golden file written by an earlier JVM: a map whose iteration order changes
        // between JVMs (Map.of) would change the records' bytes, their event ids, and so re-running the demo would
        // store everything again.
        Map<String, Object> digests = new TreeMap<>();
        for (Path file : new DemoOrganization(DAY).writeTo(directory)) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            digests.put(file.getFileName().toString(), HexFormat.of().formatHex(digest));
        }

        GoldenFiles.check("demo-telemetry-digests", digests);
    }

    @Test
    void everyRecordIsStoredAndTheAttacksAreInTheData() throws Exception {
        List<Path> files = new DemoOrganization(DAY).writeTo(directory);
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, files.toArray(Path[]::new));

        assertThat(summary.quarantined()).isZero();
        assertThat(summary.stored()).isEqualTo(summary.read()).isPositive();
        assertThat(summary.tables()).containsOnlyKeys("SecurityEvent", "SysmonEvent", "SigninLogs", "CommonSecurityLog",
                "Syslog", "WindowsEvent");
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
    }
}
