package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.AlertSink;
import dev.vigil.sigma.CompiledRule;
import dev.vigil.sigma.DetectingSink;
import dev.vigil.sigma.Detector;
import dev.vigil.sigma.LogSourceMap;
import dev.vigil.sigma.Placeholders;
import dev.vigil.sigma.RuleSet;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.sigma.SigmaRuleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Detection quality on labelled attacks, behind {@code vigil bench detection-quality} and BENCHMARKS.md: runs a Sigma
 * corpus over the OTRF Security-Datasets and reports, per dataset, which of the ATT&CK techniques it is labelled with
 * the alerts found (technique-level recall) and how many alerts fired on everything else.
 *
 * <p><b>Ground truth.</b> Each {@code datasets/<kind>/_metadata/<id>.yaml} names the simulated techniques
 * ({@code attack_mappings}) and the dataset's files (links into the upstream repository). The links are resolved
 * against the local copy ignoring case, because some upstream links spell a folder differently from the repository
 * (Log4Shell's {@code log4shell/}); {@code datasets_index.jsonl} is derived from the same files but misses those.
 * Linked files that the local copy lacks (network captures, large host logs) are left out. A dataset is skipped, and
 * listed with the reason, when it has no technique but the placeholder {@code T0000}, when none of its files is
 * local, or when its files hold no Windows event; local files that no metadata names are listed too (they carry no
 * labels).
 *
 * <p><b>Matching.</b> A labelled technique is <em>found</em> when an alert's rule is tagged with it or with one of its
 * sub-techniques (label T1003, alert T1003.001: the narrower claim implies the label). It is found <em>at parent
 * level</em> when an alert's technique has the same parent technique: those found, plus alerts tagged with the
 * label's parent only (label T1003.001, alert T1003) or with a sibling sub-technique (T1003.002). Recall counts found
 * techniques over labelled ones; parent-level recall counts both. Micro recall pools every dataset's techniques;
 * macro recall averages the datasets' recalls.
 *
 * <p><b>Background.</b> An alert is background when none of its rule's techniques matches any label of its dataset,
 * not even at parent level; an alert of a rule without ATT&CK tags is background too. Background alerts include true
 * detections of activity the labels do not name (the attack tool's setup and side effects, techniques the simulation
 * used on the way) as well as real false positives on the benign noise the datasets carry, so their count is an
 * upper bound on false positives, not a count of them.
 *
 * <p>Each dataset is read through the real ingest path ({@link Ingestor}) into {@link DetectingSink}, the detection
 * stage of ingest, with an in-memory tally in place of the store. The rule set is compiled once; each dataset gets a
 * fresh {@link Detector} (correlations never span datasets) and is read batch by batch, so memory is bounded by the
 * ingest batch and the alert tally, not by the dataset.
 */
public final class DetectionQuality {
    /** OTRF's label for datasets whose technique was not mapped; not an ATT&CK technique. */
    static final String PLACEHOLDER_TECHNIQUE = "T0000";
    private static final Set<String> WINDOWS_TABLES = Set.of("SecurityEvent", "SysmonEvent", "WindowsEvent");
    private static final TenantId TENANT = TenantId.of("bench");
    private static final int TOP_RULES = 10;
    private static final int MATCHED_BY_LIMIT = 3;

    /** How an alert's technique relates to a labelled one, best first. */
    public enum TechniqueMatch {
        /** The alert's technique is the labelled one. */
        EXACT,
        /** The alert's technique is a sub-technique of the labelled technique (label T1003, alert T1003.001). */
        SUB_TECHNIQUE,
        /**
         * Only the parent technique is shared: the alert names the label's parent (label T1003.001, alert T1003) or a
         * sibling sub-technique (label T1003.001, alert T1003.002).
         */
        PARENT,
        /** Different techniques. */
        NONE;

        /** Whether the label counts as found: the alert names it or something narrower. */
        public boolean found() {
            return this == EXACT || this == SUB_TECHNIQUE;
        }

        /** Whether the label counts as found at parent level: the alert names something of the same technique. */
        public boolean foundAtParent() {
            return this != NONE;
        }
    }

    /**
     * How {@code alerted} relates to {@code labelled}; both are ATT&CK ids such as {@code T1003} or {@code T1003.001},
     * compared ignoring case and surrounding blanks.
     */
    static TechniqueMatch match(String labelled, String alerted) {
        String label = normalize(requireNonNull(labelled, "labelled is null"));
        String alert = normalize(requireNonNull(alerted, "alerted is null"));
        if (label.equals(alert)) {
            return TechniqueMatch.EXACT;
        }
        if (!isSubTechnique(label) && parent(alert).equals(label)) {
            return TechniqueMatch.SUB_TECHNIQUE;
        }
        return parent(label).equals(parent(alert)) ? TechniqueMatch.PARENT : TechniqueMatch.NONE;
    }

    /** The best match of any of {@code alerted} for {@code labelled}; {@link TechniqueMatch#NONE} when empty. */
    static TechniqueMatch bestMatch(String labelled, Collection<String> alerted) {
        TechniqueMatch best = TechniqueMatch.NONE;
        for (String technique : alerted) {
            TechniqueMatch m = match(labelled, technique);
            if (m.ordinal() < best.ordinal()) {
                best = m;
            }
        }
        return best;
    }

    /** Whether an alert of a rule with these techniques is background for these labels (no parent-level match). */
    static boolean isBackground(Collection<String> ruleTechniques, Collection<String> labels) {
        for (String label : labels) {
            if (bestMatch(label, ruleTechniques).foundAtParent()) {
                return false;
            }
        }
        return true;
    }

    private static String normalize(String technique) {
        return technique.strip().toUpperCase(Locale.ROOT);
    }

    private static boolean isSubTechnique(String technique) {
        return technique.indexOf('.') >= 0;
    }

    private static String parent(String technique) {
        int dot = technique.indexOf('.');
        return dot < 0 ? technique : technique.substring(0, dot);
    }

    /**
     * @param datasets the OTRF Security-Datasets folder (holding {@code datasets/*}{@code /_metadata})
     * @param rules folders (or files) of Sigma rules
     */
    public record Options(Path datasets, List<Path> rules) {
        public Options {
            requireNonNull(datasets, "datasets is null");
            rules = List.copyOf(rules);
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("no rule folders");
            }
        }
    }

    /** A labelled dataset as its metadata describes it; {@code files} are those of the local copy. */
    record Dataset(String id, String title, List<String> techniques, List<Path> files) {
        Dataset {
            requireNonNull(id, "id is null");
            title = title == null ? "" : title;
            techniques = List.copyOf(techniques);
            files = List.copyOf(files);
        }
    }

    /**
     * What became of one labelled technique.
     *
     * @param matchedBy the fired rules behind the best match (up to three, most alerts first), as {@code id}
     * @param alertedAs the technique those rules are tagged with that made the match
     * @param corpusRules active rules of the corpus tagged with the technique or one of its sub-techniques, so a
     *     miss with rules to spare points at the data or the log-source mapping rather than at the corpus
     */
    public record TechniqueResult(String technique, TechniqueMatch match, String alertedAs, List<String> matchedBy,
            int corpusRules) {
        public TechniqueResult {
            requireNonNull(technique, "technique is null");
            requireNonNull(match, "match is null");
            alertedAs = alertedAs == null ? "" : alertedAs;
            matchedBy = List.copyOf(matchedBy);
        }
    }

    /**
     * A rule that fired on a dataset.
     *
     * @param background whether its techniques share nothing with the dataset's labels, not even the parent
     */
    public record FiredRule(String ruleId, String title, List<String> techniques, long alerts, boolean background) {
        public FiredRule {
            requireNonNull(ruleId, "ruleId is null");
            title = title == null ? "" : title;
            techniques = List.copyOf(techniques);
        }
    }

    /** A rule's background alerts over every dataset, and on how many datasets it raised them. */
    public record BackgroundRule(String ruleId, String title, List<String> techniques, long alerts, int datasets) {
        public BackgroundRule {
            requireNonNull(ruleId, "ruleId is null");
            techniques = List.copyOf(techniques);
        }
    }

    /** A source of a dataset that could not be read to the end (what was read of it counts). */
    public record Incomplete(String source, String reason) {}

    /**
     * One dataset's figures.
     *
     * @param events events read into tables (quarantined records are not events)
     * @param rules the rules that fired, most alerts first
     * @param eventTypes events per {@code table EventID} ({@code WindowsEvent} adds the channel), most first
     */
    public record DatasetResult(String id, String title, List<String> files, long events, long quarantined,
            List<Incomplete> incomplete, List<TechniqueResult> techniques, List<FiredRule> rules,
            Map<String, Long> eventTypes, double seconds) {
        public DatasetResult {
            requireNonNull(id, "id is null");
            title = title == null ? "" : title;
            files = List.copyOf(files);
            incomplete = List.copyOf(incomplete);
            techniques = List.copyOf(techniques);
            rules = List.copyOf(rules);
            eventTypes = Collections.unmodifiableMap(new LinkedHashMap<>(eventTypes));
        }

        public long alerts() {
            return rules.stream().mapToLong(FiredRule::alerts).sum();
        }

        public long backgroundAlerts() {
            return rules.stream().filter(FiredRule::background).mapToLong(FiredRule::alerts).sum();
        }

        public int found() {
            return (int) techniques.stream().filter(t -> t.match().found()).count();
        }

        public int foundAtParent() {
            return (int) techniques.stream().filter(t -> t.match().foundAtParent()).count();
        }

        public double recall() {
            return techniques.isEmpty() ? 0 : (double) found() / techniques.size();
        }

        public double parentRecall() {
            return techniques.isEmpty() ? 0 : (double) foundAtParent() / techniques.size();
        }
    }

    /** A dataset (or an unlabelled local file) left out, and why. */
    public record Skipped(String id, String reason) {}

    /** The whole run. {@code rulesFailed} counts rule files that did not parse and documents that did not compile. */
    public record Report(String date, String datasetsFolder, List<String> ruleFolders, int ruleFiles, int rulesActive,
            int rulesInactive, int rulesFailed, List<DatasetResult> datasets, List<Skipped> skipped) {
        public Report {
            ruleFolders = List.copyOf(ruleFolders);
            datasets = List.copyOf(datasets);
            skipped = List.copyOf(skipped);
        }

        public int labelled() {
            return datasets.stream().mapToInt(d -> d.techniques().size()).sum();
        }

        public int found() {
            return datasets.stream().mapToInt(DatasetResult::found).sum();
        }

        public int foundAtParent() {
            return datasets.stream().mapToInt(DatasetResult::foundAtParent).sum();
        }

        /** Found techniques over labelled ones, all datasets pooled. */
        public double microRecall() {
            return labelled() == 0 ? 0 : (double) found() / labelled();
        }

        /** The mean of the datasets' recalls. */
        public double macroRecall() {
            return datasets.stream().mapToDouble(DatasetResult::recall).average().orElse(0);
        }

        public double microParentRecall() {
            return labelled() == 0 ? 0 : (double) foundAtParent() / labelled();
        }

        public double macroParentRecall() {
            return datasets.stream().mapToDouble(DatasetResult::parentRecall).average().orElse(0);
        }

        public long events() {
            return datasets.stream().mapToLong(DatasetResult::events).sum();
        }

        public long alerts() {
            return datasets.stream().mapToLong(DatasetResult::alerts).sum();
        }

        public long backgroundAlerts() {
            return datasets.stream().mapToLong(DatasetResult::backgroundAlerts).sum();
        }

        /** The labelled techniques that no active rule is tagged with (nor with a sub-technique), once each. */
        public List<String> unreachableTechniques() {
            return datasets.stream().flatMap(d -> d.techniques().stream()).filter(t -> t.corpusRules() == 0)
                    .map(TechniqueResult::technique).distinct().sorted().toList();
        }

        /** The rules with the most background alerts over all datasets, most first. */
        public List<BackgroundRule> topBackgroundRules(int limit) {
            Map<String, BackgroundRule> byRule = new HashMap<>();
            for (DatasetResult dataset : datasets) {
                for (FiredRule rule : dataset.rules()) {
                    if (rule.background()) {
                        byRule.merge(rule.ruleId(), new BackgroundRule(rule.ruleId(), rule.title(), rule.techniques(),
                                rule.alerts(), 1), (a, b) -> new BackgroundRule(a.ruleId(), a.title(), a.techniques(),
                                        a.alerts() + b.alerts(), a.datasets() + b.datasets()));
                    }
                }
            }
            return byRule.values().stream().sorted(Comparator.comparingLong(BackgroundRule::alerts).reversed()
                    .thenComparing(BackgroundRule::ruleId)).limit(limit).toList();
        }
    }

    private final Options options;
    private final PrintWriter progress;

    public DetectionQuality(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws IOException {
        Catalogue catalogue = Catalogue.read(options.datasets());
        Corpus corpus = Corpus.load(options.rules());
        RuleSet rules = corpus.rules();
        progress.printf(Locale.ROOT, "detection-quality: %,d rule files, %,d rules active, %,d inactive (no table),"
                + " %,d failed; %d datasets with metadata%n", corpus.files(), rules.rules().size(),
                rules.inactive().size(), corpus.failed(), catalogue.datasets().size());
        progress.flush();

        List<DatasetResult> results = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int done = 0;
        for (Dataset dataset : catalogue.datasets()) {
            done++;
            String position = String.format(Locale.ROOT, "detection-quality: [%d/%d] %s", done,
                    catalogue.datasets().size(), dataset.id());
            String reason = skipReason(dataset);
            if (reason == null) {
                DatasetResult result = evaluate(dataset, corpus);
                if (result.eventTypes().keySet().stream().anyMatch(type -> windowsTable(table(type)))) {
                    results.add(result);
                    progress.printf(Locale.ROOT, "%s: %,d events, %,d alerts (%,d background), found %d of %d"
                            + " labelled techniques in %.1f s%n", position, result.events(), result.alerts(),
                            result.backgroundAlerts(), result.found(), result.techniques().size(), result.seconds());
                    for (Incomplete source : result.incomplete()) {
                        progress.printf(Locale.ROOT, "detection-quality:   read in part: %s: %s%n", source.source(),
                                source.reason());
                    }
                    progress.flush();
                    continue;
                }
                reason = "no Windows events (" + (result.eventTypes().isEmpty() ? "no events at all"
                        : "events only in " + String.join(", ", tables(result.eventTypes()))) + ")";
            }
            skipped.add(new Skipped(dataset.id(), reason));
            progress.printf(Locale.ROOT, "%s: skipped: %s%n", position, reason);
            progress.flush();
        }
        for (String file : catalogue.unlabelledFiles()) {
            skipped.add(new Skipped(file, "no _metadata file names it, so it carries no labels"));
        }
        return new Report(LocalDate.now(ZoneOffset.UTC).toString(), options.datasets().toString(),
                options.rules().stream().map(Path::toString).toList(), corpus.files(), rules.rules().size(),
                rules.inactive().size(), corpus.failed(), results, skipped);
    }

    /** The table of an event type key ({@code SysmonEvent 1}). */
    private static String table(String eventType) {
        int space = eventType.indexOf(' ');
        return space < 0 ? eventType : eventType.substring(0, space);
    }

    private static List<String> tables(Map<String, Long> eventTypes) {
        Map<String, Long> byTable = new TreeMap<>();
        eventTypes.forEach((type, count) -> byTable.merge(table(type), count, Long::sum));
        return byTable.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
    }

    private DatasetResult evaluate(Dataset dataset, Corpus corpus) {
        long start = System.nanoTime();
        Tally tally = new Tally(dataset.techniques());
        IngestSummary summary = replay(dataset, corpus.rules(), tally);

        List<FiredRule> fired = tally.rules.values().stream().sorted(RuleTally.MOST_ALERTS)
                .map(r -> new FiredRule(r.id, r.title, r.techniques, r.alerts, r.background)).toList();
        List<TechniqueResult> techniques = dataset.techniques().stream()
                .map(label -> techniqueResult(label, fired, corpus.rulesTaggedWith(label))).toList();
        return new DatasetResult(dataset.id(), dataset.title(),
                dataset.files().stream().map(f -> options.datasets().relativize(f).toString()).toList(),
                tally.events, summary.quarantined(),
                summary.failedSources().stream().map(s -> new Incomplete(s.source(), s.reason())).toList(),
                techniques, fired, tally.eventTypesByCount(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Reads a dataset through the ingest path into detection with a fresh {@link Detector} (correlations never span
     * datasets): {@code sink} gets every batch of events, then the alerts detection raised on it, as the store would.
     */
    static <S extends EventSink & AlertSink> IngestSummary replay(Dataset dataset, RuleSet rules, S sink) {
        DetectingSink<S> detecting = new DetectingSink<>(sink, new Detector(TENANT, rules));
        Clock clock = Clock.systemUTC();
        Ingestor ingestor = new Ingestor(new Ingestor.Options(TENANT, Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock), detecting,
                Ingestor.ProgressListener.NONE, clock, InputStream.nullInputStream());
        IngestSummary summary = ingestor.ingest(dataset.files().stream().map(Path::toString).toList());
        detecting.finish();
        return summary;
    }

    /** Whether a dataset is evaluated, or why not: it needs labels and local files; null when it is. */
    static String skipReason(Dataset dataset) {
        if (dataset.techniques().isEmpty()) {
            return "no ATT&CK technique labelled (none, or only the placeholder " + PLACEHOLDER_TECHNIQUE + ")";
        }
        if (dataset.files().isEmpty()) {
            return "none of its files is in the local copy (its SOURCE.txt lists what was not copied)";
        }
        return null;
    }

    /** Whether an event of this table is a Windows event (the datasets evaluated hold some). */
    static boolean windowsTable(String table) {
        return WINDOWS_TABLES.contains(table);
    }

    /**
     * What became of a labelled technique, given the rules that fired on its dataset (most alerts first): the best
     * match of any of their techniques, the technique that made it and the first rules that reached it.
     */
    static TechniqueResult techniqueResult(String label, List<FiredRule> fired, int corpusRules) {
        TechniqueMatch best = TechniqueMatch.NONE;
        String alertedAs = null;
        List<String> behind = new ArrayList<>();
        for (FiredRule rule : fired) {
            for (String technique : rule.techniques()) {
                TechniqueMatch m = match(label, technique);
                if (m.ordinal() < best.ordinal()) {
                    best = m;
                    alertedAs = technique;
                    behind.clear();
                }
                if (m == best && m != TechniqueMatch.NONE && !behind.contains(rule.ruleId())) {
                    behind.add(rule.ruleId());
                }
            }
        }
        return new TechniqueResult(label, best, alertedAs, behind.stream().limit(MATCHED_BY_LIMIT).toList(),
                corpusRules);
    }

    /**
     * Stands in for the store behind {@link DetectingSink}: counts events by type and alerts by rule, keeping each
     * alert id once as the store does, and nothing of the events themselves.
     */
    private static final class Tally implements EventSink, AlertSink {
        private final List<String> labels;
        private final Map<String, Long> eventTypes = new HashMap<>();
        private final Map<String, RuleTally> rules = new HashMap<>();
        private final Set<UUID> alertIds = new HashSet<>();
        private long events;

        Tally(List<String> labels) {
            this.labels = List.copyOf(labels);
        }

        @Override
        public Result append(Batch batch) {
            for (Event event : batch.events()) {
                eventTypes.merge(eventType(event), 1L, Long::sum);
            }
            events += batch.events().size();
            return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
        }

        @Override
        public void commit() {}

        @Override
        public int appendAlerts(List<Alert> alerts) {
            int added = 0;
            for (Alert alert : alerts) {
                if (alertIds.add(alert.id())) {
                    rules.computeIfAbsent(alert.ruleId(), id -> new RuleTally(id, alert.title(), alert.techniques(),
                            isBackground(alert.techniques(), labels))).alerts++;
                    added++;
                }
            }
            return added;
        }

        /** {@code table EventID}; a {@code WindowsEvent} adds its channel, which the EventID means nothing without. */
        private static String eventType(Event event) {
            StringBuilder type = new StringBuilder(event.table());
            String code = event.common(CommonColumn.EVENT_CODE);
            if (code != null && !code.isEmpty()) {
                type.append(' ').append(code);
            }
            if (event.table().equals("WindowsEvent") && event.fields().get("Channel") instanceof String channel) {
                type.append(" (").append(channel).append(')');
            }
            return type.toString();
        }

        Map<String, Long> eventTypesByCount() {
            Map<String, Long> sorted = new LinkedHashMap<>();
            eventTypes.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        }
    }

    /** Alerts of one rule on one dataset. */
    private static final class RuleTally {
        static final Comparator<RuleTally> MOST_ALERTS =
                Comparator.comparingLong((RuleTally r) -> r.alerts).reversed().thenComparing(r -> r.id);

        final String id;
        final String title;
        final List<String> techniques;
        final boolean background;
        long alerts;

        RuleTally(String id, String title, List<String> techniques, boolean background) {
            this.id = id;
            this.title = title;
            this.techniques = List.copyOf(techniques);
            this.background = background;
        }
    }

    /** A compiled Sigma corpus, with what loading it counted. */
    record Corpus(RuleSet rules, int files, int failed) {
        /** Parses every {@code .yml}/{@code .yaml} under the roots and compiles them once. */
        static Corpus load(List<Path> roots) throws IOException {
            List<Path> files = new ArrayList<>();
            for (Path root : roots) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                            .sorted().forEach(files::add);
                }
            }
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
            return new Corpus(rules, files.size(), failed + rules.failures().size());
        }

        /** Active rules tagged with the technique or one of its sub-techniques. */
        int rulesTaggedWith(String technique) {
            int count = 0;
            for (CompiledRule rule : rules.rules()) {
                if (bestMatch(technique, rule.rule().meta().techniques()).found()) {
                    count++;
                }
            }
            return count;
        }
    }

    /** The datasets the metadata describes, and the local data files no metadata names. */
    record Catalogue(List<Dataset> datasets, List<String> unlabelledFiles) {
        static Catalogue read(Path root) throws IOException {
            Path folder = root.resolve("datasets");
            if (!Files.isDirectory(folder)) {
                throw new IOException("no datasets folder in " + root + ": expected the OTRF Security-Datasets"
                        + " layout (datasets/<kind>/_metadata/<id>.yaml)");
            }
            List<Path> metadata = new ArrayList<>();
            Map<String, Path> local = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
                    boolean inMetadata = path.getParent().getFileName().toString().equals("_metadata");
                    if (inMetadata && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                        metadata.add(path);
                    } else if (!inMetadata && !name.endsWith(".md")) {
                        local.put(key(root.relativize(path)), path);
                    }
                }
            }
            List<Dataset> datasets = new ArrayList<>();
            Set<Path> named = new HashSet<>();
            Load yaml = new Load(LoadSettings.builder().build());
            for (Path file : metadata) {
                if (!(yaml.loadFromString(Files.readString(file)) instanceof Map<?, ?> document)) {
                    throw new IOException(file + ": not a YAML mapping");
                }
                Set<Path> files = new LinkedHashSet<>();
                for (Object entry : list(document.get("files"))) {
                    if (entry instanceof Map<?, ?> map && map.get("link") instanceof String link
                            && link.contains("/datasets/")) {
                        Path path = local.get(link.substring(link.indexOf("/datasets/") + 1).toLowerCase(Locale.ROOT));
                        if (path != null) {
                            files.add(path);
                        }
                    }
                }
                named.addAll(files);
                String id = document.get("id") == null ? file.getFileName().toString() : document.get("id").toString();
                String title = document.get("title") == null ? "" : document.get("title").toString().strip();
                datasets.add(new Dataset(id, title, techniques(document.get("attack_mappings")), List.copyOf(files)));
            }
            List<String> unlabelled = local.values().stream().filter(p -> !named.contains(p))
                    .map(p -> root.relativize(p).toString()).toList();
            return new Catalogue(List.copyOf(datasets), unlabelled);
        }

        private static String key(Path relative) {
            return relative.toString().replace('\\', '/').toLowerCase(Locale.ROOT);
        }

        private static List<?> list(Object value) {
            return value instanceof List<?> list ? list : List.of();
        }

        /** {@code T1110} with sub-technique {@code "003"} (or {@code 3}) is {@code T1110.003}; T0000 is left out. */
        static List<String> techniques(Object attackMappings) {
            Set<String> techniques = new LinkedHashSet<>();
            for (Object entry : list(attackMappings)) {
                if (!(entry instanceof Map<?, ?> mapping) || mapping.get("technique") == null) {
                    continue;
                }
                String technique = mapping.get("technique").toString().strip().toUpperCase(Locale.ROOT);
                Object sub = mapping.get("sub-technique");
                String suffix = sub instanceof Number n ? String.format(Locale.ROOT, "%03d", n.intValue())
                        : sub == null ? "" : sub.toString().strip();
                if (!technique.isEmpty() && !technique.equals(PLACEHOLDER_TECHNIQUE)) {
                    techniques.add(suffix.isEmpty() ? technique : technique + "." + suffix);
                }
            }
            return List.copyOf(techniques);
        }
    }

    // --- Output ---------------------------------------------------------------------------------------------------

    /** The report as Markdown tables: readable on a terminal, and pasted as it is into BENCHMARKS.md. */
    public static String markdown(Report report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Detection quality on %d OTRF datasets (%,d events), %s: %,d Sigma rules"
                + " active, %,d inactive (no table for their log source), %,d failed, from %,d rule files.%n%n",
                report.datasets().size(), report.events(), report.date(), report.rulesActive(),
                report.rulesInactive(), report.rulesFailed(), report.ruleFiles()));
        List<List<String>> rows = new ArrayList<>();
        for (DatasetResult d : report.datasets()) {
            rows.add(List.of(d.id(), shorten(d.title(), 48), count(d.events()),
                    Integer.toString(d.techniques().size()), Integer.toString(d.found()), ratio(d.recall()),
                    Integer.toString(d.foundAtParent()), count(d.alerts()), count(d.backgroundAlerts()),
                    Integer.toString(d.rules().size()), techniqueCell(d)));
        }
        table(out, List.of("dataset", "title", "events", "labelled", "found", "recall", "found (parent)", "alerts",
                "background alerts", "rules fired", "labelled techniques"),
                List.of(false, false, true, true, true, true, true, true, true, true, false), rows);
        out.append(String.format(Locale.ROOT, "%nOverall: %d labelled techniques in %d datasets, %d found: recall %s"
                + " micro, %s macro. At parent level %d found: %s micro, %s macro.%n", report.labelled(),
                report.datasets().size(), report.found(), ratio(report.microRecall()), ratio(report.macroRecall()),
                report.foundAtParent(), ratio(report.microParentRecall()), ratio(report.macroParentRecall())));
        out.append(String.format(Locale.ROOT, "Alerts: %,d, of which %,d background (%.0f%%): an upper bound on false"
                + " positives, since they include true detections of activity the labels do not name.%n",
                report.alerts(), report.backgroundAlerts(),
                report.alerts() == 0 ? 0.0 : 100.0 * report.backgroundAlerts() / report.alerts()));
        List<String> unreachable = report.unreachableTechniques();
        if (!unreachable.isEmpty()) {
            out.append(String.format(Locale.ROOT, "No active rule is tagged with %d of the labelled techniques (nor"
                    + " with a sub-technique of them): %s.%n", unreachable.size(), String.join(", ", unreachable)));
        }

        out.append(String.format(Locale.ROOT, "%nTop background rules:%n%n"));
        List<List<String>> ruleRows = new ArrayList<>();
        for (BackgroundRule rule : report.topBackgroundRules(TOP_RULES)) {
            ruleRows.add(List.of(shorten(rule.title(), 70), rule.ruleId(),
                    rule.techniques().isEmpty() ? "(none)" : String.join(" ", rule.techniques()),
                    count(rule.alerts()), Integer.toString(rule.datasets())));
        }
        table(out, List.of("rule", "id", "techniques", "alerts", "datasets"), List.of(false, false, false, true, true),
                ruleRows);

        List<List<String>> partial = new ArrayList<>();
        for (DatasetResult d : report.datasets()) {
            for (Incomplete source : d.incomplete()) {
                partial.add(List.of(d.id(), source.source(), source.reason()));
            }
        }
        if (!partial.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nSources read only in part (what was read counts):%n%n"));
            table(out, List.of("dataset", "source", "reason"), List.of(false, false, false), partial);
        }
        if (!report.skipped().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nSkipped:%n%n"));
            table(out, List.of("dataset or file", "reason"), List.of(false, false),
                    report.skipped().stream().map(s -> List.of(s.id(), s.reason())).toList());
        }
        return out.toString();
    }

    /** Each label with what became of it: {@code T1003.006}, {@code T1003 as T1003.001}, {@code T1135 missed (12)}. */
    private static String techniqueCell(DatasetResult dataset) {
        List<String> parts = new ArrayList<>();
        for (TechniqueResult t : dataset.techniques()) {
            parts.add(switch (t.match()) {
                case EXACT -> t.technique();
                case SUB_TECHNIQUE -> t.technique() + " as " + t.alertedAs();
                case PARENT -> t.technique() + " parent only (" + t.alertedAs() + ")";
                case NONE -> t.technique() + " missed (" + t.corpusRules() + " rules)";
            });
        }
        return String.join("; ", parts);
    }

    private static void table(StringBuilder out, List<String> header, List<Boolean> right, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(3, header.get(i).length());
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], escape(row.get(i)).length());
            }
        }
        row(out, header, widths, new boolean[widths.length]);
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < widths.length; i++) {
            int width = i == widths.length - 1 && !right.get(i) ? 3 : widths[i];
            rule.append(right.get(i) ? "-".repeat(width + 1) + ":|" : "-".repeat(width + 2) + "|");
        }
        out.append(rule).append('\n');
        boolean[] alignRight = new boolean[widths.length];
        for (int i = 0; i < widths.length; i++) {
            alignRight[i] = right.get(i);
        }
        for (List<String> r : rows) {
            row(out, r, widths, alignRight);
        }
    }

    private static void row(StringBuilder out, List<String> cells, int[] widths, boolean[] right) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < widths.length; i++) {
            String text = escape(cells.get(i));
            // The last column is often long and ragged: padding it would only add trailing blanks to most rows.
            String pad = i == widths.length - 1 && !right[i] ? "" : " ".repeat(widths[i] - text.length());
            line.append(' ').append(right[i] ? pad + text : text + pad).append(" |");
        }
        out.append(line).append('\n');
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace('\n', ' ');
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** The report as JSON-ready maps and lists, with the derived figures (recalls, found) spelled out. */
    public static Map<String, Object> json(Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("date", report.date());
        body.put("datasets_folder", report.datasetsFolder());
        body.put("rule_folders", report.ruleFolders());
        body.put("rule_files", report.ruleFiles());
        body.put("rules_active", report.rulesActive());
        body.put("rules_inactive", report.rulesInactive());
        body.put("rules_failed", report.rulesFailed());
        Map<String, Object> overall = new LinkedHashMap<>();
        overall.put("datasets", report.datasets().size());
        overall.put("events", report.events());
        overall.put("labelled", report.labelled());
        overall.put("found", report.found());
        overall.put("found_at_parent", report.foundAtParent());
        overall.put("micro_recall", round(report.microRecall()));
        overall.put("macro_recall", round(report.macroRecall()));
        overall.put("micro_parent_recall", round(report.microParentRecall()));
        overall.put("macro_parent_recall", round(report.macroParentRecall()));
        overall.put("alerts", report.alerts());
        overall.put("background_alerts", report.backgroundAlerts());
        overall.put("unreachable_techniques", report.unreachableTechniques());
        body.put("overall", overall);
        body.put("datasets", report.datasets().stream().map(DetectionQuality::json).toList());
        body.put("top_background_rules", report.topBackgroundRules(TOP_RULES).stream().map(rule -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rule_id", rule.ruleId());
            out.put("title", rule.title());
            out.put("techniques", rule.techniques());
            out.put("alerts", rule.alerts());
            out.put("datasets", rule.datasets());
            return out;
        }).toList());
        body.put("skipped", report.skipped().stream().map(s -> Map.of("id", s.id(), "reason", s.reason())).toList());
        return body;
    }

    private static Map<String, Object> json(DatasetResult d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("title", d.title());
        out.put("files", d.files());
        out.put("events", d.events());
        out.put("quarantined", d.quarantined());
        out.put("incomplete", d.incomplete().stream()
                .map(i -> Map.of("source", i.source(), "reason", i.reason())).toList());
        out.put("alerts", d.alerts());
        out.put("rules_fired", d.rules().size());
        out.put("labelled", d.techniques().size());
        out.put("found", d.found());
        out.put("found_at_parent", d.foundAtParent());
        out.put("recall", round(d.recall()));
        out.put("parent_recall", round(d.parentRecall()));
        out.put("techniques", d.techniques().stream().map(t -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("technique", t.technique());
            entry.put("match", t.match().name().toLowerCase(Locale.ROOT));
            entry.put("alerted_as", t.alertedAs());
            entry.put("matched_by", t.matchedBy());
            entry.put("corpus_rules", t.corpusRules());
            return entry;
        }).toList());
        out.put("background_alerts", d.backgroundAlerts());
        out.put("rules", d.rules().stream().map(rule -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rule_id", rule.ruleId());
            entry.put("title", rule.title());
            entry.put("techniques", rule.techniques());
            entry.put("alerts", rule.alerts());
            entry.put("background", rule.background());
            return entry;
        }).toList());
        out.put("event_types", d.eventTypes());
        out.put("seconds", round(d.seconds()));
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The OTRF folder of the shared data (vigil.shared.data, VIGIL_SHARED_DATA, ../shared/data). */
    public static Path defaultDatasets() {
        String shared = System.getProperty("vigil.shared.data",
                System.getenv().getOrDefault("VIGIL_SHARED_DATA", "../shared/data"));
        return Path.of(shared, "otrf-security-datasets");
    }

    /**
     * {@code java -cp ... dev.vigil.bench.DetectionQuality [--json] [--datasets DIR] [--rules DIR]...}: the report on
     * standard output (Markdown, or JSON), progress on standard error. Without {@code --rules} it runs the SigmaHQ
     * folders of the shared data.
     */
    public static void main(String[] args) throws Exception {
        boolean asJson = false;
        Path datasets = defaultDatasets();
        List<Path> rules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> asJson = true;
                case "--datasets" -> datasets = Path.of(args[++i]);
                case "--rules" -> rules.add(Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use [--json] [--datasets DIR] [--rules DIR]...");
            }
        }
        if (rules.isEmpty()) {
            rules.addAll(SigmaBenchmark.defaultRules());
        }
        Report report = new DetectionQuality(new Options(datasets, rules), new PrintWriter(System.err, true)).run();
        PrintWriter out = new PrintWriter(System.out, true);
        out.print(asJson ? JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValueAsString(json(report)) + System.lineSeparator() : markdown(report));
        out.flush();
    }
}
