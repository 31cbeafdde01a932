package dev.vigil.sigma;

import dev.vigil.sigma.SigmaDocument.Correlation;
import dev.vigil.sigma.SigmaDocument.CorrelationType;
import dev.vigil.sigma.SigmaDocument.Detection;
import dev.vigil.sigma.SigmaDocument.Filter;
import dev.vigil.sigma.SigmaDocument.Item;
import dev.vigil.sigma.SigmaDocument.LogSource;
import dev.vigil.sigma.SigmaDocument.Meta;
import dev.vigil.sigma.SigmaDocument.Rule;
import dev.vigil.sigma.SigmaDocument.Search;
import dev.vigil.sigma.SigmaDocument.Threshold;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
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
 * Reads Sigma YAML into {@link SigmaDocument}s. Every document is first checked by {@link SigmaValidator} against
 * what the specification's JSON schemas require; then the detection is read into items, the modifier chains are
 * checked, and the condition is parsed. All problems of a file are reported together, each located by file, line and
 * column, and none of the file's documents is returned when any has a problem.
 */
public final class SigmaParser {

    /** Rule files beyond this are refused: the largest SigmaHQ rule is under 40 KB. */
    public static final int MAX_FILE_CHARS = 1 << 20;
    private static final int MAX_NESTING = 20;

    private final String source;
    private final List<String> problems = new ArrayList<>();

    private SigmaParser(String source) {
        this.source = source;
    }

    /**
     * @param source the file name, used in errors and kept as the documents' source
     * @throws SigmaRuleException with every problem found
     */
    public static List<SigmaDocument> parse(String yaml, String source) {
        SigmaParser parser = new SigmaParser(source);
        if (yaml.length() > MAX_FILE_CHARS) {
            throw new SigmaRuleException(List.of(source + ":1:1: the file has " + yaml.length()
                    + " characters, more than the " + MAX_FILE_CHARS + " a rule file may have; split it"));
        }
        List<SigmaDocument> documents = parser.documents(yaml);
        if (!parser.problems.isEmpty()) {
            throw new SigmaRuleException(parser.problems);
        }
        return documents;
    }

