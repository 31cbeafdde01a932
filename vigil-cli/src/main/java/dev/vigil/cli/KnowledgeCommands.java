package dev.vigil.cli;

import dev.vigil.store.TenantRules;
import dev.vigil.config.VigilConfig;
import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.AttackObject;
import dev.vigil.intel.attack.Detection;
import dev.vigil.intel.attack.Group;
import dev.vigil.intel.attack.Mitigation;
import dev.vigil.intel.attack.SearchHit;
import dev.vigil.intel.attack.Software;
import dev.vigil.intel.attack.Summary;
import dev.vigil.intel.attack.Technique;
import dev.vigil.intel.text.Extraction;
import dev.vigil.intel.text.Found;
import dev.vigil.intel.text.TechniqueNames;
import dev.vigil.intel.text.TextIndicators;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.CompiledRule;
import dev.vigil.store.Knowledge;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The ATT&amp;CK knowledge behind {@code vigil intel}: where the imported bundle is kept, and the commands that explain
 * a technique, profile a threat actor, search the knowledge and pull indicators out of a report. Each answer puts
 * ATT&amp;CK's side (what it is, who uses it, how to mitigate) next to this tenant's side (which enabled rules detect
 * it, what fired here), so the analyst sees both the threat and the coverage.
 */
final class KnowledgeCommands {

    private KnowledgeCommands() {}

    /** Where the ATT&CK bundle lives: knowledge is public and shared by the tenants of a data directory. */
    static Path attackFile(VigilConfig config) {
        return Knowledge.attackFile(config.dataDirectory());
    }

