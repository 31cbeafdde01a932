package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The table of behaviours, ATT&amp;CK technique names and obfuscation techniques in {@code behaviours.yaml}, read
 * once and checked as it is read: every pattern compiles, every technique id used is named, every id covered exists.
 *
 * @param techniqueNames ATT&amp;CK id to name
 * @param obfuscationTechniques technique ids shown by each obfuscation undone
 * @param behaviours in the order they are tried
 */
record Behaviours(Map<String, String> techniqueNames, Map<Obfuscation, List<String>> obfuscationTechniques,
        List<Behaviour> behaviours) {
    Behaviours {
        techniqueNames = Map.copyOf(techniqueNames);
        obfuscationTechniques = Map.copyOf(obfuscationTechniques);
        behaviours = List.copyOf(behaviours);
    }

    /** Where a behaviour is looked for. */
    enum Scope {
        STATEMENT,
        /** The whole decoded text, for behaviours spread over several statements. */
        SCRIPT
    }

    /**
     * One behaviour; see {@code behaviours.yaml} for the meaning of each field.
     *
     * @param extract placeholder name to a pattern whose group 1 fills it
     */
    record Behaviour(String id, Pattern match, Scope scope, Severity severity, List<String> techniques,
            String summary, List<String> covers, Map<String, Pattern> extract) {
        Behaviour {
            requireNonNull(id, "id is null");
            requireNonNull(match, "match is null");
            requireNonNull(scope, "scope is null");
            requireNonNull(severity, "severity is null");
            techniques = List.copyOf(techniques);
            requireNonNull(summary, "summary is null");
            covers = List.copyOf(covers);
            extract = Map.copyOf(extract);
        }
    }

    static final Behaviours BUILT_IN = load("behaviours.yaml");

    String techniqueName(String id) {
        String name = techniqueNames.get(id);
        if (name == null) {
            throw new IllegalStateException("ATT&CK technique " + id + " has no name in behaviours.yaml");
        }
        return name;
    }

    @SuppressWarnings("unchecked")
    static Behaviours load(String resource) {
        Map<String, Object> root;
        try (InputStream in = Behaviours.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath next to "
                        + Behaviours.class.getName());
            }
            root = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        Map<String, String> names = new LinkedHashMap<>();
        ((Map<String, Object>) root.get("techniques")).forEach((id, name) -> names.put(id, String.valueOf(name)));
        Map<Obfuscation, List<String>> obfuscation = new LinkedHashMap<>();
        ((Map<String, List<String>>) root.get("obfuscation")).forEach((key, ids) -> {
            Obfuscation kind = Arrays.stream(Obfuscation.values()).filter(o -> o.key().equals(key))
                    .findFirst().orElseThrow(() -> new IllegalStateException(resource + ": obfuscation '" + key
                            + "' is not one of " + Arrays.stream(Obfuscation.values())
                            .map(Obfuscation::key).toList()));
            obfuscation.put(kind, checkIds(ids, names, resource, "obfuscation " + key));
        });
        List<Behaviour> behaviours = new ArrayList<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) root.get("behaviours")) {
            String id = (String) entry.get("id");
            String where = resource + ": behaviour '" + id + "'";
            Map<String, Pattern> extract = new LinkedHashMap<>();
            ((Map<String, String>) entry.getOrDefault("extract", Map.of()))
                    .forEach((name, regex) -> extract.put(name, compile(regex, where + " extract " + name)));
            String scope = (String) entry.getOrDefault("scope", "statement");
            behaviours.add(new Behaviour(id, compile((String) entry.get("match"), where),
                    Scope.valueOf(scope.toUpperCase(Locale.ROOT)),
                    Severity.valueOf(((String) entry.get("severity")).toUpperCase(Locale.ROOT)),
                    checkIds((List<String>) entry.getOrDefault("techniques", List.of()), names, resource, id),
                    (String) entry.get("summary"), (List<String>) entry.getOrDefault("covers", List.of()), extract));
        }
        List<String> ids = behaviours.stream().map(Behaviour::id).toList();
        for (Behaviour behaviour : behaviours) {
            for (String covered : behaviour.covers()) {
                if (!ids.contains(covered)) {
                    throw new IllegalStateException(resource + ": behaviour '" + behaviour.id() + "' covers '"
                            + covered + "', which is not a behaviour id");
                }
            }
        }
        return new Behaviours(names, obfuscation, behaviours);
    }

    private static List<String> checkIds(List<String> ids, Map<String, String> names, String resource, String where) {
        for (String id : ids) {
            if (!names.containsKey(id)) {
                throw new IllegalStateException(resource + ": " + where + " uses technique " + id
                        + ", which has no name under 'techniques'");
            }
        }
        return ids;
    }

    private static Pattern compile(String regex, String where) {
        try {
            return Pattern.compile(requireNonNull(regex, where + " has no pattern"), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }
}
