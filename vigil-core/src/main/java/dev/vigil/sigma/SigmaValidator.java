package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.sigma.SigmaDocument.CorrelationType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Checks one YAML document of a Sigma file against what the Sigma specification requires, so that a rule with a
 * mistake is refused when it is loaded, naming its file, line and column and how to fix it, instead of being
 * compiled into a detection that silently never matches.
 *
 * <p>It checks everything the specification's three JSON schemas (detection rule, correlation rule, filter) check:
 * required keys, types, lengths, the id's UUID form, dates, the status, level, relation and correlation type
 * enumerations, the tag pattern and unique list items. It is our own code because neither the schemas nor a
 * JSON-schema engine ship with the product. Where the schemas fall short of the specification's text, it follows the
 * text:
 * <ul>
 *   <li>a rule's {@code condition} may be a list of conditions (the text allows it, the schema wants one string);
 *   <li>a correlation's {@code timespan} is a number and one of {@code s m h d} (the schema only bounds its length);
 *   <li>a correlation's {@code condition} holds only {@code gt gte lt lte eq neq} with numbers, and {@code field}; and
 *       value_* correlations need its {@code field}. The schema means both, but its {@code anyOf} lists properties
 *       without {@code properties} and its {@code then} puts {@code condition} beside {@code properties}, so as
 *       written it checks neither;
 *   <li>a correlation refers to at least one rule ("one or multiple"; the schema allows an empty list);
 *   <li>a date must exist in the calendar, not just match {@code YYYY-MM-DD} (the schema's pattern takes 2024-02-30).
 * </ul>
 *
 * <p>On top, it checks what the engine needs of a detection and that no schema says: modifiers must be known (a typo
 * is reported with the nearest modifier), {@code i m s} come after {@code re}, {@code exists} takes a boolean,
 * {@code all} takes two or more values, {@code lt lte gt gte} take numbers, a field's value is a value or a list of
 * values (never a mapping, never {@code null} inside a list, as the specification says), and a mapping holds each key
 * once (a parser that keeps the last silently drops the first). It does not parse the condition expression: the
 * condition parser does.
 *
 * <p>Unknown keys are allowed everywhere, as the schemas (no {@code additionalProperties: false} anywhere) and the
 * specification's "arbitrary custom fields" allow them. Types are read from the YAML tags the node tree was composed
 * with: under YAML 1.2 {@code no} and {@code 2024-01-01} are text, {@code 42} a number, {@code null} null.
 */
public final class SigmaValidator {
    /** The three kinds of Sigma document; each has its own schema. */
    public enum Kind { DETECTION, CORRELATION, FILTER }

    private static final List<String> STATUSES = List.of("stable", "test", "experimental", "deprecated", "unsupported");
    private static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");
    private static final List<String> RELATION_TYPES = List.of("derived", "obsolete", "merged", "renamed", "similar");
    private static final List<String> CORRELATION_TYPES =
            Arrays.stream(CorrelationType.values()).map(CorrelationType::sigmaName).toList();
    private static final Set<CorrelationType> VALUE_CORRELATIONS = Set.of(CorrelationType.VALUE_COUNT,
            CorrelationType.VALUE_SUM, CorrelationType.VALUE_AVG, CorrelationType.VALUE_PERCENTILE);
    /** Correlations whose condition compares a sum, an average or a percentile, which need not be whole numbers. */
    private static final Set<CorrelationType> MEASURING_CORRELATIONS = Set.of(CorrelationType.VALUE_SUM,
            CorrelationType.VALUE_AVG, CorrelationType.VALUE_PERCENTILE);
    private static final List<String> COMPARISONS = List.of("gt", "gte", "lt", "lte", "eq", "neq");
    private static final List<String> CORRELATION_CONDITION_KEYS = List.of("gt", "gte", "lt", "lte", "eq", "neq", "field");
    private static final List<String> MODIFIER_NAMES = Arrays.stream(Modifier.values()).map(Modifier::sigmaName).toList();
    private static final Set<Modifier> REGULAR_EXPRESSION_FLAGS = Set.of(Modifier.I, Modifier.M, Modifier.S);
    private static final Set<Modifier> NUMERIC_COMPARISONS = Set.of(Modifier.LT, Modifier.LTE, Modifier.GT, Modifier.GTE);

    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])");
    private static final Pattern TAG = Pattern.compile("[a-z0-9_-]+\\.[a-z0-9._-]+");
    private static final Pattern TIMESPAN = Pattern.compile("(\\d+)[smhd]");
    private static final String EXAMPLE_UUID = "929a690e-bef0-4204-a928-ef5e620d6fcc";

    /** Longest title, name and taxonomy, and longest description, in characters (code points), as the schemas say. */
    private static final int NAME_LENGTH = 256;
    private static final int DESCRIPTION_LENGTH = 65_535;
    private static final int TIMESPAN_LENGTH = 10;
    /** Shortest falsepositives and scope entry, and shortest rule reference of a correlation. */
    private static final int SHORTEST_ENTRY = 2;

    private SigmaValidator() {}

    /**
     * Which kind of document this is: correlation when it has a top-level "correlation" key, filter when "filter",
     * else detection.
     */
    public static Kind kindOf(MappingNode document) {
        requireNonNull(document, "document is null");
        Set<String> keys = document.getValue().stream()
                .map(NodeTuple::getKeyNode)
                .filter(ScalarNode.class::isInstance)
                .map(key -> ((ScalarNode) key).getValue())
                .collect(Collectors.toSet());
        if (keys.contains("correlation")) {
            return Kind.CORRELATION;
        }
        return keys.contains("filter") ? Kind.FILTER : Kind.DETECTION;
    }

    /** Every problem found, in document order; empty when the document is valid. */
    public static List<Problem> validate(MappingNode document, String sourceName) {
        requireNonNull(document, "document is null");
        Checker checker = new Checker(requireNonNull(sourceName, "sourceName is null"));
        switch (kindOf(document)) {
            case DETECTION -> checker.detectionRule(document);
            case CORRELATION -> checker.correlationRule(document);
            case FILTER -> checker.filter(document);
        }
        return checker.problems();
    }

    /**
     * One thing wrong with a document. {@code line} and {@code column} are 1-based, from the start of the offending
     * node (the enclosing mapping for a missing key), or 0 when the node tree was composed without marks. {@code path}
     * names the key, dotted from the document's root with list indexes in brackets
     * ({@code detection.selection[1].Image|endswith}); it is empty for the document itself.
     */
    public record Problem(String source, int line, int column, String path, String message) {
        public Problem {
            requireNonNull(source, "source is null");
            requireNonNull(path, "path is null");
            requireNonNull(message, "message is null");
        }

        /** {@code source:line:column: path: message}, the form compilers and editors link to the position. */
        @Override
        public String toString() {
            return source + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    /** Collects the problems of one document. */
    private static final class Checker {
        private final String source;
        private final List<Problem> problems = new ArrayList<>();

        Checker(String source) {
            this.source = source;
        }

        List<Problem> problems() {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            return List.copyOf(sorted);
        }

        // ---- the three kinds of document

        void detectionRule(MappingNode document) {
            Map<String, NodeTuple> keys = entries(document, "");
            require(document, keys, "", "title", "add a short title saying what the rule detects, e.g. "
                    + "'title: Whoami Execution'");
            require(document, keys, "", "logsource", "add the log source the rule applies to, e.g. "
                    + "'logsource: {category: process_creation, product: windows}'");
            require(document, keys, "", "detection", "add the search identifiers and the condition that combines "
                    + "them, e.g. 'detection: {selection: {Image|endswith: \\whoami.exe}, condition: selection}'");
            commonMetadata(keys);
            ruleMetadata(keys);
            value(keys, "related").ifPresent(this::related);
            value(keys, "name").ifPresent(name -> boundedText(name, "name", NAME_LENGTH));
            value(keys, "license").ifPresent(license -> text(license, "license"));
            value(keys, "logsource").ifPresent(this::logsource);
            value(keys, "detection").ifPresent(this::detection);
            value(keys, "fields").ifPresent(fields -> textList(fields, "fields", true, 0));
            value(keys, "falsepositives").ifPresent(list -> textList(list, "falsepositives", true, SHORTEST_ENTRY));
            value(keys, "tags").ifPresent(this::tags);
            value(keys, "scope").ifPresent(scope -> textList(scope, "scope", false, SHORTEST_ENTRY));
        }

        void correlationRule(MappingNode document) {
            Map<String, NodeTuple> keys = entries(document, "");
            require(document, keys, "", "title", "add a short title saying what the correlation detects, e.g. "
                    + "'title: Many failed logins'");
            require(document, keys, "", "correlation", "add the correlation: its type, rules, group-by, timespan "
                    + "and condition");
            commonMetadata(keys);
            ruleMetadata(keys);
            // Not in the correlation schema, but the specification's own example gives correlations a name so that
            // other correlations can refer to them, as rules do.
            value(keys, "name").ifPresent(name -> boundedText(name, "name", NAME_LENGTH));
            value(keys, "falsepositives").ifPresent(this::correlationFalsePositives);
            value(keys, "generate").ifPresent(generate -> {
                if (!isTagged(generate, Tag.BOOL)) {
                    report(generate, "generate", "must be true or false, not " + describe(generate)
                            + "; write 'generate: true' to also convert the correlated rules on their own");
                }
            });
            value(keys, "correlation").ifPresent(this::correlation);
        }

        void filter(MappingNode document) {
            Map<String, NodeTuple> keys = entries(document, "");
            require(document, keys, "", "title", "add a short title saying what the filter leaves out, e.g. "
                    + "'title: Filter administrator accounts'");
            require(document, keys, "", "logsource", "add the log source the filter applies to, e.g. "
                    + "'logsource: {category: process_creation, product: windows}'");
            require(document, keys, "", "filter", "add the filter: the rules it applies to, a selection and a "
                    + "condition");
            commonMetadata(keys);
            value(keys, "logsource").ifPresent(this::logsource);
            value(keys, "filter").flatMap(node -> mapping(node, "filter")).ifPresent(filter -> {
                Map<String, NodeTuple> filterKeys = entries(filter, "filter");
                require(filter, filterKeys, "filter", "rules", "list the ids or names of the rules to filter");
                require(filter, filterKeys, "filter", "selection", "add what to leave out, e.g. "
                        + "'selection: {User|startswith: adm_}'");
                require(filter, filterKeys, "filter", "condition", "add e.g. 'condition: selection'");
                for (Map.Entry<String, NodeTuple> entry : filterKeys.entrySet()) {
                    Node node = entry.getValue().getValueNode();
                    String path = "filter." + entry.getKey();
                    switch (entry.getKey()) {
                        case "rules" -> {
                            if (node instanceof SequenceNode rules && rules.getValue().isEmpty()) {
                                report(rules, path, "is empty; list at least one rule id or name to filter");
                            }
                            textList(node, path, true, 0);
                        }
                        case "condition" -> text(node, path);
                        // The schema checks only "selection"; the specification defers to the detection section,
                        // where every other key is a search identifier too, and the engine compiles them as such.
                        default -> searchIdentifier(node, path);
                    }
                }
            });
        }

        // ---- metadata

        /** What all three schemas check alike. */
        private void commonMetadata(Map<String, NodeTuple> keys) {
            value(keys, "title").ifPresent(title -> boundedText(title, "title", NAME_LENGTH));
            value(keys, "id").ifPresent(id -> uuid(id, "id"));
            value(keys, "description").ifPresent(description ->
                    boundedText(description, "description", DESCRIPTION_LENGTH));
            value(keys, "date").ifPresent(date -> date(date, "date"));
            value(keys, "modified").ifPresent(modified -> date(modified, "modified"));
            value(keys, "taxonomy").ifPresent(taxonomy -> boundedText(taxonomy, "taxonomy", NAME_LENGTH));
        }

        /** What the detection and correlation schemas check alike (filters have no status or level). */
        private void ruleMetadata(Map<String, NodeTuple> keys) {
            value(keys, "status").ifPresent(status -> choice(status, "status", STATUSES, "status"));
            value(keys, "level").ifPresent(level -> choice(level, "level", LEVELS, "level"));
            value(keys, "author").ifPresent(author -> text(author, "author"));
            value(keys, "references").ifPresent(references -> textList(references, "references", true, 0));
        }

        private void related(Node node) {
            list(node, "related").ifPresent(related -> {
                List<Node> items = related.getValue();
                for (int i = 0; i < items.size(); i++) {
                    String path = "related[" + i + "]";
                    mapping(items.get(i), path).ifPresent(relation -> {
                        Map<String, NodeTuple> keys = entries(relation, path);
                        require(relation, keys, path, "id", "add the id of the related rule, e.g. 'id: "
                                + EXAMPLE_UUID + "'");
                        require(relation, keys, path, "type", "add how it is related: one of "
                                + String.join(", ", RELATION_TYPES));
                        value(keys, "id").ifPresent(id -> uuid(id, path + ".id"));
                        value(keys, "type").ifPresent(type -> choice(type, path + ".type", RELATION_TYPES,
                                "relation type"));
                    });
                }
            });
        }

        private void tags(Node node) {
            for (Text tag : textList(node, "tags", true, 0)) {
                if (!TAG.matcher(tag.text()).matches()) {
                    String fix = TAG.matcher(tag.text().toLowerCase(Locale.ROOT)).matches()
                            ? "write it in lower case: '" + tag.text().toLowerCase(Locale.ROOT) + "'"
                            : "write a namespace and a name in lower-case letters, digits, '_' and '-', separated by a"
                                    + " dot, e.g. 'attack.t1059.001'";
                    report(tag.node(), tag.path(), "'" + tag.text() + "' is not a tag; " + fix);
                }
            }
        }

        /** The detection and filter schemas both describe category, product and service; a filter's is a rule's. */
        private void logsource(Node node) {
            mapping(node, "logsource").ifPresent(logsource -> {
                Map<String, NodeTuple> keys = entries(logsource, "logsource");
                for (String key : List.of("category", "product", "service", "definition")) {
                    value(keys, key).ifPresent(value -> text(value, "logsource." + key));
                }
            });
        }

        private void correlationFalsePositives(Node node) {
            // The correlation schema, unlike the rule schema, also takes a single entry.
            if (node instanceof ScalarNode) {
                text(node, "falsepositives").filter(text -> length(text) < SHORTEST_ENTRY).ifPresent(text ->
                        report(node, "falsepositives", tooShort(text)));
            } else {
                textList(node, "falsepositives", true, SHORTEST_ENTRY);
            }
        }

        // ---- detection

        private void detection(Node node) {
            mapping(node, "detection").ifPresent(detection -> {
                Map<String, NodeTuple> keys = entries(detection, "detection");
                require(detection, keys, "detection", "condition", "add the condition that combines the search "
                        + "identifiers, e.g. 'condition: selection and not filter'");
                for (Map.Entry<String, NodeTuple> entry : keys.entrySet()) {
                    String path = "detection." + entry.getKey();
                    if (entry.getKey().equals("condition")) {
                        condition(entry.getValue().getValueNode(), path);
                    } else {
                        searchIdentifier(entry.getValue().getValueNode(), path);
                    }
                }
            });
        }

        private void condition(Node node, String path) {
            // The schema wants one string, but the specification says "the condition can be a list", each
            // generating a query, OR-ed; the condition parser takes both, so both are valid here.
            if (node instanceof SequenceNode conditions) {
                if (conditions.getValue().isEmpty()) {
                    report(node, path, "is an empty list; write the condition, e.g. 'condition: selection'");
                }
                textList(node, path, false, 0);
            } else {
                text(node, path);
            }
        }

        /** A search identifier: a mapping of fields to values, or a list of keywords and such mappings. */
        private void searchIdentifier(Node node, String path) {
            if (node instanceof MappingNode fields) {
                fieldMap(fields, path);
            } else if (node instanceof SequenceNode alternatives) {
                List<Node> items = alternatives.getValue();
                for (int i = 0; i < items.size(); i++) {
                    Node item = items.get(i);
                    String itemPath = path + "[" + i + "]";
                    if (item instanceof MappingNode fields) {
                        fieldMap(fields, itemPath);
                    } else if (!isTagged(item, Tag.STR) && !isWholeNumber(item)) {
                        String fix = isTagged(item, Tag.NULL) ? "remove the empty item"
                                : item instanceof ScalarNode scalar ? "quote it: '" + scalar.getValue() + "'"
                                : "write its values as items of this list";
                        report(item, itemPath, "a keyword must be text or a whole number, or a mapping of fields "
                                + "to values, not " + describe(item) + "; " + fix);
                    }
                }
            } else if (lastKey(path).equals("timeframe")) {
                // Sigma 1's aggregation window, still found in old rules; the fix is not a search identifier.
                String timespan = isTagged(node, Tag.STR) ? ((ScalarNode) node).getValue() : "5m";
                report(node, path, "a detection has no timeframe since Sigma 2; count events over a time window"
                        + " with a correlation rule that refers to this rule, e.g. 'correlation: {type: event_count,"
                        + " rules: [<id of this rule>], group-by: [User], timespan: " + timespan + ", condition:"
                        + " {gte: 10}}'");
            } else {
                report(node, path, "must be a mapping of fields to values or a list of keywords, not "
                        + describe(node) + "; write e.g. '" + lastKey(path) + ": {Image|endswith: \\cmd.exe}' or a "
                        + "list of keywords, one per line starting with '- '");
            }
        }

        private void fieldMap(MappingNode fields, String path) {
            for (Map.Entry<String, NodeTuple> entry : entries(fields, path).entrySet()) {
                String fieldPath = path + "." + entry.getKey();
                List<Modifier> modifiers = modifiers(entry.getKey(), entry.getValue().getKeyNode(), fieldPath);
                fieldValue(entry.getValue().getValueNode(), fieldPath, modifiers);
            }
        }

        /** The known modifiers after the field name ({@code Field|mod1|mod2}), reporting the unknown ones. */
        private List<Modifier> modifiers(String key, Node keyNode, String path) {
            String[] parts = key.split("\\|", -1);
            List<Modifier> modifiers = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                String name = parts[i];
                if (name.isEmpty()) {
                    report(keyNode, path, "empty modifier between two '|'; remove the extra '|'");
                    continue;
                }
                Optional<Modifier> modifier = Modifier.fromName(name);
                if (modifier.isEmpty()) {
                    report(keyNode, path, "unknown modifier '" + name + "'; " + nearest(name, MODIFIER_NAMES)
                            .map(candidate -> "did you mean '" + candidate + "'?")
                            .orElse("the modifiers are " + String.join(", ", MODIFIER_NAMES)));
                    continue;
                }
                if (REGULAR_EXPRESSION_FLAGS.contains(modifier.get()) && !modifiers.contains(Modifier.RE)) {
                    report(keyNode, path, "modifier '" + name + "' is a flag of regular expressions; write it after "
                            + "'re', e.g. '" + parts[0] + "|re|" + name + "'");
                }
                modifiers.add(modifier.get());
            }
            return modifiers;
        }

        private void fieldValue(Node node, String path, List<Modifier> modifiers) {
            if (node instanceof MappingNode) {
                report(node, path, "a field's value must be a value or a list of values, not a mapping; to match "
                        + "several fields, write each as a key of the selection");
                return;
            }
            List<Node> values = node instanceof SequenceNode list ? list.getValue() : List.of(node);
            for (int i = 0; i < values.size(); i++) {
                Node value = values.get(i);
                String valuePath = node instanceof SequenceNode ? path + "[" + i + "]" : path;
                if (!(value instanceof ScalarNode)) {
                    report(value, valuePath, "a list of values holds plain values only, not " + describe(value)
                            + "; put each value on its own line starting with '- '");
                } else if (node instanceof SequenceNode && isTagged(value, Tag.NULL)) {
                    report(value, valuePath, "null cannot be one of a list of values; match null in a selection of "
                            + "its own ('Field: null') and combine the selections in the condition");
                } else if (modifiers.stream().anyMatch(NUMERIC_COMPARISONS::contains)
                        && !isTagged(value, Tag.INT) && !isTagged(value, Tag.FLOAT)) {
                    report(value, valuePath, "lt, lte, gt and gte compare numbers, not " + describe(value)
                            + "; write the number without quotes");
                }
            }
            if (modifiers.contains(Modifier.EXISTS) && !isTagged(node, Tag.BOOL)) {
                report(node, path, "the 'exists' modifier takes true or false, not " + describe(node)
                        + "; write '" + lastKey(path) + ": true'");
            }
            if (modifiers.contains(Modifier.ALL) && values.size() < 2) {
                report(node, path, "the 'all' modifier needs two or more values to AND; with one value remove "
                        + "'|all'");
            }
        }

        // ---- correlation

        private void correlation(Node node) {
            mapping(node, "correlation").ifPresent(correlation -> {
                Map<String, NodeTuple> keys = entries(correlation, "correlation");
                require(correlation, keys, "correlation", "type", "add one of " + String.join(", ", CORRELATION_TYPES));
                require(correlation, keys, "correlation", "rules", "list the ids or names of the correlated rules");
                require(correlation, keys, "correlation", "timespan", "add the time window, e.g. 'timespan: 1h'");
                Optional<CorrelationType> type = value(keys, "type")
                        .flatMap(typeNode -> choice(typeNode, "correlation.type", CORRELATION_TYPES,
                                "correlation type"))
                        .map(name -> CorrelationType.valueOf(name.toUpperCase(Locale.ROOT)));
                type.ifPresent(known -> {
                    require(correlation, keys, "correlation", "group-by", "the " + known.sigmaName() + " correlation "
                            + "needs it: list the fields whose values group the events, e.g. 'group-by: [User]'");
                    if (known != CorrelationType.TEMPORAL && known != CorrelationType.TEMPORAL_ORDERED) {
                        require(correlation, keys, "correlation", "condition", "the " + known.sigmaName()
                                + " correlation needs it, e.g. 'condition: {gte: 10}'");
                    }
                });
                value(keys, "rules").ifPresent(this::correlatedRules);
                value(keys, "aliases").ifPresent(this::aliases);
                value(keys, "group-by").ifPresent(groupBy -> textList(groupBy, "correlation.group-by", true, 0));
                value(keys, "timespan").ifPresent(this::timespan);
                value(keys, "condition").ifPresent(condition -> correlationCondition(condition, type.orElse(null)));
            });
        }

        private void correlatedRules(Node node) {
            if (node instanceof SequenceNode rules && rules.getValue().isEmpty()) {
                // The schema allows an empty list; the specification says one or multiple rules.
                report(rules, "correlation.rules", "is empty; list the ids or names of the correlated rules");
            }
            for (Text rule : textList(node, "correlation.rules", true, 0)) {
                if (length(rule.text()) < SHORTEST_ENTRY) {
                    report(rule.node(), rule.path(), "'" + rule.text() + "' is too short to name a rule; refer to "
                            + "the rule by its id or by its name (two characters or more)");
                }
            }
        }

        private void aliases(Node node) {
            mapping(node, "correlation.aliases").ifPresent(aliases -> {
                for (Map.Entry<String, NodeTuple> alias : entries(aliases, "correlation.aliases").entrySet()) {
                    String path = "correlation.aliases." + alias.getKey();
                    Node fields = alias.getValue().getValueNode();
                    if (!(fields instanceof MappingNode byRule)) {
                        report(fields, path, "must map each rule's name to its field, not " + describe(fields)
                                + "; write e.g. '" + alias.getKey() + ": {failed_login: TargetUserName}'");
                        continue;
                    }
                    for (Map.Entry<String, NodeTuple> field : entries(byRule, path).entrySet()) {
                        text(field.getValue().getValueNode(), path + "." + field.getKey());
                    }
                }
            });
        }

        private void timespan(Node node) {
            text(node, "correlation.timespan").ifPresent(timespan -> {
                Matcher matcher = TIMESPAN.matcher(timespan);
                // The schema only bounds the length; the specification's text gives the form.
                if (!matcher.matches() || timespan.length() > TIMESPAN_LENGTH
                        || new BigDecimal(matcher.group(1)).signum() == 0) {
                    report(node, "correlation.timespan", "'" + timespan + "' is not a timespan; write a whole number "
                            + "above zero and one lower-case unit, s, m, h or d (at most " + TIMESPAN_LENGTH
                            + " characters), e.g. 90m or 1h");
                }
            });
        }

        /** {@code type} is null when the correlation's type is missing or unknown (already reported). */
        private void correlationCondition(Node node, CorrelationType type) {
            String path = "correlation.condition";
            Optional<MappingNode> condition = mapping(node, path);
            if (condition.isEmpty()) {
                return;
            }
            Map<String, NodeTuple> keys = entries(condition.get(), path);
            boolean measuring = type != null && MEASURING_CORRELATIONS.contains(type);
            boolean comparing = false;
            for (Map.Entry<String, NodeTuple> entry : keys.entrySet()) {
                String key = entry.getKey();
                Node value = entry.getValue().getValueNode();
                if (key.equals("field")) {
                    conditionField(value, path + ".field");
                } else if (COMPARISONS.contains(key)) {
                    comparing = true;
                    if (!(measuring ? isTagged(value, Tag.INT) || isTagged(value, Tag.FLOAT) : isWholeNumber(value))) {
                        report(value, path + "." + key, "must be a " + (measuring ? "number" : "whole number")
                                + ", not " + describe(value) + "; write e.g. '" + key + ": 10' without quotes");
                    }
                } else {
                    report(entry.getValue().getKeyNode(), path + "." + key, "unknown condition key; "
                            + nearest(key, CORRELATION_CONDITION_KEYS).map(c -> "did you mean '" + c + "'? ").orElse("")
                            + "a condition holds gt, gte, lt, lte, eq or neq with a number, and field");
                }
            }
            if (!comparing) {
                report(condition.get(), path, "compares nothing; add one of gt, gte, lt, lte, eq, neq with a number, "
                        + "e.g. 'gte: 10' (two of them make a range)");
            }
            if (type != null && VALUE_CORRELATIONS.contains(type) && !keys.containsKey("field")) {
                report(condition.get(), path + ".field", "required but missing: the " + type.sigmaName()
                        + " correlation needs the field whose values it aggregates, e.g. 'field: TargetUserName'");
            }
        }

        /** A field name, or several (linked by AND, as the specification says), each at most 256 characters. */
        private void conditionField(Node node, String path) {
            if (node instanceof SequenceNode) {
                for (Text field : textList(node, path, false, 0)) {
                    boundedText(field.node(), field.path(), NAME_LENGTH);
                }
            } else {
                boundedText(node, path, NAME_LENGTH);
            }
        }

        // ---- building blocks

        /**
         * The mapping's entries by key, in order. A key that is not a plain scalar, or that repeats, is reported: a
         * YAML parser that keeps the last of two equal keys silently drops the first.
         */
        private Map<String, NodeTuple> entries(MappingNode mapping, String path) {
            Map<String, NodeTuple> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode key)) {
                    report(keyNode, path, "keys must be plain names, not " + describe(keyNode) + "; write the key as "
                            + "text");
                    continue;
                }
                NodeTuple first = entries.putIfAbsent(key.getValue(), tuple);
                if (first != null) {
                    report(keyNode, join(path, key.getValue()), "duplicate key (first at line "
                            + line(first.getKeyNode()) + "); a key may appear once in a mapping, so merge the two");
                }
            }
            return entries;
        }

        private static Optional<Node> value(Map<String, NodeTuple> keys, String key) {
            return Optional.ofNullable(keys.get(key)).map(NodeTuple::getValueNode);
        }

        private void require(MappingNode mapping, Map<String, NodeTuple> keys, String path, String key, String fix) {
            if (!keys.containsKey(key)) {
                report(mapping, join(path, key), "required but missing; " + fix);
            }
        }

        private Optional<String> text(Node node, String path) {
            if (isTagged(node, Tag.STR)) {
                return Optional.of(((ScalarNode) node).getValue());
            }
            String fix;
            if (isTagged(node, Tag.NULL)) {
                fix = "give it a value or remove it";
            } else if (node instanceof ScalarNode scalar) {
                fix = "quote it: '" + scalar.getValue() + "'";
            } else {
                fix = "write a single value";
            }
            report(node, path, "must be text, not " + describe(node) + "; " + fix);
            return Optional.empty();
        }

        private void boundedText(Node node, String path, int maxLength) {
            text(node, path).filter(text -> length(text) > maxLength).ifPresent(text -> report(node, path,
                    "is " + length(text) + " characters long, more than " + maxLength + "; shorten it"));
        }

        /** The value when it is one of {@code allowed}; otherwise reports it, with the nearest allowed value. */
        private Optional<String> choice(Node node, String path, List<String> allowed, String what) {
            Optional<String> text = text(node, path);
            if (text.isEmpty() || allowed.contains(text.get())) {
                return text;
            }
            report(node, path, "'" + text.get() + "' is not a " + what + "; " + nearest(text.get(), allowed)
                    .map(candidate -> "did you mean '" + candidate + "'? ").orElse("")
                    + "use one of " + String.join(", ", allowed));
            return Optional.empty();
        }

        private void uuid(Node node, String path) {
            text(node, path).filter(id -> !UUID.matcher(id).matches()).ifPresent(id -> report(node, path, "'" + id
                    + "' is not a UUID; write 32 hexadecimal digits grouped 8-4-4-4-12, e.g. " + EXAMPLE_UUID
                    + " (uuidgen makes one)"));
        }

        private void date(Node node, String path) {
            text(node, path).ifPresent(date -> {
                if (!DATE.matcher(date).matches()) {
                    report(node, path, "'" + date + "' is not a date written YYYY-MM-DD; write e.g. 2024-08-08");
                    return;
                }
                try {
                    LocalDate.parse(date);
                } catch (DateTimeParseException e) {
                    report(node, path, "'" + date + "' is not a day of the calendar; write the date the rule was "
                            + ("date".equals(lastKey(path)) ? "written" : "last changed") + ", YYYY-MM-DD");
                }
            });
        }

        private Optional<SequenceNode> list(Node node, String path) {
            if (node instanceof SequenceNode list) {
                return Optional.of(list);
            }
            report(node, path, "must be a list, not " + describe(node) + "; write one item per line, each starting "
                    + "with '- '");
            return Optional.empty();
        }

        private Optional<MappingNode> mapping(Node node, String path) {
            if (node instanceof MappingNode mapping) {
                return Optional.of(mapping);
            }
            report(node, path, "must be a mapping of keys to values, not " + describe(node) + "; write one "
                    + "'key: value' per line, indented under '" + lastKey(path) + ":'");
            return Optional.empty();
        }

        /** A list of text; returns the items that are text, after reporting those too short and the repeated ones. */
        private List<Text> textList(Node node, String path, boolean unique, int minLength) {
            Optional<SequenceNode> list = list(node, path);
            if (list.isEmpty()) {
                return List.of();
            }
            List<Text> texts = new ArrayList<>();
            Map<String, Integer> firstIndex = new HashMap<>();
            List<Node> items = list.get().getValue();
            for (int i = 0; i < items.size(); i++) {
                String itemPath = path + "[" + i + "]";
                Node item = items.get(i);
                Optional<String> text = text(item, itemPath);
                if (text.isEmpty()) {
                    continue;
                }
                if (length(text.get()) < minLength) {
                    report(item, itemPath, tooShort(text.get()));
                }
                Integer first = firstIndex.putIfAbsent(text.get(), i);
                if (unique && first != null) {
                    report(item, itemPath, "repeats item " + first + "; remove it");
                }
                texts.add(new Text(item, itemPath, text.get()));
            }
            return texts;
        }

        private void report(Node node, String path, String message) {
            int[] position = node.getStartMark().map(mark -> new int[] {mark.getLine() + 1, mark.getColumn() + 1})
                    .orElse(new int[] {0, 0});
            problems.add(new Problem(source, position[0], position[1], path, message));
        }

        private static String tooShort(String text) {
            return "'" + text + "' is too short; write at least " + SHORTEST_ENTRY + " characters or remove it";
        }

        private static int line(Node node) {
            return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
        }
    }

    /** A text item of a list, with where it is. */
    private record Text(Node node, String path, String text) {}

    private static boolean isTagged(Node node, Tag tag) {
        return node instanceof ScalarNode && node.getTag().equals(tag);
    }

    /** An integer, or a float with no fraction, which JSON Schema's "integer" also takes (1.0). */
    private static boolean isWholeNumber(Node node) {
        if (isTagged(node, Tag.INT)) {
            return true;
        }
        if (!isTagged(node, Tag.FLOAT)) {
            return false;
        }
        try {
            return new BigDecimal(((ScalarNode) node).getValue()).stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false; // .inf, .nan
        }
    }

    private static String describe(Node node) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return "empty";
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "a number";
        }
        if (tag.equals(Tag.BOOL)) {
            return "a boolean";
        }
        return tag.equals(Tag.STR) ? "text" : "a value tagged " + tag;
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The last key of a path, without its list index: what the user wrote before the colon. */
    private static String lastKey(String path) {
        String last = path.substring(path.lastIndexOf('.') + 1);
        int bracket = last.indexOf('[');
        return bracket < 0 ? last : last.substring(0, bracket);
    }

    /**
     * The candidate closest to {@code name} when it is close enough to be a likely typo: a case-insensitive edit
     * distance (counting a swap of neighbours as one edit) of at most a third of the candidate, and below its length.
     */
    static Optional<String> nearest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null || bestDistance >= best.length() || bestDistance > Math.max(1, best.length() / 3)) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** Optimal string alignment distance, ignoring case. */
    private static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[x.length() + 1][y.length() + 1];
        for (int i = 0; i <= x.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= y.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && x.charAt(i - 1) == y.charAt(j - 2) && x.charAt(i - 2) == y.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[x.length()][y.length()];
    }
}