    /** Reads the bundle (so that a broken one is refused before it replaces a good one) and keeps a copy. */
    static Summary importAttack(VigilConfig config, Path file) {
        AttackKnowledge knowledge = AttackBundle.read(file);
        Path target = attackFile(config);
        try {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling("attack.json.tmp");
            Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot keep the ATT&CK bundle in " + target + ": "
                    + e.getMessage(), e);
        }
        return knowledge.summary();
    }

    static AttackKnowledge load(VigilConfig config) {
        Path file = attackFile(config);
        if (!Files.exists(file)) {
            throw new VigilException(ErrorCode.TABLE_NOT_FOUND, "no ATT&CK knowledge in " + config.dataDirectory(),
                    "Import MITRE's bundle first: vigil intel import enterprise-attack.json (from"
                            + " github.com/mitre-attack/attack-stix-data)", null);
        }
        return Knowledge.cached(file, AttackBundle::read);
    }

    static Optional<AttackKnowledge> loadIfPresent(VigilConfig config) {
        return Knowledge.attackIfPresent(config.dataDirectory());
    }

    /** This tenant's side of a set of techniques: enabled rules that detect them, and alerts that fired. */
    record Coverage(Map<String, List<String>> rulesByTechnique, Map<String, Long> alertsByTechnique) {
        static Coverage none() {
            return new Coverage(Map.of(), Map.of());
        }

        /** Rules for the technique or any of its sub-techniques. */
        List<String> rules(String technique) {
            List<String> out = new ArrayList<>();
            rulesByTechnique.forEach((t, rules) -> {
                if (t.equals(technique) || t.startsWith(technique + ".")) {
                    out.addAll(rules);
                }
            });
            return out.stream().distinct().toList();
        }

        long alerts(String technique) {
            return alertsByTechnique.entrySet().stream()
                    .filter(e -> e.getKey().equals(technique) || e.getKey().startsWith(technique + "."))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    static Coverage coverage(VigilConfig config) {
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            return Coverage.none();
        }
        Map<String, List<String>> rules = new TreeMap<>();
        Map<String, Long> alerts = new TreeMap<>();
        try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_WRITE)) {
            TenantRules loaded = TenantRules.load(store, config.placeholders());
            if (!loaded.isEmpty()) {
                for (CompiledRule rule : loaded.rules().rules()) {
                    for (String t : rule.rule().meta().techniques()) {
                        rules.computeIfAbsent(t, k -> new ArrayList<>()).add(rule.rule().meta().title());
                    }
                }
            }
            QueryResult fired = store.query("SELECT t, count(*) FROM (SELECT unnest(techniques) AS t FROM"
                    + " vigil_alerts) GROUP BY t", 10_000);
            for (List<Object> row : fired.rows()) {
                alerts.put(String.valueOf(row.get(0)), ((Number) row.get(1)).longValue());
            }
        }
        return new Coverage(rules, alerts);
    }

    /** {@code vigil intel technique ID|NAME}. */
    @Command(name = "technique", mixinStandardHelpOptions = true,
            description = "Explain an ATT&CK technique: what it is, its tactics, how to detect and mitigate it, and"
                    + " which of this tenant's rules detect it and whether they fired.",
            footer = {"", "Examples:", "  vigil intel technique T1003.001", "  vigil intel technique 'LSASS Memory' --json"})
    static final class TechniqueCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "ID|NAME", description = "A technique id (T1003.001) or name.")
        List<String> query;

        @Option(names = "--json", description = "Print the explanation as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            AttackKnowledge attack = load(config);
            String text = String.join(" ", query);
            Technique t = attack.technique(text).orElseThrow(() -> notFound("technique", text, attack));
            Coverage ours = coverage(config);
            List<Mitigation> mitigations = attack.mitigationsOf(t.id());
            List<String> rules = ours.rules(t.id());
            Optional<Detection> detection = attack.detectionOf(t.id());
            List<Group> groups = attack.groupsUsing(t.id());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", t.id());
                body.put("name", t.name());
                body.put("tactics", t.tactics().stream().map(Technique.TacticRef::name).toList());
                body.put("platforms", t.platforms());
                body.put("description", AttackKnowledge.plainText(t.description()));
                body.put("url", t.url());
                body.put("subtechniques", attack.subtechniquesOf(t.id()).stream().map(AttackObject::id).toList());
                body.put("mitigations", mitigations.stream().map(m -> Map.of("id", m.id(), "name", m.name())).toList());
                body.put("groups_using", groups.stream().map(g -> Map.of("id", g.id(), "name", g.name())).toList());
                body.put("detection", detection.map(d -> AttackKnowledge.plainText(d.text())).orElse(""));
                body.put("our_rules", rules);
                body.put("our_alerts", ours.alerts(t.id()));
                out.println(Output.json(body));
                return 0;
            }
            out.println(t.id() + " " + t.name() + "  (" + String.join(", ",
                    t.tactics().stream().map(Technique.TacticRef::name).toList()) + ")");
            out.println(t.url());
            out.println();
            out.println(wrap(firstParagraph(AttackKnowledge.plainText(t.description())), 100));
            out.println();
            out.println("Detected here by: " + (rules.isEmpty() ? "no enabled rule of tenant '" + config.tenant()
                    + "' is tagged with it (import rules with 'vigil rules import')" : rules.size() + " rule(s): "
                    + String.join("; ", rules.stream().limit(8).toList()) + (rules.size() > 8 ? " ..." : "")));
            out.println("Fired here: " + Output.count(ours.alerts(t.id())) + " alert(s)");
            detection.filter(d -> !d.isEmpty()).ifPresent(d -> {
                out.println();
                out.println("How to detect it (ATT&CK):");
                out.println(wrap(firstParagraph(AttackKnowledge.plainText(d.text())), 100));
            });
            out.println();
            out.println("Mitigations: " + (mitigations.isEmpty() ? "none listed by ATT&CK" : String.join("; ",
                    mitigations.stream().map(m -> m.id() + " " + m.name()).toList())));
            out.println("Groups known to use it: " + groups.size() + (groups.isEmpty() ? "" : " (" + String.join(", ",
                    groups.stream().limit(10).map(Group::name).toList()) + (groups.size() > 10 ? ", ..." : "") + ")"));
            return 0;
        }
    }

    /** {@code vigil intel actor NAME}. */
    @Command(name = "actor", mixinStandardHelpOptions = true,
            description = "Profile a threat actor (an ATT&CK group, by id, name or alias): who it is, the techniques"
                    + " and software it uses, the mitigations that cover them, and this tenant's coverage: which of"
                    + " its techniques enabled rules detect and which fired here.",
            footer = {"", "Examples:", "  vigil intel actor APT29", "  vigil intel actor 'Cozy Bear' --json"})
    static final class ActorCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "A group id (G0016), name or alias.")
        List<String> query;

        @Option(names = "--json", description = "Print the profile as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            AttackKnowledge attack = load(config);
            String text = String.join(" ", query);
            Group g = attack.group(text).orElseThrow(() -> notFound("group", text, attack));
            Coverage ours = coverage(config);
            List<Technique> techniques = g.techniques().stream().map(attack::technique).flatMap(Optional::stream).toList();
            List<Software> software = g.software().stream().map(attack::software).flatMap(Optional::stream).toList();
            List<String> covered = new ArrayList<>();
            List<String> uncovered = new ArrayList<>();
            List<String> fired = new ArrayList<>();
            for (Technique t : techniques) {
                (ours.rules(t.id()).isEmpty() ? uncovered : covered).add(t.id());
                if (ours.alerts(t.id()) > 0) {
                    fired.add(t.id());
                }
            }
            var mitigations = attack.mitigationsCovering(g.techniques());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", g.id());
                body.put("name", g.name());
                body.put("aliases", g.aliases());
                body.put("description", AttackKnowledge.plainText(g.description()));
                body.put("url", g.url());
                body.put("techniques", techniques.stream().map(t -> Map.of("id", t.id(), "name", t.name())).toList());
                body.put("software", software.stream().map(s -> Map.of("id", s.id(), "name", s.name())).toList());
                body.put("mitigations", mitigations.stream().map(m -> Map.of("id", m.mitigation().id(), "name",
                        m.mitigation().name(), "techniques", m.techniques())).toList());
                body.put("techniques_detected_here", covered);
                body.put("techniques_not_detected_here", uncovered);
                body.put("techniques_fired_here", fired);
                body.put("software_in_inventory", "not known: Vigil has no software inventory yet");
                out.println(Output.json(body));
                return 0;
            }
            out.println(g.id() + " " + g.name() + (g.aliases().isEmpty() ? "" : "  (also: " + String.join(", ",
                    g.aliases().stream().filter(a -> !a.equals(g.name())).toList()) + ")"));
            out.println(g.url());
            out.println();
            out.println(wrap(firstParagraph(AttackKnowledge.plainText(g.description())), 100));
            out.println();
            out.printf(Locale.ROOT, "Uses %d techniques and %d software. Our side (tenant '%s'): %d of its techniques"
                    + " are detected by enabled rules, %d are not, %d fired here.%n", techniques.size(),
                    software.size(), config.tenant(), covered.size(), uncovered.size(), fired.size());
            List<List<Object>> rows = new ArrayList<>();
            // what fired and what we detect first: the analyst's first question is "are we seeing it?"
            List<Technique> ordered = techniques.stream().sorted(java.util.Comparator
                    .comparingLong((Technique t) -> -ours.alerts(t.id()))
                    .thenComparingInt(t -> -ours.rules(t.id()).size()).thenComparing(Technique::id)).toList();
            for (Technique t : ordered) {
                rows.add(List.of(t.id(), t.name(), ours.rules(t.id()).size(), ours.alerts(t.id())));
            }
            out.print(Output.table(List.of("technique", "name", "our rules", "alerts here"), rows));
            out.println();
            out.println("Software: " + String.join(", ", software.stream().map(Software::name).toList()));
            out.println("Software present in our inventory: not known (Vigil keeps no software inventory yet).");
            out.println("Mitigations that cover the most of its techniques: " + String.join("; ", mitigations.stream()
                    .limit(5).map(m -> m.mitigation().id() + " " + m.mitigation().name() + " (" + m.techniques().size()
                            + ")").toList()));
            return 0;
        }
    }

    /** {@code vigil intel search TEXT}. */
    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Search ATT&CK techniques, groups and software by words of their names, aliases and"
                    + " descriptions (ranked with BM25).",
            footer = {"", "Example:", "  vigil intel search dump credentials from lsass memory"})
    static final class SearchCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "WORDS", description = "What to look for.")
        List<String> words;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "Most results (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print the results as a JSON array.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            AttackKnowledge attack = load(config);
            List<SearchHit> hits = attack.search(String.join(" ", words), Math.max(1, limit));
            PrintWriter out = spec.commandLine().getOut();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SearchHit hit : hits) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", hit.object().id());
                row.put("kind", hit.object().getClass().getSimpleName().toLowerCase(Locale.ROOT));
                row.put("name", hit.object().name());
                row.put("score", Math.round(hit.score() * 100) / 100.0);
                rows.add(row);
            }
            if (json) {
                out.println(Output.json(rows));
            } else if (rows.isEmpty()) {
                out.println("Nothing in ATT&CK matches those words.");
            } else {
                out.print(Output.table(List.of("id", "kind", "name", "score"),
                        rows.stream().map(r -> (List<Object>) new ArrayList<Object>(r.values())).toList()));
            }
            return 0;
        }
    }

    /** {@code vigil intel extract FILE|-}. */
    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = "Pull the indicators (IPs, CIDRs, domains, URLs, hashes, e-mail addresses, also defanged),"
                    + " CVE ids and ATT&CK techniques (by id or by name, when the ATT&CK bundle is imported) out of a"
                    + " threat report or advisory.",
            footer = {"", "Examples:", "  vigil intel extract advisory.txt", "  pbpaste | vigil intel extract - --json"})
    static final class ExtractCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "A text file, or '-' for standard input.")
        String file;

        @Option(names = "--json", description = "Print what was found as a JSON object by kind.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            VigilConfig config = common.load();
            String text;
            if (file.equals("-")) {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } else {
                Path path = Path.of(file);
                if (!Files.isRegularFile(path)) {
                    throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no such file: " + file,
                            "Name the report's text file, or '-' to read it from standard input.", null);
                }
                if (Files.size(path) > 16L << 20) {
                    throw new VigilException(ErrorCode.LIMIT_EXCEEDED, file + " is larger than 16 MiB",
                            "Extract from the report's text, not from a whole archive.", null);
                }
                text = Files.readString(path, StandardCharsets.UTF_8);
            }
            Optional<AttackKnowledge> attack = loadIfPresent(config);
            TechniqueNames names = attack.map(a -> TechniqueNames.of(a.techniqueNames())).orElse(TechniqueNames.none());
            Extraction found = TextIndicators.extract(text, names);
            PrintWriter out = spec.commandLine().getOut();
            Map<String, List<String>> byKind = new LinkedHashMap<>();
            for (Found.Kind kind : Found.Kind.values()) {
                List<String> values = found.values(kind);
                if (!values.isEmpty()) {
                    byKind.put(kind.name().toLowerCase(Locale.ROOT), values);
                }
            }
            if (json) {
                out.println(Output.json(byKind));
                return 0;
            }
            if (byKind.isEmpty()) {
                out.println("No indicator, CVE or technique found.");
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Found f : found.all()) {
                rows.add(List.of(f.kind().name().toLowerCase(Locale.ROOT), f.value(),
                        f.original().equals(f.value()) ? "" : f.original()));
            }
            out.print(Output.table(List.of("kind", "value", "as written"), rows));
            if (attack.isEmpty()) {
                out.println("(techniques named in words are found once the ATT&CK bundle is imported:"
                        + " vigil intel import enterprise-attack.json)");
            }
            return 0;
        }
    }

    private static VigilException notFound(String kind, String query, AttackKnowledge attack) {
        List<SearchHit> hits = attack.search(query, 3);
        String suggestions = hits.isEmpty() ? "" : "; closest: " + String.join(", ",
                hits.stream().map(h -> h.object().id() + " " + h.object().name()).toList());
        return new VigilException(ErrorCode.TABLE_NOT_FOUND, "no ATT&CK " + kind + " '" + query + "'" + suggestions,
                "Use an id (T1003, G0016) or an exact name or alias; 'vigil intel search WORDS' finds them.", null);
    }

    private static String firstParagraph(String text) {
        int cut = text.indexOf("\n\n");
        return cut < 0 ? text : text.substring(0, cut);
    }

    private static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\n")) {
            int column = 0;
            for (String word : paragraph.split(" ")) {
                if (column > 0 && column + word.length() + 1 > width) {
                    out.append('\n');
                    column = 0;
                } else if (column > 0) {
                    out.append(' ');
                    column++;
                }
                out.append(word);
                column += word.length();
            }
            out.append('\n');
        }
        return out.toString().stripTrailing();
    }
}
