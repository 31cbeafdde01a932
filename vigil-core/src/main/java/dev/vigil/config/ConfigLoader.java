package dev.vigil.config;

import dev.vigil.model.EditDistance;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Builds a {@link VigilConfig} from the defaults, a YAML file, the environment and command-line settings, in that
 * order of precedence (last wins). The file may nest keys ({@code ingest: {batch-size: 5000}}) or write them dotted
 * ({@code ingest.batch-size: 5000}). An unknown key anywhere is an error that names where it is and the nearest
 * valid key; a bad value names the key, where it was set and what would be valid.
 */
public final class ConfigLoader {
    /** Environment variables with the VIGIL_ prefix that are not configuration keys but are known. */
    private static final Set<String> OTHER_VARIABLES = Set.of("VIGIL_HOME", "VIGIL_SHARED_DATA", "VIGIL_JAVA_OPTS",
            "VIGIL_JAVA_HOME", "VIGIL_CONFIG", "VIGIL_REBUILD");

    private ConfigLoader() {}

    /**
     * @param file the configuration file, or null for none
     * @param environment the process environment
     * @param settings key to value, from the command line
     */
    public static VigilConfig load(Path file, Map<String, String> environment, Map<String, String> settings) {
        Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, String> origins = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, parse(key, key.defaultValue(), "default"));
        }
        if (file != null) {
            readFile(file, values, origins);
        }
        String home = environment.get("VIGIL_HOME");
        if (home != null && !home.isBlank()) {
            set(ConfigKey.DATA_DIR, home, "environment VIGIL_HOME", values, origins);
        }
        // the variables that *-env keys name hold secrets (VIGIL_POSTGRESQL_PASSWORD), not configuration
        Set<String> secretVariables = new java.util.HashSet<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.key().endsWith("-env")) {
                secretVariables.add((String) values.get(key));
                java.util.Optional.ofNullable(settings.get(key.key())).map(String::strip)
                        .ifPresent(secretVariables::add);
                java.util.Optional.ofNullable(environment.get(key.environmentVariable())).map(String::strip)
                        .ifPresent(secretVariables::add);
            }
        }
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String variable = entry.getKey();
            if (!variable.startsWith("VIGIL_") || OTHER_VARIABLES.contains(variable)
                    || secretVariables.contains(variable)) {
                continue;
            }
            ConfigKey key = Arrays.stream(ConfigKey.values())
                    .filter(k -> k.environmentVariable().equals(variable)).findFirst().orElse(null);
            if (key == null) {
                throw unknown(variable, "the environment", nearest(variable, true), true);
            }
            set(key, entry.getValue(), "environment " + variable, values, origins);
        }
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            ConfigKey key = ConfigKey.byKey(entry.getKey());
            if (key == null) {
                throw unknown(entry.getKey(), "the command line", nearest(entry.getKey(), false), false);
            }
            set(key, entry.getValue(), "command line", values, origins);
        }
        return new VigilConfig(values, origins);
    }

    private static void readFile(Path file, Map<ConfigKey, Object> values, Map<ConfigKey, String> origins) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "cannot read the configuration file " + file + ": "
                    + e.getMessage(), "Check the path given with --config or VIGIL_CONFIG.", e);
        }
        if (text.isBlank()) {
            return;
        }
        LoadSettings loadSettings = LoadSettings.builder().setLabel(file.toString()).build();
        Node root;
        try {
            Composer composer = new Composer(loadSettings, new ParserImpl(loadSettings, new StreamReader(loadSettings, text)));
            root = composer.getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "invalid YAML in " + mark(file, e.getProblemMark()
                    .map(m -> m.getLine() + 1).orElse(0), e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0))
                    + ": " + e.getProblem(), "Fix the YAML syntax at that position.", e);
        } catch (YamlEngineException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "invalid YAML in " + file + ": " + e.getMessage(), e);
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, mark(file, root) + ": the configuration must be a mapping"
                    + " of keys to values", "Write one 'key: value' per line, e.g. 'ingest.batch-size: 5000'.", null);
        }
        walk(file, mapping, "", values, origins);
    }

    private static void walk(Path file, MappingNode mapping, String prefix, Map<ConfigKey, Object> values,
            Map<ConfigKey, String> origins) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, mark(file, tuple.getKeyNode())
                        + ": keys must be plain names", "Write keys as names, e.g. 'ingest.batch-size'.", null);
            }
            String name = prefix + keyNode.getValue();
            Node valueNode = tuple.getValueNode();
            if (valueNode instanceof MappingNode nested) {
                boolean anyKeyUnder = Arrays.stream(ConfigKey.values()).anyMatch(k -> k.key().startsWith(name + "."));
                if (!anyKeyUnder) {
                    throw unknown(name, mark(file, keyNode), nearest(name, false), false);
                }
                walk(file, nested, name + ".", values, origins);
                continue;
            }
            ConfigKey key = ConfigKey.byKey(name);
            if (key == null) {
                throw unknown(name, mark(file, keyNode), nearest(name, false), false);
            }
            if (!(valueNode instanceof ScalarNode scalar)) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, mark(file, valueNode) + ": '" + name
                        + "' takes a single value", "Write it as '" + name + ": " + key.defaultValue() + "'.", null);
            }
            set(key, scalar.getValue(), mark(file, valueNode), values, origins);
        }
    }

    private static void set(ConfigKey key, String value, String origin, Map<ConfigKey, Object> values,
            Map<ConfigKey, String> origins) {
        values.put(key, parse(key, value, origin));
        origins.put(key, origin);
    }

    private static Object parse(ConfigKey key, String value, String origin) {
        try {
            return key.parse(value);
        } catch (IllegalArgumentException | VigilException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "invalid value for '" + key.key() + "' (" + origin + "): "
                    + e.getMessage(), key.description() + " Default: " + key.defaultValue() + ".", null);
        }
    }

    private static VigilException unknown(String name, String where, String nearest, boolean environment) {
        String fix = nearest == null
                ? "Remove it; `vigil config` lists the valid keys."
                : "Did you mean '" + nearest + "'? `vigil config` lists the valid keys.";
        return new VigilException(ErrorCode.CONFIG_UNKNOWN_KEY, "unknown configuration "
                + (environment ? "variable" : "key") + " '" + name + "' in " + where, fix, null);
    }

    /** The valid key (or variable) closest in edit distance, if it is close enough to be a likely typo. */
    static String nearest(String name, boolean environment) {
        return Arrays.stream(ConfigKey.values())
                .map(k -> environment ? k.environmentVariable() : k.key())
                .min(Comparator.comparingInt(candidate -> EditDistance.ignoringCase(name, candidate)))
                .filter(candidate -> EditDistance.ignoringCase(name, candidate)
                        <= Math.max(3, candidate.length() / 3))
                .orElse(null);
    }

    private static String mark(Path file, Node node) {
        return node.getStartMark().map(m -> mark(file, m.getLine() + 1, m.getColumn() + 1)).orElse(file.toString());
    }

    private static String mark(Path file, int line, int column) {
        return file + ":" + line + ":" + column;
    }
}