    private List<SigmaDocument> documents(String yaml) {
        List<SigmaDocument> documents = new ArrayList<>();
        LoadSettings settings = LoadSettings.builder().setLabel(source).setMaxAliasesForCollections(50)
                .setAllowRecursiveKeys(false).setCodePointLimit(MAX_FILE_CHARS * 2).build();
        int number = 0;
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, yaml)));
            while (composer.hasNext()) {
                Node node = composer.next();
                number++;
                if (!(node instanceof MappingNode map)) {
                    if (!(node instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
                        problem(node, "a Sigma document must be a mapping of keys (title, logsource, detection ...)");
                    }
                    continue;
                }
                if (depth(node, 0) > MAX_NESTING) {
                    problem(node, "the document nests deeper than " + MAX_NESTING + " levels; Sigma rules need 4");
                    continue;
                }
                String docSource = number == 1 ? source : source + "#" + number;
                List<SigmaValidator.Problem> invalid = SigmaValidator.validate(map, source);
                if (!invalid.isEmpty()) {
                    invalid.forEach(p -> problems.add(p.toString()));
                    continue;
                }
                SigmaDocument document = document(map, docSource);
                if (document != null) {
                    documents.add(document);
                }
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark();
            int line = mark.map(m -> m.getLine() + 1).orElse(1);
            int column = mark.map(m -> m.getColumn() + 1).orElse(1);
            problems.add(source + ":" + line + ":" + column + ": not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            problems.add(source + ":1:1: not valid YAML: " + e.getMessage());
        }
        return documents;
    }

    private static int depth(Node node, int level) {
        if (level > MAX_NESTING) {
            return level;
        }
        int max = level;
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                max = Math.max(max, depth(t.getValueNode(), level + 1));
            }
        } else if (node instanceof SequenceNode s) {
            for (Node n : s.getValue()) {
                max = Math.max(max, depth(n, level + 1));
            }
        }
        return max;
    }

    private SigmaDocument document(MappingNode map, String docSource) {
        Map<String, Node> keys = keys(map);
        Meta meta = meta(keys, docSource);
        int before = problems.size();
        SigmaDocument document;
        if (keys.containsKey("correlation")) {
            document = correlation(meta, (MappingNode) keys.get("correlation"));
        } else if (keys.containsKey("filter")) {
            MappingNode filter = (MappingNode) keys.get("filter");
            Map<String, Node> filterKeys = keys(filter);
            document = new Filter(meta, logsource(keys.get("logsource")), strings(filterKeys.get("rules")),
                    detection(filter, Set.of("rules")));
        } else {
            document = new Rule(meta, logsource(keys.get("logsource")),
                    detection((MappingNode) keys.get("detection"), Set.of()));
        }
        return problems.size() == before ? document : null;
    }

    private Meta meta(Map<String, Node> keys, String docSource) {
        return new Meta(text(keys.get("id")), text(keys.get("name")), text(keys.get("title")),
                text(keys.get("status")), text(keys.get("level")), text(keys.get("description")),
                strings(keys.get("tags")), strings(keys.get("references")), text(keys.get("author")),
                text(keys.get("date")), text(keys.get("modified")), strings(keys.get("falsepositives")), docSource);
    }

    private LogSource logsource(Node node) {
        if (!(node instanceof MappingNode map)) {
            return new LogSource(null, null, null, null);
        }
        Map<String, Node> keys = keys(map);
        return new LogSource(lower(text(keys.get("product"))), lower(text(keys.get("category"))),
                lower(text(keys.get("service"))), text(keys.get("definition")));
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private Correlation correlation(Meta meta, MappingNode node) {
        Map<String, Node> keys = keys(node);
        String typeName = text(keys.get("type"));
        CorrelationType type;
        try {
            type = CorrelationType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(keys.get("type"), "correlation.type '" + typeName + "' is unknown; use one of event_count,"
                    + " value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile");
            return null;
        }
        Duration timespan = timespan(keys.get("timespan"));
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        if (keys.get("aliases") instanceof MappingNode aliasMap) {
            for (NodeTuple t : aliasMap.getValue()) {
                Map<String, String> perRule = new LinkedHashMap<>();
                if (t.getValueNode() instanceof MappingNode m) {
                    for (NodeTuple r : m.getValue()) {
                        perRule.put(scalar(r.getKeyNode()), scalar(r.getValueNode()));
                    }
                }
                aliases.put(scalar(t.getKeyNode()), perRule);
            }
        }
        Threshold threshold = null;
        if (keys.get("condition") instanceof MappingNode condition) {
            Map<String, BigDecimal> comparisons = new LinkedHashMap<>();
            String field = null;
            BigDecimal percentile = null;
            for (NodeTuple t : condition.getValue()) {
                String key = scalar(t.getKeyNode());
                switch (key) {
                    case "field" -> field = scalar(t.getValueNode());
                    case "percentile" -> percentile = number(t.getValueNode());
                    case "gt", "gte", "lt", "lte", "eq", "neq" -> comparisons.put(key, number(t.getValueNode()));
                    default -> problem(t.getKeyNode(), "correlation.condition has an unknown key '" + key
                            + "'; use gt, gte, lt, lte, eq or neq (and field for value_* types)");
                }
            }
            threshold = new Threshold(comparisons, field, percentile);
        }
        boolean generate = keys.get("generate") instanceof ScalarNode g && g.getValue().equalsIgnoreCase("true");
        return new Correlation(meta, type, strings(keys.get("rules")), strings(keys.get("group-by")), timespan,
                aliases, threshold, generate);
    }

    private BigDecimal number(Node node) {
        String text = scalar(node);
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            problem(node, "'" + text + "' is not a number");
            return BigDecimal.ZERO;
        }
    }

    private Duration timespan(Node node) {
        String text = scalar(node);
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhdwMy])").matcher(text.trim());
        if (!m.matches()) {
            problem(node, "timespan '" + text + "' is not a number followed by s, m, h, d, w, M or y (e.g. 5m, 24h)");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            case "M" -> Duration.ofDays(30 * n);
            default -> Duration.ofDays(365 * n);
        };
    }

    /** Reads a {@code detection} (or a filter's body): every key but {@code condition} and the skipped ones is a search. */
    private Detection detection(MappingNode node, Set<String> skip) {
        Map<String, Search> searches = new LinkedHashMap<>();
        List<Condition> conditions = new ArrayList<>();
        for (NodeTuple t : node.getValue()) {
            String key = scalar(t.getKeyNode());
            if (skip.contains(key)) {
                continue;
            }
            if (key.equals("condition")) {
                for (Node c : t.getValueNode() instanceof SequenceNode seq ? seq.getValue()
                        : List.of(t.getValueNode())) {
                    String text = scalar(c);
                    try {
                        conditions.add(ConditionParser.parse(text));
                    } catch (SigmaSyntaxException e) {
                        problemAt(c, e.column() - 1, "detection.condition: " + e.getMessage());
                    }
                }
            } else if (key.equals("timeframe")) {
                problem(t.getKeyNode(), "detection.timeframe was removed from Sigma; write a correlation rule with"
                        + " a timespan instead");
            } else {
                searches.put(key, search(key, t.getValueNode()));
            }
        }
        if (conditions.isEmpty()) {
            problem(node, "detection has no condition; add e.g. 'condition: selection'");
            return null;
        }
        Condition condition = conditions.size() == 1 ? conditions.getFirst() : new Condition.Or(conditions);
        checkReferences(condition, searches, node);
        return new Detection(searches, condition);
    }

    private void checkReferences(Condition condition, Map<String, Search> searches, Node at) {
        switch (condition) {
            case Condition.And and -> and.operands().forEach(c -> checkReferences(c, searches, at));
            case Condition.Or or -> or.operands().forEach(c -> checkReferences(c, searches, at));
            case Condition.Not not -> checkReferences(not.operand(), searches, at);
            case Condition.Ref ref -> {
                if (!searches.containsKey(ref.name())) {
                    problem(at, "detection.condition names '" + ref.name() + "', which is not a search identifier"
                            + " of this detection" + nearest(ref.name(), searches.keySet()));
                }
            }
            case Condition.Quantified q -> {
                if (!q.them() && searches.keySet().stream().noneMatch(n -> Glob.matches(q.pattern(), n))) {
                    problem(at, "detection.condition pattern '" + q.pattern() + "' matches no search identifier");
                }
            }
        }
    }

    private static String nearest(String name, java.util.Collection<String> names) {
        return names.isEmpty() ? "" : "; defined: " + String.join(", ", names);
    }

    private Search search(String name, Node node) {
        List<List<Item>> alternatives = new ArrayList<>();
        switch (node) {
            case MappingNode map -> alternatives.add(items(map));
            case SequenceNode seq -> {
                boolean maps = !seq.getValue().isEmpty() && seq.getValue().stream().allMatch(n -> n instanceof MappingNode);
                if (maps) {
                    seq.getValue().forEach(n -> alternatives.add(items((MappingNode) n)));
                } else if (seq.getValue().stream().anyMatch(n -> !(n instanceof ScalarNode))) {
                    problem(node, "detection." + name + " mixes maps and plain values; make it a list of maps"
                            + " (OR of field selections) or a list of keywords");
                } else {
                    alternatives.add(List.of(item(null, List.of(), node)));
                }
            }
            case ScalarNode scalar -> alternatives.add(List.of(item(null, List.of(), scalar)));
            default -> problem(node, "detection." + name + " must be a map of fields or a list");
        }
        return new Search(name, alternatives);
    }

    private List<Item> items(MappingNode map) {
        List<Item> items = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode());
            String[] parts = key.split("\\|", -1);
            String field = parts[0].isEmpty() ? null : parts[0];
            List<Modifier> modifiers = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                Optional<Modifier> m = Modifier.fromName(parts[i]);
                if (m.isEmpty()) {
                    problem(t.getKeyNode(), "unknown modifier '" + parts[i] + "' in '" + key + "'"
                            + Modifiers.suggest(parts[i]));
                } else {
                    modifiers.add(m.get());
                }
            }
            Item item = item(field, modifiers, t.getValueNode());
            if (item != null) {
                String wrong = Modifiers.check(item);
                if (wrong != null) {
                    problem(t.getKeyNode(), "'" + key + "': " + wrong);
                }
                items.add(item);
            }
        }
        return items;
    }

    private Item item(String field, List<Modifier> modifiers, Node valueNode) {
        List<SigmaValue> values = new ArrayList<>();
        List<Node> nodes = valueNode instanceof SequenceNode seq ? seq.getValue() : List.of(valueNode);
        for (Node n : nodes) {
            if (!(n instanceof ScalarNode s)) {
                problem(n, "a detection value must be a string, number, boolean or null, not a "
                        + (n instanceof MappingNode ? "map" : "list"));
                return null;
            }
            values.add(value(s));
        }
        Mark mark = valueNode.getStartMark().orElse(null);
        return new Item(field, modifiers, values, mark == null ? 1 : mark.getLine() + 1,
                mark == null ? 1 : mark.getColumn() + 1);
    }

    private static SigmaValue value(ScalarNode s) {
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return new SigmaValue.Null();
        }
        if (tag.equals(Tag.BOOL)) {
            return new SigmaValue.Bool(s.getValue().equalsIgnoreCase("true"));
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            try {
                return new SigmaValue.Number(new BigDecimal(s.getValue()));
            } catch (NumberFormatException e) {
                return new SigmaValue.Text(s.getValue()); // 0x1F, .inf: keep the text
            }
        }
        return new SigmaValue.Text(s.getValue());
    }

    private static Map<String, Node> keys(MappingNode map) {
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s) {
                keys.put(s.getValue(), t.getValueNode());
            }
        }
        return keys;
    }

    private static String text(Node node) {
        return node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) ? s.getValue() : null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    private static List<String> strings(Node node) {
        if (node instanceof SequenceNode seq) {
            List<String> out = new ArrayList<>();
            for (Node n : seq.getValue()) {
                if (n instanceof ScalarNode s) {
                    out.add(s.getValue());
                }
            }
            return out;
        }
        String single = text(node);
        return single == null ? List.of() : List.of(single);
    }

    private void problem(Node node, String message) {
        problemAt(node, 0, message);
    }

    private void problemAt(Node node, int columnOffset, String message) {
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = (mark == null ? 1 : mark.getColumn() + 1) + Math.max(0, columnOffset);
        problems.add(source + ":" + line + ":" + column + ": " + message);
    }
}
