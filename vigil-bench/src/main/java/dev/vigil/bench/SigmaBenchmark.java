package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.EventView;
import dev.vigil.sigma.LogSourceMap;
import dev.vigil.sigma.Placeholders;
import dev.vigil.sigma.RuleSet;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.sigma.SigmaRuleException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The detection benchmark behind {@code vigil bench sigma} and BENCHMARKS.md. It loads a Sigma corpus, reads a sample
 * of real events through the ingest path into memory, and measures on one thread:
 * <ol>
 *   <li>the baseline: every rule of the event's table checked in full on every event, no candidate index;</li>
 *   <li>the engine: the same rules through the candidate index (log source, EventID, required literals);</li>
 * </ol>
 * both over the same events, best of {@code rounds}, reported as events/s and as the ratio of the engine to the
 * baseline. It also reports the heap the compiled corpus holds and how many full rule checks the index left.
 */
public final class SigmaBenchmark {

    public record Options(List<Path> rules, List<String> events, int sampleEvents, int baselineEvents, int rounds) {
        public Options {
            rules = List.copyOf(rules);
            events = List.copyOf(events);
        }
    }

    public record Report(int ruleFiles, int rulesLoaded, int rulesFailed, int rulesInactive, long corpusHeapBytes,
            long events, double eventsPerSecond, double baselineEventsPerSecond, double ratio,
            double fullChecksPerEvent, double baselineChecksPerEvent, long matches) {}

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
                + " compiled corpus holds %,d MiB of heap%n", files.size(), rules.rules().size(),
                rules.inactive().size(), failed, corpusHeap >> 20);

        List<EventView> events = load(options.events(), options.sampleEvents());
        progress.printf(Locale.ROOT, "bench: %,d events in memory%n", events.size());

        RuleSet.Evaluator[] last = new RuleSet.Evaluator[1];
        long[] matches = new long[1];
        double engine = best("engine (candidate index)", events, events.size(), view -> {
            if (last[0] == null) {
                last[0] = rules.evaluator();
            }
            return last[0].match(fresh(view)).size();
        }, () -> last[0] = null, matches);
        double checksPerEvent = (double) last[0].fullChecks() / events.size();
        List<EventView> baselineSample = events.subList(0, Math.min(events.size(), options.baselineEvents()));
        RuleSet.Evaluator exhaustive = rules.evaluator();
        long[] baselineMatches = new long[1];
        double baseline = best("baseline (every rule of the table)", baselineSample, baselineSample.size(),
                view -> exhaustive.matchExhaustively(fresh(view)).size(), () -> { }, baselineMatches);
        double baselineChecks = baselineSample.stream().mapToLong(v -> rules.rules().stream()
                .filter(r -> r.tables().contains(v.table())).count()).average().orElse(0);
        return new Report(files.size(), rules.rules().size(), failed, rules.inactive().size(), corpusHeap,
                events.size(), engine, baseline, engine / baseline, checksPerEvent, baselineChecks, matches[0]);
    }

    /** A new view per round, so no round profits from lower-cased values cached by the one before. */
    private static EventView fresh(EventView view) {
        return view.event() != null ? EventView.of(view.event()) : new EventView(view.table(), view.fields());
    }

    private interface Work {
        int apply(EventView view);
    }

    private double best(String name, List<EventView> events, int count, Work work, Runnable beforeRound,
            long[] matches) {
        double[] rates = new double[options.rounds()];
        for (int round = 0; round < options.rounds(); round++) {
            beforeRound.run();
            long found = 0;
            long start = System.nanoTime();
            for (EventView view : events) {
                found += work.apply(view);
            }
            rates[round] = count / ((System.nanoTime() - start) / 1e9);
            matches[0] = found;
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        progress.printf(Locale.ROOT, "bench: %-38s best %,10.0f events/s, median %,10.0f (%,d matches)%n", name,
                sorted[sorted.length - 1], sorted[sorted.length / 2], matches[0]);
        return sorted[sorted.length - 1];
    }

    /** Reads events through the real ingest path, keeping the first {@code max}. */
    static List<EventView> load(List<String> paths, int max) {
        List<EventView> views = new ArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public Result append(Batch batch) {
                for (Event e : batch.events()) {
                    if (views.size() < max) {
                        views.add(EventView.of(e));
                    }
                }
                return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
            }

            @Override
            public void commit() {}
        };
        Clock clock = Clock.systemUTC();
        Ingestor ingestor = new Ingestor(new Ingestor.Options(TenantId.of("bench"), Format.AUTO,
                IngestDefaults.DEFAULT_TABLE, IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock), sink,
                Ingestor.ProgressListener.NONE, clock, new ByteArrayInputStream(new byte[0]));
        ingestor.ingest(paths);
        return views;
    }

    private static long usedHeapAfterGc() {
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

    /** {@code java -cp ... dev.vigil.bench.SigmaBenchmark [--events N] [--baseline-events N] [--rounds N] [PATH...]} */
    public static void main(String[] args) throws Exception {
        int events = 200_000;
        int baselineEvents = 20_000;
        int rounds = 3;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--baseline-events" -> baselineEvents = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            paths.addAll(IngestBenchmark.defaultPaths());
        }
        PrintWriter out = new PrintWriter(System.out, true);
        Report report = new SigmaBenchmark(new Options(defaultRules(), paths, events, baselineEvents, rounds), out).run();
        out.println(report);
    }
}
