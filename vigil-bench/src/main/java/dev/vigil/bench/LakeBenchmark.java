package dev.vigil.bench;

import dev.vigil.config.LakeSettings;
import dev.vigil.ingest.EventSink;
import dev.vigil.lake.LakeCompactor;
import dev.vigil.lake.LakeHuntEngine;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scale-out lake against the embedded store, in one run on the same synthetic Sysmon events: write throughput
 * (lake writer vs store append, both single-threaded, so per writer), compaction of many small files, and hunt
 * latency on the embedded store, DuckDB over the lake and Spark over the lake ({@code local[1]} and
 * {@code local[2]}, when the vigil-spark module is on the class path). The figures feed the capacity model of
 * docs/SCALE-OUT.md.
 *
 * <p>Run: {@code java -cp "vigil-spark/target/vigil-spark.jar:vigil-spark/target/lib/*:vigil-bench/target/vigil-bench.jar:vigil-bench/target/lib/*"
 * --add-opens=... dev.vigil.bench.LakeBenchmark EVENTS} (see BENCHMARKS.md for the whole command).
 */
public final class LakeBenchmark {
    static final TenantId TENANT = TenantId.of("bench");
    /** 2024-05-01T00:00:00Z */
    private static final long BASE_MILLIS = 1_714_521_600_000L;
    private static final int BATCH = 50_000;
    private static final String[] IMAGES = {"C:\\Windows\\System32\\cmd.exe",
            "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\explorer.exe",
            "C:\\Windows\\System32\\rundll32.exe", "C:\\Program Files\\Office\\winword.exe"};

    /** The hunts timed on every engine. */
    static final Map<String, String> HUNTS = Map.of(
            "count-by-event", "SysmonEvent | summarize count() by EventID",
            "filter-has", "SysmonEvent | where CommandLine has 'mimikatz' | count",
            "top-hosts", "SysmonEvent | where EventID == 1 | summarize Count = count() by Computer | top 10 by Count",
            "timechart", "SysmonEvent | summarize count() by bin(time, 1h)");

    private LakeBenchmark() {}

