package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.query.KqlSyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
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
 * Reads a report template from YAML (1.2, with SnakeYAML Engine, so that errors carry their line and column).
 *
 * <pre>{@code
 * name: monthly-board          # letters, digits, '-' and '_'
 * title: Monthly security report
 * description: What the board asks every month.
 * audience: executive          # executive (default) or technical
 * period: 30d                  # the default period
 * requires: []                 # parameters the report needs: incident, actor, session
 * sections:
 *   - id: incidents
 *     title: Incidents
 *     audience: both           # executive, technical or both (default)
 *     enabled: true            # default true; --sections and --without turn sections on and off
 *     skill: report-incidents  # a copilot skill ...
 *     inputs: {audience: "{{audience}}"}
 *     prose: "{{org}} handled {{fact.incidents}} incidents from {{period.start}} to {{period.end}}."
 *     tables: true             # show the result's tables (default true)
 *     charts:
 *       - {kind: bar, title: Incidents by severity, table: Incidents by severity, label: severity, values: [incidents]}
 *   - id: failed-sign-ins
 *     title: Failed sign-ins
 *     query: |                 # ... or a hunting query (KQL), run over the period
 *       SigninLogs | where ResultType != "0" | summarize failures = count() by UserPrincipalName | top 10 by failures
 * }</pre>
 *
 * <p>Every problem is collected, not only the first, and each names its place as {@code file:line:col}, the
 * problem and the fix. Unknown fields name the nearest known one; hostile input (a file over 1 MiB, nesting deeper
 * than {@value #MAX_NESTING} levels, more than {@value #MAX_SECTIONS} sections, aliases) is refused with a problem,
 * never a stack overflow.
 */
public final class TemplateParser {
    /** Characters a template may have. */
    public static final int MAX_CHARS = 1 << 20;
    static final int MAX_NESTING = 12;
    static final int MAX_SECTIONS = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern SECTION_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern PERIOD = Pattern.compile("[1-9][0-9]{0,3}d|\\d{4}-\\d{2}-\\d{2}\\.\\.\\d{4}-\\d{2}-\\d{2}");
    private static final List<String> TEMPLATE_KEYS = List.of("name", "title", "description", "audience", "period",
            "requires", "sections");
    private static final List<String> SECTION_KEYS = List.of("id", "title", "audience", "enabled", "skill", "inputs",
            "query", "prose", "text", "tables", "charts");
    private static final List<String> CHART_KEYS = List.of("kind", "title", "table", "label", "values");
    private static final List<String> REQUIRABLE = List.of("incident", "actor", "session", "host", "user",
            "severity");

    private final String source;
    private final String text;
    private final TemplateCheck check;
    private final List<String> problems = new ArrayList<>();

    private TemplateParser(String source, String text, TemplateCheck check) {
        this.source = requireNonNull(source, "source is null");
        this.text = requireNonNull(text, "text is null");
        this.check = requireNonNull(check, "check is null");
    }

    /**
     * Reads and checks a template.
     *
     * @param source the file name (or {@code builtin:NAME}) errors name
     * @throws TemplateException with every problem found
     */
    public static ReportTemplate parse(String source, String text, TemplateCheck check) {
        TemplateParser parser = new TemplateParser(source, text, check);
        ReportTemplate template = parser.template();
        if (!parser.problems.isEmpty() || template == null) {
            throw new TemplateException(parser.problems.isEmpty()
                    ? List.of(source + ":1:1: the template is empty. Fix: write a mapping with name, title and sections")
                    : parser.problems);
        }
        return template;
    }

    /** The problems of a template, empty when it is valid. */
    public static List<String> validate(String source, String text, TemplateCheck check) {
        try {
            parse(source, text, check);
            return List.of();
        } catch (TemplateException e) {
            return e.problems();
        }
    }

    private ReportTemplate template() {
        if (text.length() > MAX_CHARS) {
            problem(1, 1, "the file has " + text.length() + " characters, more than the " + MAX_CHARS
                    + " a template may have", "split it, or shorten its prose");
            return null;
        }
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(source).setMaxAliasesForCollections(0)
                    .setAllowRecursiveKeys(false).setAllowDuplicateKeys(false).setCodePointLimit(MAX_CHARS * 2)
                    .build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            if (!composer.hasNext()) {
                return null;
            }
            root = composer.next();
            if (composer.hasNext()) {
                Node second = composer.next();
                problem(second, "the file holds more than one YAML document", "keep one template per file");
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark();
            problem(mark.map(m -> m.getLine() + 1).orElse(1), mark.map(m -> m.getColumn() + 1).orElse(1),
                    "not valid YAML: " + e.getProblem(), "correct the YAML at that place (indentation, quotes,"
                            + " a ':' after each key)");
            return null;
        } catch (YamlEngineException e) {
            problem(1, 1, "not valid YAML: " + e.getMessage(), "correct the YAML");
            return null;
        } catch (StackOverflowError e) {
            problem(1, 1, "the YAML nests too deeply to read", "a template nests " + MAX_NESTING + " levels at most");
            return null;
        }
        if (depth(root, 0) > MAX_NESTING) {
            problem(root, "the template nests deeper than " + MAX_NESTING + " levels",
                    "a template needs 5: sections, a section, charts, a chart, its values");
            return null;
        }
        if (!(root instanceof MappingNode map)) {
            problem(root, "a template must be a mapping of keys (" + String.join(", ", TEMPLATE_KEYS) + ")",
                    "start the file with 'name: ...'");
            return null;
        }
        Map<String, NodeTuple> keys = keys(map, TEMPLATE_KEYS, "template");
        String name = required(keys, "name", map, "name the template, e.g. 'name: monthly-board'");
        if (name != null && !NAME.matcher(name).matches()) {
            problem(value(keys, "name"), "'" + name + "' is not a template name: a name is 1 to 64 letters, digits,"
                    + " '-' and '_', starting with a letter or digit", "rename it, e.g. to '"
                    + suggestName(name) + "'");
        }
        String title = required(keys, "title", map, "give the report a title, e.g. 'title: Monthly security report'");
        String description = optionalText(keys, "description").orElse("");
        Audience audience = audience(keys, false).orElse(Audience.EXECUTIVE);
        String period = optionalText(keys, "period").orElse("");
        if (!period.isEmpty() && !PERIOD.matcher(period).matches()) {
            problem(value(keys, "period"), "'" + period + "' is not a period",
                    "write a number of days such as 7d or 30d, or a range such as 2026-11-01..2026-11-29");
        }
        List<String> requires = new ArrayList<>();
        if (keys.containsKey("requires")) {
            for (Node item : sequence(value(keys, "requires"), "requires")) {
                Optional<String> word = scalar(item, "requires");
                if (word.isPresent() && !REQUIRABLE.contains(word.get())) {
                    problem(item, "'" + word.get() + "' is not a parameter a template can require",
                            "use one of " + String.join(", ", REQUIRABLE) + nearest(word.get(), REQUIRABLE));
                } else {
                    word.ifPresent(requires::add);
                }
            }
        }
        List<TemplateSection> sections = new ArrayList<>();
        if (!keys.containsKey("sections")) {
            problem(map, "the template has no sections", "add 'sections:' with at least one section");
        } else {
            List<Node> items = sequence(value(keys, "sections"), "sections");
            if (items.isEmpty()) {
                problem(value(keys, "sections"), "the template has no sections", "add at least one section");
            }
            if (items.size() > MAX_SECTIONS) {
                problem(items.get(MAX_SECTIONS), "the template has " + items.size() + " sections, more than "
                        + MAX_SECTIONS, "split it into several templates");
            } else {
                Set<String> ids = new HashSet<>();
                for (Node item : items) {
                    TemplateSection section = section(item, requires);
                    if (section != null && !ids.add(section.id())) {
                        problem(item, "two sections have the id '" + section.id() + "'",
                                "give each section its own id; --sections and --without name sections by it");
                    } else if (section != null) {
                        sections.add(section);
                    }
                }
            }
        }
        if (name == null || title == null) {
            return null;
        }
        return new ReportTemplate(name, title, description, audience, period, requires, sections, source);
    }

    private TemplateSection section(Node node, List<String> requires) {
        if (!(node instanceof MappingNode map)) {
            problem(node, "a section must be a mapping (id, title, skill or query ...)",
                    "write the section as '- id: ...' followed by its keys");
            return null;
        }
        Map<String, NodeTuple> keys = keys(map, SECTION_KEYS, "section");
        String id = required(keys, "id", map, "give the section an id, e.g. 'id: incidents'");
        if (id != null && !SECTION_ID.matcher(id).matches()) {
            problem(value(keys, "id"), "'" + id + "' is not a section id: an id is 1 to 64 lower-case letters, digits,"
                    + " '-' and '_'", "rename it, e.g. to '" + suggestName(id).toLowerCase(Locale.ROOT) + "'");
        }
        String title = required(keys, "title", map, "give the section a title, e.g. 'title: Incidents'");
        Audience audience = audience(keys, true).orElse(Audience.BOTH);
        boolean enabled = bool(keys, "enabled").orElse(true);
        List<String> tables = tables(keys);
        TemplateSection.Text shown = TemplateSection.Text.ALL;
        Optional<String> textWord = optionalText(keys, "text");
        if (textWord.isPresent()) {
            switch (textWord.get()) {
                case "all", "true" -> shown = TemplateSection.Text.ALL;
                case "first" -> shown = TemplateSection.Text.FIRST;
                case "none", "false" -> shown = TemplateSection.Text.NONE;
                default -> problem(value(keys, "text"), "text is '" + textWord.get() + "'",
                        "write all (the skill's whole text), first (its first paragraph) or none");
            }
        }
        String prose = optionalText(keys, "prose").orElse("");
        placeholders(value(keys, "prose"), prose, true);
        TemplateSection.Source source = null;
        boolean skill = keys.containsKey("skill");
        boolean query = keys.containsKey("query");
        if (skill && query) {
            problem(keys.get("query").getKeyNode(), "the section has both a skill and a query",
                    "keep one: a section is computed by one skill or one query");
        } else if (!skill && !query) {
            problem(map, "section '" + (id == null ? "?" : id) + "' has neither a skill nor a query",
                    "add 'skill: NAME' (`vigil report templates skills` lists them) or 'query: KQL'");
        } else if (skill) {
            source = skillSource(keys);
        } else {
            Node queryNode = value(keys, "query");
            Optional<String> kql = scalar(queryNode, "query");
            if (kql.isPresent()) {
                if (kql.get().isBlank()) {
                    problem(queryNode, "the query is empty", "write a hunting query (KQL)");
                } else {
                    check.kql().apply(kql.get()).ifPresent(e -> kqlProblem(queryNode, e));
                    source = new TemplateSection.QuerySource(kql.get(), line(queryNode));
                }
            }
            if (keys.containsKey("inputs")) {
                problem(keys.get("inputs").getKeyNode(), "a query section takes no inputs",
                        "write the values into the query, or bind the section to a skill");
            }
        }
        List<ChartSpec> charts = new ArrayList<>();
        if (keys.containsKey("charts")) {
            for (Node chart : sequence(value(keys, "charts"), "charts")) {
                ChartSpec spec = chart(chart);
                if (spec != null) {
                    charts.add(spec);
                }
            }
        }
        if (id == null || title == null || source == null) {
            return null;
        }
        return new TemplateSection(id, title, audience, enabled, source, prose, shown, tables, charts, line(map));
    }

    /** {@code tables:} true (all, the default), false (none), or a list of table titles. */
    private List<String> tables(Map<String, NodeTuple> keys) {
        Node node = value(keys, "tables");
        if (node == null) {
            return TemplateSection.ALL_TABLES;
        }
        if (node instanceof SequenceNode list) {
            List<String> titles = new ArrayList<>();
            list.getValue().forEach(item -> scalar(item, "a table title").ifPresent(titles::add));
            return titles;
        }
        return bool(keys, "tables").orElse(true) ? TemplateSection.ALL_TABLES : List.of();
    }

    private TemplateSection.SkillSource skillSource(Map<String, NodeTuple> keys) {
        Node skillNode = value(keys, "skill");
        Optional<String> skill = scalar(skillNode, "skill");
        if (skill.isEmpty()) {
            return null;
        }
        Optional<SkillSpec> spec = Optional.empty();
        if (check.skills().isPresent()) {
            Map<String, SkillSpec> skills = check.skills().get();
            spec = Optional.ofNullable(skills.get(skill.get()));
            if (spec.isEmpty()) {
                problem(skillNode, "there is no skill '" + skill.get() + "'", "use one of the skills `vigil report"
                        + " templates skills` lists" + nearest(skill.get(), skills.keySet().stream().sorted().toList()));
                return null;
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        if (keys.containsKey("inputs")) {
            Node inputsNode = value(keys, "inputs");
            if (!(inputsNode instanceof MappingNode inputMap)) {
                problem(inputsNode, "inputs must be a mapping of input names to values",
                        "write 'inputs: {incident: \"{{incident}}\"}'");
            } else {
                for (NodeTuple tuple : inputMap.getValue()) {
                    Optional<String> input = scalar(tuple.getKeyNode(), "an input name");
                    Optional<String> value = scalar(tuple.getValueNode(), "an input value");
                    if (input.isEmpty() || value.isEmpty()) {
                        continue;
                    }
                    if (spec.isPresent() && spec.get().input(input.get()).isEmpty()) {
                        List<String> names = spec.get().inputs().stream().map(SkillInput::name).toList();
                        problem(tuple.getKeyNode(), "skill '" + skill.get() + "' has no input '" + input.get() + "'",
                                names.isEmpty() ? "remove it: the skill takes no inputs" : "use one of "
                                        + String.join(", ", names) + nearest(input.get(), names));
                        continue;
                    }
                    placeholders(tuple.getValueNode(), value.get(), false);
                    inputs.put(input.get(), value.get());
                }
            }
        }
        if (spec.isPresent()) {
            for (SkillInput required : spec.get().requiredInputs()) {
                if (!inputs.containsKey(required.name())) {
                    problem(skillNode, "skill '" + skill.get() + "' needs the input '" + required.name() + "' ("
                            + required.description() + ")", "add 'inputs: {" + required.name() + ": \"{{"
                            + (Placeholders.isParameter(required.name()) ? required.name() : "...") + "}}\"}'");
                }
            }
        }
        return new TemplateSection.SkillSource(skill.get(), inputs);
    }

    private ChartSpec chart(Node node) {
        if (!(node instanceof MappingNode map)) {
            problem(node, "a chart must be a mapping (kind, title, label, values)",
                    "write '- {kind: bar, title: ..., label: COLUMN, values: [COLUMN]}'");
            return null;
        }
        Map<String, NodeTuple> keys = keys(map, CHART_KEYS, "chart");
        String kindWord = required(keys, "kind", map, "say how to draw it: bar, line, donut or heatmap");
        ChartSpec.Kind kind = null;
        if (kindWord != null) {
            try {
                kind = ChartSpec.Kind.valueOf(kindWord.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(value(keys, "kind"), "'" + kindWord + "' is not a kind of chart",
                        "use bar, line, donut or heatmap");
            }
        }
        String title = required(keys, "title", map, "give the chart a title");
        String table = optionalText(keys, "table").orElse("");
        String label = required(keys, "label", map, "name the column that labels the bars, points or slices");
        List<String> values = new ArrayList<>();
        if (!keys.containsKey("values")) {
            problem(map, "the chart has no values", "name the numeric columns it draws, e.g. 'values: [alerts]'");
        } else {
            for (Node item : sequence(value(keys, "values"), "values")) {
                scalar(item, "values").ifPresent(values::add);
            }
            if (kind == ChartSpec.Kind.HEATMAP && values.size() != 3) {
                problem(value(keys, "values"), "a heat map takes three value columns: the technique id, its name"
                        + " and its value", "write 'values: [technique, name, alerts]' and the tactic as 'label'");
            }
        }
        if (kind == null || title == null || label == null || values.isEmpty()) {
            return null;
        }
        return new ChartSpec(kind, title, table, label, values, line(map));
    }

    // --- placeholders and queries ---------------------------------------------------------------------------------

    private void placeholders(Node node, String value, boolean prose) {
        if (node == null) {
            return;
        }
        for (Placeholders.Found found : Placeholders.find(value)) {
            String name = found.name();
            if (Placeholders.isParameter(name) || prose && Placeholders.isResult(name)) {
                continue;
            }
            int[] at = position(node, found.offset());
            String fix = prose ? "use a parameter (" + String.join(", ", Placeholders.PARAMETERS) + ") or a value of"
                    + " the section's result: rows, fact.NAME, cell.ROW.COLUMN"
                    : "an input takes a parameter: " + String.join(", ", Placeholders.PARAMETERS);
            problem(at[0], at[1], "unknown placeholder {{" + name + "}}" + (!prose && Placeholders.isResult(name)
                    ? " in an input: the section's result is not known before it runs" : ""),
                    fix + nearest(name, Placeholders.PARAMETERS));
        }
    }

    private void kqlProblem(Node node, KqlSyntaxException e) {
        int[] at = queryPosition(node, e.line(), e.column());
        problem(at[0], at[1], "the query does not compile" + (e.line() > 0 ? " (at its line " + e.line()
                + ", column " + e.column() + ")" : "") + ": " + e.detail(), e.fix());
    }

    /** Where a position of a scalar's text is in the file: exact for block scalars and single lines. */
    private int[] position(Node node, int offset) {
        String value = ((ScalarNode) node).getValue();
        String before = value.substring(0, Math.min(offset, value.length()));
        int lineInValue = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = before.length() - before.lastIndexOf('\n');
        return queryPosition(node, lineInValue, column);
    }

    private int[] queryPosition(Node node, int lineInQuery, int columnInQuery) {
        Mark mark = node.getStartMark().orElse(null);
        if (mark == null) {
            return new int[] {1, 1};
        }
        int line = Math.max(1, lineInQuery);
        int column = Math.max(1, columnInQuery);
        ScalarStyle style = node instanceof ScalarNode s ? s.getScalarStyle() : ScalarStyle.PLAIN;
        if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
            // the node starts at the '|' or '>'; its text starts on the next line, indented
            int first = mark.getLine() + 1 + line;
            return new int[] {first, indentation(first) + column};
        }
        if (line == 1) {
            int quote = style == ScalarStyle.PLAIN ? 0 : 1;
            return new int[] {mark.getLine() + 1, mark.getColumn() + 1 + quote + column - 1};
        }
        return new int[] {mark.getLine() + line, column};
    }

    private int indentation(int lineNumber) {
        String[] lines = text.split("\n", -1);
        if (lineNumber < 1 || lineNumber > lines.length) {
            return 0;
        }
        String line = lines[lineNumber - 1];
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        return indent;
    }

    // --- YAML helpers ---------------------------------------------------------------------------------------------

    private Map<String, NodeTuple> keys(MappingNode map, List<String> known, String what) {
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Optional<String> key = scalar(tuple.getKeyNode(), "a key");
            if (key.isEmpty()) {
                continue;
            }
            if (!known.contains(key.get())) {
                problem(tuple.getKeyNode(), "unknown field '" + key.get() + "' in a " + what,
                        "a " + what + " has " + String.join(", ", known) + nearest(key.get(), known));
                continue;
            }
            keys.put(key.get(), tuple);
        }
        return keys;
    }

    private static Node value(Map<String, NodeTuple> keys, String key) {
        NodeTuple tuple = keys.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    private String required(Map<String, NodeTuple> keys, String key, Node owner, String fix) {
        if (!keys.containsKey(key)) {
            problem(owner, "missing " + key, fix);
            return null;
        }
        Optional<String> value = scalar(value(keys, key), key);
        if (value.isPresent() && value.get().isBlank()) {
            problem(value(keys, key), key + " is empty", fix);
            return null;
        }
        return value.orElse(null);
    }

    private Optional<String> optionalText(Map<String, NodeTuple> keys, String key) {
        return keys.containsKey(key) ? scalar(value(keys, key), key) : Optional.empty();
    }

    private Optional<Boolean> bool(Map<String, NodeTuple> keys, String key) {
        Optional<String> word = optionalText(keys, key);
        if (word.isEmpty()) {
            return Optional.empty();
        }
        return switch (word.get()) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                problem(value(keys, key), key + " is '" + word.get() + "', not true or false", "write true or false");
                yield Optional.empty();
            }
        };
    }

    private Optional<Audience> audience(Map<String, NodeTuple> keys, boolean section) {
        Optional<String> word = optionalText(keys, "audience");
        if (word.isEmpty()) {
            return Optional.empty();
        }
        Optional<Audience> audience = Audience.of(word.get());
        if (audience.isEmpty() || !section && audience.get() == Audience.BOTH) {
            problem(value(keys, "audience"), "'" + word.get() + "' is not an audience",
                    section ? "use executive, technical or both" : "use executive or technical");
            return Optional.empty();
        }
        return audience;
    }

    private Optional<String> scalar(Node node, String what) {
        if (node instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL) && s.getScalarStyle() == ScalarStyle.PLAIN) {
                problem(node, what + " has no value", "write a value after the ':'");
                return Optional.empty();
            }
            return Optional.of(s.getValue());
        }
        problem(node, what + " must be a single value, not a " + (node instanceof SequenceNode ? "list" : "mapping"),
                "write it on one line after the ':' (quote it if it holds ':' or '#')");
        return Optional.empty();
    }

    private List<Node> sequence(Node node, String what) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        problem(node, what + " must be a list", "write each item on its own line starting with '- '");
        return List.of();
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

    private static int line(Node node) {
        return node == null ? 1 : node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private void problem(Node node, String problem, String fix) {
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        problem(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1, problem, fix);
    }

    private void problem(int line, int column, String problem, String fix) {
        problems.add(source + ":" + line + ":" + column + ": " + problem + ". Fix: " + fix
                + (fix.endsWith(".") ? "" : "."));
    }

    private static String suggestName(String name) {
        String suggestion = name.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        return suggestion.isEmpty() ? "my-report" : suggestion.substring(0, Math.min(64, suggestion.length()));
    }

    /** "; did you mean X?" for the known word nearest to a misspelt one, when one is close. */
    static String nearest(String word, List<String> known) {
        return known.stream().min(Comparator.comparingInt((String k) -> distance(word, k)).thenComparing(k -> k))
                .filter(k -> distance(word, k) <= Math.max(2, word.length() / 3))
                .map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
