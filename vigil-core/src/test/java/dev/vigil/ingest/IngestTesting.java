package dev.vigil.ingest;

import dev.vigil.model.TenantId;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Runs the {@link Ingestor} against an {@link InMemoryEventSink}, with a fixed clock. */
final class IngestTesting {
    static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private IngestTesting() {}

    static Ingestor ingestor(EventSink sink) {
        return ingestor(sink, IngestLimits.DEFAULTS, new byte[0]);
    }

    static Ingestor ingestor(EventSink sink, IngestLimits limits, byte[] stdin) {
        return ingestor(sink, limits, new ByteArrayInputStream(stdin));
    }

    static Ingestor ingestor(EventSink sink, IngestLimits limits, InputStream stdin) {
        Ingestor.Options options = new Ingestor.Options(TenantId.DEFAULT, Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                limits, ZoneOffset.UTC);
        return new Ingestor(options, Normalizer.standard(CLOCK), sink, Ingestor.ProgressListener.NONE, CLOCK, stdin);
    }

    static IngestSummary ingest(InMemoryEventSink sink, Path... paths) {
        return ingestor(sink).ingest(List.of(paths).stream().map(Path::toString).toList());
    }

    static IngestLimits withMaxRecordBytes(int maxRecordBytes) {
        IngestLimits d = IngestLimits.DEFAULTS;
        return new IngestLimits(maxRecordBytes, d.maxNestingDepth(), d.maxFieldsPerRecord(), d.batchSize(),
                d.commitRecords(), d.maxBatchBytes());
    }
}
