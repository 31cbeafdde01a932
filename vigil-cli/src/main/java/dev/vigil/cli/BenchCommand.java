package dev.vigil.cli;

import dev.vigil.bench.CopilotBenchmark;
import dev.vigil.bench.CorrelationBenchmark;
import dev.vigil.bench.CorrelationQuality;
import dev.vigil.bench.DetectionQuality;
import dev.vigil.bench.IngestBenchmark;
import dev.vigil.bench.KafkaPipelineBenchmark;
import dev.vigil.bench.ServerLoadBenchmark;
import dev.vigil.bench.SigmaBenchmark;
import dev.vigil.bench.StoreCorrelationBenchmark;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil bench}: the benchmarks behind BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run Vigil's benchmarks; figures are reported with their ratio to a baseline measured in the same run.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Detection.class, BenchCommand.Sigma.class, BenchCommand.Ioc.class,
                BenchCommand.CorrelationQualityCommand.class, BenchCommand.Correlation.class,
                BenchCommand.CorrelationStore.class, BenchCommand.Hunt.class, BenchCommand.Lake.class,
                BenchCommand.HuntCoverage.class, BenchCommand.Posture.class, BenchCommand.Embedding.class,
                BenchCommand.CopilotBench.class, BenchCommand.ServerLoad.class, BenchCommand.Kafka.class})
final class BenchCommand extends CommandGroup {

