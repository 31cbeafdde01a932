package dev.vigil.cli;

import dev.vigil.store.TenantRules;
import dev.vigil.store.TenantIndicators;
import dev.vigil.config.VigilConfig;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.intel.ioc.IocDetector;
import dev.vigil.model.ErrorCode;
import dev.vigil.sigma.DetectingSink;
import dev.vigil.sigma.Detector;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil ingest PATH...}: reads logs into the tenant's store. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Read security logs into the store: files, folders, .gz/.bz2/.zip/.tar(.gz) archives, or '-' for"
                + " standard input.",
                "Formats are recognized per file: JSON, NDJSON and concatenated JSON (evtx_dump, Winlogbeat, NXLog,"
                        + " Sentinel, Defender, OCSF), CSV, syslog (RFC 3164/5424, octet-counted), CEF, LEEF, auditd.",
                "A record counts as stored only once it is durable; bad records are quarantined with their reason"
                        + " (see 'vigil quarantine'). Re-ingesting the same input stores nothing twice.",
                "The tenant's enabled Sigma rules (see 'vigil rules') run on every record; their alerts are stored"
                        + " with the records (see 'vigil alerts')."},
        footer = {"", "Examples:", "  vigil ingest ./logs", "  zcat syslog.gz | vigil ingest - --format syslog",
                "  vigil ingest export.csv --table FirewallLog --json"})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, folders or archives to read; '-' reads standard input.")
    List<String> paths;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "Force a format instead of recognizing it: ${COMPLETION-CANDIDATES}.",
            completionCandidates = FormatNames.class, converter = FormatConverter.class)
    Format format;

    @Option(names = "--table", paramLabel = "NAME",
            description = "Table for records no known producer claims (JSON) and for CSV files (default: from the file name).")
    String table;

    @Option(names = "--json", description = "Print the summary as one JSON object on standard output.")
    boolean json;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err);
        IngestSummary summary;
        Long alerts;
        CorrelationSummary incidents = null;
        try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_WRITE)) {
            DetectingSink<TenantStore> detecting = detecting(config, store, err);
            Ingestor ingestor = ingestor(config, detecting != null ? detecting : store, format,
                    table != null ? table : config.defaultTable(), progress);
            Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("paths", paths)
                    .log("ingest started");
            summary = ingestor.ingest(paths);
            alerts = detected(store, detecting);
            if (alerts != null && alerts > 0) {
                incidents = Incidents.correlate(store, config, err);
            }
            store.checkpoint();
        } finally {
            progress.finish();
        }
        Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("read", summary.read())
                .addKeyValue("stored", summary.stored()).addKeyValue("quarantined", summary.quarantined())
                .addKeyValue("seconds", summary.seconds()).log("ingest finished");
        if (json) {
            Map<String, Object> body = toJson(config, summary, alerts);
            if (incidents != null) {
                body.put("incidents", incidents);
            }
            out.println(Output.json(body));
        } else {
            printSummary(out, config, summary, alerts);
            if (incidents != null) {
                out.println(Incidents.line(incidents));
            }
        }
        out.flush();
        if (!summary.failedSources().isEmpty()) {
            return Output.partial(err, ErrorCode.INPUT_UNREADABLE, summary.failedSources().size()
                    + " source(s) could not be read to the end; what was read of them is stored");
        }
        return 0;
    }

    /**
     * An ingestor of the configured tenant into its store (or the store behind detection), as every command that
     * ingests builds it.
     */
    static Ingestor ingestor(VigilConfig config, EventSink sink, Format format, String defaultTable,
            Ingestor.ProgressListener progress) {
        Ingestor.Options options = new Ingestor.Options(config.tenant(), format, defaultTable, config.ingestLimits(),
                config.defaultZone());
        return new Ingestor(options, Normalizer.standard(Clock.systemUTC()), sink, progress, Clock.systemUTC(),
                System.in);
    }

    /**
     * The store behind detection when the tenant has enabled rules that can run or active indicators, else null:
     * ingest then writes to the store directly, as it did before rules existed. Stored rules that no longer load are
     * reported on {@code err} and skipped.
     */
    static DetectingSink<TenantStore> detecting(VigilConfig config, TenantStore store, PrintWriter err) {
        TenantRules rules = TenantRules.load(store, config.placeholders());
        if (!rules.problems().isEmpty()) {
            rules.problems().forEach(p -> Logging.logger().warn("stored rule not loaded: {}", p));
            err.println("vigil: note: " + rules.problems().size() + " stored rule(s) could not be loaded and do not"
                    + " run (details in the log); import their files again with 'vigil rules import'");
            err.flush();
        }
        IocDetector indicators = TenantIndicators.detector(config, store); // null when it has no active indicators
        if (rules.isEmpty()) {
            return indicators == null ? null : new DetectingSink<>(store, null, List.of(indicators));
        }
        Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value())
                .addKeyValue("rules", rules.rules().rules().size()).log("detection on ingest");
        return new DetectingSink<>(store, new Detector(config.tenant(), rules.rules()),
                indicators == null ? List.of() : List.of(indicators));
    }

    /**
     * After an ingest through detection: records the rules' statistics and returns how many new alerts were stored;
     * null when there was no detection.
     */
    static Long detected(TenantStore store, DetectingSink<TenantStore> detecting) {
        if (detecting == null) {
            return null;
        }
        detecting.finish();
        if (detecting.detector() != null) {
            store.addRuleStats(detecting.detector().stats());
        }
        store.commit();
        return detecting.alertsStored();
    }

    /** @param alerts new alerts stored, or null when the tenant has no rules (then the summary has no alerts) */
    static Map<String, Object> toJson(VigilConfig config, IngestSummary summary, Long alerts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", config.tenant().value());
        json.put("read", summary.read());
        json.put("stored", summary.stored());
        json.put("stored_new", summary.storedNew());
        json.put("already_stored", summary.alreadyStored());
        json.put("quarantined", summary.quarantined());
        if (alerts != null) {
            json.put("alerts", alerts);
        }
        json.put("quarantined_by_reason", new java.util.TreeMap<>(summary.quarantinedByReason()));
        json.put("tables", new java.util.TreeMap<>(summary.tables()));
        json.put("sources", summary.sources());
        json.put("quarantine_samples", summary.quarantineSamples());
        json.put("skipped", summary.skipped().stream().map(s -> Map.of("source", s.source(), "reason", s.reason())).toList());
        json.put("failed_sources", summary.failedSources().stream()
                .map(s -> Map.of("source", s.source(), "error", s.reason())).toList());
        json.put("seconds", Math.round(summary.seconds() * 1000) / 1000.0);
        json.put("records_per_second", Math.round(summary.eventsPerSecond()));
        return json;
    }

    static void printSummary(PrintWriter out, VigilConfig config, IngestSummary summary, Long alerts) {
        out.printf(Locale.ROOT, "Ingested %s records from %d sources into tenant '%s' in %.1f s (%s records/s)%n",
                Output.count(summary.read()), summary.sources(), config.tenant(), summary.seconds(),
                Output.count(Math.round(summary.eventsPerSecond())));
        out.printf(Locale.ROOT, "  stored       %12s  (new %s, already stored %s)%n", Output.count(summary.stored()),
                Output.count(summary.storedNew()), Output.count(summary.alreadyStored()));
        out.printf(Locale.ROOT, "  quarantined  %12s%n", Output.count(summary.quarantined()));
        if (alerts != null) {
            out.printf(Locale.ROOT, "  alerts       %12s  (new; see 'vigil alerts')%n", Output.count(alerts));
        }
        summary.quarantinedByReason().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                out.printf(Locale.ROOT, "    %-22s %10s%n", entry.getKey(), Output.count(entry.getValue())));
        if (!summary.tables().isEmpty()) {
            out.println();
            List<List<Object>> rows = new ArrayList<>();
            summary.tables().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> rows.add(List.of(entry.getKey(), entry.getValue())));
            out.print(Output.table(List.of("table", "records"), rows));
        }
        if (!summary.quarantineSamples().isEmpty()) {
            out.println();
            out.println("Quarantined (first " + summary.quarantineSamples().size() + "; all with 'vigil quarantine'):");
            summary.quarantineSamples().forEach(sample -> out.println("  " + Output.cell(sample)));
        }
        if (!summary.skipped().isEmpty()) {
            Map<String, Long> reasons = new java.util.TreeMap<>();
            summary.skipped().forEach(s -> reasons.merge(s.reason(), 1L, Long::sum));
            out.println();
            reasons.forEach((reason, count) -> out.println("Skipped " + count + " entries: " + reason));
        }
        if (!summary.failedSources().isEmpty()) {
            out.println();
            out.println("Could not read to the end:");
            summary.failedSources().forEach(f -> out.println("  " + f.source() + ": " + f.reason()));
        }
    }

    /** Progress on standard error: a line rewritten in place on a terminal, a line every few seconds otherwise. */
    static final class Progress implements Ingestor.ProgressListener {
        private final PrintWriter err;
        private final boolean terminal = StatusLine.onTerminal();
        private long lastPrint;
        private boolean printed;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void progress(Ingestor.Progress progress) {
            long now = System.nanoTime();
            long interval = terminal ? 250_000_000L : 2_000_000_000L;
            if (now - lastPrint < interval) {
                return;
            }
            lastPrint = now;
            double rate = progress.seconds() > 0 ? progress.read() / progress.seconds() : 0;
            String source = progress.currentSource();
            if (source.length() > 60) {
                source = "…" + source.substring(source.length() - 59);
            }
            String line = String.format(Locale.ROOT, "ingest: %s read, %s stored, %s quarantined, %s/s  %s",
                    Output.count(progress.read()), Output.count(progress.stored()), Output.count(progress.quarantined()),
                    Output.count(Math.round(rate)), source);
            if (terminal) {
                err.print("\r" + line + "\u001B[K");
            } else {
                err.println(line);
            }
            err.flush();
            printed = true;
        }

        synchronized void finish() {
            if (terminal && printed) {
                err.print("\r\u001B[K");
                err.flush();
            }
        }
    }

    static final class FormatNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        FormatNames() {
            for (Format f : Format.values()) {
                add(f.cliName());
            }
        }
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

}
