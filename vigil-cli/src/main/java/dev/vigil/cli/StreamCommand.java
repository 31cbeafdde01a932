package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.ingest.Format;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.stream.ContentPublisher;
import dev.vigil.stream.FileSender;
import dev.vigil.stream.LakeSink;
import dev.vigil.stream.SinkSettings;
import dev.vigil.lake.LakeLayout;
import dev.vigil.stream.StreamSettings;
import dev.vigil.stream.StreamWorker;
import dev.vigil.stream.TenantContent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil stream}: the scale-out pipeline on Kafka (docs/SCALE-OUT.md). */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Run the scale-out pipeline on Kafka: workers parse, normalize, detect and correlate what"
                + " senders put on the raw topic, exactly once; add workers to share the partitions.",
                "Topics (prefix stream.topic-prefix, default 'vigil.'): raw, events, quarantine, alerts, incidents and"
                        + " the compacted config topic of per-tenant rules and indicators. docs/SCALE-OUT.md has the"
                        + " deployment guide."},
        subcommands = {StreamCommand.Run.class, StreamCommand.Send.class, StreamCommand.Publish.class,
                StreamCommand.Sink.class, StreamCommand.Incidents.class})
final class StreamCommand extends CommandGroup {

    /** The brokers option every subcommand takes. */
    static final class Brokers {
        @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
                description = "Kafka brokers, comma-separated (default: stream.bootstrap, localhost:9092).")
        String bootstrap;
    }

    /** {@code vigil stream run}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a pipeline worker until interrupted (Ctrl-C or SIGTERM stops it cleanly, committing"
                    + " what it processed). It creates the topics that are missing.",
                    "Workers with the same stream.application-id share the partitions; a worker that stops hands its"
                            + " partitions, with their correlation state, to the others."},
            footer = {"", "Examples:", "  vigil stream run --bootstrap kafka-1:9092",
                    "  vigil stream run --config /etc/vigil/vigil.yaml --set stream.threads=4",
                    "", "Exit codes: 0 stopped, 1 the worker failed or no broker answered (see the message)."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        Brokers brokers;

        @Override
        public Integer call() throws InterruptedException {
            VigilConfig config = common.load();
            StreamSettings settings = StreamSettings.from(config, brokers.bootstrap);
            PrintWriter out = spec.commandLine().getOut();
            StreamWorker worker = StreamWorker.start(settings);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                worker.close();
                stopped.countDown();
            }, "vigil-stream-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf(Locale.ROOT, "worker of %s on %s: %d thread(s), topics %s*, state in %s%n",
                    settings.applicationId(), settings.bootstrap(), settings.threads(),
                    settings.topics().raw().substring(0, settings.topics().raw().length() - "raw".length()),
                    settings.stateDir());
            out.flush();
            while (stopped.getCount() > 0) {
                KafkaStreams.State state = worker.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                        || state == KafkaStreams.State.PENDING_ERROR) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    worker.close();
                    throw new VigilException(ErrorCode.BROKER_UNAVAILABLE, "the worker of "
                            + settings.applicationId() + " stopped (" + state + "); the log has the cause");
                }
                stopped.await(1, java.util.concurrent.TimeUnit.SECONDS);
            }
            return 0;
        }
    }

    /** {@code vigil stream send PATH...}. */
    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Send files to the pipeline's raw topic, for the tenant: files, folders, .gz/.zip/.tar.gz"
                    + " archives, or '-' for standard input, recognized per file as `vigil ingest` does.",
                    "Records are split and numbered here and parsed by the workers; records over"
                            + " ingest.max-record-bytes and binary or unsupported files go to the quarantine topic."},
            footer = {"", "Examples:", "  vigil stream send ./logs --tenant acme --bootstrap kafka-1:9092",
                    "  zcat syslog.gz | vigil stream send - --format syslog",
                    "", "Exit codes: 0 sent, 1 no broker answered or it refused records, 3 a path does not exist."})
    static final class Send implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        Brokers brokers;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, folders, archives, or '-'.")
        List<String> paths = new ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
                description = "Force a format instead of recognizing it: ${COMPLETION-CANDIDATES}.",
                completionCandidates = IngestCommand.FormatNames.class, converter = IngestCommand.FormatConverter.class)
        Format format;

        @Option(names = "--json", description = "Print the summary as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            StreamSettings settings = StreamSettings.from(config, brokers.bootstrap);
            FileSender.Summary summary;
            try (FileSender sender = new FileSender(settings, config.tenant(), format, Clock.systemUTC(),
                    System.in)) {
                summary = sender.send(paths);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("topic", settings.topics().raw());
                body.put("sources", summary.sources());
                body.put("records", summary.records());
                body.put("refused", summary.refused());
                body.put("skipped", summary.skipped());
                body.put("failed", summary.failed());
                body.put("seconds", Math.round(summary.seconds() * 1000) / 1000.0);
                out.println(Output.json(body));
                return summary.failed().isEmpty() ? 0 : 7;
            }
            out.print(Output.table(List.of("tenant", "topic", "sources", "records", "to quarantine", "records/s"),
                    List.of(List.of(config.tenant().value(), settings.topics().raw(), summary.sources(),
                            summary.records(), summary.refused(), Math.round(summary.recordsPerSecond())))));
            summary.skipped().forEach((name, why) -> out.println("skipped " + name + ": " + why));
            summary.failed().forEach((name, why) -> out.println("failed " + name + ": " + why));
            out.flush();
            return summary.failed().isEmpty() ? 0 : 7;
        }
    }

    /** {@code vigil stream incidents}. */
    @Command(name = "incidents", mixinStandardHelpOptions = true,
            description = {"Apply the pipeline's incidents topic to the tenants' incidents until interrupted: each"
                    + " placement's alert, and the incidents the pipeline opened, joined and merged, are kept where"
                    + " store.state says (PostgreSQL, which every `vigil serve --mode scale` node reads, or the"
                    + " tenant's store), so that `vigil incidents` and the server list, show and update them.",
                    "Reads committed records only and commits its offsets after applying them; a record applied"
                            + " again changes nothing, so a restart after a crash is safe. Consumers with the same"
                            + " stream.application-id share the partitions."},
            footer = {"", "Examples:", "  vigil stream incidents --bootstrap kafka-1:9092 --set store.state=postgresql",
                    "  vigil stream incidents --until-idle 30      # apply what is there, then stop",
                    "", "Exit codes: 0 stopped, 1 no broker answered or a store failed (see the message)."})
    static final class Incidents implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        Brokers brokers;

        @Option(names = "--until-idle", paramLabel = "SECONDS",
                description = "Stop once no record came for this long (default: run until interrupted).")
        Integer untilIdle;

        @Override
        public Integer call() throws InterruptedException {
            VigilConfig config = common.load();
            StreamSettings settings = StreamSettings.from(config, brokers.bootstrap);
            PrintWriter out = spec.commandLine().getOut();
            java.util.Properties properties = new java.util.Properties();
            properties.put("bootstrap.servers", settings.bootstrap());
            properties.put("group.id", settings.applicationId() + "-incidents");
            properties.put("isolation.level", "read_committed");
            properties.put("enable.auto.commit", "false");
            properties.put("auto.offset.reset", "earliest");
            properties.put("max.poll.records", "5000");
            IncidentSink sink = new IncidentSink(config);
            IncidentSink.Applied total = new IncidentSink.Applied(0, 0, 0, 0, 0);
            CountDownLatch done = new CountDownLatch(1);
            try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(properties,
                            new org.apache.kafka.common.serialization.StringDeserializer(),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                Thread hook = new Thread(() -> {
                    consumer.wakeup();
                    try {
                        done.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "vigil-incidents-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                consumer.subscribe(List.of(settings.topics().incidents()));
                out.printf(Locale.ROOT, "applying %s on %s to the incidents (%s)%n", settings.topics().incidents(),
                        settings.bootstrap(), config.sharedState().kind().toString().toLowerCase(Locale.ROOT));
                out.flush();
                long idleSince = System.nanoTime();
                try {
                    while (untilIdle == null
                            || System.nanoTime() - idleSince < java.time.Duration.ofSeconds(untilIdle).toNanos()) {
                        var records = consumer.poll(java.time.Duration.ofSeconds(1));
                        if (records.isEmpty()) {
                            continue;
                        }
                        for (var partition : records.partitions()) {
                            List<IncidentSink.Input> inputs = new ArrayList<>();
                            long last = -1;
                            for (var record : records.records(partition)) {
                                inputs.add(new IncidentSink.Input(record.offset(), record.value()));
                                last = record.offset();
                            }
                            IncidentSink.Applied applied = sink.apply(inputs, Instant.now());
                            total = new IncidentSink.Applied(total.placed() + applied.placed(), total.skipped()
                                    + applied.skipped(), total.opened() + applied.opened(), total.merged()
                                    + applied.merged(), total.unreadable() + applied.unreadable());
                            consumer.commitSync(Map.of(partition,
                                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(last + 1)));
                        }
                        idleSince = System.nanoTime();
                    }
                } catch (org.apache.kafka.common.errors.WakeupException stopping) {
                    // interrupted: what was applied is committed
                } finally {
                    done.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: it stopped the loop
                    }
                }
            }
            out.printf(Locale.ROOT, "incidents: %d placement(s) applied, %d opened, %d merged; %d already applied"
                    + "%s%n", total.placed(), total.opened(), total.merged(), total.skipped(),
                    total.unreadable() == 0 ? "" : "; " + total.unreadable() + " without their alert skipped");
            return 0;
        }
    }

    /** {@code vigil stream publish --rules DIR --intel FILE}. */
    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Publish the tenant's detection content to the config topic: Sigma rules (.yml/.yaml files"
                    + " under each --rules path) and indicator files (STIX 2.x, MISP, CSV, plain lists).",
                    "The value replaces what the tenant had: publish all of its rules and indicators each time. The"
                            + " rules are compiled here first, so a rule that does not parse is refused with its file"
                            + " and line before any worker sees it; workers pick the content up within seconds."},
            footer = {"", "Example:", "  vigil stream publish --tenant acme --rules ./sigma/rules --intel feed.json",
                    "", "Exit codes: 0 published, 1 no broker answered, 2 a rule does not parse, 3 a path does not"
                            + " exist."})
    static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        Brokers brokers;

        @Option(names = "--rules", paramLabel = "PATH", description = "A Sigma rule file or folder (repeatable).")
        List<Path> rules = new ArrayList<>();

        @Option(names = "--intel", paramLabel = "FILE", description = "An indicator file (repeatable).")
        List<Path> intel = new ArrayList<>();

        @Option(names = "--json", description = "Print the summary as JSON.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            VigilConfig config = common.load();
            StreamSettings settings = StreamSettings.from(config, brokers.bootstrap);
            Map<String, String> ruleFiles = new LinkedHashMap<>();
            for (Path path : rules) {
                for (Path file : files(path, true)) {
                    ruleFiles.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
                }
            }
            Map<String, String> indicatorFiles = new LinkedHashMap<>();
            for (Path path : intel) {
                for (Path file : files(path, false)) {
                    indicatorFiles.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
                }
            }
            TenantContent.Compiled compiled = ContentPublisher.publish(settings, config.tenant(),
                    new TenantContent(ruleFiles, indicatorFiles));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("topic", settings.topics().config());
                body.put("rules", compiled.ruleCount());
                body.put("indicators", compiled.indicatorCount());
                body.put("problems", compiled.problems());
                out.println(Output.json(body));
                return 0;
            }
            out.print(Output.table(List.of("tenant", "topic", "rules", "indicators", "problems"),
                    List.of(List.of(config.tenant().value(), settings.topics().config(), compiled.ruleCount(),
                            compiled.indicatorCount(), compiled.problems().size()))));
            compiled.problems().forEach(problem -> out.println("not run: " + problem));
            out.flush();
            return 0;
        }

        private static List<Path> files(Path path, boolean yamlOnly) throws IOException {
            if (!Files.exists(path)) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no such file or folder: " + path);
            }
            if (Files.isRegularFile(path)) {
                return List.of(path);
            }
            try (Stream<Path> walk = Files.walk(path)) {
                return walk.filter(Files::isRegularFile).filter(file -> !yamlOnly
                        || file.toString().endsWith(".yml") || file.toString().endsWith(".yaml")).sorted().toList();
            }
        }
    }

    /** {@code vigil stream sink --to lake}. */
    @Command(name = "sink", mixinStandardHelpOptions = true,
            description = {"Write the pipeline's events topic into the Parquet lake (lake.root), partitioned by"
                    + " tenant, table and day, until interrupted (Ctrl-C or SIGTERM commits what it holds and stops).",
                    "It reads committed records only, writes a batch (stream.sink.commit-records, -bytes, -interval)"
                            + " as one file per tenant, table and day, and commits its offsets after the files are in"
                            + " place: a sink that dies loses nothing, and the next one writes only what the lake lacks."
                            + " Sinks with the same stream.sink.group-id share the partitions."},
            footer = {"", "Examples:", "  vigil stream sink --to lake --bootstrap kafka-1:9092 --set lake.root=/srv/lake",
                    "  vigil stream sink --to lake --stop-when-idle 30 --json     # drain the topic, then stop",
                    "", "Exit codes: 0 stopped, 1 no broker answered or the lake could not be written (see the"
                            + " message)."})
    static final class Sink implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        Brokers brokers;

        @Option(names = "--to", required = true, paramLabel = "TARGET",
                description = "Where the events go: lake (the Parquet lake at lake.root).")
        String target;

        @Option(names = "--stop-when-idle", paramLabel = "SECONDS",
                description = "Stop once no event has come for this long (to drain the topic); default: run until"
                        + " interrupted.")
        Integer stopWhenIdle;

        @Option(names = "--json", description = "Print the summary as JSON.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            if (!target.equals("lake")) {
                throw new VigilException(ErrorCode.USAGE, "--to " + target + " is not a sink target; the one there is:"
                        + " lake", "Use --to lake.", null);
            }
            if (stopWhenIdle != null && stopWhenIdle < 1) {
                throw new VigilException(ErrorCode.USAGE, "--stop-when-idle must be at least 1 second, not "
                        + stopWhenIdle);
            }
            VigilConfig config = common.load();
            StreamSettings settings = StreamSettings.from(config, brokers.bootstrap);
            SinkSettings sinkSettings = SinkSettings.from(config);
            LakeLayout layout = new LakeLayout(config.lake());
            PrintWriter out = spec.commandLine().getOut();
            StatusLine status = new StatusLine(spec.commandLine().getErr());
            LakeSink.Progress progress;
            CountDownLatch finished = new CountDownLatch(1);
            try (LakeSink sink = new LakeSink(settings, sinkSettings, layout, Map.of())) {
                Thread hook = new Thread(() -> {
                    sink.stop();
                    try {
                        finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "vigil-sink-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                status.show(String.format(Locale.ROOT, "sink of %s (group %s) into %s", settings.topics().events(),
                        sinkSettings.groupId(), layout.root()));
                try {
                    progress = sink.run(stopWhenIdle == null ? null : java.time.Duration.ofSeconds(stopWhenIdle),
                            (p, files) -> status.show(String.format(Locale.ROOT,
                                    "%s events in %s files (%s bytes), %s commits, %s events/s",
                                    Output.count(p.events()), Output.count(p.files()), Output.count(p.bytes()),
                                    Output.count(p.commits()), Output.count(Math.round(p.eventsPerSecond())))));
                } finally {
                    finished.countDown();
                    status.finish();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what stopped the sink
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("topic", settings.topics().events());
            body.put("group", sinkSettings.groupId());
            body.put("lake", layout.root());
            body.put("events", progress.events());
            body.put("already_stored", progress.alreadyStored());
            body.put("duplicates", progress.duplicates());
            body.put("unreadable", progress.unreadable());
            body.put("commits", progress.commits());
            body.put("files", progress.files());
            body.put("bytes", progress.bytes());
            body.put("seconds", Math.round(progress.seconds() * 1000) / 1000.0);
            body.put("events_per_second", Math.round(progress.eventsPerSecond()));
            if (json) {
                out.println(Output.json(body));
            } else {
                out.print(Output.table(List.of("topic", "lake", "events", "files", "commits", "events/s"),
                        List.of(List.of(settings.topics().events(), layout.root(), progress.events(), progress.files(),
                                progress.commits(), Math.round(progress.eventsPerSecond())))));
                if (progress.alreadyStored() > 0) {
                    out.println(Output.count(progress.alreadyStored()) + " events read again after a sink stopped"
                            + " mid-commit were in the lake already, and were not written again");
                }
                if (progress.duplicates() > 0) {
                    out.println(Output.count(progress.duplicates()) + " events came twice in one batch and were"
                            + " written once");
                }
                if (progress.unreadable() > 0) {
                    out.println(Output.count(progress.unreadable()) + " records were not pipeline events and were"
                            + " skipped (the log names them)");
                }
            }
            out.flush();
            return 0;
        }
    }
}
