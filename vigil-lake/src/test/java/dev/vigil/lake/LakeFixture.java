package dev.vigil.lake;

import dev.vigil.config.LakeSettings;
import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.SharedData;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real attack telemetry (the EVTX attack samples of the shared data, as Sysmon and Security events) ingested through
 * the standard pipeline into both a lake and the embedded store, so that hunts over the two can be compared. Tenant
 * {@code acme} gets the Execution, Discovery and Credential Access samples; {@code globex} the Lateral Movement
 * ones, so that a leak between tenants shows.
 */
public final class LakeFixture {
    public static final TenantId ACME = TenantId.of("acme");
    public static final TenantId GLOBEX = TenantId.of("globex");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final Path data;
    private final LakeLayout layout;

    private LakeFixture(Path data, LakeLayout layout) {
        this.data = data;
        this.layout = layout;
    }

    /** Ingests the samples under {@code folder}: the store in {@code folder/store}, the lake in {@code folder/lake}. */
    public static LakeFixture create(Path folder) {
        LakeLayout layout = new LakeLayout(LakeSettings.local(folder.resolve("lake").toString()));
        LakeFixture fixture = new LakeFixture(folder.resolve("store"), layout);
        fixture.ingest(ACME, samples("Execution", "Discovery", "Credential Access"));
        fixture.ingest(GLOBEX, samples("Lateral Movement"));
        return fixture;
    }

    public Path storeData() {
        return data;
    }

    public LakeLayout layout() {
        return layout;
    }

    /** The shared data folder; the conformance tests skip without it (and fail under CI), as everywhere. */
    public static Path sharedData() {
        return SharedData.require("evtx-attack-samples-json", "sbousseaden/EVTX-ATTACK-SAMPLES").getParent();
    }

    static List<String> samples(String... tactics) {
        Path root = sharedData().resolve("evtx-attack-samples-json");
        return Stream.of(tactics).flatMap(tactic -> {
            try (Stream<Path> files = Files.list(root.resolve(tactic))) {
                return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().map(Path::toString).toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private void ingest(TenantId tenant, List<String> files) {
        try (TenantStore store = TenantStore.open(data, tenant, TenantStore.Mode.READ_WRITE);
                LakeWriter lake = new LakeWriter(layout)) {
            EventSink both = new EventSink() {
                @Override
                public Result append(Batch batch) {
                    lake.append(batch);
                    return store.append(batch);
                }

                @Override
                public void commit() {
                    lake.commit();
                    store.commit();
                }
            };
            new Ingestor(new Ingestor.Options(tenant, Format.AUTO, IngestDefaults.DEFAULT_TABLE, IngestLimits.DEFAULTS,
                    ZoneOffset.UTC), Normalizer.standard(CLOCK), both, Ingestor.ProgressListener.NONE, CLOCK,
                    new ByteArrayInputStream(new byte[0])).ingest(files);
            store.checkpoint();
        }
    }
}
