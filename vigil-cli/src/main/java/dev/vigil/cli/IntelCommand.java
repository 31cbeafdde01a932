package dev.vigil.cli;

import dev.vigil.store.TenantIndicators;
import dev.vigil.config.VigilConfig;
import dev.vigil.intel.ioc.ImportOptions;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorFiles;
import dev.vigil.intel.ioc.IndicatorImport;
import dev.vigil.intel.ioc.IndicatorIndex;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IndicatorValues;
import dev.vigil.intel.ioc.IntelFormat;
import dev.vigil.intel.ioc.IocDetector;
import dev.vigil.intel.ioc.Provenance;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.IndicatorCounts;
import dev.vigil.store.IndicatorUpsert;
import dev.vigil.store.Sightings;
import dev.vigil.store.TableInfo;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil intel ...}: the tenant's threat-intelligence indicators. */
@Command(name = "intel", mixinStandardHelpOptions = true,
        description = {"Threat intelligence: import indicators (IP addresses and networks, domains, URLs, file hashes,"
                + " e-mail addresses) from STIX 2.1 bundles, MISP events (JSON) and MISP CSV exports, and plain lists;"
                + " list them; match them over stored events; and ask what is known about a value.",
                "Active indicators are matched on every ingest: an event that carries one raises an alert (source"
                        + " 'ioc') with the indicator and its provenance; see 'vigil alerts'."},
        subcommands = {IntelCommand.Import.class, IntelCommand.Indicators.class, IntelCommand.Retro.class,
                IntelCommand.Reputation.class, KnowledgeCommands.TechniqueCommand.class,
                KnowledgeCommands.ActorCommand.class, KnowledgeCommands.SearchCommand.class,
                KnowledgeCommands.ExtractCommand.class},
        footer = {"", "Examples:", "  vigil intel import feed.stix.json blocklist.txt --feed partners",
                "  vigil intel indicators --type domain", "  vigil intel retro --since 30d",
                "  vigil intel reputation 203.0.113.7", "  vigil intel import enterprise-attack.json",
                "  vigil intel technique T1003.001", "  vigil intel actor APT29", "  vigil intel extract report.txt"})
final class IntelCommand extends CommandGroup {
    private static final int SHOWN_REJECTIONS = 20;

    // --- import -------------------------------------------------------------------------------------------------