    /** The paths to measure on (the shared data's OTRF and EVTX folders when none are named), each checked. */
    static List<String> inputs(List<String> paths) {
        List<String> inputs = paths.isEmpty() ? IngestBenchmark.defaultPaths() : paths;
        for (String path : inputs) {
            if (!Files.exists(Path.of(path))) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no such file or folder: " + path,
                        "Name the data to measure on, or put the shared data at ../shared/data"
                                + " (or set VIGIL_SHARED_DATA).", null);
            }
        }
        return inputs;
    }

    /** {@code vigil bench ingest [PATH...]}. */
    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = {"Measure parse + normalize against a bare Jackson parse of the same bytes, and the end-to-end"
                    + " ingest into a fresh store in a temporary folder (your data directory is not touched).",
                    "Without PATH it reads the OTRF and EVTX-ATTACK-SAMPLES folders of ../shared/data."},
            footer = {"", "The parse measurements hold --sample-mb of JSON in memory; raise the heap with"
                    + " VIGIL_JAVA_OPTS=-Xmx4g for a bigger sample."})
    static final class Ingest implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** Taken like every command's; the benchmark's store is a temporary one, the log goes to DIR/logs. */
        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files, folders or archives to measure on.")
        List<String> paths = new ArrayList<>();

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
                description = "Rounds of each parse measurement; the best counts (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--sample-mb", paramLabel = "MB", defaultValue = "256",
                description = "JSON held in memory for the parse measurements (default: ${DEFAULT-VALUE}).")
        long sampleMegabytes;

        @Option(names = "--no-store", description = "Skip the end-to-end ingest into a store.")
        boolean noStore;

        @Option(names = "--store-only", description = "Measure the store alone, on the sample's events parsed beforehand.")
        boolean storeOnly;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> inputs = inputs(paths);
            if (rounds < 1 || sampleMegabytes < 1) {
                throw new VigilException(ErrorCode.USAGE, "--rounds and --sample-mb must be at least 1");
            }
            IngestBenchmark.Report report = new IngestBenchmark(new IngestBenchmark.Options(inputs, rounds,
                    sampleMegabytes << 20, !noStore && !storeOnly, storeOnly), err).run();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("paths", inputs);
                body.put("cores", Runtime.getRuntime().availableProcessors());
                body.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
                body.put("java", Runtime.version().toString());
                body.put("sample_bytes", report.sampleBytes());
                body.put("measurements", report.measurements().stream().map(m -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("name", m.name());
                    entry.put("records", m.records());
                    entry.put("seconds", Math.round(m.seconds() * 1000) / 1000.0);
                    entry.put("records_per_second", Math.round(m.recordsPerSecond()));
                    entry.put("ratio_to_baseline", Math.round(m.ratio() * 1000) / 1000.0);
                    return entry;
                }).toList());
                out.println(Output.json(body));
                return 0;
            }
            out.printf(Locale.ROOT, "Ingest benchmark on %s (%d cores, max heap %,d MiB, Java %s)%n%n", inputs,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, Runtime.version());
            List<List<Object>> rows = new ArrayList<>();
            for (IngestBenchmark.Measurement m : report.measurements()) {
                rows.add(List.of(m.name(), Math.round(m.recordsPerSecond()),
                        String.format(Locale.ROOT, "%.2f", m.ratio())));
            }
            out.print(Output.table(List.of("measurement", "records/s", "ratio to baseline"), rows));
            IngestSummary summary = report.endToEnd();
            if (summary != null) {
                out.printf(Locale.ROOT, "%nEnd to end: %,d records read, %,d stored, %,d quarantined in %.1f s.%n",
                        summary.read(), summary.stored(), summary.quarantined(), summary.seconds());
            }
            return 0;
        }
    }

    /** {@code vigil bench kafka [PATH...]}. */
    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = {"Measure the scale-out pipeline on Kafka against the embedded pipeline on the same records:"
                    + " the embedded ingest with detection (in memory, the baseline, and into DuckDB), the sender into"
                    + " the raw topic, and a worker with as many stream threads as partitions, per partition count;"
                    + " then the last run's events into a Parquet lake, by the lake writer alone and by the lake sink"
                    + " from the events topic (vigil stream sink --to lake), in commits of the same size.",
                    "Without --bootstrap it starts a one-node KRaft broker in this JVM (nothing is left behind);"
                            + " without PATH it samples the OTRF folder of ../shared/data, and it runs SigmaHQ's"
                            + " Windows rules."},
            footer = {"", "Progress goes to standard error. The worker's rate is timed from its first RUNNING state"
                    + " until its committed offsets reach the end of the raw and alerts topics (exactly once)."})
    static final class Kafka implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files, folders or archives to sample.")
        List<String> paths = new ArrayList<>();

        @Option(names = "--sample-mb", paramLabel = "MB", defaultValue = "32",
                description = "Bytes of records to sample (default: ${DEFAULT-VALUE}).")
        long sampleMegabytes;

        @Option(names = "--partitions", paramLabel = "N,N...", split = ",", defaultValue = "1,2,4",
                description = "Partition counts to measure, each with as many stream threads (default:"
                        + " ${DEFAULT-VALUE}).")
        List<Integer> partitions;

        @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Measure on this cluster instead.")
        String bootstrap;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            common.load();
            List<String> inputs = inputs(paths.isEmpty() ? List.of(IngestBenchmark.defaultPaths().getFirst())
                    : paths);
            if (sampleMegabytes < 1 || partitions.stream().anyMatch(p -> p < 1)) {
                throw new VigilException(ErrorCode.USAGE,
                        "--sample-mb and every --partitions count must be at least 1");
            }
            List<Path> rules = KafkaPipelineBenchmark.defaultRules();
            KafkaPipelineBenchmark.Report report = new KafkaPipelineBenchmark(new KafkaPipelineBenchmark.Options(
                    inputs, sampleMegabytes << 20, rules, partitions, bootstrap), spec.commandLine().getErr()).run();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("paths", inputs);
                body.put("cores", Runtime.getRuntime().availableProcessors());
                body.put("records", report.records());
                body.put("sample_bytes", report.sampleBytes());
                body.put("rules", report.rules());
                body.put("broker", report.broker());
                body.put("measurements", report.measurements().stream().map(m -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("name", m.name());
                    entry.put("partitions", m.partitions());
                    entry.put("records", m.records());
                    entry.put("seconds", Math.round(m.seconds() * 1000) / 1000.0);
                    entry.put("records_per_second", Math.round(m.recordsPerSecond()));
                    entry.put("records_per_second_per_partition", Math.round(m.perPartition()));
                    entry.put("ratio_to_embedded", Math.round(m.ratio() * 1000) / 1000.0);
                    return entry;
                }).toList());
                out.println(Output.json(body));
                return 0;
            }
            out.print(KafkaPipelineBenchmark.markdown(report));
            out.flush();
            return 0;
        }
    }

    /** {@code vigil bench detection-quality [--json] [--datasets DIR] [--rules DIR]...}. */
    @Command(name = "detection-quality", mixinStandardHelpOptions = true,
            description = {"Run the Sigma rules over the labelled OTRF Security-Datasets and report, per dataset,"
                    + " which of its ATT&CK techniques the alerts found (technique-level recall) and how many alerts"
                    + " fired on everything else (background alerts).",
                    "Each dataset is read through the ingest path into detection, in memory, one at a time; your data"
                    + " directory is not touched. Progress goes to standard error, one line per dataset."},
            footer = {"", "A labelled technique counts as found when an alert's rule is tagged with it or with one of"
                    + " its sub-techniques; 'found (parent)' also counts the label's parent technique or a sibling"
                    + " sub-technique. Background alerts share no technique with the labels, not even the parent: they"
                    + " include true detections of unlabelled activity, so they bound false positives from above.",
                    "The whole OTRF copy fits in the default heap (-Xmx1g): datasets are read one at a time, batch"
                    + " by batch."})
    static final class Detection implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** Taken like every command's; the benchmark stores nothing, the log goes to DIR/logs. */
        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--rules", paramLabel = "DIR", description = "A folder (or file) of Sigma rules; repeat for"
                + " several (default: rules, rules-emerging-threats and rules-threat-hunting of ../shared/data/sigma).")
        List<Path> rules = new ArrayList<>();

        @Option(names = "--datasets", paramLabel = "DIR", description = "The OTRF Security-Datasets folder, with"
                + " datasets/<kind>/_metadata (default: ../shared/data/otrf-security-datasets).")
        Path datasets;

        @Option(names = "--json", description = "Print the report as JSON, with every fired rule and event type per"
                + " dataset.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            common.load();
            Path folder = datasets != null ? datasets : DetectionQuality.defaultDatasets();
            if (!Files.isDirectory(folder.resolve("datasets"))) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no OTRF Security-Datasets folder at " + folder,
                        "Name the folder that holds datasets/<kind>/_metadata with --datasets, or put the shared data"
                                + " at ../shared/data (or set VIGIL_SHARED_DATA).", null);
            }
            List<Path> ruleFolders = rules.isEmpty() ? SigmaBenchmark.defaultRules() : rules;
            if (ruleFolders.isEmpty()) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no Sigma rules in ../shared/data/sigma",
                        "Name the rule folders with --rules DIR.", null);
            }
            for (Path path : ruleFolders) {
                if (!Files.exists(path)) {
                    throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no such file or folder: " + path,
                            "Name a folder or file of Sigma rules with --rules.", null);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            DetectionQuality.Report report = new DetectionQuality(new DetectionQuality.Options(folder, ruleFolders),
                    spec.commandLine().getErr()).run();
            out.print(json ? Output.json(DetectionQuality.json(report)) + System.lineSeparator()
                    : DetectionQuality.markdown(report));
            out.flush();
            return 0;
        }
    }

    /** {@code vigil bench sigma [PATH...]}. */
    @Command(name = "sigma", mixinStandardHelpOptions = true,
            description = {"Measure detection with a Sigma corpus loaded: events/s on one core through the candidate"
                    + " index, as a ratio to checking every rule of the event's table, on records parsed and normalized"
                    + " as ingest does; also the compiled corpus's heap and the correlation engine's signals/s.",
                    "Without PATH it reads the OTRF and EVTX-ATTACK-SAMPLES folders of ../shared/data."})
    static final class Sigma implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "Event files, folders or archives to measure on.")
        List<String> paths = new ArrayList<>();

        @Option(names = "--rules", paramLabel = "DIR", description = "A folder of Sigma rules; repeat for several"
                + " (default: rules, rules-emerging-threats and rules-threat-hunting of ../shared/data/sigma).")
        List<Path> rules = new ArrayList<>();

        @Option(names = "--sample-mb", paramLabel = "MB", defaultValue = "256",
                description = "JSON records held in memory (default: ${DEFAULT-VALUE}).")
        long sampleMegabytes;

        @Option(names = "--baseline-records", paramLabel = "N", defaultValue = "10000",
                description = "Records for the every-rule baseline, which is slow (default: ${DEFAULT-VALUE}).")
        int baselineRecords;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
                description = "Rounds of each measurement; the best counts (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            common.load();
            List<String> inputs = inputs(paths);
            List<Path> ruleFolders = rules.isEmpty() ? SigmaBenchmark.defaultRules() : rules;
            if (ruleFolders.isEmpty() || ruleFolders.stream().anyMatch(p -> !Files.exists(p))) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no Sigma rules at " + ruleFolders,
                        "Name the rule folders with --rules DIR.", null);
            }
            PrintWriter out = spec.commandLine().getOut();
            SigmaBenchmark benchmark = new SigmaBenchmark(new SigmaBenchmark.Options(ruleFolders, inputs,
                    sampleMegabytes << 20, baselineRecords, Math.max(1, rounds)), spec.commandLine().getErr());
            SigmaBenchmark.Report report = benchmark.run();
            SigmaBenchmark.CorrelationReport correlation = benchmark.runCorrelations(1_000_000);
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("detection", report);
                body.put("correlation", correlation);
                out.println(Output.json(body));
                return 0;
            }
            out.printf(Locale.ROOT, "rules: %,d active, %,d inactive, %,d failed; compiled corpus %,d MiB of heap%n",
                    report.rulesLoaded(), report.rulesInactive(), report.rulesFailed(), report.corpusHeapBytes() >> 20);
            out.printf(Locale.ROOT, "%-52s %,12.0f records/s%n", "parse + normalize", report.normalizePerSecond());
            out.printf(Locale.ROOT, "%-52s %,12.0f records/s%n", "parse + normalize + detect",
                    report.withDetectionPerSecond());
            out.printf(Locale.ROOT, "%-52s %,12.0f events/s  %5.1fx the baseline%n", "detection alone (index)",
                    report.detectPerSecond(), report.ratio());
            out.printf(Locale.ROOT, "%-52s %,12.0f events/s%n", "detection alone, every rule checked (baseline)",
                    report.baselinePerSecond());
            out.printf(Locale.ROOT, "%-52s %12.1f (matches missed by the index: %d)%n", "full rule checks per event",
                    report.fullChecksPerEvent(), report.missedByIndex());
            out.printf(Locale.ROOT, "%-52s %,12.0f signals/s  %5.2f of a map-count baseline%n",
                    "correlation engine (4 correlations)", correlation.signalsPerSecond(),
                    correlation.signalsPerSecond() / correlation.baselinePerSecond());
            return report.missedByIndex() == 0 ? 0 : Main.EXIT_PARTIAL;
        }
    }

    /** {@code vigil bench ioc [PATH...]}. */
    @Command(name = "ioc", mixinStandardHelpOptions = true,
            description = {"Measure indicator matching with N generated indicators loaded: their heap footprint, matching"
                    + " events/s, and ingest (parse + normalize) with matching on as a ratio to ingest with it off,"
                    + " in the same run.",
                    "Without PATH it reads the OTRF and EVTX-ATTACK-SAMPLES folders of ../shared/data."})
    static final class Ioc implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "Event files, folders or archives to measure on.")
        List<String> paths = new ArrayList<>();

        @Option(names = "--indicators", paramLabel = "N", defaultValue = "1000000",
                description = "Indicators to generate and load (default: ${DEFAULT-VALUE}).")
        int indicators;

        @Option(names = "--sample-mb", paramLabel = "MB", defaultValue = "256",
                description = "JSON records held in memory (default: ${DEFAULT-VALUE}).")
        long sampleMegabytes;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
                description = "Rounds of each measurement; the best counts (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            common.load();
            List<String> inputs = inputs(paths);
            dev.vigil.bench.IocBenchmark.Report report = new dev.vigil.bench.IocBenchmark(
                    new dev.vigil.bench.IocBenchmark.Options(inputs, sampleMegabytes << 20, Math.max(1, indicators),
                            Math.max(1, rounds)), spec.commandLine().getErr()).run();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(report));
                return 0;
            }
            out.printf(Locale.ROOT, "%,d indicators: %,d MiB of heap (%.0f bytes each), built in %.1f s%n",
                    report.indicators(), report.heapBytes() >> 20, report.heapBytesPerIndicator(), report.buildSeconds());
            out.printf(Locale.ROOT, "%-52s %,12.0f events/s%n", "matching alone", report.matchingPerSecond());
            out.printf(Locale.ROOT, "%-52s %,12.0f records/s%n", "parse + normalize (matching off)",
                    report.normalizePerSecond());
            out.printf(Locale.ROOT, "%-52s %,12.0f records/s  %5.2f of off%n", "parse + normalize + matching",
                    report.matchingOnPerSecond(), report.ratio());
            out.printf(Locale.ROOT, "%-52s %,12.0f records/s  %5.2f of off%n", "ingest pipeline with matching",
                    report.pipelineOnPerSecond(), report.pipelineRatio());
            return 0;
        }
    }

    /** {@code vigil bench correlation-quality [--json]}. */
    @Command(name = "correlation-quality", mixinStandardHelpOptions = true,
            description = {"Measure incident correlation as pairwise precision and recall of 'these two alerts belong"
                    + " together', with and without a prevalence baseline, on two sets of alerts whose incidents are"
                    + " known: the OTRF datasets replayed as concurrent incidents of one organization (each its own"
                    + " hosts, addresses and accounts, overlapping in time, with shared noisy infrastructure), and a"
                    + " generated organization with 50 attacks and benign alerts.",
                    "Progress goes to standard error; your data directory is not touched."})
    static final class CorrelationQualityCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--rules", paramLabel = "DIR", description = "A folder of Sigma rules; repeat for several"
                + " (default: rules, rules-emerging-threats and rules-threat-hunting of ../shared/data/sigma).")
        List<Path> rules = new ArrayList<>();

        @Option(names = "--datasets", paramLabel = "DIR", description = "The OTRF Security-Datasets folder"
                + " (default: ../shared/data/otrf-security-datasets).")
        Path datasets;

        @Option(names = "--no-otrf", description = "Only the generated scenario.")
        boolean noOtrf;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
                description = "Seed of time offsets, injected infrastructure and the generated scenario (default:"
                        + " ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--seeds", paramLabel = "FIRST-LAST", description = "Instead of the full report, the generated"
                + " scenario's precision, recall and F1 (with the baseline) for each seed of the range, with their mean"
                + " and minimum: how a figure holds beyond the seed it was traced on (e.g. 1-10).")
        String seeds;

        @Option(names = "--no-source-lookup", description = "Place lateral-movement alerts on what they name only,"
                + " without looking up their source in the events (logons, connections): what the look-up adds.")
        boolean noSourceLookup;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            common.load();
            if (seeds != null) {
                long[] range;
                try {
                    range = CorrelationQuality.seedRange(seeds);
                } catch (IllegalArgumentException e) {
                    throw new VigilException(ErrorCode.CONFIG_INVALID, "--seeds: " + e.getMessage(),
                            "Give one seed (--seeds 7) or a range (--seeds 1-10).", null);
                }
                List<CorrelationQuality.SeedScores> scores = new CorrelationQuality(new CorrelationQuality.Options(
                        null, List.of(), CorrelationQuality.defaultAttack(), seed, 2, !noSourceLookup),
                        spec.commandLine().getErr())
                        .seeds(range[0], range[1]);
                PrintWriter out = spec.commandLine().getOut();
                out.print(json ? Output.json(CorrelationQuality.seedsJson(scores)) + System.lineSeparator()
                        : CorrelationQuality.seedsMarkdown(scores));
                out.flush();
                return 0;
            }
            Path folder = noOtrf ? null : datasets != null ? datasets : DetectionQuality.defaultDatasets();
            if (folder != null && !Files.isDirectory(folder.resolve("datasets"))) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no OTRF Security-Datasets folder at " + folder,
                        "Name the folder that holds datasets/<kind>/_metadata with --datasets, use --no-otrf, or put"
                                + " the shared data at ../shared/data (or set VIGIL_SHARED_DATA).", null);
            }
            List<Path> ruleFolders = rules.isEmpty() ? SigmaBenchmark.defaultRules() : rules;
            if (folder != null && (ruleFolders.isEmpty() || ruleFolders.stream().anyMatch(p -> !Files.exists(p)))) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no Sigma rules at " + ruleFolders,
                        "Name the rule folders with --rules DIR.", null);
            }
            CorrelationQuality.Report report = new CorrelationQuality(new CorrelationQuality.Options(folder,
                    ruleFolders, CorrelationQuality.defaultAttack(), seed, 2, !noSourceLookup),
                    spec.commandLine().getErr()).run();
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Output.json(CorrelationQuality.json(report)) + System.lineSeparator()
                    : CorrelationQuality.markdown(report));
            out.flush();
            return 0;
        }
    }

    /** {@code vigil bench correlation}. */
    @Command(name = "correlation", mixinStandardHelpOptions = true,
            description = {"Measure incident correlation speed: N generated alerts correlated one at a time (alerts/s,"
                    + " as a ratio to computing their entity keys and a map put per entity), the correlator's heap"
                    + " after them, and the cost of one alert on a small and on the large state."},
            footer = {"", "Run with VIGIL_JAVA_OPTS=-Xmx3g for a million alerts."})
    static final class Correlation implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--alerts", paramLabel = "N", defaultValue = "1000000",
                description = "Alerts to correlate (default: ${DEFAULT-VALUE}).")
        long alerts;

        @Option(names = "--probe", paramLabel = "N", defaultValue = "10000",
                description = "Alerts timed one by one at the start and after the run (default: ${DEFAULT-VALUE}).")
        int probe;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() {
            common.load();
            if (alerts < 1 || probe < 1) {
                throw new VigilException(ErrorCode.USAGE, "--alerts and --probe must be at least 1");
            }
            CorrelationBenchmark.Report report = new CorrelationBenchmark(new CorrelationBenchmark.Options(alerts,
                    probe, CorrelationQuality.defaultAttack(), 42), spec.commandLine().getErr()).run();
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Output.json(report) + System.lineSeparator() : CorrelationBenchmark.text(report));
            out.flush();
            return 0;
        }
    }

    /** {@code vigil bench correlation-store}. */
    @Command(name = "correlation-store", mixinStandardHelpOptions = true,
            description = {"Measure correlation through the store: N generated alerts stored in a tenant's DuckDB and"
                    + " placed by one correlation run, then the cost of storing and correlating one more alert at a"
                    + " time, each in its own run and commit.",
                    "The store lives in a temporary directory unless --data names one."})
    static final class CorrelationStore implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--alerts", paramLabel = "N", defaultValue = "1000000",
                description = "Alerts stored and correlated first (default: ${DEFAULT-VALUE}).")
        long alerts;

        @Option(names = "--probes", paramLabel = "N", defaultValue = "40",
                description = "Alerts then added one at a time, every other one after dropping the correlator kept"
                        + " between runs (default: ${DEFAULT-VALUE}).")
        int probes;

        @Option(names = "--data", paramLabel = "DIR", description = "Where to make the store (default: a temporary"
                + " directory, deleted afterwards).")
        Path data;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws java.io.IOException {
            if (alerts < 1 || probes < 2) {
                throw new VigilException(ErrorCode.USAGE, "--alerts must be at least 1 and --probes at least 2 (one"
                        + " run restores the correlator, the next keeps it)");
            }
            Path directory = data != null ? data : Files.createTempDirectory("vigil-bench-correlation");
            try {
                StoreCorrelationBenchmark.Report report = new StoreCorrelationBenchmark(
                        new StoreCorrelationBenchmark.Options(directory, alerts, probes, 42),
                        spec.commandLine().getErr()).run();
                PrintWriter out = spec.commandLine().getOut();
                out.print(json ? Output.json(report) + System.lineSeparator() : StoreCorrelationBenchmark.text(report));
                out.flush();
            } finally {
                if (data == null) {
                    try (var files = Files.walk(directory)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
            return 0;
        }
    }

    /** {@code vigil bench hunt}: KQL against hand-written SQL on generated events. */
    @Command(name = "hunt", mixinStandardHelpOptions = true,
            description = {"Measure typical hunting queries over N generated Sysmon events: each KQL query's median"
                    + " latency against the equivalent hand-written DuckDB SQL, alternating, in the same run.",
                    "The events are generated inside DuckDB (INSERT ... SELECT from range()) into a store made by"
                    + " ordinary ingest; the store lives in a temporary directory unless --data names one."})
    static final class Hunt implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--events", paramLabel = "N", defaultValue = "10000000",
                description = "Events to generate (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--repetitions", paramLabel = "N", defaultValue = "5",
                description = "Runs of each query; the median counts (default: ${DEFAULT-VALUE}).")
        int repetitions;

        @Option(names = "--data", paramLabel = "DIR", description = "Where to build the store (default: a temporary directory).")
        java.nio.file.Path data;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            java.nio.file.Path directory = data != null ? data : java.nio.file.Files.createTempDirectory("vigil-bench-hunt");
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            double seconds = dev.vigil.bench.HuntBenchmark.generate(directory, Math.max(1000, events));
            err.printf(Locale.ROOT, "generated %,d events in %.1f s%n", events, seconds);
            err.flush();
            List<dev.vigil.bench.HuntBenchmark.Timing> timings = dev.vigil.bench.HuntBenchmark.measure(directory,
                    Math.max(1, repetitions), line -> {
                        if (!json) {
                            out.println(line);
                            out.flush();
                        }
                    });
            if (json) {
                out.println(Output.json(new dev.vigil.bench.HuntBenchmark.Report(events, seconds, timings)));
            }
            return 0;
        }
    }

    /** {@code vigil bench lake}: the scale-out lake against the embedded store (see docs/SCALE-OUT.md). */
    @Command(name = "lake", mixinStandardHelpOptions = true,
            description = {"Measure the event lake against the embedded store on the same synthetic Sysmon events:"
                    + " write throughput (and its ratio to the store's append), compaction of many small files, and"
                    + " hunt latency on the store, DuckDB over the lake and Spark local[1] and local[2] over the lake"
                    + " (Spark only with the vigil-spark module on the class path; BENCHMARKS.md has the command)."})
    static final class Lake implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
                description = "Events to write (default: ${DEFAULT-VALUE}).")
        int events;

        @Option(names = "--repetitions", paramLabel = "N", defaultValue = "5",
                description = "Runs of each hunt; the median counts (default: ${DEFAULT-VALUE}).")
        int repetitions;

        @Override
        public Integer call() throws Exception {
            dev.vigil.bench.LakeBenchmark.run(Math.max(1000, events), Math.max(1, repetitions), System.out);
            return 0;
        }
    }

    /** {@code vigil bench copilot}: latency of the copilot's ask on a large store. */
    @Command(name = "copilot", mixinStandardHelpOptions = true,
            description = {"Measure the copilot's ask on a store of at least N events: p50, p95, p99 and max of each"
                    + " ask's latency, overall and per route (skill or query), the planner's own time and the slowest"
                    + " skills, over a fixed list of single-skill questions asked several rounds with the in-jar"
                    + " embedding model; latencies also as a ratio to a GROUP BY host over the same store, timed after"
                    + " each ask.",
                    "The store is the demo organization (ingested with detection and correlation, as 'vigil demo'"
                    + " does) plus N background events of the same shapes generated inside DuckDB over 14 days, ~100"
                    + " hosts and ~500 users. It lives in a temporary directory (deleted afterwards) unless --data"
                    + " names one; a --data directory that already holds the store is reused."})
    static final class CopilotBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** --data is where the store is built or reused; the tenant is always 'bench'. */
        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--events", paramLabel = "N", defaultValue = "5000000",
                description = "Background events to generate (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
                description = "Rounds of the question list after one warm-up round (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (events < 0 || rounds < 1) {
                throw new VigilException(ErrorCode.USAGE, "--events must be at least 0 and --rounds at least 1");
            }
            boolean temporary = common.data == null;
            Path directory = temporary ? Files.createTempDirectory("vigil-bench-copilot") : common.data;
            common.data = directory;
            common.tenant = CopilotBenchmark.TENANT.value();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                dev.vigil.config.VigilConfig config = common.load();
                double seconds = 0;
                boolean reused = dev.vigil.store.TenantStore.exists(directory, CopilotBenchmark.TENANT);
                if (reused) {
                    long stored;
                    try (dev.vigil.store.TenantStore store = dev.vigil.store.TenantStore.open(directory,
                            CopilotBenchmark.TENANT, dev.vigil.store.TenantStore.Mode.READ_ONLY)) {
                        stored = CopilotBenchmark.tables(store).values().stream().mapToLong(Long::longValue).sum();
                    }
                    if (stored < events) {
                        throw new VigilException(ErrorCode.USAGE, directory + " holds a 'bench' tenant of " + stored
                                + " events, fewer than --events " + events, "Name an empty directory with --data,"
                                + " or lower --events.", null);
                    }
                    err.printf(Locale.ROOT, "reusing the store in %s (%,d events)%n", directory, stored);
                } else {
                    long start = System.nanoTime();
                    Path input = directory.resolve("demo-input").resolve(CopilotBenchmark.AS_OF.toString());
                    List<Path> files = new dev.vigil.demo.DemoOrganization(CopilotBenchmark.AS_OF, 0.05).writeTo(input);
                    err.println("seeding the demo organization (ingest, detection, correlation)...");
                    try (dev.vigil.store.TenantStore store = dev.vigil.store.TenantStore.open(directory,
                            CopilotBenchmark.TENANT, dev.vigil.store.TenantStore.Mode.READ_WRITE)) {
                        DemoCommand.Seeded seeded = DemoCommand.seed(config, store, files, err);
                        err.printf(Locale.ROOT, "demo: %,d events stored, %d alerts, %s; %s%n",
                                seeded.summary().stored(), seeded.alerts(), seeded.correlated(), seeded.attack());
                    }
                    err.printf(Locale.ROOT, "demo seeded in %.1f s; generating %,d background events...%n",
                            (System.nanoTime() - start) / 1e9, events);
                    err.flush();
                    CopilotBenchmark.generate(directory, events, line -> {
                        err.println(line);
                        err.flush();
                    });
                    seconds = (System.nanoTime() - start) / 1e9;
                    err.printf(Locale.ROOT, "store built in %.1f s%n", seconds);
                }
                err.flush();
                CopilotBenchmark.Report report = CopilotBenchmark.measure(config, rounds, seconds, reused, line -> {
                    err.println(line);
                    err.flush();
                });
                out.print(json ? Output.json(report) + System.lineSeparator() : CopilotBenchmark.text(report));
                out.flush();
            } finally {
                if (temporary) {
                    try (var files = Files.walk(directory)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
            return 0;
        }
    }

    /** {@code vigil bench server-load}: the server's answers under concurrent analysts and ingest. */
    @Command(name = "server-load", mixinStandardHelpOptions = true,
            description = {"Start a Vigil server in-process on a free loopback port over the demo organization and"
                    + " load it: --users analysts, each in sessions of its own, ask a rotating mix of the built-in"
                    + " promptbooks' prompts and the copilot benchmark's questions over /copilot/ask (every 4th over"
                    + " the SSE stream) while an ingest driver posts Sysmon and Security events as NDJSON to"
                    + " /ingest at --ingest-rate events/s (paced by a token bucket; 429 + Retry-After is waited out"
                    + " and counted apart). Reports errors (the bar is zero), ask latency p50/p90/p95/p99/max against"
                    + " an idle baseline measured first in the same run (one analyst, no ingest), the ingest rate"
                    + " achieved and its request latency, and checks that every acknowledged record was stored.",
                    "The tenant 'bench' is seeded as 'vigil demo' does it (as of 2026-11-20) in a temporary"
                    + " directory, deleted afterwards, unless --data names one; a --data directory that already"
                    + " holds it (e.g. from 'vigil bench copilot --data DIR') is reused, and grows by what is"
                    + " ingested."},
            footer = {"", "Figures go to stdout, progress to stderr. Give the server room: VIGIL_JAVA_OPTS=-Xmx2g."})
    static final class ServerLoad implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** --data is where the store is seeded or reused; the tenant is always 'bench'. */
        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s",
                description = "How long the loaded phase runs: 60s, 5m (default: ${DEFAULT-VALUE}).")
        String duration;

        @Option(names = "--users", paramLabel = "N", defaultValue = "50",
                description = "Analysts asking at once; 0 to measure ingest alone (default: ${DEFAULT-VALUE}).")
        int users;

        @Option(names = "--ingest-rate", paramLabel = "EVENTS", defaultValue = "20000",
                description = "Target ingest rate in events per second; 0 for none (default: ${DEFAULT-VALUE}).")
        int ingestRate;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "2000",
                description = "Records per ingest request (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--senders", paramLabel = "N", defaultValue = "4",
                description = "Ingest requests in flight at once (default: ${DEFAULT-VALUE}, the server's"
                        + " server.ingest.concurrent-requests).")
        int senders;

        @Option(names = "--think-time", paramLabel = "DURATION", defaultValue = "0",
                description = "An analyst's pause after each answer: 0, 500ms, 2s (default: ${DEFAULT-VALUE}).")
        String thinkTime;

        @Option(names = "--stream-every", paramLabel = "N", defaultValue = "4",
                description = "Ask every N-th question over the SSE stream; 0 for none (default: ${DEFAULT-VALUE}).")
        int streamEvery;

        @Option(names = "--baseline-questions", paramLabel = "N",
                description = "Questions the idle baseline asks (default: the whole mix, once).")
        Integer baselineQuestions;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ServerLoadBenchmark.Options defaults = ServerLoadBenchmark.Options.defaults();
            ServerLoadBenchmark.Options options;
            try {
                options = new ServerLoadBenchmark.Options(dev.vigil.hunt.HuntSchedule.duration("--duration",
                        duration), users, ingestRate, batch, senders, dev.vigil.hunt.HuntSchedule.duration(
                        "--think-time", thinkTime), streamEvery, baselineQuestions == null
                        ? defaults.baselineQuestions() : baselineQuestions, defaults.requestTimeout());
            } catch (IllegalArgumentException e) {
                throw new VigilException(ErrorCode.USAGE, e.getMessage(), "Pass --duration above 0, --batch,"
                        + " --senders and --baseline-questions of at least 1, and --users, --ingest-rate,"
                        + " --think-time and --stream-every of at least 0.", null);
            }
            boolean temporary = common.data == null;
            Path directory = temporary ? Files.createTempDirectory("vigil-bench-server-load") : common.data;
            common.data = directory;
            common.tenant = CopilotBenchmark.TENANT.value();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                dev.vigil.config.VigilConfig config = common.load();
                if (dev.vigil.store.TenantStore.exists(directory, CopilotBenchmark.TENANT)) {
                    err.printf(Locale.ROOT, "reusing the tenant '%s' in %s%n", CopilotBenchmark.TENANT, directory);
                } else {
                    long start = System.nanoTime();
                    Path input = directory.resolve("demo-input").resolve(CopilotBenchmark.AS_OF.toString());
                    List<Path> files = new dev.vigil.demo.DemoOrganization(CopilotBenchmark.AS_OF).writeTo(input);
                    err.println("seeding the demo organization (ingest, detection, correlation)...");
                    err.flush();
                    try (dev.vigil.store.TenantStore store = dev.vigil.store.TenantStore.open(directory,
                            CopilotBenchmark.TENANT, dev.vigil.store.TenantStore.Mode.READ_WRITE)) {
                        DemoCommand.Seeded seeded = DemoCommand.seed(config, store, files, err);
                        err.printf(Locale.ROOT, "demo: %,d events stored, %d alerts, %s in %.1f s%n",
                                seeded.summary().stored(), seeded.alerts(), seeded.correlated(),
                                (System.nanoTime() - start) / 1e9);
                    }
                }
                err.flush();
                ServerLoadBenchmark.Report report = ServerLoadBenchmark.run(config, CopilotBenchmark.TENANT,
                        CopilotBenchmark.NOW, options, line -> {
                            err.println(line);
                            err.flush();
                        });
                out.print(json ? Output.json(report) + System.lineSeparator() : ServerLoadBenchmark.text(report));
                out.flush();
                return report.errors() == 0 && report.storedMatches() ? 0 : 1;
            } finally {
                if (temporary) {
                    try (var files = Files.walk(directory)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    /** {@code vigil bench hunt-coverage}: the share of a public corpus of hunting queries the dialect handles. */
    @Command(name = "hunt-coverage", mixinStandardHelpOptions = true,
            description = {"Parse, compile and run every query of a corpus index (queries_index.jsonl) on the tenant's"
                    + " store, and print the shares: parsed; compiled, of those whose tables Vigil provides; ran"
                    + " without error, of those compiled.",
                    "Default corpus: ../shared/data/kql-hunting-queries/queries_index.jsonl."})
    static final class HuntCoverage implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--corpus", paramLabel = "FILE", description = "The corpus index.")
        java.nio.file.Path corpus;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() {
            var config = common.load();
            java.nio.file.Path index = corpus != null ? corpus : java.nio.file.Path.of(System.getProperty("vigil.shared.data",
                    System.getenv().getOrDefault("VIGIL_SHARED_DATA", "../shared/data")))
                    .resolve("kql-hunting-queries/queries_index.jsonl");
            if (!java.nio.file.Files.isRegularFile(index)) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no corpus index at " + index,
                        "Pass --corpus FILE, or put the shared data at ../shared/data.", null);
            }
            try (dev.vigil.store.TenantStore store = dev.vigil.store.TenantStore.open(config.dataDirectory(), config.tenant(),
                    dev.vigil.store.TenantStore.Mode.READ_ONLY)) {
                var figures = dev.vigil.bench.HuntCoverage.measure(dev.vigil.bench.HuntCoverage.corpus(index),
                        new dev.vigil.store.HuntRunner(store), true);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Output.json(figures));
                    return 0;
                }
                out.printf(Locale.ROOT, "queries %d%nparsed %d (%.1f%%)%ncompiled %d of %d whose tables Vigil provides (%.1f%%)%n"
                        + "ran without error %d of %d compiled (%.1f%%)%n", figures.queries(), figures.parsed(),
                        figures.parseRate(), figures.compiled(), figures.provided(), figures.compileRate(), figures.ran(),
                        figures.compiled(), figures.runRate());
                figures.compileErrors().forEach((reason, count) -> out.printf("  compile: %3d  %s%n", count, reason));
                figures.runErrors().forEach((reason, count) -> out.printf("  run:     %3d  %s%n", count, reason));
            }
            return 0;
        }
    }

    /** {@code vigil bench posture}. */
    @Command(name = "posture", mixinStandardHelpOptions = true,
            description = "Vulnerability matching at scale: generated assets with their packages against generated"
                    + " version ranges (default: 10,000 assets x 200 packages against 250,000 ranges); index build and"
                    + " heap, matching rate, and the ratio to bare package-key lookups measured in the same run.")
    static final class Posture implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--assets", paramLabel = "N", defaultValue = "10000", description = "Assets (default: ${DEFAULT-VALUE}).")
        int assets;

        @Option(names = "--packages", paramLabel = "N", defaultValue = "200",
                description = "Packages per asset (default: ${DEFAULT-VALUE}).")
        int packages;

        @Option(names = "--ranges", paramLabel = "N", defaultValue = "250000",
                description = "Version ranges in the knowledge (default: ${DEFAULT-VALUE}).")
        int ranges;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
                description = "Rounds of the matching measurement; the best counts (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() {
            common.load();
            dev.vigil.bench.PostureBenchmark.Report report = new dev.vigil.bench.PostureBenchmark(
                    new dev.vigil.bench.PostureBenchmark.Options(Math.max(1, assets), Math.max(1, packages),
                            Math.max(5, ranges), Math.max(1, rounds)), spec.commandLine().getErr()).run();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(report));
                return 0;
            }
            out.printf(Locale.ROOT, "%,d version ranges: index built in %.2f s, %,d MiB of heap%n", report.ranges(),
                    report.buildSeconds(), report.heapBytes() >> 20);
            out.printf(Locale.ROOT, "%-44s %8.2f s  %,12.0f items/s  (%,d matches)%n", "matching " + String.format(
                    Locale.ROOT, "%,d", report.itemsMatched()) + " items", report.matchSeconds(),
                    report.itemsPerSecond(), report.matchesPerRound());
            out.printf(Locale.ROOT, "%-44s %8.2f s  %5.2f of matching's rate%n", "baseline: package-key lookups alone",
                    report.baselineSeconds(), 1 / report.ratioToBaseline());
            out.printf(Locale.ROOT, "%-44s %8.2f s  (%,d findings)%n", "whole analysis of " + String.format(
                    Locale.ROOT, "%,d", report.analyzedAssets()) + " assets", report.analysisSeconds(),
                    report.findings());
            return 0;
        }
    }

    /** {@code vigil bench embedding}. */
    @Command(name = "embedding", mixinStandardHelpOptions = true,
            description = "The in-jar embedding model (all-MiniLM-L6-v2, quantized, on ONNX Runtime): its load time,"
                    + " the latency of one analyst prompt uncached and cached (p50, p95, p99), and embedAll's"
                    + " throughput against one by one; latencies also as a ratio to SHA-256 over 64 KiB timed in the"
                    + " same run.")
    static final class Embedding implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--prompts", paramLabel = "N", defaultValue = "500",
                description = "Distinct prompts embedded one at a time (default: ${DEFAULT-VALUE}).")
        int prompts;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "100",
                description = "Other prompts embedded first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() {
            if (prompts < 1 || warmup < 0) {
                throw new VigilException(ErrorCode.USAGE, "--prompts must be at least 1 and --warmup at least 0");
            }
            dev.vigil.bench.EmbeddingBenchmark.Report report = new dev.vigil.bench.EmbeddingBenchmark(
                    new dev.vigil.bench.EmbeddingBenchmark.Options(prompts, warmup), spec.commandLine().getErr()).run();
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Output.json(report) + System.lineSeparator()
                    : dev.vigil.bench.EmbeddingBenchmark.text(report));
            out.flush();
            return 0;
        }
    }
}
