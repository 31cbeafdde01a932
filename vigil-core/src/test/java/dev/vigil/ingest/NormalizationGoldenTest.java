package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the normalized output of one sample per format. Samples written for this project (in
 * {@code src/test/resources/samples}) pin their field values too; samples from the shared data pin only the table,
 * time, common columns and the sorted native field names, so that no third-party record is copied into the
 * repository.
 */
class NormalizationGoldenTest {
    private static final Path SAMPLES = Path.of("src/test/resources/samples");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"winlogbeat.json", "firewall-events.csv", "syslog-rfc3164.log", "syslog-rfc5424.log",
        "cef-syslog.log", "leef.log", "auditd.log"})
    void ownSamplesNormalizeAsPinned(String sample) {
        Event event = firstEvent(IngestTesting.ingestor(new InMemoryEventSink()), SAMPLES.resolve(sample), null);
        Map<String, Object> values = new TreeMap<>();
        event.fields().forEach(values::put);
        Map<String, Object> golden = describe(event);
        golden.put("values", values);

        GoldenFiles.check(sample.substring(0, sample.lastIndexOf('.')), golden);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "evtx-dump|evtx-attack-samples-json/UACME_59_Sysmon.jsonl",
        "nxlog-otrf|otrf-security-datasets/datasets/atomic/windows/execution/host/psh_python_webserver.zip",
        "sentinel-securityevent|otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess/WindowsEvents.Zip",
        "sentinel-officeactivity|otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess/OfficeActivityEvents.Zip",
        "defender|otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess/Microsoft365DefenderEvents.Zip",
        "ocsf|ocsf-examples/mappings/markdown/Microsoft/O365/Exchange/messagetrace/v1.4.0/samples/messagetrace_Delivered.ocsf",
    })
    void sharedSamplesNormalizeAsPinned(String nameAndPath) throws IOException {
        String name = nameAndPath.substring(0, nameAndPath.indexOf('|'));
        String relative = nameAndPath.substring(nameAndPath.indexOf('|') + 1);
        Path root = SharedData.require(relative.substring(0, relative.indexOf('/')), "the public repository named "
                + "in ../shared/data/README.md");
        Path path = root.resolveSibling(relative);
        byte[] record = firstRecord(path);
        InMemoryEventSink sink = new InMemoryEventSink();

        Event event = firstEvent(IngestTesting.ingestor(sink, IngestLimits.DEFAULTS, record), null, sink);

        GoldenFiles.check(name, describe(event));
    }

    /** The first record of a shared file: its first line, the first line of a zip's first entry, or the whole file. */
    private static byte[] firstRecord(Path path) throws IOException {
        String file = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (file.endsWith(".zip")) {
            try (ZipFile zip = new ZipFile(path.toFile())) {
                List<ZipEntry> entries = new ArrayList<>(java.util.Collections.list(zip.entries()));
                entries.removeIf(e -> e.isDirectory() || e.getName().startsWith("__MACOSX/"));
                entries.sort(java.util.Comparator.comparing(ZipEntry::getName));
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(zip.getInputStream(entries.getFirst()), StandardCharsets.UTF_8))) {
                    return reader.readLine().getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        if (file.endsWith(".jsonl")) {
            try (BufferedReader reader = Files.newBufferedReader(path)) {
                return reader.readLine().getBytes(StandardCharsets.UTF_8);
            }
        }
        return Files.readAllBytes(path);
    }

    private static Event firstEvent(Ingestor ingestor, Path path, InMemoryEventSink given) {
        InMemoryEventSink sink = given;
        Ingestor run = ingestor;
        if (sink == null) {
            sink = new InMemoryEventSink();
            run = IngestTesting.ingestor(sink);
        }
        IngestSummary summary = run.ingest(List.of(path == null ? "-" : path.toString()));
        assertThat(summary.quarantineSamples()).isEmpty();
        assertThat(sink.events()).isNotEmpty();
        return sink.events().getFirst();
    }

    private static Map<String, Object> describe(Event event) {
        Map<String, Object> common = new LinkedHashMap<>();
        for (CommonColumn column : CommonColumn.values()) {
            if (event.common(column) != null) {
                common.put(column.columnName(), event.common(column));
            }
        }
        Map<String, Object> golden = new LinkedHashMap<>();
        golden.put("table", event.table());
        golden.put("time", Timestamps.format(event.timeMicros()));
        golden.put("common", common);
        golden.put("fields", new ArrayList<>(new TreeSet<>(event.fields().keySet())));
        return golden;
    }
}
