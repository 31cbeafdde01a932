package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.JsonRecordParser;
import dev.vigil.ingest.JsonShape;
import dev.vigil.ingest.JsonShapes;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordRejectedException;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorIndex;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IocDetector;
import dev.vigil.intel.ioc.Provenance;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.AlertSink;
import dev.vigil.sigma.DetectingSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The indicator-matching benchmark: {@code n} generated indicators (IPv4 addresses and networks, IPv6 addresses,
 * domains, URLs and MD5, SHA-1 and SHA-256 digests, with 50 addresses and digests taken from the events themselves so
 * that matches happen) loaded into an {@link IndicatorIndex}, its heap footprint after a full GC, and then, on one
 * thread, over real JSON records held in memory, after two warm-up rounds and with the measured rounds interleaved
 * (so that the machine's other load weighs on each alike), best of {@code rounds}:
 * <ol>
 *   <li>parse + normalize (ingest with matching off);</li>
 *   <li>parse + normalize + indicator matching ({@link IocDetector}) of each event fresh from the parser (ingest with
 *       matching on, measured as {@link SigmaBenchmark} measures the rules);</li>
 *   <li>parse + normalize, and matching a batch of 10,000 events at a time, as ingest hands batches to detection
 *       (their text has left the processor's cache by then);</li>
 *   <li>indicator matching alone over the first 50,000 events normalized beforehand (cold in memory);</li>
 *   <li>the real ingest pipeline ({@link Ingestor}: parsing on one thread, the sink on another) over the same
 *       records written to a file, into a sink that only counts, without and with matching.</li>
 * </ol>
 * The ratio of 2 to 1 is what matching costs ingest; the issue asks for at least 0.8.
 */
public final class IocBenchmark {
    private static final SourcePosition POSITION = new SourcePosition("bench", 1, 0);
    private static final TenantId TENANT = TenantId.of("bench");
    private static final int BATCH = 1_000;
    /** What ingest hands detection at once by default ({@code ingest.batch-size}). */
    private static final int INGEST_BATCH = 10_000;
    private static final int WARM_UP_ROUNDS = 2;
    /** Events held normalized for matching alone (and for the values planted among the indicators). */
    private static final int ALONE_EVENTS = 50_000;
    /** Values of the events planted among the generated indicators, so that matching finds something. */
    private static final int PLANTED = 50;
    private static final String[] TLDS = {"com", "net", "org", "info", "ru", "cn", "xyz", "top", "io", "biz", "de",
            "co.uk", "online", "site"};

    public record Options(List<String> events, long sampleBytes, int indicators, int rounds) {
        public Options {
            events = List.copyOf(events);
        }
    }

    /**
     * @param indicators indicators in the index
     * @param byType of them, by type
     * @param buildSeconds generating and indexing them
     * @param heapBytes the index's heap after a full GC, less the heap before
     * @param arrayBytes the index's arrays alone
     * @param records JSON records measured on
     * @param normalizePerSecond parse + normalize, records/s
     * @param matchingOnPerSecond parse + normalize + matching, records/s
     * @param ratio the second over the first (matching on over off)
     * @param matchingOnBatchedPerSecond parse + normalize, then matching per batch of 10,000 as ingest hands them
     * @param batchedRatio that over parse + normalize
     * @param pipelineOffPerSecond the ingest pipeline (parse thread and sink thread) into a counting sink, records/s
     * @param pipelineOnPerSecond the same with indicator matching in the sink
     * @param pipelineRatio the second over the first
     * @param matchingPerSecond matching alone on events normalized beforehand, events/s
     * @param alertsPerPass alerts one pass over the records raises
     */
    public record Report(int indicators, Map<IndicatorType, Integer> byType, double buildSeconds, long heapBytes,
            long arrayBytes, long records, double normalizePerSecond, double matchingOnPerSecond, double ratio,
            double matchingOnBatchedPerSecond, double batchedRatio, double pipelineOffPerSecond,
            double pipelineOnPerSecond, double pipelineRatio, double matchingPerSecond, long alertsPerPass) {

        public double heapBytesPerIndicator() {
            return indicators == 0 ? 0 : (double) heapBytes / indicators;
        }
    }

    private final Options options;
    private final PrintWriter progress;

    public IocBenchmark(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws Exception {
        List<byte[]> records = IngestBenchmark.load(options.events(), options.sampleBytes());
        JsonRecordParser parser = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", JsonShape.AUTO));
        Normalizer normalizer = Normalizer.standard(Clock.systemUTC());
        List<Event> events = new ArrayList<>();
        for (byte[] record : records.subList(0, Math.min(records.size(), ALONE_EVENTS))) {
            Event event = normalize(parser, normalizer, record);
            if (event != null) {
                events.add(event);
            }
        }
        progress.printf(Locale.ROOT, "bench: %,d JSON records (%,d MiB) in memory, %,d events%n", records.size(),
                records.stream().mapToLong(r -> r.length).sum() >> 20, events.size());
        Set<String> planted = observedValues(events, PLANTED);

        long heapBefore = SigmaBenchmark.usedHeapAfterGc();
        long start = System.nanoTime();
        IndicatorIndex index = generate(options.indicators(), planted);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        long heap = SigmaBenchmark.usedHeapAfterGc() - heapBefore;
        progress.printf(Locale.ROOT, "bench: %,d indicators %s indexed in %.1f s; the index holds %,d MiB of heap"
                + " (%.1f bytes per indicator; its arrays %,d MiB)%n", index.size(), index.countsByType(), buildSeconds,
                heap >> 20, (double) heap / index.size(), index.arrayBytes() >> 20);

        IocDetector[] detector = new IocDetector[1];
        Work off = record -> {
            Event event = normalize(parser, normalizer, record);
            return event == null ? 0 : 1;
        };
        Work on = record -> { // matched fresh from the parser, as SigmaBenchmark measures the rules
            Event event = normalize(parser, normalizer, record);
            return event == null ? 0 : detector[0].detect(List.of(event)).size();
        };
        List<Event> batch = new ArrayList<>(INGEST_BATCH);
        Work onBatched = record -> { // matched a batch at a time, as ingest hands batches to detection
            Event event = normalize(parser, normalizer, record);
            if (event != null) {
                batch.add(event);
            }
            if (batch.size() < INGEST_BATCH) {
                return 0;
            }
            int found = detector[0].detect(batch).size();
            batch.clear();
            return found;
        };
        String[] names = {"parse + normalize (matching off)", "parse + normalize + match (matching on)",
                "the same, matched per batch of " + INGEST_BATCH};
        Work[] works = {off, on, onBatched};
        double[][] rates = new double[works.length][options.rounds()];
        long[] alerts = new long[works.length];
        // warm-up rounds first, then the measured rounds interleaved, so that the machine's other load and the
        // collector weigh on each measurement alike
        for (int round = -WARM_UP_ROUNDS; round < options.rounds(); round++) {
            for (int w = 0; w < works.length; w++) {
                detector[0] = new IocDetector(index, TENANT);
                batch.clear();
                long sum = 0;
                long begin = System.nanoTime();
                for (byte[] record : records) {
                    sum += works[w].apply(record);
                }
                if (!batch.isEmpty()) {
                    sum += detector[0].detect(batch).size();
                }
                double rate = records.size() / ((System.nanoTime() - begin) / 1e9);
                if (round >= 0) {
                    rates[w][round] = rate;
                    alerts[w] = w == 0 ? 0 : sum;
                }
            }
        }
        double[] best = new double[works.length];
        for (int w = 0; w < works.length; w++) {
            double[] sorted = rates[w].clone();
            Arrays.sort(sorted);
            best[w] = sorted[sorted.length - 1];
            progress.printf(Locale.ROOT, "bench: %-48s best %,10.0f records/s, median %,10.0f%n", names[w], best[w],
                    sorted[sorted.length / 2]);
        }
        double alone = bestEvents("match alone (events normalized before)", events, index);
        double[] pipeline = pipeline(records, index);
        double ratio = best[1] / best[0];
        progress.printf(Locale.ROOT, "bench: matching on / off = %.3f (target >= 0.8), per batch of %,d %.3f; through"
                + " the ingest pipeline %.3f; matching alone %,.0f events/s; %,d alerts per pass%n", ratio,
                INGEST_BATCH, best[2] / best[0], pipeline[1] / pipeline[0], alone, alerts[1]);
        return new Report(index.size(), index.countsByType(), buildSeconds, heap, index.arrayBytes(), records.size(),
                best[0], best[1], ratio, best[2], best[2] / best[0], pipeline[0], pipeline[1],
                pipeline[1] / pipeline[0], alone, alerts[1]);
    }

    /**
     * The records through the real ingest pipeline ({@link Ingestor}: reading and parsing on one thread, the sink on
     * the caller's), from an NDJSON file of them, into a sink that only counts: without detection, then with
     * indicator matching ({@link DetectingSink}), interleaved, best of the rounds; records/s of each.
     */
    private double[] pipeline(List<byte[]> records, IndicatorIndex index) throws IOException {
        Path file = Files.createTempFile("vigil-ioc-bench", ".jsonl");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                for (byte[] record : records) {
                    out.write(record);
                    out.write('\n');
                }
            }
            double[] best = new double[2];
            for (int round = -WARM_UP_ROUNDS; round < options.rounds(); round++) {
                for (int mode = 0; mode < 2; mode++) {
                    CountingSink counting = new CountingSink();
                    EventSink sink = mode == 0 ? counting
                            : new DetectingSink<>(counting, null, List.of(new IocDetector(index, TENANT)));
                    Clock clock = Clock.systemUTC();
                    Ingestor ingestor = new Ingestor(new Ingestor.Options(TENANT, Format.AUTO, "JsonEvent",
                            IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock), sink,
                            Ingestor.ProgressListener.NONE, clock, InputStream.nullInputStream());
                    long begin = System.nanoTime();
                    IngestSummary summary = ingestor.ingest(List.of(file.toString()));
                    if (sink instanceof DetectingSink<?> detecting) {
                        detecting.finish();
                    }
                    double rate = summary.read() / ((System.nanoTime() - begin) / 1e9);
                    if (round >= 0) {
                        best[mode] = Math.max(best[mode], rate);
                    }
                }
            }
            progress.printf(Locale.ROOT, "bench: %-48s best %,10.0f records/s%n", "ingest pipeline, matching off",
                    best[0]);
            progress.printf(Locale.ROOT, "bench: %-48s best %,10.0f records/s%n", "ingest pipeline, matching on",
                    best[1]);
            return best;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A sink that keeps nothing: the pipeline's cost without a store's. */
    private static final class CountingSink implements EventSink, AlertSink {
        long events;
        long alerts;

        @Override
        public Result append(Batch batch) {
            events += batch.events().size();
            return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
        }

        @Override
        public void commit() {}

        @Override
        public int appendAlerts(List<Alert> newAlerts) {
            alerts += newAlerts.size();
            return newAlerts.size();
        }
    }

    private static Event normalize(JsonRecordParser parser, Normalizer normalizer, byte[] record) {
        try {
            RawRecord raw = new RawRecord(record, POSITION);
            return normalizer.normalize(TENANT, raw, parser.parse(raw), 0);
        } catch (RecordRejectedException e) {
            return null; // rejected alike in every measurement
        }
    }

    /** Addresses, domains and digests the events carry, so that some indicators match. */
    private static Set<String> observedValues(List<Event> events, int max) {
        Set<String> values = new LinkedHashSet<>();
        for (Event event : events) {
            for (CommonColumn column : new CommonColumn[] {CommonColumn.SRC_IP, CommonColumn.DST_IP,
                    CommonColumn.FILE_HASH}) {
                String value = event.common(column);
                if (value != null && values.size() < max && !value.startsWith("10.") && !value.startsWith("192.168.")
                        && !value.startsWith("127.") && !value.equals("::1")) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /**
     * The index of {@code count} generated indicators plus the planted values, built as the indicators are generated
     * so that no list of them is held: 30% IPv4 addresses, 10% IPv4 networks (/16 to /30), 2% IPv6 addresses, 23%
     * domains, 15% URLs, 20% digests (MD5, SHA-1, SHA-256).
     */
    static IndicatorIndex generate(int count, Set<String> planted) {
        Random random = new Random(42);
        Provenance[] feeds = new Provenance[8];
        for (int i = 0; i < feeds.length; i++) {
            feeds[i] = new Provenance(List.of("feed-" + i), 40 + 7 * i, null, null, null, null,
                    List.of("malicious-activity"), List.of(), List.of(), List.of(), List.of());
        }
        IndicatorIndex.Builder builder = IndicatorIndex.builder(Instant.now());
        HexFormat hex = HexFormat.of();
        for (String value : planted) {
            IndicatorType type = value.indexOf(':') >= 0 ? IndicatorType.IPV6 : value.indexOf('.') > 0
                    ? IndicatorType.IPV4 : IndicatorType.SHA256;
            if (type == IndicatorType.SHA256 && value.length() != 64) {
                type = value.length() == 40 ? IndicatorType.SHA1 : IndicatorType.MD5;
            }
            builder.add(Indicator.of(type, value, feeds[0]));
        }
        for (int i = 0; i < count - planted.size(); i++) {
            Provenance provenance = feeds[i & 7];
            int kind = random.nextInt(100);
            Indicator indicator;
            if (kind < 30) {
                indicator = new Indicator(IndicatorType.IPV4, ipv4(random.nextInt()), provenance);
            } else if (kind < 40) {
                int prefix = 16 + random.nextInt(15);
                int network = random.nextInt() & (int) (0xFFFF_FFFFL << (32 - prefix));
                indicator = new Indicator(IndicatorType.CIDR, ipv4(network) + "/" + prefix, provenance);
            } else if (kind < 42) {
                indicator = Indicator.of(IndicatorType.IPV6, "2001:db8:" + Integer.toHexString(random.nextInt(0xFFFF))
                        + "::" + Integer.toHexString(random.nextInt(0xFFFF)), provenance);
            } else if (kind < 65) {
                indicator = new Indicator(IndicatorType.DOMAIN, domain(random), provenance);
            } else if (kind < 80) {
                indicator = new Indicator(IndicatorType.URL, (random.nextBoolean() ? "http" : "https") + "://"
                        + domain(random) + "/" + word(random, 4, 10) + "/" + word(random, 3, 12) + ".php?id="
                        + random.nextInt(100_000), provenance);
            } else {
                int length = kind < 86 ? 16 : kind < 92 ? 20 : 32;
                byte[] digest = new byte[length];
                random.nextBytes(digest);
                indicator = new Indicator(length == 16 ? IndicatorType.MD5 : length == 20 ? IndicatorType.SHA1
                        : IndicatorType.SHA256, hex.formatHex(digest), provenance);
            }
            builder.add(indicator);
        }
        return builder.build();
    }

    private static String ipv4(int address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    private static String domain(Random random) {
        String name = word(random, 5, 14) + "." + TLDS[random.nextInt(TLDS.length)];
        return random.nextInt(4) == 0 ? word(random, 2, 6) + "." + name : name;
    }

    private static String word(Random random, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(chars);
    }

    private interface Work {
        int apply(byte[] record);
    }

    private double bestEvents(String name, List<Event> events, IndicatorIndex index) {
        double[] rates = new double[options.rounds()];
        for (int round = 0; round < options.rounds(); round++) {
            IocDetector detector = new IocDetector(index, TENANT);
            long start = System.nanoTime();
            for (int from = 0; from < events.size(); from += BATCH) {
                detector.detect(events.subList(from, Math.min(events.size(), from + BATCH)));
            }
            rates[round] = events.size() / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        progress.printf(Locale.ROOT, "bench: %-44s best %,10.0f events/s, median %,10.0f%n", name,
                rates[rates.length - 1], rates[rates.length / 2]);
        return rates[rates.length - 1];
    }

    /** {@code java -cp ... dev.vigil.bench.IocBenchmark [--indicators N] [--sample-mb N] [--rounds N] [PATH...]} */
    public static void main(String[] args) throws Exception {
        int indicators = 1_000_000;
        long sampleMegabytes = 256;
        int rounds = 5;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--indicators" -> indicators = Integer.parseInt(args[++i]);
                case "--sample-mb" -> sampleMegabytes = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            paths.addAll(IngestBenchmark.defaultPaths());
        }
        PrintWriter out = new PrintWriter(System.out, true);
        out.println(new IocBenchmark(new Options(paths, sampleMegabytes << 20, indicators, rounds), out).run());
    }
}
