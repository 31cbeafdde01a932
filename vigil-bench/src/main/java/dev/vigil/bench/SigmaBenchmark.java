package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.JsonRecordParser;
import dev.vigil.ingest.JsonShape;
import dev.vigil.ingest.JsonShapes;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordRejectedException;
import dev.vigil.model.Event;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.CorrelationEngine;
import dev.vigil.sigma.EventView;
import dev.vigil.sigma.LogSourceMap;
import dev.vigil.sigma.Placeholders;
import dev.vigil.sigma.RuleSet;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.sigma.SigmaRuleException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The detection benchmark behind {@code vigil bench sigma} and BENCHMARKS.md. It loads a Sigma corpus and holds a
 * sample of real JSON records in memory; then, on one thread and best of {@code rounds}, it measures what the ingest
 * producer does per record:
 * <ol>
 *   <li>parse + normalize alone;</li>
 *   <li>parse + normalize + detection through the candidate index (log source, EventID, required literals);</li>
 *   <li>parse + normalize + every rule of the event's table checked in full (the baseline), on a smaller sample.</li>
 * </ol>
 * Detection's own rate is derived from the difference, so that it is measured on events fresh from the parser, as
 * ingest runs it, not on events gone cold in a large heap. The engine's figure is reported as a ratio to the
 * baseline's; on the baseline's sample both must find the same matches, which checks that the index drops nothing.
 */
public final class SigmaBenchmark {
    private static final SourcePosition POSITION = new SourcePosition("bench", 1, 0);
    private static final TenantId TENANT = TenantId.of("bench");

    public record Options(List<Path> rules, List<String> events, long sampleBytes, int baselineRecords, int rounds) {
        public Options {
            rules = List.copyOf(rules);
            events = List.copyOf(events);
        }
    }

    /**
     * @param detectPerSecond detection alone, events/s on one core (derived)
     * @param baselinePerSecond the baseline's detection alone, events/s (derived)
     * @param missedByIndex matches the baseline found on its sample that the engine did not; must be 0
     */
    public record Report(int ruleFiles, int rulesLoaded, int correlations, int rulesFailed, int rulesInactive,
            long corpusHeapBytes, long records, double normalizePerSecond, double withDetectionPerSecond,
            double detectPerSecond, double baselinePerSecond, double ratio, double fullChecksPerEvent,
            long matches, long missedByIndex) {}

    private final Options options;
    private final PrintWriter progress;

