package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.lake.LakeCompactor;
import dev.vigil.lake.LakeFile;
import dev.vigil.lake.LakeHuntEngine;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.HuntRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil lake write|compact|hunt}: the scale-out event lake (Parquet partitioned by tenant, table and day under
 * {@code lake.root}): ingest files into it, compact its partitions, and hunt over it with DuckDB or Spark.
 */
@Command(name = "lake", mixinStandardHelpOptions = true,
        description = {"The scale-out event lake: Parquet files under lake.root, partitioned by tenant, table and day.",
                "Write ingests files into it, compact merges small files, hunt runs KQL over it (DuckDB or Spark)."},
        subcommands = {LakeCommand.Write.class, LakeCommand.Compact.class, LakeCommand.Hunt.class,
                LakeCommand.Sink.class},
        footer = {"", "Examples:",
                "  vigil lake write logs/ --tenant acme --set lake.root=/srv/lake",
                "  vigil lake compact --all-tenants",
                "  vigil lake sink --bootstrap kafka-1:9092 --set lake.root=/mnt/vigil-lake",
                "  vigil lake hunt 'SysmonEvent | summarize count() by EventID' --engine spark --json",
                "Exit codes: 0 ok, 2 invalid query or options, 7 partial (a source could not be read to the end)."})
final class LakeCommand extends CommandGroup {
    private static LakeLayout layout(VigilConfig config) {
        return new LakeLayout(config.lake());
    }

    @Command(name = "sink", mixinStandardHelpOptions = true,
            description = {"Write the Kafka pipeline's events topic into the lake until stopped (SIGTERM writes and"
                    + " commits what was read): the consumer group stream.application-id + '-lake' reads committed"
                    + " events and commits its offsets once their files are durable. Run one per events partition"
                    + " set, on nodes that mount lake.root."},
            footer = {"", "Exit codes: 0 stopped, 1 no broker answered or the lake could not be written."})
    static final class Sink implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Mixin
        StreamCommand.Brokers brokers;