    /** {@code vigil intel import FILE...}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import indicators from files (or folders of them). The format of each file is recognized:"
                    + " a STIX bundle (or object, or TAXII envelope), a MISP event as JSON, MISP's CSV export, or a"
                    + " plain list with one indicator per line (its type recognized, '#' comments, defanged forms"
                    + " such as hxxp:// and [.] accepted).",
                    "The same value from several files or feeds is one indicator whose provenance keeps every feed,"
                            + " the highest confidence, the earliest first seen and the latest last seen. Entries"
                            + " that cannot be imported are listed with the reason; indicators whose validity ended"
                            + " are not imported, and those stored before are removed.",
                    "A STIX knowledge bundle without indicators (ATT&CK, threat reports) is skipped: import it with"
                            + " the ATT&CK importer."},
            footer = {"", "Exit codes: 0 everything imported, 7 some entries or files could not be imported (the"
                    + " others are stored), 2 no file held indicators, 3 a path does not exist.",
                    "", "Examples:", "  vigil intel import ../shared/data/stix2-examples/examples",
                    "  vigil intel import misp-export.csv --feed circl --confidence 80 --json"})
    static final class Import implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files of indicators, or folders of them.")
        List<Path> paths = new ArrayList<>();

        @Option(names = "--feed", paramLabel = "NAME",
                description = "The feed the indicators are listed under (default: the STIX author or MISP"
                        + " organization, else the file name).")
        String feed;

        @Option(names = "--confidence", paramLabel = "N",
                description = "Confidence in the feed, 0 to 100, replacing what the files say (default: theirs,"
                        + " else 50). The alert level follows it: 95 critical, 75 high, 45 medium, 15 low.")
        Integer confidence;

        @Option(names = "--format", paramLabel = "FORMAT", description = "Read every file as this format instead of"
                + " recognizing it: stix, misp-json, misp-csv, plain.")
        String format;

        @Option(names = "--json", description = "Print the summary as one JSON object on standard output.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long start = System.nanoTime();
            IntelFormat forced = null;
            if (format != null) {
                forced = IntelFormat.fromCliName(format);
                if (forced == null) {
                    throw new VigilException(ErrorCode.USAGE, "--format '" + format + "' is not a format of indicators",
                            "Use one of stix, misp-json, misp-csv, plain; or leave it out to recognize each file.",
                            null);
                }
            }
            if (confidence != null && (confidence < 0 || confidence > 100)) {
                throw new VigilException(ErrorCode.USAGE, "--confidence " + confidence + " is not from 0 to 100",
                        "Give the feed's confidence from 0 (none) to 100 (certain).", null);
            }
            if (feed != null && feed.isBlank()) {
                throw new VigilException(ErrorCode.USAGE, "--feed is blank", "Name the feed, e.g. --feed partners.",
                        null);
            }
            Instant now = Instant.now();
            ImportOptions options = new ImportOptions(feed, confidence, now);
            List<Path> files = files(paths);
            StatusLine status = new StatusLine(err);
            List<FileResult> results = new ArrayList<>();
            List<Indicator> indicators = new ArrayList<>();
            IndicatorUpsert upsert = new IndicatorUpsert(0, 0, 0);
            int expired = 0;
            long active = 0;
            try {
                for (int i = 0; i < files.size(); i++) {
                    Path file = files.get(i);
                    status.update(() -> "intel import: " + StatusLine.shorten(file.toString()));
                    IndicatorImport result = read(file, forced, options);
                    String skipped = result.isKnowledgeOnly() ? importKnowledge(config, file, result) : null;
                    results.add(new FileResult(file.toString(), result, skipped));
                    if (skipped == null) {
                        indicators.addAll(result.indicators());
                    }
                }
                if (!indicators.isEmpty() || TenantStore.exists(config.dataDirectory(), config.tenant())) {
                    if (indicators.size() >= 100_000) {
                        status.show("intel import: storing " + Output.count(indicators.size()) + " indicators");
                    }
                    try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(),
                            TenantStore.Mode.READ_WRITE)) {
                        upsert = store.putIndicators(indicators);
                        expired = store.expireIndicators(now);
                        store.commit();
                        active = store.indicatorCounts(now).active();
                        store.checkpoint();
                    }
                }
            } finally {
                status.finish();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long refused = results.stream().filter(r -> r.result().problem() != null).count();
            long rejected = results.stream().mapToLong(r -> r.result().rejected().size()).sum();
            Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("files", files.size())
                    .addKeyValue("indicators", indicators.size()).addKeyValue("added", upsert.added())
                    .addKeyValue("updated", upsert.updated()).addKeyValue("rejected", rejected)
                    .addKeyValue("refused_files", refused).log("indicators imported");
            if (json) {
                out.println(Output.json(toJson(config, results, upsert, expired, active, seconds)));
            } else {
                print(out, config, results, upsert, expired, active, seconds);
            }
            out.flush();
            boolean knowledge = results.stream().anyMatch(r -> r.skipped() != null);
            if (indicators.isEmpty() && refused > 0 && !knowledge) {
                throw new VigilException(ErrorCode.FORMAT_UNKNOWN, refused == results.size() ? "no file held indicators"
                        + ": " + results.get(0).source() + ": " + results.get(0).result().problem()
                        : "no indicator could be imported", "Pass STIX 2.1 bundles with indicator objects, MISP events"
                        + " (JSON) or CSV exports, or lists with one indicator per line; --format forces a format.",
                        null);
            }
            if (refused > 0 || rejected > 0) {
                return Output.partial(err, ErrorCode.FORMAT_UNKNOWN, (refused > 0 ? refused
                        + " file(s) could not be imported" + (rejected > 0 ? " and " : "") : "") + (rejected > 0
                        ? rejected + " entries were rejected" : "") + "; the other indicators are stored",
                        "Each is listed with its reason (--json lists all). Vigil imports STIX patterns"
                        + " that name IP addresses, networks, domains, URLs, e-mail addresses and file hashes.");
            }
            return 0;
        }

        /**
         * A STIX knowledge bundle without indicators: MITRE's ATT&CK bundle is kept as the ATT&CK knowledge (see
         * {@link KnowledgeCommands}); any other such bundle has nothing to import. The message returned is shown in
         * the file's row (and as {@code skipped} in the JSON).
         */
        static String importKnowledge(VigilConfig config, Path file, IndicatorImport result) {
            if (!result.otherObjectsSorted().containsKey("attack-pattern")) {
                Logging.logger().atInfo().addKeyValue("file", file.toString())
                        .addKeyValue("objects", result.otherObjectsSorted()).log("knowledge bundle skipped");
                return "a STIX bundle with no indicator and no ATT&CK technique: nothing to import";
            }
            dev.vigil.intel.attack.Summary attack = KnowledgeCommands.importAttack(config, file);
            Logging.logger().atInfo().addKeyValue("file", file.toString()).addKeyValue("techniques",
                    attack.techniques() + attack.subtechniques()).log("ATT&CK knowledge imported");
            return String.format(java.util.Locale.ROOT, "ATT&CK%s knowledge: %d techniques (%d + %d sub-techniques),"
                    + " %d groups, %d software, %d mitigations; see 'vigil intel technique', 'actor' and 'search'",
                    attack.attackVersion().isBlank() ? "" : " " + attack.attackVersion(),
                    attack.techniques() + attack.subtechniques(), attack.techniques(),
                    attack.subtechniques(), attack.groups(), attack.software(), attack.mitigations());
        }

