package dev.vigil.bench;

import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Inputs;
import dev.vigil.ingest.JsonRecordParser;
import dev.vigil.ingest.JsonRecordReader;
import dev.vigil.ingest.JsonShape;
import dev.vigil.ingest.JsonShapes;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.ParsedRecord;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordReader;
import dev.vigil.ingest.RecordRejectedException;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingest benchmark behind BENCHMARKS.md. It loads the JSON records of the given folders (by default the OTRF
 * and EVTX-ATTACK-SAMPLES data in ../shared/data) into memory once, then measures in the same process:
 * <ol>
 *   <li>the baseline: a bare Jackson parse of the same bytes, into a tree ({@code readTree}) and as a token stream;</li>
 *   <li>parse + normalize: what the ingest producer does per record (flatten, recognize the producer, map the
 *       common columns, derive the id), on one thread;</li>
 *   <li>end to end: {@code vigil ingest} of the folders into a fresh DuckDB store, reading the archives from disk.</li>
 * </ol>
 * Throughput is reported as records per second and as the ratio to the tree baseline, because these machines are
 * noisy and only ratios measured in one run compare well.
 *
 * <p>Usage: {@code java -cp ... dev.vigil.bench.IngestBenchmark [--rounds N] [--skip-store] [PATH...]}
 */
