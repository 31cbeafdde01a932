package dev.vigil.copilot.runtime;

import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.plan.Lexicon;
import dev.vigil.copilot.plan.Reading;
import dev.vigil.copilot.skills.IncidentSkills;
import dev.vigil.copilot.skills.IntelSkills;
import dev.vigil.copilot.skills.PostureSkills;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.understand.Correction;
import dev.vigil.copilot.understand.Extraction;
import dev.vigil.copilot.understand.Extractor;
import dev.vigil.copilot.understand.KnowledgeNames;
import dev.vigil.copilot.understand.ValueDictionary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Assembles the embedded copilot over a tenant: the built-in skills, the prompt reader and the planner's facts. */
public final class Copilots {
    private Copilots() {}

    /**
     * The built-in skills over a workspace, then the skills of the plugins enabled for its tenant (a plugin skill
     * whose name a built-in skill has is left out).
     */
    public static List<Skill> builtInSkills(Workspace workspace) {
        List<Skill> skills = new ArrayList<>();
        skills.addAll(IncidentSkills.all(workspace));
        skills.addAll(IntelSkills.all(workspace));
        skills.addAll(PostureSkills.all(workspace));
        skills.add(new dev.vigil.copilot.skills.ScriptAnalysisSkill());
        skills.add(new dev.vigil.copilot.skills.SecurityReportSkill(workspace));
        Set<String> names = new java.util.HashSet<>();
        skills.forEach(s -> names.add(s.spec().name()));
        dev.vigil.copilot.plugins.PluginSkills.load(workspace).stream().filter(s -> names.add(s.spec().name()))
                .forEach(skills::add);
        return skills;
    }

    /**
     * The embedded copilot over a workspace.
     *
     * @param embedder the embedding model that ranks skills by meaning; empty for word overlap
     */
    public static Copilot embedded(Workspace workspace, Optional<Embedder> embedder) {
        List<Skill> skills = builtInSkills(workspace);
        TenantFacts facts = new TenantFacts(workspace);
        KnowledgeNames names = attackNames(workspace);
        return new Copilot(workspace, skills, lexicon -> {
            Extractor extractor = extractor(vocabulary(lexicon, skills), facts.values(), names);
            return (prompt, now, zone) -> reading(extractor.extract(prompt, now, zone));
        }, embedder, w -> facts);
    }

    /**
     * A tenant's language model for a copilot over a workspace: grounded on the tenant's stored values, its queries
     * compiled against the tenant's catalog, its hosts and users redacted as the policy says.
     */
    public static dev.vigil.copilot.model.ModelAssistant assistant(Copilot copilot, Workspace workspace,
            dev.vigil.copilot.model.LanguageModel model, dev.vigil.copilot.model.ModelConfig config) {
        TenantFacts facts = new TenantFacts(workspace);
        dev.vigil.store.HuntRunner hunts = new dev.vigil.store.HuntRunner(workspace.store());
        java.util.Map<dev.vigil.copilot.EntityType, List<String>> values = facts.values();
        return new dev.vigil.copilot.model.ModelAssistant(model, config,
                copilot.skills().values().stream().map(Skill::spec).toList(),
                (type, value) -> values.getOrDefault(type, List.of()).stream().anyMatch(v -> v.equalsIgnoreCase(value)),
                kql -> {
                    try {
                        hunts.compile(kql, java.util.Map.of());
                        return Optional.empty();
                    } catch (RuntimeException e) { // a compiler error, said as the analyst would read it
                        return Optional.of(String.valueOf(e.getMessage()));
                    }
                },
                values.getOrDefault(dev.vigil.copilot.EntityType.HOST, List.of()),
                values.getOrDefault(dev.vigil.copilot.EntityType.USER, List.of()));
    }

    /**
     * The extraction as the planner reads it: misspelt vocabulary words replaced by their correction ("incidnets"
     * reads as "incidents"), with the mentions' offsets moved to match. Corrections inside a mention (a linked host
     * name) stay as typed: the mention carries the stored value.
     */
    /** The same object, compared by identity: cached values stand for the store state they were read from. */
    private record Same(Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Same same && same.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }

    private record ExtractorKey(Set<String> vocabulary, Same values, Same names) {}

