package dev.vigil.copilot.plan;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The planner's vocabulary, read from {@code lexicon.yaml}: concepts (what a data question is about, and where Vigil
 * stores it), roles (kinds of thing), modifiers (words that add a filter), countries, intents and stop words. It is
 * data, not code.
 */
public final class Lexicon {
    /** A subject of data questions: the stored tables and rows that hold it, and the column of each role. */
    public record Concept(String name, String description, List<String> tables, String where, List<String> words,
            Map<String, String> roles, List<String> show) {
        public Concept {
            requireNonNull(name, "name is null");
            tables = List.copyOf(tables);
            words = List.copyOf(words);
            roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
            show = List.copyOf(show);
        }

        public Optional<String> column(String role) {
            return Optional.ofNullable(roles.get(role));
        }
    }

    /** A word that adds a filter on a role's column. */
    public record Modifier(String name, List<String> words, String role, String op, String value) {}

    private static final Lexicon BUILT_IN = read(Lexicon.class.getResourceAsStream("/dev/vigil/copilot/lexicon.yaml"));

    private final Map<String, Concept> concepts;
    private final Map<String, List<String>> roles;
    private final Map<String, Modifier> modifiers;
    private final Map<String, List<String>> countries;
    private final Map<String, List<String>> intents;
    private final Set<String> stopwords;

    private Lexicon(Map<String, Concept> concepts, Map<String, List<String>> roles, Map<String, Modifier> modifiers,
            Map<String, List<String>> countries, Map<String, List<String>> intents, Set<String> stopwords) {
        this.concepts = concepts;
        this.roles = roles;
        this.modifiers = modifiers;
        this.countries = countries;
        this.intents = intents;
        this.stopwords = stopwords;
    }

    public static Lexicon builtIn() {
        return BUILT_IN;
    }

    public Map<String, Concept> concepts() {
        return concepts;
    }

    public Map<String, List<String>> roles() {
        return roles;
    }

    public Map<String, Modifier> modifiers() {
        return modifiers;
    }

    public Map<String, List<String>> countries() {
        return countries;
    }

    public Map<String, List<String>> intents() {
        return intents;
    }

    public Set<String> stopwords() {
        return stopwords;
    }

    /** Every word and phrase the lexicon knows, for spelling correction. */
    public Set<String> vocabulary() {
        Set<String> words = new LinkedHashSet<>();
        concepts.values().forEach(c -> words.addAll(c.words()));
        roles.values().forEach(words::addAll);
        modifiers.values().forEach(m -> words.addAll(m.words()));
        intents.values().forEach(words::addAll);
        countries.values().forEach(words::addAll);
        for (String phrase : List.copyOf(words)) {
            if (phrase.contains(" ")) {
                words.addAll(List.of(phrase.split("\\s+")));
            }
        }
        words.addAll(stopwords);
        return words;
    }

    /** Reads a lexicon in the shape of the built-in {@code lexicon.yaml}. */
    @SuppressWarnings("unchecked")
    public static Lexicon read(InputStream in) {
        requireNonNull(in, "the lexicon resource is missing");
        try (in) {
            Map<String, Object> root = (Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromInputStream(in);
            Map<String, Concept> concepts = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) root.getOrDefault("concepts", Map.of())).forEach((name, body) -> {
                Map<String, String> roleColumns = new LinkedHashMap<>();
                ((Map<String, Object>) body.getOrDefault("roles", Map.of()))
                        .forEach((role, column) -> roleColumns.put(role, String.valueOf(column)));
                concepts.put(name, new Concept(name, String.valueOf(body.getOrDefault("description", name)),
                        strings(body.get("tables")), String.valueOf(body.getOrDefault("where", "")),
                        lower(strings(body.get("words"))), roleColumns, strings(body.get("show"))));
            });
            Map<String, List<String>> roles = new LinkedHashMap<>();
            ((Map<String, Object>) root.getOrDefault("roles", Map.of()))
                    .forEach((role, words) -> roles.put(role, lower(strings(words))));
            Map<String, Modifier> modifiers = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) root.getOrDefault("modifiers", Map.of())).forEach((name, body) -> {
                Map<String, Object> filter = (Map<String, Object>) body.get("filter");
                modifiers.put(name, new Modifier(name, lower(strings(body.get("words"))),
                        String.valueOf(filter.get("role")), String.valueOf(filter.get("op")),
                        filter.get("value") == null ? "" : String.valueOf(filter.get("value"))));
            });
            Map<String, List<String>> countries = new LinkedHashMap<>();
            ((Map<String, Object>) root.getOrDefault("countries", Map.of()))
                    .forEach((code, words) -> countries.put(code, lower(strings(words))));
            Map<String, List<String>> intents = new LinkedHashMap<>();
            ((Map<String, Object>) root.getOrDefault("intents", Map.of()))
                    .forEach((intent, words) -> intents.put(intent, lower(strings(words))));
            Set<String> stopwords = new LinkedHashSet<>(lower(strings(root.get("stopwords"))));
            return new Lexicon(concepts, roles, modifiers, countries, intents, stopwords);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lexicon", e);
        }
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) value) {
            out.add(String.valueOf(item));
        }
        return out;
    }

    private static List<String> lower(List<String> words) {
        return words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    }
}