public final class IngestBenchmark {
    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        boolean store = true;
        boolean storeOnly = false;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--skip-store" -> store = false;
                case "--store-only" -> storeOnly = true;
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            String shared = System.getProperty("vigil.shared.data", System.getenv().getOrDefault("VIGIL_SHARED_DATA",
                    "../shared/data"));
            paths.add(shared + "/otrf-security-datasets");
            paths.add(shared + "/evtx-attack-samples-json");
        }
        System.out.printf(Locale.ROOT, "Vigil ingest benchmark: %s, %d cores, max heap %d MiB, Java %s%n", paths,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, Runtime.version());
        List<byte[]> records = load(paths);
        long bytes = records.stream().mapToLong(r -> r.length).sum();
        System.out.printf(Locale.ROOT, "corpus: %,d JSON records, %,d MiB%n%n", records.size(), bytes >> 20);

        JsonMapper mapper = JsonMapper.builder().build();
        JsonFactory factory = JsonFactory.builder().build();
        JsonRecordParser parser = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", JsonShape.AUTO));
        Normalizer normalizer = Normalizer.standard(Clock.systemUTC());
        TenantId tenant = TenantId.of("bench");

        double tree = best(rounds, "bare Jackson readTree (baseline)", records, record -> {
            JsonNode node = mapper.readTree(record);
            return node.size();
        });
        double tokens = best(rounds, "bare Jackson token stream", records, record -> {
            int count = 0;
            try (JsonParser p = factory.createParser(ObjectReadContext.empty(), record)) {
                while (p.nextToken() != null) {
                    count++;
                }
            }
            return count;
        });
        double normalize = best(rounds, "parse + normalize (Vigil)", records, record -> {
            try {
                ParsedRecord parsed = parser.parse(new RawRecord(record, POSITION));
                Event event = normalizer.normalize(tenant, new RawRecord(record, POSITION), parsed, 0);
                return event.fields().size();
            } catch (RecordRejectedException e) {
                return 0;
            }
        });
        System.out.println();
        System.out.printf(Locale.ROOT, "parse + normalize / readTree baseline:     %.2f%n", normalize / tree);
        System.out.printf(Locale.ROOT, "parse + normalize / token-stream baseline: %.2f%n", normalize / tokens);

        if (storeOnly) {
            List<Event> events = new ArrayList<>();
            for (byte[] record : records) {
                try {
                    RawRecord raw = new RawRecord(record, POSITION);
                    events.add(normalizer.normalize(tenant, raw, parser.parse(raw), 0));
                } catch (RecordRejectedException e) {
                    // not counted
                }
            }
            Path directory = Files.createTempDirectory("vigil-bench");
            try (TenantStore tenantStore = TenantStore.open(directory, tenant, TenantStore.Mode.READ_WRITE)) {
                long start = System.nanoTime();
                long appendNanos = 0;
                long commitNanos = 0;
                for (int from = 0; from < events.size(); from += 10_000) {
                    long a0 = System.nanoTime();
                    tenantStore.append(new dev.vigil.ingest.EventSink.Batch(events.subList(from,
                            Math.min(events.size(), from + 10_000)), List.of()));
                    appendNanos += System.nanoTime() - a0;
                    if ((from / 10_000) % 13 == 12 || from + 10_000 >= events.size()) {
                        long c0 = System.nanoTime();
                        tenantStore.commit();
                        commitNanos += System.nanoTime() - c0;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "store only: %,d events in %.1f s (append %.1f s, commit %.1f s): %,.0f events/s%n",
                        events.size(), seconds, appendNanos / 1e9, commitNanos / 1e9, events.size() / seconds);
            } finally {
                deleteRecursively(directory);
            }
            return;
        }
        if (store) {
            Path directory = Files.createTempDirectory("vigil-bench");
            try (TenantStore tenantStore = TenantStore.open(directory, tenant, TenantStore.Mode.READ_WRITE)) {
                Ingestor ingestor = new Ingestor(new Ingestor.Options(tenant, Format.AUTO, "JsonEvent",
                        IngestLimits.DEFAULTS, ZoneOffset.UTC), normalizer, tenantStore, Ingestor.ProgressListener.NONE,
                        Clock.systemUTC(), InputStream.nullInputStream());
                IngestSummary summary = ingestor.ingest(paths);
                tenantStore.checkpoint();
                double endToEnd = summary.read() / summary.seconds();
                System.out.println();
                System.out.printf(Locale.ROOT, "end to end into DuckDB: %,d records (%,d stored, %,d quarantined) in %.1f s:"
                        + " %,.0f records/s, %.2f of the readTree baseline%n", summary.read(), summary.stored(),
                        summary.quarantined(), summary.seconds(), endToEnd, endToEnd / tree);
                System.out.printf(Locale.ROOT, "store size: %,d MiB%n", Files.size(tenantStore.file()) >> 20);
            } finally {
                deleteRecursively(directory);
            }
        }
    }

    private static final dev.vigil.model.SourcePosition POSITION = new dev.vigil.model.SourcePosition("bench", 1, 0);

    @FunctionalInterface
    interface Work {
        int apply(byte[] record) throws Exception;
    }

    /** Runs the work over every record {@code rounds} times and reports the best round, in records per second. */
    private static double best(int rounds, String name, List<byte[]> records, Work work) throws Exception {
        double[] rates = new double[rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (byte[] record : records) {
                sink += work.apply(record);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            rates[round] = records.size() / seconds;
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "%-36s best %,10.0f records/s  median %,10.0f  (checksum %d)%n", name,
                rates[rounds - 1], rates[rounds / 2], sink % 10);
        return rates[rounds - 1];
    }

    private static List<byte[]> load(List<String> paths) throws IOException {
        List<byte[]> records = new ArrayList<>();
        Inputs inputs = new Inputs((name, reason) -> { }, InputStream.nullInputStream());
        inputs.walk(paths, (name, in) -> {
            var buffered = new java.io.BufferedInputStream(in);
            buffered.mark(1);
            int first = buffered.read();
            buffered.reset();
            if (first != '{') {
                return;
            }
            try (JsonRecordReader reader = new JsonRecordReader(buffered, name, 1 << 20)) {
                while (true) {
                    RawRecord record;
                    try {
                        record = reader.next();
                    } catch (RecordReader.Oversized e) {
                        continue;
                    }
                    if (record == null) {
                        break;
                    }
                    records.add(record.bytes());
                }
            }
        });
        return records;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (var walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

}