    /** Extractors index the tenant's values when built; a server builds a copilot per request, so they are kept. */
    private static final Map<ExtractorKey, Extractor> EXTRACTORS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ExtractorKey, Extractor> eldest) {
                    return size() > 16;
                }
            });

    private static Extractor extractor(Set<String> vocabulary,
            Map<dev.vigil.copilot.EntityType, List<String>> values, KnowledgeNames names) {
        return EXTRACTORS.computeIfAbsent(new ExtractorKey(vocabulary, new Same(values), new Same(names)),
                key -> new Extractor(vocabulary, ValueDictionary.of(values), names));
    }

    private record NamesKey(java.nio.file.Path bundle, java.nio.file.attribute.FileTime modified) {}

    /** The reader's ATT&CK names, once per process and bundle version. */
    private static final Map<NamesKey, KnowledgeNames> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The ATT&CK names the reader finds in prompts. Parsing the bundle takes about a second, so the names are kept in
     * {@code attack-names.json} beside it and read from there while the bundle is unchanged; a data directory that
     * cannot be written to just parses the bundle each time.
     */
    static KnowledgeNames attackNames(Workspace workspace) {
        java.nio.file.Path bundle = dev.vigil.store.Knowledge.attackFile(workspace.config().dataDirectory());
        if (!java.nio.file.Files.exists(bundle)) {
            return KnowledgeNames.none();
        }
        try {
            NamesKey key = new NamesKey(bundle.toAbsolutePath().normalize(),
                    java.nio.file.Files.getLastModifiedTime(bundle));
            return NAMES.computeIfAbsent(key, k -> readAttackNames(workspace, bundle));
        } catch (java.io.IOException e) {
            return readAttackNames(workspace, bundle);
        }
    }

    static KnowledgeNames readAttackNames(Workspace workspace, java.nio.file.Path bundle) {
        java.nio.file.Path cache = bundle.resolveSibling("attack-names.json");
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        try {
            if (java.nio.file.Files.exists(cache) && java.nio.file.Files.getLastModifiedTime(cache)
                    .compareTo(java.nio.file.Files.getLastModifiedTime(bundle)) >= 0) {
                java.util.Map<String, java.util.Map<String, String>> stored = json.readValue(cache.toFile(),
                        new tools.jackson.core.type.TypeReference<java.util.Map<String, java.util.Map<String, String>>>() {});
                java.util.Map<dev.vigil.copilot.EntityType, java.util.Map<String, String>> byType =
                        new java.util.EnumMap<>(dev.vigil.copilot.EntityType.class);
                stored.forEach((type, names) -> byType.put(dev.vigil.copilot.EntityType.valueOf(type), names));
                return KnowledgeNames.of(byType);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // an unreadable cache is parsed again from the bundle below
        }
        KnowledgeNames names = workspace.attack().map(KnowledgeNames::of).orElse(KnowledgeNames.none());
        java.util.Map<String, java.util.Map<String, String>> out = new java.util.TreeMap<>();
        for (dev.vigil.copilot.EntityType type : KnowledgeNames.TYPES) {
            out.put(type.name(), new java.util.TreeMap<>(names.names(type)));
        }
        try {
            java.nio.file.Path temporary = cache.resolveSibling("attack-names.json.tmp");
            json.writeValue(temporary.toFile(), out);
            java.nio.file.Files.move(temporary, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException | RuntimeException e) {
            // a read-only data directory: the names are parsed again next time
        }
        return names;
    }

    static Reading reading(Extraction extraction) {
        String text = extraction.normalized();
        List<Mention> mentions = new ArrayList<>(extraction.mentions());
        List<Correction> corrections = new ArrayList<>(extraction.corrections());
        corrections.sort(java.util.Comparator.comparingInt(Correction::start).reversed());
        for (Correction c : corrections) {
            boolean inMention = mentions.stream().anyMatch(m -> c.start() < m.end() && m.start() < c.end());
            if (inMention || c.end() > text.length() || c.start() < 0) {
                continue;
            }
            int delta = c.to().length() - (c.end() - c.start());
            text = text.substring(0, c.start()) + c.to() + text.substring(c.end());
            for (int i = 0; i < mentions.size(); i++) {
                Mention m = mentions.get(i);
                if (m.start() >= c.end()) {
                    mentions.set(i, new Mention(m.type(), m.value(), m.text(), m.start() + delta, m.end() + delta,
                            m.confidence()));
                }
            }
        }
        Optional<dev.vigil.copilot.TimeRange> time = extraction.time();
        return new Reading(text, mentions, time,
                extraction.corrections().stream().map(c -> c.from() + " -> " + c.to()).toList(),
                extraction.ambiguous());
    }

    /** The words spelling correction may correct to: the lexicon's and those of the skills' descriptions and examples. */
    static Set<String> vocabulary(Lexicon lexicon, List<Skill> skills) {
        Set<String> words = new LinkedHashSet<>(lexicon.vocabulary());
        words.addAll(dev.vigil.copilot.plan.Planner.choiceWords());
        for (Skill skill : skills) {
            List<String> texts = new ArrayList<>(skill.spec().examples());
            texts.add(skill.spec().description());
            for (String text : texts) {
                for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                    if (word.length() >= 4) {
                        words.add(word);
                    }
                }
            }
        }
        return words;
    }
}
