package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Third-party ground truth from the shared data folder: real Windows event exports that must ingest without a single
 * quarantined record, with the counts their indexes give.
 */
class SharedDataConformanceTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration HANG_GUARD = Duration.ofMinutes(10);
    private static final long NOW_MICROS = IngestTesting.NOW.getEpochSecond() * 1_000_000L;
    private static final Set<String> WINDOWS_TABLES = Set.of("SecurityEvent", "SysmonEvent", "WindowsEvent");

    private static List<JsonNode> index(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> !line.isBlank()).map(JSON::readTree).toList();
        }
    }

    private static IngestSummary ingest(InMemoryEventSink sink, Path path) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(HANG_GUARD,
                () -> IngestTesting.ingest(sink, path));
    }

    @TestFactory
    Stream<DynamicTest> everyEvtxAttackSampleIngestsWholeWithTheIndexedEventCount() throws IOException {
        Path root = SharedData.require("evtx-attack-samples-json",
                "https://github.com/sbousseaden/EVTX-ATTACK-SAMPLES (converted to JSON lines)");
        return index(root.resolve("samples_index.jsonl")).stream().map(entry -> DynamicTest.dynamicTest(
                entry.get("path").asString(), () -> {
                    InMemoryEventSink sink = InMemoryEventSink.countingOnly();
                    IngestSummary summary = ingest(sink, root.resolve(entry.get("path").asString()));

                    assertThat(summary.quarantineSamples()).isEmpty();
                    assertThat(summary.quarantined()).isZero();
                    assertThat(summary.failedSources()).isEmpty();
                    assertThat(summary.stored()).isEqualTo(entry.get("events").asLong());
                    assertThat(summary.tables().keySet()).isSubsetOf(WINDOWS_TABLES);
                }));
    }

    @TestFactory
    Stream<DynamicTest> everySigmaRegressionEventIsAWindowsEventWithItsSystemFields() throws IOException {
        Path root = SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        return index(root.resolve("regression_index.derived.jsonl")).stream().map(entry -> DynamicTest.dynamicTest(
                entry.get("rule_title").asString(), () -> {
                    Path events = root.resolve(entry.get("json_event_path").asString());
                    InMemoryEventSink sink = new InMemoryEventSink();
                    IngestSummary summary = ingest(sink, events);
                    String text = Files.readString(events);

                    assertThat(summary.quarantineSamples()).isEmpty();
                    assertThat(summary.quarantined()).isZero();
                    assertThat(summary.stored()).isPositive();
                    for (Event event : sink.events()) {
                        assertThat(event.table()).as(event.position().toString()).isIn(WINDOWS_TABLES);
                        assertThat(event.fields()).as(event.position().toString()).containsKeys("EventID", "Computer");
                        assertThat(event.fields().get("EventID")).isNotNull();
                        if (text.contains("\"Channel\"")) {
                            assertThat(event.fields()).as(event.position().toString()).containsKey("Channel");
                        }
                        assertThat(event.timeMicros()).as("parsed time of %s", event.position()).isNotEqualTo(NOW_MICROS);
                    }
                }));
    }

    @Test
    void theSigmaRegressionIndexListsEveryEventFileTheInfoFilesName() throws IOException {
        Path root = SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        Set<String> indexed = new java.util.HashSet<>();
        for (JsonNode entry : index(root.resolve("regression_index.derived.jsonl"))) {
            indexed.add(entry.get("json_event_path").asString());
        }
        Pattern evtxPath = Pattern.compile("(?m)^\\s*path:\\s*(\\S+)\\.evtx\\s*$");
        List<String> named = new ArrayList<>();
        try (Stream<Path> infos = Files.walk(root.resolve("regression_data"))) {
            for (Path info : infos.filter(p -> p.getFileName().toString().equals("info.yml")).toList()) {
                Matcher matcher = evtxPath.matcher(Files.readString(info));
                while (matcher.find()) {
                    String json = matcher.group(1) + ".json";
                    if (Files.exists(root.resolve(json))) {
                        named.add(json);
                    }
                }
            }
        }

        assertThat(named).isNotEmpty();
        assertThat(indexed).containsAll(named);
    }

    @Test
    void theWholeOtrfCorpusIngestsWithoutQuarantine() throws IOException {
        Path root = SharedData.require("otrf-security-datasets", "https://github.com/OTRF/Security-Datasets");
        InMemoryEventSink sink = InMemoryEventSink.countingOnly();

        IngestSummary summary = ingest(sink, root.resolve("datasets"));

        assertThat(summary.quarantineSamples()).isEmpty();
        assertThat(summary.quarantined()).isZero();
        assertThat(summary.stored()).isEqualTo(sink.storedCount()).isGreaterThan(100_000);
        assertThat(summary.skipped()).allSatisfy(skipped -> assertThat(skipped.source().toLowerCase(Locale.ROOT))
                .as("skipped: %s (%s)", skipped.source(), skipped.reason())
                .matches(".*(\\.ya?ml|\\.md|license[^/]*|\\.pcap|\\.pcapng|/__macosx/.*|/\\._[^/]*|\\.ds_store)$"));
        // Sources that break off must really be truncated upstream, not misread by Vigil.
        for (IngestSummary.Skipped failed : summary.failedSources()) {
            String archive = failed.source().replaceFirst("\\.tar!.*$", ".tar.gz").replaceFirst("!.*$", "");
            assertThat(isTruncatedGzip(Path.of(archive))).as("failed source %s: %s", failed.source(), failed.reason())
                    .isTrue();
        }
    }

    private static boolean isTruncatedGzip(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return false;
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            return true;
        }
    }

    @TestFactory
    Stream<DynamicTest> otrfDatasetsStoreOneEventPerJsonLine() {
        Path root = SharedData.require("otrf-security-datasets", "https://github.com/OTRF/Security-Datasets");
        return Stream.of(
                        "datasets/atomic/windows/execution/host/psh_python_webserver.zip",
                        "datasets/atomic/windows/lateral_movement/host/schtask_create.zip",
                        "datasets/compound/GoldenSAMLADFSMailAccess/Microsoft365DefenderEvents.Zip",
                        "datasets/compound/GoldenSAMLADFSMailAccess/WindowsEvents.Zip")
                .map(root::resolve)
                .map(zip -> DynamicTest.dynamicTest(zip.getFileName().toString(), () -> {
                    InMemoryEventSink sink = InMemoryEventSink.countingOnly();
                    IngestSummary summary = ingest(sink, zip);

                    assertThat(summary.quarantined()).isZero();
                    assertThat(summary.stored()).isEqualTo(jsonLines(zip)).isPositive();
                }));
    }

    private static long jsonLines(Path zip) throws IOException {
        long lines = 0;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("__MACOSX/") || name.contains("/._")
                        || !name.toLowerCase(Locale.ROOT).endsWith(".json")) {
                    continue;
                }
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(file.getInputStream(entry), StandardCharsets.UTF_8))) {
                    lines += reader.lines().filter(line -> line.strip().startsWith("{")).count();
                }
            }
        }
        return lines;
    }
}
