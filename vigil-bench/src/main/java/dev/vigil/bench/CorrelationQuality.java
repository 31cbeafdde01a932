package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.Correlator;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.Prevalence;
import dev.vigil.incident.RemoteEntries;
import dev.vigil.incident.RemoteEntry;
import dev.vigil.incident.RemoteEntryIndex;
import dev.vigil.incident.TacticStages;
import dev.vigil.ingest.EventSink;
import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.sigma.AlertSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Correlation quality, behind {@code vigil bench correlation-quality} and BENCHMARKS.md: pairwise precision and recall
 * of "these two alerts belong together" on two sets of alerts whose true incidents are known.
 *
 * <p><b>OTRF replay.</b> Each OTRF dataset that detection-quality evaluates is read through the ingest path into
 * detection with the SigmaHQ corpus ({@link DetectionQuality#replay}), and its alerts form one true incident. The
 * datasets were recorded in the same few labs, so to make them the concurrent incidents of one organization each is
 * given its own machines: its hosts are renamed (first DNS label and domain), its private addresses moved to a range of
 * its own, its user accounts renamed, and its process GUIDs re-derived. Well-known and built-in accounts
 * (Administrator, SYSTEM, service accounts, DWM/UMFD sessions, well-known SIDs) keep their names, as they would in
 * any Windows estate. Public addresses, file hashes, domains and URLs are left alone: the internet and Windows' own
 * binaries are shared by everyone. Each dataset is shifted in time to start at a common base plus a seeded random
 * offset within an hour, so they overlap. Shared, noisy infrastructure is then injected into a fraction of every
 * dataset's alerts and, at the same rates, its events: a web proxy as destination (20%), a DNS server (10%), a domain
 * controller's address (10%) and name as a second host (5%), a vulnerability scanner as source (2%), a widely used
 * administrative account (5%). The prevalence baseline is built from all datasets' renamed and injected events
 * ({@link PrevalenceBaseline}: distinct hosts per entity, distinct users per host).
 *
 * <p><b>Generated scenario.</b> {@link IncidentScenario}: 500 hosts, 2,000 users, 25 attacks a day over two days with
 * lateral movement, and benign alerts as their own incidents. Its baseline is a simulated week of normal activity.
 *
 * <p><b>Scoring.</b> Alerts are fed to a {@link Correlator} in time order (ties by id) with the default policy and the
 * ATT&CK tactic order. Every pair of alerts in the same true incident and the same formed incident (after merges)
 * agrees; precision is agreeing pairs over pairs formed, recall agreeing pairs over true pairs, computed from the
 * contingency counts (n choose 2 per cell), not by visiting pairs. Each figure is given with the baseline and without
 * it (prevalence learned from alerts only). The report also names the entities behind joins that crossed true
 * incidents, and why true incidents were split.
 */
public final class CorrelationQuality {
    /** Rows of each confusion table; {@code -Dvigil.bench.top=N} shows more. */
    private static final int TOP = Integer.getInteger("vigil.bench.top", 10);

    /**
     * @param datasets the OTRF folder, or null to skip the replay
     * @param rules Sigma rule folders
     * @param attack the ATT&CK enterprise bundle, or null for no tactic order
     * @param seed the seed of time offsets, injections and the generated scenario
     * @param generatedDays days of the generated scenario
     * @param sourceLookup whether the correlator looks up the source of a lateral-movement alert that names none in
     *     the events (logons and connections; see {@link RemoteEntries}); off, to measure what the look-up adds
     */
    public record Options(Path datasets, List<Path> rules, Path attack, long seed, int generatedDays,
            boolean sourceLookup) {
        public Options {
            rules = List.copyOf(rules);
        }

        /** With the source look-up. */
        public Options(Path datasets, List<Path> rules, Path attack, long seed, int generatedDays) {
            this(datasets, rules, attack, seed, generatedDays, true);
        }
    }

    /**
     * Pairwise agreement of formed incidents with true ones.
     *
     * @param truePairs pairs of alerts in the same true incident
     * @param formedPairs pairs of alerts in the same formed incident
     * @param agreeingPairs pairs in both
     */
    public record Score(long alerts, long trueIncidents, long formedIncidents, long truePairs, long formedPairs,
            long agreeingPairs) {
        public double precision() {
            return formedPairs == 0 ? 1 : (double) agreeingPairs / formedPairs;
        }

        public double recall() {
            return truePairs == 0 ? 1 : (double) agreeingPairs / truePairs;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** An entity that tied alerts of different true incidents together, how often, and which. */
    public record Glue(String entity, long joins, boolean commonAtEnd, List<String> between) {}

    /** A formed incident that mixes true incidents: the false pairs it makes and its make-up, largest first. */
    public record Mixed(long falsePairs, List<String> parts) {}

    /** Why alerts of a true incident opened incidents of their own, and how often. */
    public record Split(String cause, long alerts, List<String> examples) {}

    /**
     * One evaluation: scores with and without the baseline, and what went wrong with the baseline.
     *
     * @param baselineEntities entities the baseline knows
     * @param baselineHosts hosts the baseline knows
     */
    public record Evaluation(String name, Score withBaseline, Score withoutBaseline, int baselineEntities,
            int baselineHosts, long baselineEvents, List<Mixed> mixed, List<Glue> glue, List<Split> splits,
            List<String> notes) {}

    public record Report(String date, long seed, String policy, List<Evaluation> evaluations) {}

    private final Options options;
    private final PrintWriter progress;

    public CorrelationQuality(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws IOException {
        TacticStages stages = options.attack() != null && Files.isRegularFile(options.attack())
                ? TacticStages.of(AttackBundle.read(options.attack())) : TacticStages.unknown();
        List<Evaluation> evaluations = new ArrayList<>();
        if (options.datasets() != null) {
            evaluations.add(otrf(stages));
        }
        evaluations.add(generated(IncidentScenario.Shape.standard(options.seed()), stages));
        evaluations.add(generated(IncidentScenario.Shape.sparse(options.seed()), stages));
        evaluations.add(generated(IncidentScenario.Shape.busy(options.seed()), stages));
        return new Report(LocalDate.now(ZoneOffset.UTC).toString(), options.seed(), policy().toString(),
                evaluations);
    }

    // --- Several seeds ----------------------------------------------------------------------------------------------

    /** The generated scenario's three shapes under one seed, with the baseline: standard, sparse, busy. */
    public record SeedScores(long seed, Score standard, Score sparse, Score busy) {
        List<Score> all() {
            return List.of(standard, sparse, busy);
        }
    }

    /**
     * The generated scenario's figures (with the baseline) for each seed from {@code first} to {@code last}: what a
     * rule change does beyond the seed it was traced on. A seed's scenario is a different organization and different
     * attacks, so the spread across seeds is the figure's uncertainty.
     */
    public List<SeedScores> seeds(long first, long last) throws IOException {
        if (last < first) {
            throw new IllegalArgumentException("no seeds from " + first + " to " + last);
        }
        TacticStages stages = options.attack() != null && Files.isRegularFile(options.attack())
                ? TacticStages.of(AttackBundle.read(options.attack())) : TacticStages.unknown();
        List<SeedScores> scores = new ArrayList<>();
        for (long seed = first; seed <= last; seed++) {
            List<Score> three = new ArrayList<>();
            for (IncidentScenario.Shape shape : List.of(IncidentScenario.Shape.standard(seed),
                    IncidentScenario.Shape.sparse(seed), IncidentScenario.Shape.busy(seed))) {
                RemoteEntryIndex entries = new RemoteEntryIndex();
                IncidentScenario scenario = new IncidentScenario(shape, entries::observe);
                Prevalence baseline = scenario.baseline();
                List<Labelled> ordered = new ArrayList<>();
                for (IncidentScenario.Labelled l : generatedAlerts(scenario, shape)) {
                    ordered.add(new Labelled(l.alert(), l.truth()));
                }
                ordered.sort(Comparator.comparingLong((Labelled l) -> l.alert().timeMicros()).thenComparing(
                        l -> l.alert().id()));
                three.add(correlate(ordered, baseline, stages, List.of(), policy(), entries).score());
            }
            SeedScores seedScores = new SeedScores(seed, three.get(0), three.get(1), three.get(2));
            progress.printf(Locale.ROOT, "correlation-quality: seed %d: F1 %.3f / %.3f / %.3f%n", seed,
                    seedScores.standard().f1(), seedScores.sparse().f1(), seedScores.busy().f1());
            progress.flush();
            scores.add(seedScores);
        }
        return scores;
    }

    /** Per seed, the three shapes' precision, recall and F1, then their mean and minimum, in Markdown. */
    public static String seedsMarkdown(List<SeedScores> scores) {
        StringBuilder out = new StringBuilder("| seed | 500 hosts, 25 attacks a day: P / R / F1 | 5,000 hosts: P / R / F1"
                + " | 500 hosts, 5 a day: P / R / F1 |\n|---:|---|---|---|\n");
        for (SeedScores s : scores) {
            out.append("| ").append(s.seed());
            for (Score score : s.all()) {
                out.append(String.format(Locale.ROOT, " | %.3f / %.3f / **%.3f**", score.precision(), score.recall(),
                        score.f1()));
            }
            out.append(" |\n");
        }
        for (String statistic : List.of("mean", "min")) {
            out.append("| ").append(statistic);
            for (int shape = 0; shape < 3; shape++) {
                int index = shape;
                java.util.DoubleSummaryStatistics p = scores.stream().mapToDouble(s -> s.all().get(index)
                        .precision()).summaryStatistics();
                java.util.DoubleSummaryStatistics r = scores.stream().mapToDouble(s -> s.all().get(index)
                        .recall()).summaryStatistics();
                java.util.DoubleSummaryStatistics f = scores.stream().mapToDouble(s -> s.all().get(index).f1())
                        .summaryStatistics();
                boolean mean = statistic.equals("mean");
                out.append(String.format(Locale.ROOT, " | %.3f / %.3f / **%.3f**", mean ? p.getAverage() : p.getMin(),
                        mean ? r.getAverage() : r.getMin(), mean ? f.getAverage() : f.getMin()));
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    /** The seed scores as JSON-ready maps. */
    public static List<Map<String, Object>> seedsJson(List<SeedScores> scores) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (SeedScores s : scores) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("seed", s.seed());
            entry.put("standard", score(s.standard()));
            entry.put("sparse", score(s.sparse()));
            entry.put("busy", score(s.busy()));
            list.add(entry);
        }
        return list;
    }

    // --- OTRF replay ------------------------------------------------------------------------------------------------

    private Evaluation otrf(TacticStages stages) throws IOException {
        DetectionQuality.Catalogue catalogue = DetectionQuality.Catalogue.read(options.datasets());
        DetectionQuality.Corpus corpus = DetectionQuality.Corpus.load(options.rules());
        progress.printf(Locale.ROOT, "correlation-quality: %,d rules active; %d datasets with metadata%n",
                corpus.rules().rules().size(), catalogue.datasets().size());
        progress.flush();
        long base = IncidentScenario.EPOCH;
        PrevalenceBaseline baseline = new PrevalenceBaseline();
        RemoteEntryIndex entries = new RemoteEntryIndex();
        List<Labelled> alerts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int index = 0;
        for (DetectionQuality.Dataset dataset : catalogue.datasets()) {
            if (DetectionQuality.skipReason(dataset) != null) {
                continue;
            }
            int number = index + 1;
            Capture capture = new Capture(new Renamer(number, options.seed()));
            DetectionQuality.replay(dataset, corpus.rules(), capture);
            if (!capture.windows || capture.alerts.isEmpty()) {
                if (capture.windows) {
                    notes.add(dataset.id() + ": no alert");
                }
                continue;
            }
            index++;
            names.add(dataset.id());
            long offset = base + new SplittableRandom(options.seed() * 31 + number).nextLong(3_600_000_000L)
                    - capture.first;
            for (Set<EntityKey> keys : capture.eventKeys) {
                baseline.observe(keys);
            }
            for (EntityKey[] pair : capture.owned) {
                baseline.owns(pair[0], pair[1]);
            }
            for (RemoteEntry entry : capture.entries) {
                entries.add(capture.renamer.entry(entry, offset));
            }
            long firstAlert = Long.MAX_VALUE;
            long lastAlert = Long.MIN_VALUE;
            for (Alert alert : capture.alerts.values()) {
                Alert moved = capture.renamer.alert(alert, offset);
                alerts.add(new Labelled(moved, index - 1));
                firstAlert = Math.min(firstAlert, moved.timeMicros());
                lastAlert = Math.max(lastAlert, moved.timeMicros());
            }
            progress.printf(Locale.ROOT, "correlation-quality: [%d] %s: %,d events over %s, %,d alerts over %s%n",
                    index, dataset.id(), capture.eventKeys.size(), span(capture.last - capture.first),
                    capture.alerts.size(), span(lastAlert - firstAlert));
            progress.flush();
        }
        Prevalence prevalence = baseline.build();
        progress.printf(Locale.ROOT, "correlation-quality: OTRF: %d datasets, %,d alerts; baseline of %,d entities on"
                + " %,d hosts from %,d events%n", names.size(), alerts.size(), prevalence.size(), prevalence.hosts(),
                baseline.events());
        progress.printf(Locale.ROOT, "correlation-quality: OTRF: %,d remote entries (logons, connections) in the"
                + " events%n", entries.size());
        return evaluate("OTRF replay (" + names.size() + " datasets, one incident each)", alerts, names, prevalence,
                baseline.events(), stages, notes, entries);
    }

    /** An alert and the index of its true incident. */
    record Labelled(Alert alert, long truth) {}

    /** Takes a dataset's events (their renamed, injected entity keys) and its alerts, as the store would. */
    private static final class Capture implements EventSink, AlertSink {
        final Renamer renamer;
        final List<Set<EntityKey>> eventKeys = new ArrayList<>();
        final List<EntityKey[]> owned = new ArrayList<>();
        /** The remote entries the events show, as recorded (not renamed, not moved). */
        final List<RemoteEntry> entries = new ArrayList<>();
        final Map<UUID, Alert> alerts = new LinkedHashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        boolean windows;

        Capture(Renamer renamer) {
            this.renamer = renamer;
        }

        @Override
        public Result append(Batch batch) {
            for (Event event : batch.events()) {
                windows |= DetectionQuality.windowsTable(event.table());
                first = Math.min(first, event.timeMicros());
                last = Math.max(last, event.timeMicros());
                List<Alert.Entity> entities = renamer.entities(Alert.entitiesOf(event), event.id().toString());
                Set<EntityKey> keys = new LinkedHashSet<>();
                for (Alert.Entity entity : entities) {
                    EntityKey.of(entity).ifPresent(keys::add);
                }
                eventKeys.add(keys);
                RemoteEntry.of(event).ifPresent(entries::add);
                Prevalence.ownership(event).ifPresent(pair -> {
                    List<Alert.Entity> renamed = renamer.entities(List.of(new Alert.Entity("host", pair.getKey()),
                            new Alert.Entity("src_ip", pair.getValue())), event.id().toString());
                    Optional<EntityKey> host = renamed.stream().filter(e -> e.kind().equals("host")).findFirst()
                            .flatMap(EntityKey::of);
                    Optional<EntityKey> address = renamed.stream().filter(e -> e.kind().equals("src_ip")).findFirst()
                            .flatMap(EntityKey::of);
                    if (host.isPresent() && address.isPresent() && host.get().kind() == EntityKey.Kind.HOST) {
                        owned.add(new EntityKey[] {address.get(), host.get()});
                    }
                });
            }
            return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
        }

        @Override
        public void commit() {}

        @Override
        public int appendAlerts(List<Alert> list) {
            int added = 0;
            for (Alert alert : list) {
                if (alerts.putIfAbsent(alert.id(), alert) == null) {
                    added++;
                }
            }
            return added;
        }
    }

    /**
     * Gives one dataset machines of its own: hosts, private addresses, accounts and process GUIDs renamed; well-known
     * accounts kept; shared infrastructure injected into a share of its records, decided per record by its id.
     */
    static final class Renamer {
        /** Accounts every Windows estate has under the same name. */
        private static final Pattern WELL_KNOWN = Pattern.compile("system|local ?system|local ?service"
                + "|network ?service|anonymous logon|anonymous|administrator|administrateur|guest|defaultaccount"
                + "|wdagutilityaccount|krbtgt|dwm-\\d+|umfd-\\d+|-|n/a|s-1-5-\\d{1,2}|s-1-5-32-\\d+|s-1-0-0|"
                + "trustedinstaller|window manager|font driver host|nt authority|nt service|iusr");
        /** The organization's own names: a single label (an Active Directory domain), or a private suffix. */
        private static final Pattern INTERNAL_DOMAIN = Pattern.compile("[^.]+\\.?|.*\\.(local|lan|internal|corp"
                + "|localdomain|home\\.arpa)\\.?");
        static final String PROXY = "10.250.0.10";
        static final String DNS = "10.250.0.53";
        static final String DC_NAME = "corp-dc01.corp.example";
        static final String DC_ADDRESS = "10.250.0.5";
        static final String SCANNER = "10.250.0.99";
        static final String ADMIN = "CORP\\it-admin";

        private final int number;
        private final long seed;
        private final String tag;
        private final Map<String, String> addresses = new HashMap<>();

        Renamer(int number, long seed) {
            this.number = number;
            this.seed = seed;
            this.tag = String.format(Locale.ROOT, "o%02d", number);
        }

        /** The alert as the dataset's own organization raised it, moved in time and with infrastructure added. */
        Alert alert(Alert alert, long offset) {
            UUID id = UUID.nameUUIDFromBytes((tag + alert.id()).getBytes(StandardCharsets.UTF_8));
            return new Alert(id, alert.tenant(), alert.source(), alert.ruleId(), alert.title(), alert.level(),
                    alert.status(), alert.timeMicros() + offset, alert.techniques(), alert.matchedFields(),
                    entities(alert.entities(), alert.id().toString()), alert.eventIds(), alert.table(),
                    alert.incidentRef());
        }

        /** A remote entry of the dataset, on its own machines and moved in time as its alerts are. */
        RemoteEntry entry(RemoteEntry entry, long offset) {
            return new RemoteEntry(entry.timeMicros() + offset, renamed(entry.target()), renamed(entry.source()),
                    entry.account().map(this::renamed), entry.evidence(), entry.eventId());
        }

        private EntityKey renamed(EntityKey key) {
            String kind = switch (key.kind()) {
                case HOST -> "host";
                case USER -> "user";
                case IP -> "ip";
                default -> throw new IllegalArgumentException("a remote entry names no " + key.kind().label());
            };
            return EntityKey.of(new Alert.Entity(kind, rename(kind, key.value()))).orElse(key);
        }

        /** Renamed entities, plus the infrastructure this record (by its id) names. */
        List<Alert.Entity> entities(List<Alert.Entity> entities, String recordId) {
            List<Alert.Entity> out = new ArrayList<>(entities.size() + 2);
            for (Alert.Entity entity : entities) {
                out.add(new Alert.Entity(entity.kind(), rename(entity.kind(), entity.value())));
            }
            SplittableRandom r = new SplittableRandom(seed ^ recordId.hashCode() * 0x9E3779B97F4A7C15L);
            if (r.nextDouble() < 0.20) {
                out.add(new Alert.Entity("dst_ip", PROXY));
            }
            if (r.nextDouble() < 0.10) {
                out.add(new Alert.Entity("dst_ip", DNS));
            }
            if (r.nextDouble() < 0.10) {
                out.add(new Alert.Entity("dst_ip", DC_ADDRESS));
            }
            if (r.nextDouble() < 0.05) {
                out.add(new Alert.Entity("host", DC_NAME));
            }
            if (r.nextDouble() < 0.02) {
                out.add(new Alert.Entity("src_ip", SCANNER));
            }
            if (r.nextDouble() < 0.05) {
                out.add(new Alert.Entity("user", ADMIN));
            }
            return out;
        }

        String rename(String kind, String value) {
            return switch (kind) {
                case "host" -> host(value);
                case "user" -> user(value);
                case "src_ip", "dst_ip", "ip" -> address(value);
                case "domain" -> INTERNAL_DOMAIN.matcher(value.toLowerCase(Locale.ROOT)).matches()
                        ? tag + "-" + value : value;
                case Alert.PROCESS_GUID -> "{" + UUID.nameUUIDFromBytes((tag + value).getBytes(
                        StandardCharsets.UTF_8)) + "}";
                default -> value;
            };
        }

        private String host(String value) {
            String name = value.strip();
            java.util.Optional<EntityKey> key = EntityKey.of(new Alert.Entity("host", name));
            if (key.isEmpty()) {
                return name;
            }
            if (key.get().kind() == EntityKey.Kind.IP) {
                return address(name);
            }
            int dot = name.indexOf('.');
            String label = (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
            return tag + "-" + label + (dot > 0 ? "." + tag + ".example" : "");
        }

        private String user(String value) {
            String name = value.strip();
            String domain = "";
            int slash = name.lastIndexOf('\\');
            if (slash >= 0) {
                domain = name.substring(0, slash);
                name = name.substring(slash + 1);
            }
            String suffix = "";
            int at = name.indexOf('@');
            if (at > 0) {
                suffix = name.substring(at);
                name = name.substring(0, at);
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (WELL_KNOWN.matcher(lower).matches() || name.isEmpty()) {
                return value;
            }
            String renamed = lower.endsWith("$") ? host(name.substring(0, name.length() - 1)) + "$"
                    : lower.startsWith("s-1-5-21-") ? lower + "-" + tag
                    : lower + "." + tag;
            String newDomain = domain.isEmpty() || domain.equalsIgnoreCase("nt authority") ? domain
                    : tag.toUpperCase(Locale.ROOT);
            return (newDomain.isEmpty() ? "" : newDomain + "\\") + renamed + (suffix.isEmpty() ? "" : "@" + tag
                    + ".example");
        }

        /** Private, shared and link-local addresses get a place in the dataset's own range; public ones stay. */
        private String address(String value) {
            return EntityKey.of(new Alert.Entity("ip", value)).filter(k -> !k.isExternalAddress())
                    .map(k -> addresses.computeIfAbsent(k.value(), v -> {
                        int n = addresses.size() + 1;
                        return "10." + (100 + number) + "." + (n / 250) + "." + (n % 250 + 1);
                    })).orElse(value);
        }
    }

    // --- Generated scenario -----------------------------------------------------------------------------------------

    private Evaluation generated(IncidentScenario.Shape shape, TacticStages stages) {
        RemoteEntryIndex entries = new RemoteEntryIndex();
        IncidentScenario scenario = new IncidentScenario(shape, entries::observe);
        Prevalence baseline = scenario.baseline();
        int days = days(shape);
        List<Labelled> alerts = new ArrayList<>();
        int attackAlerts = 0;
        Set<Long> attacks = new HashSet<>();
        for (IncidentScenario.Labelled l : generatedAlerts(scenario, shape)) {
            alerts.add(new Labelled(l.alert(), l.truth()));
            if (l.attack()) {
                attackAlerts++;
                attacks.add(l.truth());
            }
        }
        progress.printf(Locale.ROOT, "correlation-quality: generated: %,d alerts, %,d of them in %d attacks;"
                + " baseline of %,d entities on %,d hosts; %,d remote entries in the events%n", alerts.size(),
                attackAlerts, attacks.size(), baseline.size(), baseline.hosts(), entries.size());
        List<String> names = new ArrayList<>();
        List<String> notes = List.of(sharedHosts(alerts, attacks) + " of the " + attacks.size() + " attacks"
                + " raise alerts on a host within three hours of another attack's alert on it");
        return evaluate(String.format(Locale.ROOT, "generated (%,d hosts, %,d users, %d days, %d attacks, %,d"
                + " alerts of which %,d benign)", shape.hosts(), shape.users(), days,
                attacks.size(), alerts.size(), alerts.size() - attackAlerts), alerts, names, baseline, 0, stages,
                notes, entries);
    }

    /** As many attacks in all as the standard shape has: a quieter organization is watched for longer. */
    private int days(IncidentScenario.Shape shape) {
        return (int) Math.ceil(options.generatedDays() * (double) IncidentScenario.Shape.standard(0).attacksPerDay()
                / Math.max(1, shape.attacksPerDay()));
    }

    /** All the scenario's alerts over the shape's days, and those of attacks that outlast them. */
    private List<IncidentScenario.Labelled> generatedAlerts(IncidentScenario scenario, IncidentScenario.Shape shape) {
        List<IncidentScenario.Labelled> alerts = new ArrayList<>();
        for (int day = 0; day < days(shape); day++) {
            alerts.addAll(scenario.nextDay());
        }
        alerts.addAll(scenario.rest());
        return alerts;
    }

    /** Attacks that touch a host within three hours of another attack touching it: ambiguity no rule can resolve. */
    private static long sharedHosts(List<Labelled> alerts, Set<Long> attacks) {
        Map<EntityKey, List<Labelled>> byHost = new HashMap<>();
        for (Labelled l : alerts) {
            if (attacks.contains(l.truth())) {
                for (Alert.Entity entity : l.alert().entities()) {
                    EntityKey.of(entity).filter(k -> k.kind() == EntityKey.Kind.HOST)
                            .ifPresent(k -> byHost.computeIfAbsent(k, h -> new ArrayList<>()).add(l));
                }
            }
        }
        long window = CorrelationPolicy.defaults().joinWindow().toNanos() / 1000;
        Set<Long> sharing = new HashSet<>();
        for (List<Labelled> list : byHost.values()) {
            for (Labelled a : list) {
                for (Labelled b : list) {
                    if (a.truth() != b.truth()
                            && Math.abs(a.alert().timeMicros() - b.alert().timeMicros()) <= window) {
                        sharing.add(a.truth());
                    }
                }
            }
        }
        return sharing.size();
    }

    // --- Scoring ----------------------------------------------------------------------------------------------------

    private Evaluation evaluate(String name, List<Labelled> alerts, List<String> names, Prevalence baseline,
            long baselineEvents, TacticStages stages, List<String> notes, RemoteEntries entries) {
        List<Labelled> ordered = new ArrayList<>(alerts);
        ordered.sort(Comparator.comparingLong((Labelled l) -> l.alert().timeMicros()).thenComparing(
                l -> l.alert().id()));
        Run with = correlate(ordered, baseline, stages, names, policy(), entries);
        Run without = correlate(ordered, Prevalence.none(), stages, names, policy(), entries);
        progress.printf(Locale.ROOT, "correlation-quality: %s: with baseline P %.3f R %.3f F1 %.3f; without P %.3f"
                + " R %.3f F1 %.3f%n", name, with.score.precision(), with.score.recall(), with.score.f1(),
                without.score.precision(), without.score.recall(), without.score.f1());
        progress.flush();
        return new Evaluation(name, with.score, without.score, baseline.size(), baseline.hosts(), baselineEvents,
                with.mixed, with.glue, with.splits, notes);
    }

    record Run(Score score, List<Mixed> mixed, List<Glue> glue, List<Split> splits) {}

    /** The default policy, without the source look-up when the options turn it off. */
    private CorrelationPolicy policy() {
        CorrelationPolicy policy = CorrelationPolicy.defaults();
        return options.sourceLookup() ? policy : policy.withWeights(policy.weights().withEntryWeight(0));
    }

    /**
     * Correlates the alerts in order and scores the incidents formed, with what crossed and what split.
     *
     * @param entries the remote entries the events show, for the sources of lateral-movement alerts that name none
     */
    static Run correlate(List<Labelled> ordered, Prevalence baseline, TacticStages stages, List<String> names,
            CorrelationPolicy policy, RemoteEntries entries) {
        Correlator correlator = new Correlator(policy, stages, baseline, entries, 1);
        Map<UUID, Long> truthOf = new HashMap<>();
        long[] incidents = new long[ordered.size()];
        Map<EntityKey, GlueTally> glue = new HashMap<>();
        Map<String, SplitTally> splits = new TreeMap<>();
        Map<Long, Map<EntityKey, Long>> seen = new HashMap<>(); // per true incident: entity -> last time
        for (int i = 0; i < ordered.size(); i++) {
            Labelled labelled = ordered.get(i);
            Alert alert = labelled.alert();
            Assignment assignment = correlator.add(alert);
            incidents[i] = assignment.incident();
            truthOf.put(alert.id(), labelled.truth());
            crossing(assignment.reason(), labelled.truth(), truthOf, glue, names);
            for (Assignment.Merge merge : assignment.merged()) {
                crossing(merge.reason(), labelled.truth(), truthOf, glue, names);
            }
            Map<EntityKey, Long> earlier = seen.computeIfAbsent(labelled.truth(), t -> new HashMap<>());
            if (assignment.opened() && !earlier.isEmpty()) {
                String cause = splitCause(alert, earlier, correlator);
                splits.computeIfAbsent(cause, c -> new SplitTally()).add(label(labelled.truth(), names));
            }
            for (Alert.Entity entity : alert.entities()) {
                EntityKey.of(entity).ifPresent(key -> earlier.put(key, alert.timeMicros()));
            }
        }
        Map<Long, Long> truthSizes = new HashMap<>();
        Map<Long, Long> formedSizes = new HashMap<>();
        Map<List<Long>, Long> cells = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            long truth = ordered.get(i).truth();
            long formed = correlator.find(incidents[i]);
            truthSizes.merge(truth, 1L, Long::sum);
            formedSizes.merge(formed, 1L, Long::sum);
            cells.merge(List.of(truth, formed), 1L, Long::sum);
        }
        Score score = new Score(ordered.size(), truthSizes.size(), formedSizes.size(), pairs(truthSizes.values()),
                pairs(formedSizes.values()), pairs(cells.values()));
        List<Glue> glues = glue.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<EntityKey, GlueTally> e) -> e.getValue().joins)
                        .reversed().thenComparing(Map.Entry::getKey))
                .limit(TOP)
                .map(e -> new Glue(e.getKey().toString(), e.getValue().joins, correlator.isCommon(e.getKey()),
                        e.getValue().between.stream().limit(4).toList()))
                .toList();
        List<Split> splitList = splits.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, SplitTally> e) -> e.getValue().alerts).reversed())
                .map(e -> new Split(e.getKey(), e.getValue().alerts, e.getValue().topIncidents()))
                .toList();
        Map<Long, Map<Long, Long>> byFormed = new HashMap<>();
        cells.forEach((cell, count) -> byFormed.computeIfAbsent(cell.get(1), f -> new HashMap<>())
                .put(cell.get(0), count));
        List<Mixed> mixed = byFormed.values().stream().filter(parts -> parts.size() > 1).map(parts -> {
            long size = parts.values().stream().mapToLong(Long::longValue).sum();
            long falsePairs = size * (size - 1) / 2 - pairs(parts.values());
            List<String> makeUp = parts.entrySet().stream().sorted(Map.Entry.<Long, Long>comparingByValue()
                    .reversed().thenComparing(Map.Entry.comparingByKey())).limit(6)
                    .map(e -> label(e.getKey(), names) + " " + e.getValue()).toList();
            return new Mixed(falsePairs, makeUp);
        }).sorted(Comparator.comparingLong(Mixed::falsePairs).reversed()).limit(TOP).toList();
        return new Run(score, mixed, glues, splitList);
    }

    /** A span of time in hours, for progress lines. */
    private static String span(long micros) {
        return String.format(Locale.ROOT, "%.1f h", micros / 3.6e9);
    }

    private static long pairs(Iterable<Long> sizes) {
        long pairs = 0;
        for (long n : sizes) {
            pairs += n * (n - 1) / 2;
        }
        return pairs;
    }

    private static void crossing(JoinReason reason, long truth, Map<UUID, Long> truthOf, Map<EntityKey, GlueTally> glue,
            List<String> names) {
        if (reason.otherAlert() == null) {
            return;
        }
        long other = truthOf.get(reason.otherAlert());
        if (other != truth) {
            GlueTally tally = glue.computeIfAbsent(reason.entity(), k -> new GlueTally());
            tally.joins++;
            String pair = label(Math.min(truth, other), names) + " + " + label(Math.max(truth, other), names);
            tally.between.add(pair);
        }
    }

    private static String label(long truth, List<String> names) {
        return truth < names.size() ? names.get((int) truth) : "incident " + truth;
    }

    /** Why an alert opened an incident although its true incident had alerts before it. */
    private static String splitCause(Alert alert, Map<EntityKey, Long> earlier, Correlator correlator) {
        List<EntityKey> shared = new ArrayList<>();
        for (Alert.Entity entity : alert.entities()) {
            EntityKey.of(entity).filter(earlier::containsKey).filter(k -> !shared.contains(k)).ifPresent(shared::add);
        }
        if (shared.isEmpty()) {
            return "shares no entity with its incident's earlier alerts";
        }
        List<EntityKey> rare = shared.stream().filter(k -> !correlator.isCommon(k)).toList();
        if (rare.isEmpty()) {
            return "shares only common entities (" + shared.stream().map(k -> k.kind().label()).distinct().sorted()
                    .reduce((a, b) -> a + ", " + b).orElse("") + ")";
        }
        long nearest = rare.stream().mapToLong(k -> alert.timeMicros() - earlier.get(k)).min().orElse(0);
        long window = CorrelationPolicy.defaults().joinWindow().toNanos() / 1000;
        if (nearest > window) {
            return "shares a rare entity, but beyond the join window, with no later tactic";
        }
        return "shares a rare entity within the window, but too little evidence (a host alone, faded), or with a"
                + " closed or forgotten incident";
    }

    private static final class GlueTally {
        long joins;
        final Set<String> between = new LinkedHashSet<>();
    }

    private static final class SplitTally {
        long alerts;
        final Map<String, Long> byIncident = new HashMap<>();

        void add(String incident) {
            alerts++;
            byIncident.merge(incident, 1L, Long::sum);
        }

        List<String> topIncidents() {
            return byIncident.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey())).limit(4)
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        }
    }

    // --- Output -----------------------------------------------------------------------------------------------------

    /** The report in Markdown. */
    public static String markdown(Report report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Correlation quality, %s, seed %d, policy %s%n%n", report.date(),
                report.seed(), report.policy()));
        out.append("| evaluation | baseline | alerts | true incidents | formed incidents | precision | recall | F1 |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Evaluation e : evaluations(report)) {
            row(out, e.name(), "events (" + String.format(Locale.ROOT, "%,d entities", e.baselineEntities()) + ")",
                    e.withBaseline());
            row(out, e.name(), "none (learned from alerts)", e.withoutBaseline());
        }
        for (Evaluation e : evaluations(report)) {
            out.append(String.format(Locale.ROOT, "%n%s, with the baseline:%n%n", e.name()));
            if (!e.mixed().isEmpty()) {
                out.append("| formed incident mixing true ones: false pairs | make-up (alerts) |\n|---:|---|\n");
                for (Mixed m : e.mixed()) {
                    out.append(String.format(Locale.ROOT, "| %,d | %s |%n", m.falsePairs(),
                            String.join("; ", m.parts())));
                }
                out.append('\n');
            }
            if (e.glue().isEmpty()) {
                out.append("No join crossed true incidents.\n");
            } else {
                out.append("| entity behind joins across true incidents | joins | common at the end | between |\n");
                out.append("|---|---:|---|---|\n");
                for (Glue g : e.glue()) {
                    out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s |%n", g.entity(), g.joins(),
                            g.commonAtEnd() ? "yes" : "no", String.join("; ", g.between())));
                }
            }
            if (e.splits().isEmpty()) {
                out.append("\nNo true incident was split.\n");
            } else {
                out.append("\n| why an alert opened a new incident though its true incident had begun | alerts |"
                        + " most affected |\n|---|---:|---|\n");
                for (Split s : e.splits()) {
                    out.append(String.format(Locale.ROOT, "| %s | %,d | %s |%n", s.cause(), s.alerts(),
                            String.join("; ", s.examples())));
                }
            }
            for (String note : e.notes()) {
                out.append("\nNote: ").append(note).append('\n');
            }
        }
        return out.toString();
    }

    private static List<Evaluation> evaluations(Report report) {
        return report.evaluations();
    }

    private static void row(StringBuilder out, String name, String baseline, Score s) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %.3f | %.3f | **%.3f** |%n", name,
                baseline, s.alerts(), s.trueIncidents(), s.formedIncidents(), s.precision(), s.recall(), s.f1()));
    }

    /** The report as JSON-ready maps. */
    public static Map<String, Object> json(Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("date", report.date());
        body.put("seed", report.seed());
        body.put("policy", report.policy());
        for (Evaluation e : evaluations(report)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", e.name());
            entry.put("with_baseline", score(e.withBaseline()));
            entry.put("without_baseline", score(e.withoutBaseline()));
            entry.put("baseline_entities", e.baselineEntities());
            entry.put("baseline_hosts", e.baselineHosts());
            entry.put("mixed", e.mixed());
            entry.put("glue", e.glue());
            entry.put("splits", e.splits());
            entry.put("notes", e.notes());
            body.computeIfAbsent("evaluations", k -> new ArrayList<Object>());
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) body.get("evaluations");
            list.add(entry);
        }
        return body;
    }

    private static Map<String, Object> score(Score s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", s.alerts());
        out.put("true_incidents", s.trueIncidents());
        out.put("formed_incidents", s.formedIncidents());
        out.put("true_pairs", s.truePairs());
        out.put("formed_pairs", s.formedPairs());
        out.put("agreeing_pairs", s.agreeingPairs());
        out.put("precision", Math.round(s.precision() * 10000) / 10000.0);
        out.put("recall", Math.round(s.recall() * 10000) / 10000.0);
        out.put("f1", Math.round(s.f1() * 10000) / 10000.0);
        return out;
    }

    /** The ATT&CK bundle of the shared data. */
    public static Path defaultAttack() {
        return DetectionQuality.defaultDatasets().resolveSibling("mitre-attack").resolve("enterprise-attack.json");
    }

    /** "7" or "1-10": the first and last seed. */
    public static long[] seedRange(String text) {
        java.util.regex.Matcher m = Pattern.compile("(\\d+)(?:-(\\d+))?").matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("seeds are a number or a range such as 1-10, not '" + text + "'");
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
        if (last < first) {
            throw new IllegalArgumentException("the seed range " + text + " ends before it starts; write " + last
                    + "-" + first);
        }
        return new long[] {first, last};
    }

    /** {@code java -cp ... dev.vigil.bench.CorrelationQuality [--json] [--no-otrf] [--seed N]}. */
    public static void main(String[] args) throws Exception {
        boolean asJson = false;
        boolean otrf = true;
        long seed = 42;
        String seeds = null;
        boolean lookup = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> asJson = true;
                case "--no-otrf" -> otrf = false;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--seeds" -> seeds = args[++i];
                case "--no-source-lookup" -> lookup = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use [--json] [--no-otrf] [--seed N] [--seeds FIRST-LAST] [--no-source-lookup]");
            }
        }
        if (seeds != null) {
            long[] range = seedRange(seeds);
            List<SeedScores> scores = new CorrelationQuality(new Options(null, List.of(), defaultAttack(), seed, 2,
                    lookup),
                    new PrintWriter(System.err, true)).seeds(range[0], range[1]);
            System.out.print(asJson ? tools.jackson.databind.json.JsonMapper.builder()
                    .enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(seedsJson(scores)) + System.lineSeparator() : seedsMarkdown(scores));
            return;
        }
        Report report = new CorrelationQuality(new Options(otrf ? DetectionQuality.defaultDatasets() : null,
                SigmaBenchmark.defaultRules(), defaultAttack(), seed, 2, lookup), new PrintWriter(System.err, true))
                .run();
        PrintWriter out = new PrintWriter(System.out, true);
        out.print(asJson ? tools.jackson.databind.json.JsonMapper.builder()
                .enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).build()
                .writeValueAsString(json(report)) + System.lineSeparator() : markdown(report));
        out.flush();
    }
}
