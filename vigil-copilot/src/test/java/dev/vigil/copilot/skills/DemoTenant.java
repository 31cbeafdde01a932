package dev.vigil.copilot.skills;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.demo.DemoOrganization;
import dev.vigil.incident.TacticStages;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.BuiltinRules;
import dev.vigil.sigma.DetectingSink;
import dev.vigil.sigma.Detector;
import dev.vigil.sigma.LogSourceMap;
import dev.vigil.sigma.Placeholders;
import dev.vigil.sigma.RuleSet;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.store.TenantStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real tenant for the skill specifications: the Kestrel Freight demo telemetry of the three weeks before {@link #DAY}
 * (whose attacks all fall on the day before it), ingested through Vigil's built-in rules as {@code vigil demo} does, and its alerts correlated into incidents.
 */
final class DemoTenant {
    static final LocalDate DAY = LocalDate.of(2030, 1, 3);
    /** A small background: the skills are specified on the attacks, which are the same at every scale. */
    static final double SCALE = 0.05;
    /** The demo's data runs from midnight two days before {@link #DAY} to the end of that day. */
    static final Instant START = DAY.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    static final Instant END = DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private DemoTenant() {}

    /** The configuration of a data directory, with every other key at its default. */
    static VigilConfig config(Path data, TenantId tenant) {
        return ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(), "tenant", tenant.value()));
    }

    /** Seeds the tenant's store under the data directory with the demo organization; the store is left closed. */
    static void seed(Path data, TenantId tenant, LocalDate day) {
        seed(data, tenant, day, true);
    }

    /**
     * Seeds the tenant's store with the demo organization's events and alerts, and correlates the alerts into
     * incidents in the store when {@code correlate} says so (else they are left for another repository to hold).
     */
    static void seed(Path data, TenantId tenant, LocalDate day, boolean correlate) {
        List<Path> files;
        try {
            files = new DemoOrganization(day, SCALE).writeTo(data.resolve("demo-input").resolve(tenant.value()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VigilConfig config = config(data, tenant);
        List<SigmaDocument> documents = new ArrayList<>();
        for (BuiltinRules.File file : BuiltinRules.files()) {
            documents.addAll(SigmaParser.parse(file.yaml(), file.source()));
        }
        RuleSet rules = RuleSet.compile(documents, LogSourceMap.builtIn(), Placeholders.none());
        try (TenantStore store = TenantStore.open(data, tenant, TenantStore.Mode.READ_WRITE)) {
            DetectingSink<TenantStore> detecting = new DetectingSink<>(store, new Detector(tenant, rules));
            Clock clock = Clock.systemUTC();
            new Ingestor(new Ingestor.Options(tenant, Format.AUTO, IngestDefaults.DEFAULT_TABLE, IngestLimits.DEFAULTS,
                    ZoneOffset.UTC), Normalizer.standard(clock), detecting, Ingestor.ProgressListener.NONE, clock,
                    new ByteArrayInputStream(new byte[0])).ingest(files.stream().map(Path::toString).toList());
            detecting.finish();
            store.commit();
            if (correlate) {
                correlate(store, config, day);
            }
            store.checkpoint();
        }
    }

    /** Correlates the store's alerts into incidents as {@code vigil demo} does, where the store keeps its incidents. */
    static void correlate(TenantStore store, VigilConfig config, LocalDate day) {
        store.incidents().correlate(config.correlationPolicy(), TacticStages.unknown(),
                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), step -> { });
        store.commit();
    }
}
