package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
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
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordReader;
import dev.vigil.ingest.RecordRejectedException;
import dev.vigil.model.Event;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingest benchmark behind {@code vigil bench ingest} and BENCHMARKS.md. In one process it measures:
 * <ol>
 *   <li>the baseline: a bare Jackson parse of the corpus's JSON records, into a tree ({@code readTree}) and as a
 *       token stream;</li>
 *   <li>parse + normalize: what the ingest producer does per record (flatten, recognize the producer, map the common
 *       columns, derive the id), on one thread;</li>
 *   <li>end to end: an ingest of the given paths into a fresh DuckDB store in a temporary folder, reading the archives
 *       from disk, until the last commit returns;</li>
 *   <li>optionally the store alone, on events parsed beforehand.</li>
 * </ol>
 * The parse measurements run over an in-memory sample of the corpus (the first {@code sampleBytes} of its JSON
 * records), best of {@code rounds}; every figure is reported with its ratio to the {@code readTree} baseline, because
 * only ratios measured in one run compare well on noisy machines.
 */
public final class IngestBenchmark {
    private static final SourcePosition POSITION = new SourcePosition("bench", 1, 0);
    private static final TenantId TENANT = TenantId.of("bench");

    /**
     * @param paths what to ingest (files, folders, archives)
     * @param rounds rounds of each parse measurement; the best counts
     * @param sampleBytes how much of the corpus's JSON to hold in memory for the parse measurements
     * @param endToEnd whether to run the end-to-end ingest
     * @param storeOnly whether to measure the store alone (holds the parsed sample's events in memory)
     */
    public record Options(List<String> paths, int rounds, long sampleBytes, boolean endToEnd, boolean storeOnly) {
        public Options {
            paths = List.copyOf(paths);
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("no paths to benchmark");
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1");
            }
        }
    }

    /** One measured figure. {@code ratio} is to the readTree baseline of the same run. */
    public record Measurement(String name, long records, double seconds, double recordsPerSecond, double ratio) {}

    /** What a run measured, with the corpus it measured on. */
    public record Report(long sampleRecords, long sampleBytes, List<Measurement> measurements, IngestSummary endToEnd) {
        public Report {
            measurements = List.copyOf(measurements);
        }
    }

    private final Options options;
    private final PrintWriter progress;

    public IngestBenchmark(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws Exception {
        JsonMapper mapper = JsonMapper.builder().build();
        // Every measurement runs over the same records, so only those the baseline itself can parse are kept.
        List<byte[]> records = new ArrayList<>(load(options.paths(), options.sampleBytes()).stream()
                .filter(record -> parsesAsJson(mapper, record)).toList());
        long bytes = records.stream().mapToLong(r -> r.length).sum();
        progress.printf(Locale.ROOT, "bench: %,d JSON records (%,d MiB) in memory for the parse measurements%n",
                records.size(), bytes >> 20);
        JsonFactory factory = JsonFactory.builder().build();
        JsonRecordParser parser = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", JsonShape.AUTO));
        Normalizer normalizer = Normalizer.standard(Clock.systemUTC());

        List<Measurement> measurements = new ArrayList<>();
        double baseline = best("bare Jackson readTree (baseline)", records, record -> mapper.readTree(record).size());
        measurements.add(measurement("bare Jackson readTree (baseline)", records.size(), baseline, baseline));
        double tokens = best("bare Jackson token stream", records, record -> {
            int count = 0;
            try (JsonParser p = factory.createParser(ObjectReadContext.empty(), record)) {
                while (p.nextToken() != null) {
                    count++;
                }
            }
            return count;
        });
        measurements.add(measurement("bare Jackson token stream", records.size(), tokens, baseline));
        double normalize = best("parse + normalize (Vigil)", records, record -> {
            try {
                RawRecord raw = new RawRecord(record, POSITION);
                return normalizer.normalize(TENANT, raw, parser.parse(raw), 0).fields().size();
            } catch (RecordRejectedException e) {
                return 0;
            }
        });
        measurements.add(measurement("parse + normalize (Vigil), one thread", records.size(), normalize, baseline));

        if (options.storeOnly()) {
            List<Event> events = new ArrayList<>();
            for (byte[] record : records) {
                try {
                    RawRecord raw = new RawRecord(record, POSITION);
                    events.add(normalizer.normalize(TENANT, raw, parser.parse(raw), 0));
                } catch (RecordRejectedException e) {
                    // not counted
                }
            }
            records = null; // the events hold what the store needs
            double seconds = inFreshStore(store -> {
                long start = System.nanoTime();
                for (int from = 0; from < events.size(); from += IngestLimits.DEFAULTS.batchSize()) {
                    store.append(new EventSink.Batch(events.subList(from,
                            Math.min(events.size(), from + IngestLimits.DEFAULTS.batchSize())), List.of()));
                    if ((from / IngestLimits.DEFAULTS.batchSize() + 1) % 13 == 0) {
                        store.commit();
                    }
                }
                store.commit();
                return (System.nanoTime() - start) / 1e9;
            });
            double rate = events.size() / seconds;
            progress.printf(Locale.ROOT, "bench: store alone %,.0f records/s%n", rate);
            measurements.add(new Measurement("store alone (events parsed beforehand)", events.size(), seconds, rate,
                    rate / baseline));
        }

        IngestSummary summary = null;
        if (options.endToEnd()) {
            progress.println("bench: end to end into a fresh store...");
            IngestSummary[] result = new IngestSummary[1];
            inFreshStore(store -> {
                Ingestor ingestor = new Ingestor(new Ingestor.Options(TENANT, Format.AUTO, "JsonEvent",
                        IngestLimits.DEFAULTS, ZoneOffset.UTC), normalizer, store, Ingestor.ProgressListener.NONE,
                        Clock.systemUTC(), InputStream.nullInputStream());
                result[0] = ingestor.ingest(options.paths());
                return result[0].seconds();
            });
            summary = result[0];
            double rate = summary.read() / summary.seconds();
            measurements.add(new Measurement("end to end into DuckDB (parse and store threads)", summary.read(),
                    summary.seconds(), rate, rate / baseline));
        }
        return new Report(records == null ? 0 : records.size(), bytes, measurements, summary);
    }

    private static boolean parsesAsJson(JsonMapper mapper, byte[] record) {
        try {
            mapper.readTree(record);
            return true;
        } catch (tools.jackson.core.JacksonException e) {
            return false;
        }
    }

    private static Measurement measurement(String name, long records, double rate, double baseline) {
        return new Measurement(name, records, records / rate, rate, rate / baseline);
    }

    @FunctionalInterface
    private interface StoreWork {
        double run(TenantStore store) throws Exception;
    }

    private static double inFreshStore(StoreWork work) throws Exception {
        Path directory = Files.createTempDirectory("vigil-bench");
        try (TenantStore store = TenantStore.open(directory, TENANT, TenantStore.Mode.READ_WRITE)) {
            return work.run(store);
        } finally {
            try (var walk = Files.walk(directory)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        int apply(byte[] record) throws Exception;
    }

    /** Runs the work over every record {@code rounds} times and returns the best round's records per second. */
    private double best(String name, List<byte[]> records, Work work) throws Exception {
        double[] rates = new double[options.rounds()];
        long checksum = 0;
        for (int round = 0; round < rates.length; round++) {
            long start = System.nanoTime();
            for (byte[] record : records) {
                checksum += work.apply(record);
            }
            rates[round] = records.size() / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        progress.printf(Locale.ROOT, "bench: %-38s best %,10.0f records/s, median %,10.0f (checksum %d)%n", name,
                rates[rates.length - 1], rates[rates.length / 2], checksum % 10);
        return rates[rates.length - 1];
    }

    /** The JSON records of the paths, up to about {@code maxBytes} of them. */
    static List<byte[]> load(List<String> paths, long maxBytes) throws IOException {
        List<byte[]> records = new ArrayList<>();
        long[] total = {0};
        Inputs inputs = new Inputs((name, reason) -> { }, InputStream.nullInputStream());
        try {
            inputs.walk(paths, (name, in) -> {
                if (total[0] >= maxBytes) {
                    return;
                }
                BufferedInputStream buffered = new BufferedInputStream(in);
                buffered.mark(1);
                int first = buffered.read();
                buffered.reset();
                if (first != '{') {
                    return;
                }
                try (JsonRecordReader reader = new JsonRecordReader(buffered, name, IngestLimits.DEFAULTS.maxRecordBytes())) {
                    while (total[0] < maxBytes) {
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
                        total[0] += record.length();
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return records;
    }

    /** {@code java -cp ... dev.vigil.bench.IngestBenchmark [--rounds N] [--sample-mb N] [--skip-store] [--store-only] [PATH...]} */
    public static void main(String[] args) throws Exception {
        int rounds = 5;
        long sample = 4L << 30;
        boolean endToEnd = true;
        boolean storeOnly = false;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--sample-mb" -> sample = Long.parseLong(args[++i]) << 20;
                case "--skip-store" -> endToEnd = false;
                case "--store-only" -> {
                    storeOnly = true;
                    endToEnd = false;
                }
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            paths.addAll(defaultPaths());
        }
        PrintWriter out = new PrintWriter(System.out, true);
        Report report = new IngestBenchmark(new Options(paths, rounds, sample, endToEnd, storeOnly), out).run();
        for (Measurement m : report.measurements()) {
            out.printf(Locale.ROOT, "%-50s %,12.0f records/s  %5.2f of the readTree baseline%n", m.name(),
                    m.recordsPerSecond(), m.ratio());
        }
    }

    /** The OTRF and EVTX-ATTACK-SAMPLES folders of the shared data (vigil.shared.data, VIGIL_SHARED_DATA, ../shared/data). */
    public static List<String> defaultPaths() {
        String shared = System.getProperty("vigil.shared.data",
                System.getenv().getOrDefault("VIGIL_SHARED_DATA", "../shared/data"));
        return List.of(shared + "/otrf-security-datasets", shared + "/evtx-attack-samples-json");
    }
}