        private static IndicatorImport read(Path file, IntelFormat forced, ImportOptions options) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException | OutOfMemoryError e) {
                return new IndicatorImport(file.toString(), forced, 0, List.of(), List.of(), List.of(), Map.of(),
                        "cannot read the file: " + e.getMessage());
            }
            try {
                return IndicatorFiles.read(file.toString(), content, forced, options);
            } catch (RuntimeException e) {
                Logging.logger().error("reading {} failed", file, e);
                return new IndicatorImport(file.toString(), forced, 0, List.of(), List.of(), List.of(), Map.of(),
                        "the reader failed (a bug in Vigil, see the log): " + e);
            }
        }

        /** The regular files under the paths, hidden ones left out, in name order; missing paths are an error. */
        private static List<Path> files(List<Path> paths) {
            List<Path> files = FileArguments.files(paths, file -> true, new int[1],
                    "Check the path; pass files of indicators or folders that hold them.");
            if (files.isEmpty()) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no files in " + paths, "Point at files of"
                        + " indicators or at folders that hold them.", null);
            }
            return files;
        }

        /** What one file gave; {@code skipped} says why its content was not imported here, or is null. */
        private record FileResult(String source, IndicatorImport result, String skipped) {
            String status() {
                return result.problem() != null ? "refused: " + result.problem() : skipped != null ? skipped : "";
            }
        }

        private static Map<String, Object> toJson(VigilConfig config, List<FileResult> results, IndicatorUpsert upsert,
                int expired, long active, double seconds) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", config.tenant().value());
            body.put("files", results.stream().map(r -> {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("source", r.source());
                file.put("format", r.result().format() == null ? null : r.result().format().cliName());
                file.put("entries", r.result().entries());
                file.put("indicators", r.skipped() == null ? r.result().indicators().size() : 0);
                file.put("by_type", byType(r.result().indicators()));
                file.put("rejected", r.result().rejected().stream().map(IntelCommand::remark).toList());
                file.put("notes", r.result().notes().stream().map(IntelCommand::remark).toList());
                file.put("other_objects", r.result().otherObjectsSorted());
                file.put("problem", r.result().problem());
                file.put("skipped", r.skipped());
                return file;
            }).toList());
            body.put("indicators", upsert.added() + upsert.updated() + upsert.unchanged());
            body.put("added", upsert.added());
            body.put("updated", upsert.updated());
            body.put("unchanged", upsert.unchanged());
            body.put("rejected", results.stream().mapToLong(r -> r.result().rejected().size()).sum());
            body.put("expired_removed", expired);
            body.put("active", active);
            body.put("seconds", Math.round(seconds * 1000) / 1000.0);
            return body;
        }

        private static void print(PrintWriter out, VigilConfig config, List<FileResult> results,
                IndicatorUpsert upsert, int expired, long active, double seconds) {
            List<List<Object>> rows = new ArrayList<>();
            for (FileResult r : results) {
                rows.add(List.of(r.source(), r.result().format() == null ? "" : r.result().format().cliName(),
                        r.result().entries(), r.skipped() == null ? r.result().indicators().size() : 0,
                        r.result().rejected().size(), r.status()));
            }
            out.print(Output.table(List.of("file", "format", "entries", "indicators", "rejected", "note"), rows));
            out.println();
            long total = upsert.added() + upsert.updated() + upsert.unchanged();
            out.printf(Locale.ROOT, "Imported %s indicator%s into tenant '%s' in %.1f s: %s new, %s updated, %s"
                    + " already known%s; %s active in all%n", Output.count(total), total == 1 ? "" : "s",
                    config.tenant(), seconds, Output.count(upsert.added()),
                    Output.count(upsert.updated()), Output.count(upsert.unchanged()), expired == 0 ? ""
                    : "; " + Output.count(expired) + " expired removed", Output.count(active));
            List<String> rejections = new ArrayList<>();
            for (FileResult r : results) {
                r.result().rejected().forEach(x -> rejections.add(r.source() + ": " + x));
            }
            if (!rejections.isEmpty()) {
                out.println();
                out.println("Rejected" + (rejections.size() > SHOWN_REJECTIONS ? " (first " + SHOWN_REJECTIONS + " of "
                        + rejections.size() + "; --json lists all)" : "") + ":");
                rejections.stream().limit(SHOWN_REJECTIONS).forEach(x -> out.println("  " + x));
            }
            long notes = results.stream().mapToLong(r -> r.result().notes().size()).sum();
            if (notes > 0) {
                out.println();
                out.println(notes + " indicator(s) were imported with a note (a part of a pattern dropped, a"
                        + " qualifier ignored); --json lists them.");
            }
        }
    }

    // --- indicators ---------------------------------------------------------------------------------------------

    /** {@code vigil intel indicators}. */
    @Command(name = "indicators", mixinStandardHelpOptions = true,
            description = {"Count the tenant's indicators (active, expired, not yet valid; by type and by feed) and"
                    + " show the most recently seen."},
            footer = {"", "Examples:", "  vigil intel indicators", "  vigil intel indicators --type cidr --limit 50"})
    static final class Indicators implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--type", paramLabel = "TYPE",
                description = "Show only indicators of this type: ipv4, ipv6, cidr, domain, url, md5, sha1, sha256,"
                        + " sha512, email.")
        String type;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "How many indicators to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print the counts and indicators as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            IndicatorType only = type == null ? null : indicatorType(type);
            Instant now = Instant.now();
            record Stored(IndicatorCounts counts, List<Indicator> sample) {}
            Stored stored = CommonOptions.readIfPresent(config, store -> new Stored(store.indicatorCounts(now),
                    store.indicatorSample(only, now, Math.max(1, limit))),
                    new Stored(new IndicatorCounts(0, 0, 0, 0, Map.of(), Map.of()), List.of()));
            IndicatorCounts counts = stored.counts();
            List<Indicator> sample = stored.sample();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("total", counts.total());
                body.put("active", counts.active());
                body.put("expired", counts.expired());
                body.put("pending", counts.pending());
                body.put("by_type", counts.activeByType());
                body.put("by_feed", counts.activeByFeed());
                body.put("indicators", sample.stream().map(IntelCommand::toJson).toList());
                out.println(Output.json(body));
                out.flush();
                return 0;
            }
            if (counts.total() == 0) {
                out.println("Tenant '" + config.tenant() + "' has no indicators. Import some with: vigil intel import"
                        + " FILE");
                out.flush();
                return 0;
            }
            out.printf(Locale.ROOT, "Tenant '%s' has %s indicators: %s active, %s expired, %s not yet valid%n",
                    config.tenant(), Output.count(counts.total()), Output.count(counts.active()),
                    Output.count(counts.expired()), Output.count(counts.pending()));
            out.println();
            List<List<Object>> types = new ArrayList<>();
            counts.activeByType().forEach((t, n) -> types.add(List.of(t, n)));
            out.print(Output.table(List.of("type", "active"), types));
            out.println();
            List<List<Object>> feeds = new ArrayList<>();
            counts.activeByFeed().forEach((f, n) -> feeds.add(List.of(f, n)));
            out.print(Output.table(List.of("feed", "active"), feeds));
            if (!sample.isEmpty()) {
                out.println();
                out.println("Most recently seen" + (only == null ? "" : " of type " + only.id()) + ":");
                printIndicators(out, sample, null);
            }
            out.flush();
            return 0;
        }
    }

    // --- retro --------------------------------------------------------------------------------------------------

    /** {@code vigil intel retro}. */
    @Command(name = "retro", mixinStandardHelpOptions = true,
            description = {"Match the tenant's active indicators over the events already stored, e.g. after importing"
                    + " new intelligence, and store the alerts they raise.",
                    "Alerts are identified by indicator and event, so running it again stores nothing twice. Ingest"
                            + " matches new events by itself."},
            footer = {"", "Examples:", "  vigil intel retro --since 30d", "  vigil intel retro --json"})
    static final class Retro implements Callable<Integer> {
        private static final int TOP = 20;

        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--since", paramLabel = "TIME",
                description = "Only events at or after this time: 30d, 24h, 15m back from now, or an ISO date or time"
                        + " (UTC unless it names an offset). Default: all stored events.")
        String since;

        @Option(names = "--json", description = "Print the summary as one JSON object on standard output.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long sinceMicros = since == null ? Long.MIN_VALUE : TimeArguments.micros("--since", since,
                    Clock.systemUTC());
            if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
                throw noIndicators(config);
            }
            long start = System.nanoTime();
            StatusLine status = new StatusLine(err);
            long[] found = new long[2]; // alerts raised, of which new
            Map<String, Long> byRule = new HashMap<>();
            Map<String, Alert> sampleByRule = new HashMap<>();
            Set<String> scanned = new java.util.LinkedHashSet<>();
            IocDetector detector;
            try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(),
                    TenantStore.Mode.READ_WRITE)) {
                IndicatorIndex index = TenantIndicators.load(store, Instant.now());
                if (index.isEmpty()) {
                    throw noIndicators(config);
                }
                detector = new IocDetector(index, config.tenant());
                List<String> tables = store.tables().stream().map(TableInfo::name).toList();
                Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value())
                        .addKeyValue("indicators", index.size()).addKeyValue("since", since).log("intel retro started");
                store.scanEvents(tables, sinceMicros, config.ingestLimits().batchSize(), events -> {
                    scanned.add(events.get(0).table());
                    List<Alert> alerts = detector.detect(events);
                    if (!alerts.isEmpty()) {
                        found[1] += store.appendAlerts(alerts);
                        store.commit();
                        found[0] += alerts.size();
                        alerts.forEach(a -> {
                            byRule.merge(a.ruleId(), 1L, Long::sum);
                            sampleByRule.putIfAbsent(a.ruleId(), a);
                        });
                    }
                    status.update(() -> String.format(Locale.ROOT, "intel retro: %s events scanned, %s alerts (%s"
                            + " new)  %s", Output.count(detector.events()), Output.count(found[0]),
                            Output.count(found[1]), events.get(0).table()));
                });
                store.commit();
                store.checkpoint();
            } finally {
                status.finish();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Map.Entry<String, Long>> top = byRule.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey())).limit(TOP).toList();
            Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value())
                    .addKeyValue("events", detector.events()).addKeyValue("alerts", found[0])
                    .addKeyValue("alerts_new", found[1]).addKeyValue("seconds", seconds).log("intel retro finished");
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("since", sinceMicros == Long.MIN_VALUE ? null
                        : Instant.EPOCH.plus(sinceMicros, ChronoUnit.MICROS).toString());
                body.put("indicators", detector.index().size());
                body.put("tables", List.copyOf(scanned));
                body.put("events_scanned", detector.events());
                body.put("alerts", found[0]);
                body.put("alerts_new", found[1]);
                body.put("alerts_already_stored", found[0] - found[1]);
                body.put("by_indicator", top.stream().map(e -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    Alert sample = sampleByRule.get(e.getKey());
                    entry.put("rule_id", e.getKey());
                    entry.put("title", sample.title());
                    entry.put("level", sample.level());
                    entry.put("alerts", e.getValue());
                    return entry;
                }).toList());
                body.put("seconds", Math.round(seconds * 1000) / 1000.0);
                out.println(Output.json(body));
                out.flush();
                return 0;
            }
            out.printf(Locale.ROOT, "Matched %s active indicators over %s events (%s) of tenant '%s'%s in %.1f s%n",
                    Output.count(detector.index().size()), Output.count(detector.events()),
                    scanned.isEmpty() ? "no events stored" : String.join(", ", scanned), config.tenant(),
                    sinceMicros == Long.MIN_VALUE ? "" : " since " + Instant.EPOCH.plus(sinceMicros,
                            ChronoUnit.MICROS), seconds);
            out.printf(Locale.ROOT, "  alerts  %10s  (new %s, already stored %s)%n", Output.count(found[0]),
                    Output.count(found[1]), Output.count(found[0] - found[1]));
            if (!top.isEmpty()) {
                out.println();
                List<List<Object>> rows = new ArrayList<>();
                for (Map.Entry<String, Long> entry : top) {
                    Alert sample = sampleByRule.get(entry.getKey());
                    rows.add(List.of(entry.getKey(), sample.title(), sample.level(), entry.getValue()));
                }
                out.print(Output.table(List.of("indicator", "title", "level", "alerts"), rows));
                if (byRule.size() > TOP) {
                    out.println("(" + (byRule.size() - TOP) + " more indicators raised alerts)");
                }
                out.println();
                out.println("See them with: vigil alerts" + (config.tenant().value().equals("default") ? ""
                        : " --tenant " + config.tenant()));
            }
            out.flush();
            return 0;
        }

        private static VigilException noIndicators(VigilConfig config) {
            return new VigilException(ErrorCode.INPUT_NOT_FOUND, "tenant '" + config.tenant() + "' has no active"
                    + " indicators", "Import some first: vigil intel import FILE; 'vigil intel indicators' counts"
                    + " the expired ones.", null);
        }
    }

    // --- reputation ---------------------------------------------------------------------------------------------

    /** {@code vigil intel reputation VALUE}. */
    @Command(name = "reputation", mixinStandardHelpOptions = true,
            description = {"What the tenant knows about a value (an IP address or network, a domain, a URL, a file"
                    + " hash or an e-mail address): the indicators that match it, with their provenance, and where it"
                    + " appears in the tenant's own data (first and last seen, the hosts and users involved, the"
                    + " alerts that name it).",
                    "Defanged forms (hxxp://, [.]) are accepted."},
            footer = {"", "Examples:", "  vigil intel reputation 203.0.113.7", "  vigil intel reputation evil[.]example"
                    + " --json"})
    static final class Reputation implements Callable<Integer> {
        private static final int RECENT_ALERTS = 10;

        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VALUE", description = "An IP address or network, domain, URL, file hash"
                + " or e-mail address.")
        String value;

        @Option(names = "--json", description = "Print what is known as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            String text = IndicatorValues.refang(value);
            IndicatorValues.Value subject = IndicatorValues.detect(text);
            if (subject == null) {
                throw new VigilException(ErrorCode.USAGE, IndicatorValues.whyNot(text), "Give an IP address or"
                        + " network, a domain, a URL, a file hash (MD5, SHA-1, SHA-256, SHA-512) or an e-mail"
                        + " address.", null);
            }
            Instant now = Instant.now();
            record Stored(List<Indicator> intel, Sightings sightings) {}
            Stored stored = CommonOptions.readIfPresent(config, store -> new Stored(
                    store.indicatorsByKey(IndicatorValues.matchingKeys(subject)),
                    store.sightings(subject.type(), subject.value(), RECENT_ALERTS)),
                    new Stored(List.of(), new Sightings(0, null, null, Map.of(), List.of(), List.of(), 0, List.of(),
                            null)));
            List<Indicator> intel = stored.intel();
            Sightings sightings = stored.sightings();
            boolean knownBad = intel.stream().anyMatch(i -> i.provenance().isActiveAt(now));
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("value", subject.value());
                body.put("type", subject.type().id());
                body.put("verdict", knownBad ? "known-bad" : intel.isEmpty() ? "unknown" : "formerly-known-bad");
                body.put("indicators", intel.stream().map(i -> {
                    Map<String, Object> entry = toJson(i);
                    entry.put("match", relation(subject, i));
                    entry.put("status", status(i, now));
                    return entry;
                }).toList());
                body.put("sightings", sightingsJson(sightings));
                out.println(Output.json(body));
                out.flush();
                return 0;
            }
            out.println(subject.value() + " (" + subject.type().id() + ")");
            out.println();
            if (intel.isEmpty()) {
                out.println("Intelligence: no indicator of tenant '" + config.tenant() + "' matches it.");
            } else {
                out.println("Intelligence: " + (knownBad ? "known-bad" : "listed before, no longer valid") + " ("
                        + intel.size() + " indicator" + (intel.size() == 1 ? "" : "s") + ")");
                printIndicators(out, intel, i -> relation(subject, i) + ", " + status(i, now));
            }
            out.println();
            if (sightings.events() == 0) {
                out.println("Our data: no stored event mentions it." + (sightings.note() == null ? ""
                        : " (" + sightings.note() + ")"));
            } else {
                out.printf(Locale.ROOT, "Our data: %s events from %s to %s in %s%n", Output.count(sightings.events()),
                        sightings.firstSeen(), sightings.lastSeen(), String.join(", ", sightings.byTable().entrySet()
                                .stream().map(e -> e.getKey() + " (" + Output.count(e.getValue()) + ")").toList()));
                if (!sightings.hosts().isEmpty()) {
                    out.println("  hosts: " + counts(sightings.hosts()));
                }
                if (!sightings.users().isEmpty()) {
                    out.println("  users: " + counts(sightings.users()));
                }
            }
            out.println();
            if (sightings.alerts() == 0) {
                out.println("Alerts: none involves it.");
            } else {
                out.println("Alerts: " + Output.count(sightings.alerts()) + (sightings.alerts() == 1 ? " involves"
                        : " involve") + " it" + (sightings.alerts()
                        > sightings.recentAlerts().size() ? " (newest " + sightings.recentAlerts().size() + ")" : ""));
                List<List<Object>> rows = new ArrayList<>();
                for (Sightings.AlertMention alert : sightings.recentAlerts()) {
                    rows.add(List.of(String.valueOf(alert.time()), alert.level(), alert.title(), alert.ruleId()));
                }
                out.print(Output.table(List.of("time", "level", "title", "rule"), rows));
            }
            out.flush();
            return 0;
        }

        private static String counts(List<Sightings.Count> counts) {
            return String.join(", ", counts.stream().map(c -> c.value() + " (" + Output.count(c.events()) + ")")
                    .toList());
        }

        /** How a stored indicator matches the value asked about. */
        private static String relation(IndicatorValues.Value subject, Indicator indicator) {
            if (indicator.type() == subject.type() && indicator.value().equals(subject.value())) {
                return "exact";
            }
            return switch (indicator.type()) {
                case CIDR -> "network around it";
                case DOMAIN -> subject.type() == IndicatorType.DOMAIN ? "parent domain" : "its domain";
                case URL -> "same URL, other scheme or query";
                case IPV4, IPV6 -> "its host";
                default -> "related";
            };
        }

        private static String status(Indicator indicator, Instant now) {
            Provenance p = indicator.provenance();
            return p.isActiveAt(now) ? "active" : p.isExpiredAt(now) ? "expired " + p.validUntil()
                    : "valid from " + p.validFrom();
        }

        private static Map<String, Object> sightingsJson(Sightings sightings) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("events", sightings.events());
            body.put("first_seen", sightings.firstSeen() == null ? null : sightings.firstSeen().toString());
            body.put("last_seen", sightings.lastSeen() == null ? null : sightings.lastSeen().toString());
            body.put("tables", sightings.byTable());
            body.put("hosts", sightings.hosts().stream().map(c -> Map.of("host", c.value(), "events", c.events()))
                    .toList());
            body.put("users", sightings.users().stream().map(c -> Map.of("user", c.value(), "events", c.events()))
                    .toList());
            body.put("alerts", sightings.alerts());
            body.put("recent_alerts", sightings.recentAlerts().stream().map(a -> {
                Map<String, Object> alert = new LinkedHashMap<>();
                alert.put("id", a.id().toString());
                alert.put("rule_id", a.ruleId());
                alert.put("title", a.title());
                alert.put("level", a.level());
                alert.put("time", String.valueOf(a.time()));
                return alert;
            }).toList());
            body.put("note", sightings.note());
            return body;
        }
    }

    // --- shared -------------------------------------------------------------------------------------------------

    static IndicatorType indicatorType(String id) {
        IndicatorType type = IndicatorType.fromId(id);
        if (type == null) {
            throw new VigilException(ErrorCode.USAGE, "--type '" + id + "' is not a type of indicator", "Use one of"
                    + " ipv4, ipv6, cidr, domain, url, md5, sha1, sha256, sha512, email.", null);
        }
        return type;
    }

    /** Indicators as a table for people; {@code extra} adds a column (how it matches), or is null. */
    static void printIndicators(PrintWriter out, List<Indicator> indicators,
            java.util.function.Function<Indicator, String> extra) {
        List<List<Object>> rows = new ArrayList<>();
        for (Indicator indicator : indicators) {
            Provenance p = indicator.provenance();
            List<Object> row = new ArrayList<>(List.of(indicator.type().id(), indicator.value()));
            if (extra != null) {
                row.add(extra.apply(indicator));
            }
            row.addAll(List.of(String.join(", ", p.feeds()), p.confidence(), date(p.firstSeen()), date(p.lastSeen()),
                    String.join(", ", concat(p.actors(), p.campaigns()))));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("type", "value"));
        if (extra != null) {
            header.add("match");
        }
        header.addAll(List.of("feeds", "confidence", "first seen", "last seen", "actor / campaign"));
        out.print(Output.table(header, rows));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String date(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Map<String, Object> toJson(Indicator indicator) {
        Provenance p = indicator.provenance();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", indicator.type().id());
        json.put("value", indicator.value());
        json.put("feeds", p.feeds());
        json.put("confidence", p.confidence());
        json.put("level", IocDetector.level(p.confidence()));
        json.put("first_seen", p.firstSeen() == null ? null : p.firstSeen().toString());
        json.put("last_seen", p.lastSeen() == null ? null : p.lastSeen().toString());
        json.put("valid_from", p.validFrom() == null ? null : p.validFrom().toString());
        json.put("valid_until", p.validUntil() == null ? null : p.validUntil().toString());
        json.put("tags", p.tags());
        json.put("actors", p.actors());
        json.put("campaigns", p.campaigns());
        json.put("techniques", p.techniques());
        json.put("sources", p.sourceIds());
        return json;
    }

    private static Map<String, Object> byType(List<Indicator> indicators) {
        Map<String, Object> counts = new java.util.TreeMap<>();
        for (Indicator indicator : indicators) {
            counts.merge(indicator.type().id(), 1, (a, b) -> (Integer) a + (Integer) b);
        }
        return counts;
    }

    private static Map<String, String> remark(IndicatorImport.Remark remark) {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("location", remark.location());
        json.put("reason", remark.message());
        return json;
    }
}