    /** {@code LakeBenchmark [EVENTS [REPETITIONS]]}, printing to standard output. */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        run(args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000,
                args.length > 1 ? Integer.parseInt(args[1]) : 5, out);
        out.flush();
    }

    /** Runs the benchmark in a temporary folder, printing its figures as it goes. */
    public static void run(int events, int repetitions, PrintStream out) throws IOException {
        Path folder = Files.createTempDirectory("vigil-lake-bench");
        out.printf(Locale.ROOT, "Lake benchmark: %,d synthetic Sysmon events over 7 days, %d cores, Java %s%n%n",
                events, Runtime.getRuntime().availableProcessors(), Runtime.version());
        List<EventSink.Batch> batches = new ArrayList<>();
        for (int from = 0; from < events; from += BATCH) {
            batches.add(batch(from, Math.min(events, from + BATCH)));
        }

        // write: the store's append and commit against the lake writer's, the same batches, one thread each
        long start = System.nanoTime();
        try (TenantStore store = TenantStore.open(folder.resolve("store"), TENANT, TenantStore.Mode.READ_WRITE)) {
            for (EventSink.Batch batch : batches) {
                store.store(batch);
            }
            store.checkpoint();
        }
        double storeSeconds = seconds(start);
        LakeLayout layout = new LakeLayout(LakeSettings.local(folder.resolve("lake").toString()));
        start = System.nanoTime();
        try (LakeWriter writer = new LakeWriter(layout)) {
            for (EventSink.Batch batch : batches) {
                writer.store(batch);
            }
        }
        double lakeSeconds = seconds(start);
        out.printf(Locale.ROOT, "write, %,d events in batches of %,d (one commit each):%n", events, BATCH);
        out.printf(Locale.ROOT, "  embedded store append+commit  %,10.0f events/s  (%.1f s)%n", events / storeSeconds, storeSeconds);
        out.printf(Locale.ROOT, "  lake writer (Parquet, zstd)   %,10.0f events/s  (%.1f s)  ratio to store %.2f%n",
                events / lakeSeconds, lakeSeconds, storeSeconds / lakeSeconds);
        out.printf(Locale.ROOT, "  lake size before compaction   %,d files, %.1f MiB%n", files(layout.localRoot()),
                bytes(layout.localRoot()) / 1048576.0);

        // compaction: every commit left a small file in each of the 7 day partitions
        start = System.nanoTime();
        LakeCompactor.Result compaction;
        try (LakeCompactor compactor = new LakeCompactor(layout)) {
            compaction = compactor.compact(TENANT);
        }
        double compactSeconds = seconds(start);
        out.printf(Locale.ROOT, "compaction: %d partitions, %,d files into %,d, %,d rows, %.1f MiB into %.1f MiB,"
                        + " %.1f s (%,.0f rows/s; partitions one after the other, %.1f s each)%n%n",
                compaction.partitions(), compaction.filesIn(), compaction.filesOut(), compaction.rowsOut(),
                compaction.bytesIn() / 1048576.0, compaction.bytesOut() / 1048576.0, compactSeconds,
                compaction.rowsOut() / compactSeconds, compactSeconds / Math.max(1, compaction.partitions()));

        // hunts: median of the repetitions after one warm-up, per engine
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        HuntRunner.Limits limits = new HuntRunner.Limits(10_000, Duration.ofMinutes(10));
        try (TenantStore store = TenantStore.open(folder.resolve("store"), TENANT, TenantStore.Mode.READ_ONLY)) {
            HuntRunner runner = new HuntRunner(store);
            medians.put("embedded store", time(repetitions, kql -> runner.run(kql, Map.of(), limits)));
        }
        try (LakeHuntEngine duckdb = LakeHuntEngine.open("duckdb", layout, TENANT, null)) {
            medians.put("DuckDB over lake", time(repetitions, kql -> duckdb.run(kql, Map.of(), limits)));
        }
        for (String master : List.of("local[1]", "local[2]")) {
            LakeLayout spark = new LakeLayout(new LakeSettings(layout.settings().root(), layout.settings().targetFileBytes(),
                    layout.settings().objectStorage(), master));
            try (LakeHuntEngine engine = LakeHuntEngine.open("spark", spark, TENANT, null)) {
                medians.put("Spark " + master + " over lake", time(repetitions, kql -> engine.run(kql, Map.of(), limits)));
            } catch (VigilException e) {
                out.println("Spark " + master + ": not measured: " + e.getMessage());
            }
        }
        out.printf(Locale.ROOT, "hunt latency, median of %d (ms):%n", repetitions);
        out.printf(Locale.ROOT, "  %-16s", "query");
        medians.keySet().forEach(engine -> out.printf(Locale.ROOT, " %24s", engine));
        out.println();
        for (String hunt : HUNTS.keySet()) {
            out.printf(Locale.ROOT, "  %-16s", hunt);
            medians.values().forEach(m -> out.printf(Locale.ROOT, " %24.1f", m.get(hunt)));
            out.println();
        }
        out.printf(Locale.ROOT, "scan rate of count-by-event (events/s):");
        medians.forEach((engine, m) -> out.printf(Locale.ROOT, "  %s %,.0f;", engine,
                events / (m.get("count-by-event") / 1000)));
        out.println();
    }

    private interface Hunt {
        void run(String kql);
    }

    private static Map<String, Double> time(int repetitions, Hunt hunt) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : HUNTS.entrySet()) {
            hunt.run(entry.getValue()); // warm-up
            double[] millis = new double[repetitions];
            for (int i = 0; i < repetitions; i++) {
                long start = System.nanoTime();
                hunt.run(entry.getValue());
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            medians.put(entry.getKey(), millis[repetitions / 2]);
        }
        return medians;
    }

    /** Events {@code from} to {@code to}: 90% process creations, 10% network connections, spread over 7 days. */
    static EventSink.Batch batch(int from, int to) {
        List<Event> events = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            long millis = BASE_MILLIS + (i * 7919L % 604_800L) * 1000L + i % 1000;
            boolean network = i % 10 == 0;
            String computer = "WS" + (i % 500);
            String image = IMAGES[i % IMAGES.length];
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("EventID", network ? 3L : 1L);
            fields.put("Computer", computer);
            fields.put("Image", image);
            fields.put("User", "CORP\\user" + (i % 2000));
            if (network) {
                fields.put("DestinationIp", "10.0." + (i % 250) + "." + (i % 200));
                fields.put("DestinationPort", (long) (i % 7 == 0 ? 4444 : 443));
            } else {
                fields.put("CommandLine", image + (i % 1000 == 1 ? " sekurlsa::logonpasswords mimikatz" : " /c task " + i));
            }
            String raw = "{\"seq\":" + i + ",\"Computer\":\"" + computer + "\"}";
            String[] common = new String[CommonColumn.count()];
            common[CommonColumn.HOST.ordinal()] = computer;
            common[CommonColumn.EVENT_CODE.ordinal()] = network ? "3" : "1";
            common[CommonColumn.PROCESS.ordinal()] = image;
            events.add(new Event(EventId.derive(TENANT, millis, raw.getBytes(StandardCharsets.UTF_8), 0), TENANT,
                    "SysmonEvent", millis * 1000, common, fields, raw, new SourcePosition("bench", i, 0)));
        }
        return new EventSink.Batch(events, List.of());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long files(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    private static long bytes(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
