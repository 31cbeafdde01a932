package dev.vigil.ingest;

import static dev.vigil.ingest.IngestTesting.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.model.Event;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.QuarantinedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final InMemoryEventSink sink = new InMemoryEventSink();

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private IngestSummary run(Path... paths) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> ingest(sink, paths));
    }

    @Test
    void everyRecordReadIsStoredOrQuarantined() throws IOException {
        Path log = file("mixed.json", "{\"a\":1}\nnot json\n{\"b\":2}\n\"just text\"\n{\"c\":3}\n");

        IngestSummary summary = run(log);

        assertThat(summary.read()).isEqualTo(5);
        assertThat(summary.stored()).isEqualTo(3);
        assertThat(summary.quarantined()).isEqualTo(2);
        assertThat(summary.read()).isEqualTo(summary.stored() + summary.quarantined());
        assertThat(summary.quarantinedByReason()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("malformed_json", 1L, "not_an_object", 1L));
        assertThat(summary.tables()).containsExactlyEntriesOf(java.util.Map.of("JsonEvent", 3L));
        assertThat(sink.events()).hasSize(3);
        assertThat(sink.quarantined()).hasSize(2);
        assertThat(sink.commits()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void recordsAreCountedOnlyOnceCommittedAndACommitFailureSurfaces() throws IOException {
        Path log = file("a.json", "{\"a\":1}\n{\"b\":2}\n");
        InMemoryEventSink failing = new InMemoryEventSink().failingCommitsWith(new IllegalStateException("disk full"));
        List<Ingestor.Progress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        Ingestor ingestor = new Ingestor(new Ingestor.Options(dev.vigil.model.TenantId.DEFAULT, Format.AUTO,
                IngestDefaults.DEFAULT_TABLE, IngestLimits.DEFAULTS, java.time.ZoneOffset.UTC),
                Normalizer.standard(IngestTesting.CLOCK), failing, progress::add, IngestTesting.CLOCK,
                java.io.InputStream.nullInputStream());

        Throwable error = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(HANG_GUARD,
                () -> catchThrowable(() -> ingestor.ingest(List.of(log.toString()))));

        assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
        assertThat(failing.storedCount()).isZero();
        assertThat(failing.appends()).isEqualTo(1);
        assertThat(progress).allSatisfy(p -> {
            assertThat(p.read()).isZero();
            assertThat(p.stored()).isZero();
        });
    }

    @Test
    void identicalRecordsInOneSourceAreDistinctEvents() throws IOException {
        Path log = file("dup.log", "<34>Oct 11 22:14:15 host su: failed\n<34>Oct 11 22:14:15 host su: failed\n");

        IngestSummary summary = run(log);

        assertThat(summary.stored()).isEqualTo(2);
        assertThat(summary.storedNew()).isEqualTo(2);
        assertThat(sink.events()).extracting(Event::id).doesNotHaveDuplicates();
    }

    @Test
    void theSameRecordInTwoFilesGetsTheSameIdAndIsStoredOnce() throws IOException {
        String record = "{\"TimeGenerated\":\"2024-05-01T10:00:00Z\",\"Type\":\"MyLog\",\"x\":1}\n";
        Path first = file("one.json", record);
        Path second = file("two.json", record);

        IngestSummary summary = run(first, second);

        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.stored()).isEqualTo(2);
        assertThat(summary.storedNew()).isEqualTo(1);
        assertThat(summary.alreadyStored()).isEqualTo(1);
        assertThat(sink.events()).extracting(Event::id).hasSize(2).containsOnly(sink.events().getFirst().id());
    }

    @Test
    void quarantineReasonsCarryTheSourceAndLine() throws IOException {
        byte[] invalidUtf8 = "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes("{\"ok\":1}\n{\"big\":\"".getBytes(StandardCharsets.UTF_8));
        content.writeBytes("x".repeat(200).getBytes(StandardCharsets.UTF_8));
        content.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
        content.writeBytes(invalidUtf8);
        content.writeBytes("\n{\"a\":}\n{\"ok\":2}\n".getBytes(StandardCharsets.UTF_8));
        Path log = file("bad.json", content.toByteArray());

        IngestSummary summary = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(HANG_GUARD,
                () -> IngestTesting.ingestor(sink, IngestTesting.withMaxRecordBytes(64), new byte[0])
                        .ingest(List.of(log.toString())));

        assertThat(summary.read()).isEqualTo(5);
        assertThat(summary.stored()).isEqualTo(2);
        assertThat(sink.quarantined()).extracting(QuarantinedRecord::describe).containsExactly(
                log + ":2: record_too_large: record of 210 bytes is larger than ingest.max-record-bytes (64)",
                log + ":3: invalid_utf8: invalid UTF-8 byte 0xe9 at byte 6 of the record",
                log + ":4: malformed_json: Unexpected character ('}' (code 125)): expected a value at line 1 column 6");
        assertThat(summary.quarantineSamples()).containsExactlyElementsOf(
                sink.quarantined().stream().map(QuarantinedRecord::describe).toList());
        QuarantinedRecord oversized = sink.quarantined().getFirst();
        assertThat(oversized.raw()).hasSize(64);
        assertThat(oversized.rawLength()).isEqualTo(210);
        assertThat(oversized.reason()).isEqualTo(QuarantineReason.RECORD_TOO_LARGE);
    }

    @Test
    void filesThatAreNotLogsAreSkippedWithTheReason() throws IOException {
        Path readme = file("README.txt", "This folder holds the logs of the lab.\nRead them with care, please.\n");
        Path pcap = file("capture.pcap", new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1, 2, 0, 4, 0});
        Path log = file("a.json", "{\"a\":1}\n");

        IngestSummary summary = run(readme, pcap, log);

        assertThat(summary.stored()).isEqualTo(1);
        assertThat(summary.skipped()).containsExactly(
                new IngestSummary.Skipped(readme.toString(),
                        "not in a log format Vigil recognizes; to read it line by line, use --format lines --table NAME"),
                new IngestSummary.Skipped(pcap.toString(), "a pcap packet capture, not a log"));
    }

    @Test
    void aBinaryLogIsQuarantinedWhole() throws IOException {
        byte[] evtx = Arrays.copyOf("ElfFile\0".getBytes(StandardCharsets.ISO_8859_1), 5000);
        Path log = file("Security.evtx", evtx);

        IngestSummary summary = run(log);

        assertThat(summary.read()).isEqualTo(1);
        assertThat(summary.quarantinedByReason()).containsEntry("unsupported_format", 1L);
        assertThat(sink.quarantined().getFirst().rawLength()).isEqualTo(5000);
    }

    @Test
    void aTruncatedGzipIsAFailedSourceButWhatWasReadIsKept() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("{\"n\":").append(i).append(",\"pad\":\"").append(Integer.toHexString(i * 7919)).append("\"}\n");
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = compressed.toByteArray();
        Path cut = file("cut.json.gz", Arrays.copyOf(whole, whole.length / 2));

        IngestSummary summary = run(cut);

        assertThat(summary.failedSources()).singleElement().satisfies(failed -> {
            assertThat(failed.source()).isEqualTo(dir.resolve("cut.json").toString());
            assertThat(failed.reason()).isNotBlank();
        });
        assertThat(summary.stored()).isPositive().isLessThan(20_000);
        assertThat(summary.read()).isEqualTo(summary.stored() + summary.quarantined());
    }

    @Test
    void dashReadsStandardInput() {
        byte[] stdin = "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8);

        IngestSummary summary = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(HANG_GUARD,
                () -> IngestTesting.ingestor(sink, IngestLimits.DEFAULTS, stdin).ingest(List.of("-")));

        assertThat(summary.stored()).isEqualTo(2);
        assertThat(sink.events()).extracting(e -> e.position().toString()).containsExactly("stdin:1", "stdin:2");
    }

    @Test
    void manyBatchesAreAllAccountedFor() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_500; i++) {
            lines.append(i % 10 == 9 ? "broken {\n" : "{\"i\":" + i + "}\n");
        }
        Path log = file("many.json", lines.toString());
        IngestLimits d = IngestLimits.DEFAULTS;
        IngestLimits small = new IngestLimits(d.maxRecordBytes(), d.maxNestingDepth(), d.maxFieldsPerRecord(), 100, 300, d.maxBatchBytes());

        IngestSummary summary = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(HANG_GUARD,
                () -> IngestTesting.ingestor(sink, small, new byte[0]).ingest(List.of(log.toString())));

        assertThat(summary.read()).isEqualTo(2_500);
        assertThat(summary.quarantined()).isEqualTo(250);
        assertThat(summary.stored()).isEqualTo(2_250);
        assertThat(sink.appends()).isEqualTo(25);
        assertThat(summary.quarantineSamples()).hasSize(10);
    }

    @Test
    void aBatchIsHandedOverOnceItHoldsMaxBatchBytesOfRecordsWhateverItsCount() throws IOException {
        String padding = "x".repeat(10_000);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            lines.append("{\"i\":").append(i).append(",\"pad\":\"").append(padding).append("\"}\n");
        }
        Path log = file("large.json", lines.toString());
        IngestLimits d = IngestLimits.DEFAULTS;
        IngestLimits bounded = new IngestLimits(d.maxRecordBytes(), d.maxNestingDepth(), d.maxFieldsPerRecord(),
                d.batchSize(), d.commitRecords(), 1 << 16);

        IngestSummary summary = IngestTesting.ingestor(sink, bounded, new byte[0]).ingest(List.of(log.toString()));

        // 64 KiB holds six records of 10 KB and takes the seventh: 100 records in 15 batches, not one
        assertThat(summary.stored()).isEqualTo(100);
        assertThat(sink.appends()).isEqualTo(15);
    }

    @Test
    void aSlowStreamIsStoredAsItArrivesNotWhenABatchIsFull() throws Exception {
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        java.io.PipedInputStream stdin = new java.io.PipedInputStream(feed, 1 << 16);
        Thread ingest = Thread.ofPlatform().start(() ->
                IngestTesting.ingestor(sink, IngestLimits.DEFAULTS, stdin).ingest(List.of("-")));
        try {
            feed.write("{\"n\":1}\n{\"n\":2}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            feed.flush();
            Thread.sleep(1_200);
            feed.write("{\"n\":3}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            feed.flush();

            // the stream stays open: the records must be committed anyway, long before a batch of 10,000 fills
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (sink.events().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sink.events()).hasSize(3);
        } finally {
            feed.close();
            ingest.join(15_000);
        }
    }

    @Test
    void aMissingPathFailsBeforeAnythingIsRead() throws IOException {
        Path log = file("a.json", "{\"a\":1}\n");

        Throwable error = catchThrowable(() -> run(log, dir.resolve("missing.json")));

        assertThat(error).isInstanceOf(dev.vigil.model.VigilException.class);
        assertThat(((dev.vigil.model.VigilException) error).code()).isEqualTo(dev.vigil.model.ErrorCode.INPUT_NOT_FOUND);
        assertThat(sink.appends()).isZero();
    }
}