        @Override
        public Integer call() throws InterruptedException {
            VigilConfig config = common.load();
            dev.vigil.stream.StreamSettings settings = dev.vigil.stream.StreamSettings.from(config, brokers.bootstrap);
            LakeLayout layout = layout(config);
            dev.vigil.stream.LakeSink sink = new dev.vigil.stream.LakeSink(settings, layout);
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(() -> {
                sink.close();
                try {
                    done.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "vigil-lake-sink-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(java.util.Locale.ROOT, "lake sink of %s: %s into %s (group %s)%n", settings.bootstrap(),
                    settings.topics().events(), layout, dev.vigil.stream.LakeSink.groupId(settings));
            out.flush();
            try {
                sink.run();
            } finally {
                done.countDown();
            }
            out.printf(java.util.Locale.ROOT, "%d events written%n", sink.written());
            return 0;
        }
    }

    @Command(name = "write", mixinStandardHelpOptions = true,
            description = {"Ingest files into the tenant's part of the lake (one Parquet file per table and day of",
                    "each commit; a file is visible only once complete). Quarantined records go to table _quarantine."})
    static final class Write implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, folders, archives, or '-' for standard input.")
        List<String> paths;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
                description = "Force a format instead of recognizing it: ${COMPLETION-CANDIDATES}.",
                completionCandidates = IngestCommand.FormatNames.class, converter = IngestCommand.FormatConverter.class)
        Format format;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            LakeLayout layout = layout(config);
            PrintWriter out = spec.commandLine().getOut();
            IngestSummary summary;
            List<LakeFile> files;
            try (LakeWriter writer = new LakeWriter(layout)) {
                Ingestor ingestor = IngestCommand.ingestor(config, writer, format, config.defaultTable(),
                        Ingestor.ProgressListener.NONE);
                summary = ingestor.ingest(paths);
                files = writer.written();
            }
            long bytes = files.stream().mapToLong(f -> Math.max(0, f.bytes())).sum();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("lake", layout.root());
                body.put("read", summary.read());
                body.put("written", summary.stored());
                body.put("quarantined", summary.quarantined());
                body.put("files", files.size());
                body.put("bytes", bytes);
                body.put("events_per_second", Math.round(summary.eventsPerSecond()));
                out.println(Output.json(body));
            } else {
                out.print(Output.table(List.of("table", "day", "rows", "file"), files.stream()
                        .map(f -> List.<Object>of(f.table(), f.day().toString(), f.rows(), f.location())).toList()));
                out.println(Output.count(summary.stored()) + " events and " + Output.count(summary.quarantined())
                        + " quarantined records written to " + files.size() + " files (" + Output.count(bytes)
                        + " bytes) of tenant '" + config.tenant() + "' in " + layout.root() + ", "
                        + Output.count(Math.round(summary.eventsPerSecond())) + " events/s");
            }
            out.flush();
            if (!summary.failedSources().isEmpty()) {
                return Output.partial(spec.commandLine().getErr(), ErrorCode.INPUT_UNREADABLE,
                        summary.failedSources().size() + " source(s) could not be read to the end; what was read of"
                                + " them is in the lake");
            }
            return 0;
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = {"Merge each partition's Parquet files smaller than lake.target-file-mb into larger ones,",
                    "keeping one row per event id. Atomic and idempotent: a crash midway loses and duplicates",
                    "nothing, and the next run finishes it. Local lakes only."})
    static final class Compact implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--all-tenants", description = "Compact every tenant's partitions, not only --tenant's.")
        boolean allTenants;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            LakeLayout layout = layout(config);
            PrintWriter out = spec.commandLine().getOut();
            long start = System.nanoTime();
            LakeCompactor.Result result;
            try (LakeCompactor compactor = new LakeCompactor(layout)) {
                result = allTenants ? compactor.compactAll() : compactor.compact(config.tenant());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", allTenants ? "*" : config.tenant().value());
            body.put("partitions", result.partitions());
            body.put("files_in", result.filesIn());
            body.put("files_out", result.filesOut());
            body.put("rows_in", result.rowsIn());
            body.put("rows_out", result.rowsOut());
            body.put("bytes_in", result.bytesIn());
            body.put("bytes_out", result.bytesOut());
            body.put("recovered", result.recovered());
            body.put("seconds", Math.round(seconds * 100) / 100.0);
            if (json) {
                out.println(Output.json(body));
            } else {
                out.print(Output.table(List.of("partitions", "files in", "files out", "rows in", "rows out", "recovered"),
                        List.of(List.of(result.partitions(), result.filesIn(), result.filesOut(), result.rowsIn(),
                                result.rowsOut(), result.recovered()))));
                out.println("(" + (result.rowsIn() - result.rowsOut()) + " duplicate rows dropped, "
                        + body.get("seconds") + " s, lake " + layout.root() + ")");
            }
            return 0;
        }
    }

    @Command(name = "hunt", mixinStandardHelpOptions = true,
            description = {"Run a KQL hunting query over the tenant's part of the lake, on DuckDB or on Spark",
                    "(spark.master, local[2] by default; needs the vigil-spark module on the class path)."})
    static final class Hunt implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "QUERY", description = "The KQL query.")
        String query;

        @Option(names = "--engine", defaultValue = "duckdb", paramLabel = "ENGINE",
                description = "duckdb (default) or spark.")
        String engine;

        @Option(names = "--table", paramLabel = "TABLE", split = ",",
                description = "The tables to read (required for an object-storage lake; default: all of the tenant's).")
        List<String> tables;

        @Option(names = "--explain", description = "Show the SQL the query compiles to for the engine, without running it.")
        boolean explain;

        @Mixin
        HuntLimitOptions limits;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            LakeLayout layout = layout(config);
            if (layout.isLocal() && !Files.isDirectory(Path.of(layout.tenantLocation(config.tenant())))) {
                throw new VigilException(ErrorCode.TABLE_NOT_FOUND, "tenant '" + config.tenant() + "' has no data in"
                        + " the lake " + layout.root(), "Write some first: vigil lake write PATH --tenant "
                        + config.tenant(), null);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (LakeHuntEngine hunts = LakeHuntEngine.open(engine, layout, config.tenant(), tables)) {
                if (explain) {
                    return HuntCommand.explain(out, hunts.compile(query, Map.of()), json);
                }
                HuntRunner.Result result = hunts.run(query, Map.of(), limits.limits());
                HuntCommand.print(out, config, result, json, limits.maxRows);
            }
            return 0;
        }
    }
}
