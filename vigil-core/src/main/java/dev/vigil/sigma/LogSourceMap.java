package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Where the events of a Sigma log source are stored: the tables a rule runs on, the field conditions that select its
 * events there, and how its field names map onto the stored ones. The mapping is data ({@code logsources.yaml}), so
 * that a new source needs no code; that file documents its format and the shapes ingest stores.
 *
 * <p>Lookup follows Sigma's semantics: every attribute a rule names must match (case-insensitively), an attribute it
 * leaves out matches anything. The most specific level the rule names decides: a category selects the entries of
 * that category, narrowed to the targets of the rule's service when it names one too; a service alone selects that
 * service's whole channel; a product alone selects every table of the product. A rule that names no product matches
 * the entries of every product. Identical targets reached through several entries are returned once.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class LogSourceMap {
    private static final String RESOURCE = "logsources.yaml";

    private final List<Entry> entries;

    private LogSourceMap(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The built-in mapping, {@code logsources.yaml} beside this class, read once on first use. */
    public static LogSourceMap builtIn() {
        return BuiltIn.MAP;
    }

    /**
     * Reads a mapping in the format of {@code logsources.yaml}.
     *
     * @param sourceName names the text in errors, e.g. its file name
     * @throws VigilException ({@link ErrorCode#CONFIG_INVALID}) naming the line, column and problem
     */
    public static LogSourceMap parse(String yaml, String sourceName) {
        requireNonNull(yaml, "yaml is null");
        return new LogSourceMap(new MappingReader(requireNonNull(sourceName, "sourceName is null")).read(yaml));
    }

    /**
     * The targets a rule's logsource runs on; empty when no stored table can hold such events (then {@link #note}
     * says why). Each argument may be null or blank for an attribute the rule does not name.
     */
    public List<Target> targets(String product, String category, String service) {
        String narrowing = key(category) == null ? null : key(service);
        Set<Target> targets = new LinkedHashSet<>();
        for (Entry entry : matching(product, category, service)) {
            for (EntryTarget target : entry.targets()) {
                String from = target.service() != null ? target.service() : entry.service();
                if (narrowing == null || narrowing.equals(from)) {
                    targets.add(target.target());
                }
            }
        }
        return List.copyOf(targets);
    }

    /**
     * Why a log source has no target, for rule import reports ("no table holds Okta System Log events ..."), or what
     * must be known about its targets where the mapping says so. Empty when the targets need no explanation.
     */
    public Optional<String> note(String product, String category, String service) {
        String described = describe(product, category, service);
        if (described.isEmpty()) {
            return Optional.of("the log source names no product, category or service");
        }
        List<Entry> matched = matching(product, category, service);
        if (matched.isEmpty()) {
            return Optional.of("no table is known to hold events of log source {" + described + "}");
        }
        // Where several entries answer, each note says whose it is: the macOS part of process_creation has none.
        String notes = matched.stream().filter(e -> e.note() != null)
                .map(e -> matched.size() == 1 ? e.note() : "{" + describe(e.product(), e.category(), e.service())
                        + "}: " + e.note())
                .distinct().collect(Collectors.joining("; "));
        if (!notes.isEmpty()) {
            return Optional.of(notes);
        }
        if (targets(product, category, service).isEmpty()) {
            return Optional.of("no source of {" + describe(product, category, null) + "} is service "
                    + key(service));
        }
        return Optional.empty();
    }

    /** The entries in file order, for checks of the mapping's consistency. */
    List<Entry> entries() {
        return entries;
    }

    private List<Entry> matching(String product, String category, String service) {
        String p = key(product);
        String c = key(category);
        String s = key(service);
        Predicate<Entry> level;
        if (c != null) {
            level = e -> c.equals(e.category()) && (s == null || e.service() == null || s.equals(e.service()));
        } else if (s != null) {
            level = e -> e.category() == null && s.equals(e.service());
        } else if (p != null) {
            level = e -> e.category() == null && e.service() == null;
        } else {
            return List.of();
        }
        return entries.stream().filter(level).filter(e -> p == null || p.equals(e.product())).toList();
    }

    /** A log-source attribute as compared: lower case, null when absent or blank. */
    static String key(String attribute) {
        return attribute == null || attribute.isBlank() ? null : attribute.strip().toLowerCase(Locale.ROOT);
    }

    /** The attributes named, as Sigma writes them: {@code product: windows, category: process_creation}. */
    static String describe(String product, String category, String service) {
        StringJoiner out = new StringJoiner(", ");
        if (key(product) != null) {
            out.add("product: " + key(product));
        }
        if (key(category) != null) {
            out.add("category: " + key(category));
        }
        if (key(service) != null) {
            out.add("service: " + key(service));
        }
        return out.toString();
    }

    /**
     * One stored source of a log source's events.
     *
     * @param table the event table
     * @param conditions stored field name to the values it may hold (any of them), for every field that must hold one
     *     to select the log source's events in {@code table}; values are {@link String} or {@link Long}, and text
     *     compares case-insensitively, as Sigma's values do
     * @param fieldMap Sigma field name to stored field name, for the fields whose names differ
     */
    public record Target(String table, Map<String, List<Object>> conditions, Map<String, String> fieldMap) {
        public Target {
            requireNonNull(table, "table is null");
            if (table.isBlank()) {
                throw new IllegalArgumentException("table is blank");
            }
            Map<String, List<Object>> conditionsCopy = new LinkedHashMap<>();
            requireNonNull(conditions, "conditions is null").forEach((field, values) -> {
                requireNonNull(field, "condition field is null");
                List<Object> valuesCopy = List.copyOf(requireNonNull(values, "values of " + field + " is null"));
                if (valuesCopy.isEmpty()) {
                    throw new IllegalArgumentException("condition on " + field + " allows no value");
                }
                for (Object value : valuesCopy) {
                    if (!(value instanceof String || value instanceof Long)) {
                        throw new IllegalArgumentException("condition on " + field + " has value " + value + " of "
                                + value.getClass().getSimpleName() + "; only String and Long are allowed");
                    }
                }
                conditionsCopy.put(field, valuesCopy);
            });
            conditions = Collections.unmodifiableMap(conditionsCopy);
            Map<String, String> fieldMapCopy = new LinkedHashMap<>();
            requireNonNull(fieldMap, "fieldMap is null").forEach((sigmaField, storedField) -> fieldMapCopy.put(
                    requireNonNull(sigmaField, "Sigma field is null"),
                    requireNonNull(storedField, "stored field of " + sigmaField + " is null")));
            fieldMap = Collections.unmodifiableMap(fieldMapCopy);
        }

        /**
         * Sigma field name -> stored field name (identity when unmapped). The name is looked up as written, then
         * ignoring case, since rules do not always spell a field as its source does.
         */
        public String field(String sigmaField) {
            String stored = fieldMap.get(sigmaField);
            if (stored != null) {
                return stored;
            }
            for (Map.Entry<String, String> mapping : fieldMap.entrySet()) {
                if (mapping.getKey().equalsIgnoreCase(sigmaField)) {
                    return mapping.getValue();
                }
            }
            return sigmaField;
        }
    }

    /**
     * One log source of the mapping: its attributes (lower case, null when absent), its targets and its note.
     *
     * @param line where the entry starts, for messages
     */
    record Entry(String product, String category, String service, List<EntryTarget> targets, String note, int line) {
        Entry {
            targets = List.copyOf(targets);
        }
    }

    /** A target with the Sigma service its events come from, when a category entry says so (else null). */
    record EntryTarget(String service, Target target) {}

    /** Loads the built-in map on first use, once, and only then. */
    private static final class BuiltIn {
        static final LogSourceMap MAP = load();

        private static LogSourceMap load() {
            try (InputStream in = LogSourceMap.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the class path");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Reads the YAML node by node, so that every problem is reported with its line and column. */
    private static final class MappingReader {
        private static final List<String> TOP_KEYS = List.of("logsources");
        private static final List<String> ENTRY_KEYS = List.of("product", "category", "service", "targets", "note");
        private static final List<String> TARGET_KEYS = List.of("table", "service", "conditions", "fields");
        private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
        private static final String FORMAT = "logsources.yaml in the Vigil sources documents the format.";

        private final String source;

        MappingReader(String source) {
            this.source = source;
        }

        List<Entry> read(String yaml) {
            LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowRecursiveKeys(false).build();
            Node root;
            try {
                root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, yaml)))
                        .getSingleNode().orElse(null);
            } catch (MarkedYamlEngineException e) {
                String where = e.getProblemMark().map(m -> source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                        .orElse(source);
                String context = e.getContext() == null ? "" : " (" + e.getContext() + e.getContextMark()
                        .map(m -> " that starts at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                        .orElse("") + ")";
                throw new VigilException(ErrorCode.CONFIG_INVALID, where + ": invalid YAML: " + e.getProblem()
                        + context, "Fix the YAML syntax at that position.", e);
            } catch (YamlEngineException e) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, source + ": invalid YAML: " + e.getMessage(),
                        "Fix the YAML syntax.", e);
            }
            if (root == null) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, source + ": the document is empty",
                        "Write 'logsources:' followed by the list of log sources. " + FORMAT, null);
            }
            Map<String, Node> top = mapping(root, "the document", TOP_KEYS);
            Node list = top.get("logsources");
            if (list == null) {
                throw problem(root, "'logsources' is missing", "Write 'logsources:' followed by the list of log "
                        + "sources. " + FORMAT);
            }
            List<Entry> entries = new ArrayList<>();
            Map<List<String>, Entry> seen = new HashMap<>();
            for (Node item : sequence(list, "'logsources'")) {
                Entry entry = entry(item);
                List<String> attributes = Arrays.asList(entry.product(), entry.category(), entry.service());
                Entry earlier = seen.putIfAbsent(attributes, entry);
                if (earlier != null) {
                    throw problem(item, "log source {" + describe(entry.product(), entry.category(), entry.service())
                            + "} is given twice, first at line " + earlier.line(), "Merge the two entries.");
                }
                entries.add(entry);
            }
            return entries;
        }

        private Entry entry(Node node) {
            Map<String, Node> keys = mapping(node, "a log source", ENTRY_KEYS);
            String product = key(text(keys.get("product"), "product"));
            String category = key(text(keys.get("category"), "category"));
            String service = key(text(keys.get("service"), "service"));
            String note = text(keys.get("note"), "note");
            if (product == null && category == null && service == null) {
                throw problem(node, "a log source needs a product, category or service",
                        "Add the attributes Sigma rules name, e.g. 'product: windows' and 'category: process_creation'.");
            }
            String described = describe(product, category, service);
            Node targetsNode = keys.get("targets");
            if (targetsNode == null) {
                throw problem(node, "log source {" + described + "} has no 'targets'", "List the tables that hold "
                        + "its events, or write 'targets: []' and a 'note' saying why none does.");
            }
            List<EntryTarget> targets = new ArrayList<>();
            for (Node target : sequence(targetsNode, "'targets'")) {
                targets.add(target(target, category != null));
            }
            if (targets.isEmpty() && note == null) {
                throw problem(targetsNode, "log source {" + described + "} has no target and no 'note'",
                        "Add a 'note' saying why no table holds its events, for rule import reports.");
            }
            return new Entry(product, category, service, targets, note, line(node));
        }

        private EntryTarget target(Node node, boolean inCategory) {
            Map<String, Node> keys = mapping(node, "a target", TARGET_KEYS);
            Node tableNode = keys.get("table");
            if (tableNode == null) {
                throw problem(node, "a target needs a 'table'", "Name the event table, e.g. 'table: SysmonEvent'.");
            }
            String table = text(tableNode, "table");
            if (!TABLE_NAME.matcher(table).matches()) {
                throw problem(tableNode, "'" + table + "' is not a table name", "Write the table as ingest names it: "
                        + "a letter, then letters, digits or '_' (64 at most).");
            }
            Node serviceNode = keys.get("service");
            if (serviceNode != null && !inCategory) {
                throw problem(serviceNode, "'service' on a target narrows a category's targets, and this log source "
                        + "names no category", "Remove it, or give the service to the log source.");
            }
            Map<String, List<Object>> conditions = new LinkedHashMap<>();
            if (keys.containsKey("conditions")) {
                mapping(keys.get("conditions"), "'conditions'", null).forEach((field, values) ->
                        conditions.put(field, conditionValues(values, field)));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            if (keys.containsKey("fields")) {
                mapping(keys.get("fields"), "'fields'", null).forEach((sigmaField, stored) ->
                        fields.put(sigmaField, text(stored, "fields." + sigmaField)));
            }
            return new EntryTarget(key(text(serviceNode, "service")), new Target(table, conditions, fields));
        }

        private List<Object> conditionValues(Node node, String field) {
            List<Node> items = node instanceof SequenceNode sequence ? sequence.getValue() : List.of(node);
            if (items.isEmpty()) {
                throw problem(node, "the condition on '" + field + "' allows no value", "List the values it may hold.");
            }
            List<Object> values = new ArrayList<>();
            for (Node item : items) {
                values.add(conditionValue(item, field));
            }
            return values;
        }

        /** Integers become {@link Long}, other text stays {@link String}; YAML booleans, floats and nulls are refused. */
        private Object conditionValue(Node node, String field) {
            if (!(node instanceof ScalarNode scalar)) {
                throw problem(node, "the condition on '" + field + "' must be a value or a list of values",
                        "Write e.g. 'EventID: 1' or 'EventID: [4, 16]'.");
            }
            Tag tag = scalar.getTag();
            if (tag.equals(Tag.INT)) {
                try {
                    return Long.parseLong(scalar.getValue());
                } catch (NumberFormatException e) {
                    throw problem(node, "'" + scalar.getValue() + "' in the condition on '" + field
                            + "' is not a decimal integer of at most 19 digits", "Write the number in decimal, or "
                            + "quote it to compare it as text.");
                }
            }
            if (tag.equals(Tag.STR)) {
                return scalar.getValue();
            }
            throw problem(node, "'" + scalar.getValue() + "' in the condition on '" + field + "' is a YAML "
                    + tag.getValue().substring(tag.getValue().lastIndexOf(':') + 1) + "; conditions compare text or "
                    + "integers", "Quote it ('" + scalar.getValue() + "') to compare it as text.");
        }

        /**
         * The keys of a mapping node and their value nodes, in order.
         *
         * @param allowed the keys allowed, or null for any
         */
        private Map<String, Node> mapping(Node node, String what, Collection<String> allowed) {
            if (!(node instanceof MappingNode mapping)) {
                throw problem(node, what + " must be a mapping of keys to values", FORMAT);
            }
            Map<String, Node> keys = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                    throw problem(tuple.getKeyNode(), "keys must be plain names", FORMAT);
                }
                String key = keyNode.getValue();
                if (allowed != null && !allowed.contains(key)) {
                    throw problem(keyNode, "unknown key '" + key + "' in " + what, "Use one of: "
                            + String.join(", ", allowed) + ".");
                }
                if (keys.put(key, tuple.getValueNode()) != null) {
                    throw problem(keyNode, "'" + key + "' is given twice in " + what, "Keep one of them.");
                }
            }
            return keys;
        }

        private List<Node> sequence(Node node, String what) {
            if (!(node instanceof SequenceNode sequence)) {
                throw problem(node, what + " must be a list", "Write its items one per line, each after '- '.");
            }
            return sequence.getValue();
        }

        /** A scalar's text, or null for an absent node. */
        private String text(Node node, String what) {
            if (node == null) {
                return null;
            }
            if (!(node instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL) || scalar.getValue().isBlank()) {
                throw problem(node, "'" + what + "' must be text", "Write a single value after '" + what + ": '.");
            }
            return scalar.getValue();
        }

        private int line(Node node) {
            return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        }

        private VigilException problem(Node node, String problem, String fix) {
            String where = node.getStartMark().map(m -> source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                    .orElse(source);
            return new VigilException(ErrorCode.CONFIG_INVALID, where + ": " + problem, fix, null);
        }
    }
}