    public SigmaBenchmark(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : options.rules()) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted()
                        .forEach(files::add);
            }
        }
        long heapBefore = usedHeapAfterGc();
        List<SigmaDocument> documents = new ArrayList<>();
        int failed = 0;
        for (Path file : files) {
            try {
                documents.addAll(SigmaParser.parse(Files.readString(file), file.toString()));
            } catch (SigmaRuleException e) {
                failed++;
            }
        }
        RuleSet rules = RuleSet.compile(documents, LogSourceMap.builtIn(), Placeholders.none());
        documents = null;
        long corpusHeap = usedHeapAfterGc() - heapBefore;
        failed += rules.failures().size();
        progress.printf(Locale.ROOT, "bench: %,d rule files, %,d rules active, %,d inactive (no table), %,d failed;"
                + " the compiled corpus holds %,d MiB of heap%n", files.size(), rules.rules().size(),
                rules.inactive().size(), failed, corpusHeap >> 20);

        List<byte[]> records = IngestBenchmark.load(options.events(), options.sampleBytes());
        progress.printf(Locale.ROOT, "bench: %,d JSON records (%,d MiB) in memory%n", records.size(),
                records.stream().mapToLong(r -> r.length).sum() >> 20);
        JsonRecordParser parser = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", JsonShape.AUTO));
        Normalizer normalizer = Normalizer.standard(Clock.systemUTC());
        Work normalize = record -> {
            RawRecord raw = new RawRecord(record, POSITION);
            return normalizer.normalize(TENANT, raw, parser.parse(raw), 0).fields().size();
        };
        double normalized = best("parse + normalize", records, normalize, () -> { });

        RuleSet.Evaluator[] engine = new RuleSet.Evaluator[1];
        long[] matches = new long[1];
        double withDetection = best("parse + normalize + detect (index)", records, record -> {
            RawRecord raw = new RawRecord(record, POSITION);
            Event event = normalizer.normalize(TENANT, raw, parser.parse(raw), 0);
            int found = engine[0].match(EventView.of(event)).size();
            matches[0] += found;
            return found;
        }, () -> {
            engine[0] = rules.evaluator();
            matches[0] = 0;
        });
        double checksPerEvent = (double) engine[0].fullChecks() / records.size();
        double detect = 1 / (1 / withDetection - 1 / normalized);

        List<byte[]> sample = records.subList(0, Math.min(records.size(), options.baselineRecords()));
        double sampleNormalized = best("parse + normalize (baseline sample)", sample, normalize, () -> { });
        RuleSet.Evaluator exhaustive = rules.evaluator();
        double withBaseline = best("parse + normalize + every rule (baseline)", sample, record -> {
            RawRecord raw = new RawRecord(record, POSITION);
            Event event = normalizer.normalize(TENANT, raw, parser.parse(raw), 0);
            return exhaustive.matchExhaustively(EventView.of(event)).size();
        }, () -> { });
        double baseline = 1 / (1 / withBaseline - 1 / sampleNormalized);
        long missed = missedByIndex(rules, sample, parser, normalizer);
        progress.printf(Locale.ROOT, "bench: detection alone %,.0f events/s with the index, %,.0f checking every"
                + " rule: %.1fx; %.1f full rule checks per event; %d matches missed by the index%n", detect, baseline,
                detect / baseline, checksPerEvent, missed);
        return new Report(files.size(), rules.rules().size(), rules.correlations().size(), failed,
                rules.inactive().size(), corpusHeap, records.size(), normalized, withDetection, detect, baseline,
                detect / baseline, checksPerEvent, matches[0], missed);
    }

    /**
     * The correlation engine alone: a stream of rule matches (signals) through four correlations of different types,
     * against a baseline that only counts the same signals per group in a hash map, in the same run.
     *
     * @param signalsPerSecond the engine's rate, best of {@code rounds}
     * @param baselinePerSecond the counting baseline's rate
     */
    public record CorrelationReport(long signals, double signalsPerSecond, double baselinePerSecond, long fired,
            int groupsHeld) {}

    private static final String CORRELATIONS = """
            title: Many failed logons for one account
            correlation: {type: event_count, rules: [failed_logon], group-by: [TargetUserName], timespan: 5m,
                condition: {gte: 10}}
            ---
            title: One source trying many accounts
            correlation: {type: value_count, rules: [failed_logon], group-by: [IpAddress], timespan: 10m,
                condition: {gte: 5, field: TargetUserName}}
            ---
            title: Failed then successful logon on one host
            correlation: {type: temporal, rules: [failed_logon, logon], group-by: [Computer], timespan: 5m}
            ---
            title: Logon then new service on one host
            correlation: {type: temporal_ordered, rules: [logon, new_service], group-by: [Computer], timespan: 10m}
            """;

    public CorrelationReport runCorrelations(int signals) {
        List<SigmaDocument.Correlation> correlations = SigmaParser.parse(CORRELATIONS, "bench-correlations.yml")
                .stream().map(d -> (SigmaDocument.Correlation) d).toList();
        String[] rulesByKind = {"failed_logon", "logon", "new_service"};
        java.util.Random random = new java.util.Random(7);
        List<CorrelationEngine.Signal> stream = new ArrayList<>(signals);
        long time = 1_700_000_000_000_000L;
        for (int i = 0; i < signals; i++) {
            time += random.nextInt(20_000); // 10 ms apart on average
            String user = "user" + random.nextInt(20_000);
            String ip = "10.0." + random.nextInt(40) + "." + random.nextInt(250);
            String host = "ws" + random.nextInt(2_000);
            Map<String, String> fields = Map.of("TargetUserName", user, "IpAddress", ip, "Computer", host);
            stream.add(new CorrelationEngine.Signal(null, rulesByKind[random.nextInt(3)], time, fields::get,
                    null));
        }
        long[] fired = new long[1];
        int[] groups = new int[1];
        double engine = bestSignals("correlation engine (4 correlations)", stream, () -> {
            CorrelationEngine e = new CorrelationEngine(correlations, CorrelationEngine.Limits.defaults());
            return signal -> {
                fired[0] += e.accept(signal).size();
                groups[0] = e.stats().groupsHeld();
            };
        }, fired);
        double baseline = bestSignals("baseline: count per group in a map", stream, () -> {
            Map<String, Integer> counts = new java.util.HashMap<>();
            return signal -> {
                counts.merge(signal.field().apply("TargetUserName"), 1, Integer::sum);
                counts.merge(signal.field().apply("IpAddress"), 1, Integer::sum);
                counts.merge(signal.field().apply("Computer"), 1, Integer::sum);
            };
        }, new long[1]);
        return new CorrelationReport(signals, engine, baseline, fired[0], groups[0]);
    }

    private double bestSignals(String name, List<CorrelationEngine.Signal> stream,
            java.util.function.Supplier<java.util.function.Consumer<CorrelationEngine.Signal>> fresh, long[] counter) {
        double best = 0;
        for (int round = 0; round < options.rounds(); round++) {
            counter[0] = 0;
            java.util.function.Consumer<CorrelationEngine.Signal> sink = fresh.get();
            long start = System.nanoTime();
            for (CorrelationEngine.Signal signal : stream) {
                sink.accept(signal);
            }
            best = Math.max(best, stream.size() / ((System.nanoTime() - start) / 1e9));
        }
        progress.printf(Locale.ROOT, "bench: %-44s best %,10.0f signals/s (%,d fired)%n", name, best, counter[0]);
        return best;
    }

    /** Matches that checking every rule finds and the index does not, over the sample; the index is sound at 0. */
    private static long missedByIndex(RuleSet rules, List<byte[]> sample, JsonRecordParser parser,
            Normalizer normalizer) {
        RuleSet.Evaluator indexed = rules.evaluator();
        RuleSet.Evaluator exhaustive = rules.evaluator();
        long missed = 0;
        for (byte[] record : sample) {
            RawRecord raw = new RawRecord(record, POSITION);
            Event event;
            try {
                event = normalizer.normalize(TENANT, raw, parser.parse(raw), 0);
            } catch (RecordRejectedException e) {
                continue;
            }
            java.util.Set<String> found = new java.util.HashSet<>();
            indexed.match(EventView.of(event)).forEach(m -> found.add(m.rule().id()));
            for (RuleSet.Match m : exhaustive.matchExhaustively(EventView.of(event))) {
                if (!found.contains(m.rule().id())) {
                    missed++;
                }
            }
        }
        return missed;
    }

    private interface Work {
        int apply(byte[] record) throws RecordRejectedException;
    }

    private double best(String name, List<byte[]> records, Work work, Runnable beforeRound) {
        double[] rates = new double[options.rounds()];
        long checksum = 0;
        for (int round = 0; round < options.rounds(); round++) {
            beforeRound.run();
            long start = System.nanoTime();
            for (byte[] record : records) {
                try {
                    checksum += work.apply(record);
                } catch (RecordRejectedException e) {
                    // not counted: the same records are rejected in every measurement
                }
            }
            rates[round] = records.size() / ((System.nanoTime() - start) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        progress.printf(Locale.ROOT, "bench: %-44s best %,10.0f records/s, median %,10.0f (checksum %d)%n", name,
                sorted[sorted.length - 1], sorted[sorted.length / 2], checksum);
        return sorted[sorted.length - 1];
    }

    /** Heap in use after full collections: what a structure built in between holds. */
    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The SigmaHQ folders of ../shared/data that the detection issue names. */
    public static List<Path> defaultRules() {
        Path sigma = Path.of(System.getProperty("vigil.shared.data", "../shared/data")).resolve("sigma");
        return Stream.of("rules", "rules-emerging-threats", "rules-threat-hunting", "rules-dfir")
                .map(sigma::resolve).filter(Files::isDirectory).toList();
    }

    /** {@code java -cp ... dev.vigil.bench.SigmaBenchmark [--sample-mb N] [--baseline-records N] [--rounds N] [PATH...]} */
    public static void main(String[] args) throws Exception {
        long sampleMegabytes = 256;
        int baselineRecords = 10_000;
        int rounds = 3;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sample-mb" -> sampleMegabytes = Long.parseLong(args[++i]);
                case "--baseline-records" -> baselineRecords = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            paths.addAll(IngestBenchmark.defaultPaths());
        }
        PrintWriter out = new PrintWriter(System.out, true);
        SigmaBenchmark benchmark = new SigmaBenchmark(new Options(defaultRules(), paths, sampleMegabytes << 20,
                baselineRecords, rounds), out);
        out.println(benchmark.run());
        out.println(benchmark.runCorrelations(1_000_000));
    }
}
