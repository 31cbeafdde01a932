package dev.vigil.copilot.plugin;

import dev.vigil.copilot.plugin.PluginManifest.Authorization;
import dev.vigil.copilot.plugin.PluginManifest.BoundTemplate;
import dev.vigil.copilot.plugin.PluginManifest.Descriptor;
import dev.vigil.copilot.plugin.PluginManifest.Setting;
import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import dev.vigil.copilot.plugin.PluginManifest.TemplateInput;
import dev.vigil.copilot.plugin.PluginManifest.TemplateSkill;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates a plugin manifest in Security Copilot's shape, YAML or JSON:
 *
 * <pre>
 * Descriptor: {Name, DisplayName, Description, DescriptionForModel, Settings, SupportedAuthTypes, Authorization}
 * SkillGroups:
 *   - Format: KQL | SQL
 *     Skills: [{Name, DisplayName, Description, ExamplePrompts, Inputs: [{Name, Description, Required, DefaultValue}],
 *               Settings: {Target, Template | TemplateUrl}}]
 *   - Format: API
 *     Settings: {OpenApiSpecUrl | OpenApiSpec, EndpointUrl | EndpointUrlSettingName}
 *   - Format: MCP
 *     Settings: {Url | UrlSettingName | Command, Headers: {Name: value with {{Setting}}}, Tools: [names]}
 * </pre>
 *
 * <p>Every problem of a manifest is reported at once, each at its {@code file:line:column} with the field and how to
 * fix it; a manifest with any problem yields no plugin. Files a manifest refers to (an OpenAPI specification, a
 * template) are read only from the plugin's own folder: Vigil runs offline and a manifest must not read elsewhere.
 */
public final class PluginParser {
    private static final Set<String> DESCRIPTOR_KEYS = Set.of("Name", "DisplayName", "Description",
            "DescriptionDisplay", "DescriptionForModel", "Category", "Prerequisites", "Icon", "Settings",
            "SupportedAuthTypes", "Authorization");
    private static final Set<String> GROUP_KEYS = Set.of("Format", "Skills", "Settings");
    private static final Set<String> SKILL_KEYS = Set.of("Name", "DisplayName", "Description", "DescriptionForModel",
            "ExamplePrompts", "Inputs", "Settings");
    private static final Set<String> INPUT_KEYS = Set.of("Name", "Description", "Required", "DefaultValue",
            "PlaceholderValue");
    private static final Set<String> TEMPLATE_SETTINGS = Set.of("Target", "Template", "TemplateUrl", "TemplateFile");
    private static final Set<String> API_SETTINGS = Set.of("OpenApiSpecUrl", "OpenApiSpec", "EndpointUrl",
            "EndpointUrlSettingName");
    private static final Set<String> MCP_SETTINGS = Set.of("Url", "UrlSettingName", "Command", "Headers", "Tools");
    private static final Set<String> TARGETS = Set.of("defender", "sentinel", "sentineldatalake", "loganalytics",
            "kusto");
    private static final Pattern SETTING_REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Pattern FORBIDDEN_NAME_CHARACTERS = Pattern.compile("[/\\\\?#@]");

    private final String source;
    private final Path folder;
    /** The plugin's files by relative path when they come from a {@link PluginPackage} rather than a folder. */
    private final Map<String, byte[]> files;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> skillNames = new HashSet<>();
    private String pluginName = "plugin";

    private PluginParser(String source, Path folder, Map<String, byte[]> files) {
        this.source = source;
        this.folder = folder == null ? null : folder.toAbsolutePath().normalize();
        this.files = files;
    }

    /**
     * Reads the manifest file; files it refers to are read from the manifest's folder.
     *
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} naming every problem, {@link ErrorCode#INPUT_NOT_FOUND}
     *     when the file does not exist
     */
    public static PluginManifest read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new VigilException(ErrorCode.INPUT_NOT_FOUND, file + ": no such file", e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, file + ": cannot be read: " + e.getMessage(), e);
        }
        Path parent = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), parent);
    }

    /**
     * Parses and validates a manifest.
     *
     * @param source the file name messages name
     * @param folder the plugin's folder, which relative references resolve in; null when there is none (then a
     *     reference is a problem)
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} naming every problem
     */
    public static PluginManifest parse(String text, String source, Path folder) {
        return parse(new PluginParser(source, folder, null), text);
    }

    /**
     * Parses and validates a manifest whose files are held in memory: a plugin as a shared store keeps it.
     *
     * @param source the file name messages name; a referenced file is named beside it
     * @param files the plugin's files by their path relative to the manifest's folder, {@code /}-separated
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} naming every problem
     */
    public static PluginManifest parseWithFiles(String text, String source, Map<String, byte[]> files) {
        java.util.Objects.requireNonNull(files, "files is null");
        return parse(new PluginParser(source, null, files), text);
    }

    private static PluginManifest parse(PluginParser parser, String text) {
        PluginManifest manifest = parser.manifest(NodeReader.read(text, parser.source));
        if (!parser.problems.isEmpty()) {
            throw failure(parser.problems);
        }
        return manifest;
    }

    private static VigilException failure(List<String> problems) {
        if (problems.size() == 1) {
            String problem = problems.get(0);
            int fix = problem.indexOf(". Fix: ");
            return new VigilException(ErrorCode.PLUGIN_INVALID, problem.substring(0, fix), problem.substring(fix + 7)
                    + ".", null);
        }
        return new VigilException(ErrorCode.PLUGIN_INVALID, problems.size() + " problems in the plugin:\n"
                + String.join("\n", problems), "Fix each problem at the place named, then run `vigil plugins validate`"
                + " again.", null);
    }

    private void problem(Node.Position at, String field, String problem, String fix) {
        problems.add(at + ": " + field + ": " + problem + ". Fix: " + fix);
    }

    // --- the manifest --------------------------------------------------------------------------------------------

    private PluginManifest manifest(Node root) {
        if (!(root instanceof Node.Mapping map)) {
            problem(root.position(), "(top level)", "a manifest is a mapping with Descriptor and SkillGroups, not "
                    + Node.kind(root), "Start the file with 'Descriptor:' and 'SkillGroups:'");
            return null;
        }
        checkKeys(map, Set.of("Descriptor", "SkillGroups"), "");
        Descriptor descriptor = mapping(map, "Descriptor", "Descriptor", true).map(this::descriptor).orElse(null);
        List<SkillGroup> groups = new ArrayList<>();
        Optional<Node> groupsNode = map.get("SkillGroups");
        if (groupsNode.isEmpty()) {
            problem(map.position(), "SkillGroups", "the manifest has no SkillGroups",
                    "Add 'SkillGroups:' with at least one group, e.g. '- Format: KQL' and its Skills");
        } else if (!(groupsNode.get() instanceof Node.Sequence list) || list.items().isEmpty()) {
            problem(groupsNode.get().position(), "SkillGroups", "SkillGroups must be a list of groups, not "
                    + Node.kind(groupsNode.get()), "Write each group as a list item: '- Format: KQL'");
        } else {
            for (int i = 0; i < list.items().size(); i++) {
                skillGroup(list.items().get(i), "SkillGroups[" + i + "]", descriptor).ifPresent(groups::add);
            }
        }
        if (descriptor == null || !problems.isEmpty()) {
            return null;
        }
        return new PluginManifest(Names.kebab(descriptor.name()), descriptor, groups, source);
    }

    private Descriptor descriptor(Node.Mapping map) {
        checkKeys(map, DESCRIPTOR_KEYS, "Descriptor.");
        String name = text(map, "Name", "Descriptor.Name", true).orElse("");
        if (!name.isEmpty()) {
            if (FORBIDDEN_NAME_CHARACTERS.matcher(name).find()) {
                problem(map.get("Name").orElseThrow().position(), "Descriptor.Name", "the name '" + name
                        + "' contains one of / \\ ? # @", "Use letters, digits, spaces, '-' or '_' in the name");
            } else if (Names.kebab(name).isEmpty()) {
                problem(map.get("Name").orElseThrow().position(), "Descriptor.Name", "the name '" + name
                        + "' has no letters", "Name the plugin with words, e.g. 'LateralMovementHunts'");
            } else {
                pluginName = name;
            }
        }
        String description = text(map, "Description", "Descriptor.Description", false)
                .or(() -> text(map, "DescriptionDisplay", "Descriptor.DescriptionDisplay", false)).orElse("");
        if (description.isBlank()) {
            problem(map.position(), "Descriptor.Description", "the plugin has no Description",
                    "Add 'Description:' saying what the plugin's skills answer");
        }
        String displayName = text(map, "DisplayName", "Descriptor.DisplayName", false).orElse(name);
        String forModel = text(map, "DescriptionForModel", "Descriptor.DescriptionForModel", false).orElse(description);
        List<Setting> settings = new ArrayList<>();
        list(map, "Settings", "Descriptor.Settings").ifPresent(items -> {
            for (int i = 0; i < items.size(); i++) {
                setting(items.get(i), "Descriptor.Settings[" + i + "]").ifPresent(settings::add);
            }
        });
        List<String> authTypes = new ArrayList<>();
        list(map, "SupportedAuthTypes", "Descriptor.SupportedAuthTypes").ifPresent(items -> items.forEach(item -> {
            if (item instanceof Node.Scalar s && !s.isNull()) {
                authTypes.add(s.text());
            }
        }));
        Authorization authorization = mapping(map, "Authorization", "Descriptor.Authorization", false)
                .map(this::authorization).orElse(new Authorization.None());
        return new Descriptor(name, displayName, description, forModel, settings, authTypes, authorization);
    }

    private Optional<Setting> setting(Node node, String field) {
        if (!(node instanceof Node.Mapping map)) {
            problem(node.position(), field, "a setting is a mapping with Name, Label, Description and Required, not "
                    + Node.kind(node), "Write it as '- Name: ApiKey' with its other keys below");
            return Optional.empty();
        }
        checkKeys(map, Set.of("Name", "Label", "Description", "HintText", "SettingType", "Required", "DefaultValue"),
                field + ".");
        Optional<String> name = text(map, "Name", field + ".Name", true);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String type = text(map, "SettingType", field + ".SettingType", false).orElse("String");
        boolean secret = Set.of("secretstring", "secret", "password").contains(type.toLowerCase(Locale.ROOT))
                || Setting.looksSecret(name.get());
        return Optional.of(new Setting(name.get(), text(map, "Label", field + ".Label", false).orElse(name.get()),
                text(map, "Description", field + ".Description", false).orElse(""),
                bool(map, "Required", field + ".Required", false),
                text(map, "DefaultValue", field + ".DefaultValue", false), secret));
    }

    private Authorization authorization(Node.Mapping map) {
        String field = "Descriptor.Authorization";
        String type = text(map, "Type", field + ".Type", true).orElse("None");
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "none" -> new Authorization.None();
            case "apikey" -> {
                checkKeys(map, Set.of("Type", "Key", "Location", "AuthScheme", "Value"), field + ".");
                String key = text(map, "Key", field + ".Key", true).orElse("x-api-key");
                String location = text(map, "Location", field + ".Location", false).orElse("Header");
                boolean inQuery = switch (location.toLowerCase(Locale.ROOT)) {
                    case "header" -> false;
                    case "query", "queryparams", "queryparameter" -> true;
                    default -> {
                        problem(map.get("Location").orElseThrow().position(), field + ".Location", "unknown location '"
                                + location + "'", "Use Header or QueryParams");
                        yield false;
                    }
                };
                yield new Authorization.ApiKey(key, inQuery, text(map, "AuthScheme", field + ".AuthScheme", false)
                        .orElse(""), settingReference(map, "Value", field, "ApiKey"));
            }
            case "basic" -> {
                checkKeys(map, Set.of("Type", "Username", "Password"), field + ".");
                yield new Authorization.Basic(settingReference(map, "Username", field, "Username"),
                        settingReference(map, "Password", field, "Password"));
            }
            case "oauthclientcredentialsflow", "oauth2clientcredentials", "clientcredentials" -> {
                checkKeys(map, Set.of("Type", "TokenEndpoint", "Scopes", "ClientId", "ClientSecret"), field + ".");
                String endpoint = text(map, "TokenEndpoint", field + ".TokenEndpoint", true).orElse("");
                yield new Authorization.OAuthClientCredentials(endpoint,
                        text(map, "Scopes", field + ".Scopes", false).orElse("").replace(',', ' ').strip(),
                        settingReference(map, "ClientId", field, "ClientId"),
                        settingReference(map, "ClientSecret", field, "ClientSecret"));
            }
            default -> {
                problem(map.get("Type").orElseThrow().position(), field + ".Type", "the authorization type '" + type
                        + "' is not supported yet", "Use None, ApiKey, Basic or OAuthClientCredentialsFlow");
                yield new Authorization.None();
            }
        };
    }

    /**
     * The setting an authorization value comes from: {@code {{SettingName}}} names it, and without a value the
     * conventional setting ({@code ApiKey}, {@code Password} ...) holds it. A literal secret in a manifest is refused:
     * manifests are shared, secrets are per tenant.
     */
    private String settingReference(Node.Mapping map, String key, String field, String conventional) {
        Optional<String> value = text(map, key, field + "." + key, false);
        if (value.isEmpty()) {
            return conventional;
        }
        Matcher m = SETTING_REFERENCE.matcher(value.get().strip());
        if (m.matches()) {
            return m.group(1);
        }
        problem(map.get(key).orElseThrow().position(), field + "." + key, "a literal credential in the manifest",
                "Write '{{" + conventional + "}}' and give the value per tenant with `vigil plugins install ..."
                        + " --setting " + conventional + "=VALUE`");
        return conventional;
    }

    // --- skill groups ----------------------------------------------------------------------------------------

    private Optional<SkillGroup> skillGroup(Node node, String field, Descriptor descriptor) {
        if (!(node instanceof Node.Mapping map)) {
            problem(node.position(), field, "a skill group is a mapping with Format and Skills, not " + Node.kind(node),
                    "Write it as '- Format: KQL' with 'Skills:' below");
            return Optional.empty();
        }
        checkKeys(map, GROUP_KEYS, field + ".");
        Optional<String> format = text(map, "Format", field + ".Format", true);
        if (format.isEmpty()) {
            return Optional.empty();
        }
        Node.Position at = map.get("Format").orElseThrow().position();
        return switch (format.get().toUpperCase(Locale.ROOT)) {
            case "KQL" -> Optional.of(new SkillGroup.Kql(templateSkills(map, field, true)));
            case "SQL" -> Optional.of(new SkillGroup.Sql(templateSkills(map, field, false)));
            case "API" -> api(map, field);
            case "MCP" -> mcp(map, field);
            default -> {
                problem(at, field + ".Format", "unknown format '" + format.get() + "'",
                        "Use KQL, SQL, API or MCP (Format GPT, LogicApp and Agent are Security Copilot's own)");
                yield Optional.empty();
            }
        };
    }

    private List<TemplateSkill> templateSkills(Node.Mapping group, String field, boolean kql) {
        List<TemplateSkill> skills = new ArrayList<>();
        Optional<List<Node>> items = list(group, "Skills", field + ".Skills");
        if (items.isEmpty() || items.get().isEmpty()) {
            problem(group.position(), field + ".Skills", "the group has no skills",
                    "Add 'Skills:' with at least one skill (Name, Description, Inputs, Settings.Template)");
            return skills;
        }
        for (int i = 0; i < items.get().size(); i++) {
            templateSkill(items.get().get(i), field + ".Skills[" + i + "]", kql).ifPresent(skills::add);
        }
        return skills;
    }

    private Optional<TemplateSkill> templateSkill(Node node, String field, boolean kql) {
        if (!(node instanceof Node.Mapping map)) {
            problem(node.position(), field, "a skill is a mapping, not " + Node.kind(node),
                    "Write it as '- Name: ...' with Description, Inputs and Settings below");
            return Optional.empty();
        }
        checkKeys(map, SKILL_KEYS, field + ".");
        Optional<String> name = text(map, "Name", field + ".Name", true);
        String description = text(map, "Description", field + ".Description", false).orElse("");
        if (description.isBlank()) {
            problem(map.position(), field + ".Description", "the skill has no Description",
                    "Add 'Description:' saying what the skill answers: the copilot picks skills by it");
        }
        List<String> examples = new ArrayList<>();
        list(map, "ExamplePrompts", field + ".ExamplePrompts").ifPresent(list -> list.forEach(item -> {
            if (item instanceof Node.Scalar s && !s.isNull()) {
                examples.add(s.text());
            }
        }));
        List<TemplateInput> inputs = new ArrayList<>();
        Map<String, Node.Position> inputPositions = new LinkedHashMap<>();
        list(map, "Inputs", field + ".Inputs").ifPresent(list -> {
            for (int i = 0; i < list.size(); i++) {
                templateInput(list.get(i), field + ".Inputs[" + i + "]", inputs, inputPositions);
            }
        });
        Optional<Node.Mapping> settings = mapping(map, "Settings", field + ".Settings", true);
        if (name.isEmpty() || settings.isEmpty()) {
            return Optional.empty();
        }
        checkKeys(settings.get(), TEMPLATE_SETTINGS, field + ".Settings.");
        String target = text(settings.get(), "Target", field + ".Settings.Target", false).orElse(kql ? "Defender" : "Vigil");
        if (kql && !TARGETS.contains(target.toLowerCase(Locale.ROOT))) {
            problem(settings.get().get("Target").orElseThrow().position(), field + ".Settings.Target",
                    "unknown target '" + target + "'", "Use Defender or Sentinel (Vigil runs both against its own store)");
        }
        Optional<Located> template = template(settings.get(), field + ".Settings");
        String skillName = Names.skillName(pluginName, name.get());
        if (!skillNames.add(skillName)) {
            problem(map.get("Name").orElseThrow().position(), field + ".Name", "a second skill named '" + skillName
                    + "' in the plugin", "Give each skill a Name of its own");
        }
        if (template.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Optional<String>> defaults = new LinkedHashMap<>();
        inputs.forEach(i -> defaults.put(i.name(), i.defaultValue()));
        if (!placeholdersDeclared(template.get(), inputs, field)) {
            return Optional.empty();
        }
        BoundTemplate bound;
        if (kql) {
            bound = Templates.kql(template.get().text(), defaults);
            try {
                KqlCompiler.declaredParameters(bound.text());
            } catch (KqlSyntaxException e) {
                int line = bound.parameters().isEmpty() ? e.line() : e.line() - 1;
                problem(template.get().at(), field + ".Settings.Template", "the query does not parse at line " + line
                        + ", column " + e.column() + " of the template: " + e.detail(),
                        e.fix() == null ? "Fix the KQL of the template" : e.fix());
                return Optional.empty();
            }
        } else {
            bound = Templates.sql(template.get().text());
            String first = template.get().text().stripLeading().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (!Set.of("select", "with", "from").contains(first)) {
                problem(template.get().at(), field + ".Settings.Template", "a SQL skill reads: its template starts with '"
                        + first + "'", "Start the template with SELECT, WITH or FROM; data changes only through `vigil ingest`");
                return Optional.empty();
            }
        }
        return Optional.of(new TemplateSkill(name.get(), skillName, text(map, "DisplayName", field + ".DisplayName",
                false).orElse(name.get()), description, examples, inputs, target, template.get().text(), bound));
    }

    private void templateInput(Node node, String field, List<TemplateInput> inputs, Map<String, Node.Position> seen) {
        if (!(node instanceof Node.Mapping map)) {
            problem(node.position(), field, "an input is a mapping with Name, Description and Required, not "
                    + Node.kind(node), "Write it as '- Name: DeviceName' with Description and Required below");
            return;
        }
        checkKeys(map, INPUT_KEYS, field + ".");
        Optional<String> name = text(map, "Name", field + ".Name", true);
        if (name.isEmpty()) {
            return;
        }
        Node.Position at = map.get("Name").orElseThrow().position();
        String inputName = Names.snake(name.get());
        if (inputName.isEmpty() || !inputName.matches("[a-z][a-z0-9_]*")) {
            problem(at, field + ".Name", "the input name '" + name.get() + "' has no letters",
                    "Name the input with letters and digits, e.g. DeviceName");
            return;
        }
        if (!name.get().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problem(at, field + ".Name", "the input name '" + name.get() + "' cannot be a placeholder",
                    "Use letters, digits and '_' only, e.g. " + name.get().replaceAll("[^A-Za-z0-9_]", ""));
            return;
        }
        if (seen.containsKey(inputName)) {
            problem(at, field + ".Name", "a second input named '" + name.get() + "' (the first is at line "
                    + seen.get(inputName).line() + ")", "Give each input a Name of its own");
            return;
        }
        seen.put(inputName, at);
        String description = text(map, "Description", field + ".Description", false).orElse("");
        inputs.add(new TemplateInput(name.get(), inputName, description, bool(map, "Required", field + ".Required", true),
                text(map, "DefaultValue", field + ".DefaultValue", false), Names.entityType(name.get(), description)));
    }

    private boolean placeholdersDeclared(Located template, List<TemplateInput> inputs, String field) {
        boolean ok = true;
        for (String placeholder : Templates.placeholders(template.text())) {
            if (!Templates.isName(placeholder)) {
                problem(template.at(), field + ".Settings.Template", "the placeholder {{" + placeholder
                        + "}} is not an input name", "Write a declared input's name between the braces, e.g. {{DeviceName}}");
                ok = false;
                continue;
            }
            String name = Templates.name(placeholder);
            if (inputs.stream().noneMatch(i -> i.name().equals(name))) {
                Optional<TemplateInput> other = inputs.stream().filter(i -> i.name().equalsIgnoreCase(name)).findFirst();
                problem(template.at(), field + ".Settings.Template", "the placeholder {{" + name
                        + "}} is not a declared input", other.map(i -> "Write {{" + i.name() + "}}, as the input is"
                        + " named").orElse("Declare it under Inputs: '- Name: " + name + "' with its Description"));
                ok = false;
            }
        }
        return ok;
    }

    /** A text and where it stands. */
    private record Located(String text, Node.Position at) {}

    private Optional<Located> template(Node.Mapping settings, String field) {
        Optional<String> inline = text(settings, "Template", field + ".Template", false);
        Optional<String> url = text(settings, "TemplateUrl", field + ".TemplateUrl", false)
                .or(() -> text(settings, "TemplateFile", field + ".TemplateFile", false));
        if (inline.isPresent() && url.isPresent()) {
            problem(settings.keyPosition("TemplateUrl"), field + ".TemplateUrl", "both Template and TemplateUrl are"
                    + " given", "Keep one of them");
            return Optional.empty();
        }
        if (inline.isPresent()) {
            if (inline.get().isBlank()) {
                problem(settings.get("Template").orElseThrow().position(), field + ".Template", "the template is empty",
                        "Write the query of the skill");
                return Optional.empty();
            }
            return Optional.of(new Located(inline.get(), settings.get("Template").orElseThrow().position()));
        }
        if (url.isPresent()) {
            Node.Position at = settings.get("TemplateUrl").or(() -> settings.get("TemplateFile")).orElseThrow().position();
            return readReference(url.get(), at, field + ".TemplateUrl").map(f -> new Located(f.text(),
                    new Node.Position(f.source(), 1, 1)));
        }
        problem(settings.position(), field + ".Template", "the skill has no Template",
                "Add 'Template:' with the query, using {{InputName}} where an input's value goes");
        return Optional.empty();
    }

    // --- API ---------------------------------------------------------------------------------------------------

    private Optional<SkillGroup> api(Node.Mapping group, String field) {
        Optional<Node.Mapping> settings = mapping(group, "Settings", field + ".Settings", true);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        checkKeys(settings.get(), API_SETTINGS, field + ".Settings.");
        Node spec;
        Optional<Node> inline = settings.get().get("OpenApiSpec");
        Optional<String> url = text(settings.get(), "OpenApiSpecUrl", field + ".Settings.OpenApiSpecUrl", false);
        if (inline.isPresent() && !(inline.get() instanceof Node.Scalar)) {
            spec = inline.get();
        } else if (inline.isPresent()) {
            String text = ((Node.Scalar) inline.get()).text();
            if (text == null) {
                problem(inline.get().position(), field + ".Settings.OpenApiSpec", "the specification is empty",
                        "Write the OpenAPI 3.0 specification inline, or set OpenApiSpecUrl to its file");
                return Optional.empty();
            }
            Node.Position at = inline.get().position();
            try {
                spec = NodeReader.read(text, at.source() + " (OpenApiSpec at line " + at.line() + ")");
            } catch (VigilException e) {
                problems.add(e.getMessage() + ". Fix: " + e.fix());
                return Optional.empty();
            }
        } else if (url.isPresent()) {
            Optional<ReadFile> file = readReference(url.get(),
                    settings.get().get("OpenApiSpecUrl").orElseThrow().position(), field + ".Settings.OpenApiSpecUrl");
            if (file.isEmpty()) {
                return Optional.empty();
            }
            try {
                spec = NodeReader.read(file.get().text(), file.get().source());
            } catch (VigilException e) {
                problems.add(e.getMessage() + ". Fix: " + e.fix());
                return Optional.empty();
            }
        } else {
            problem(settings.get().position(), field + ".Settings.OpenApiSpecUrl", "the API group has no OpenAPI"
                    + " specification", "Set OpenApiSpecUrl to a file in the plugin's folder (openapi.yaml), or write"
                    + " the specification under OpenApiSpec");
            return Optional.empty();
        }
        OpenApiReader.Spec read = new OpenApiReader(pluginName, skillNames, this::problem).read(spec);
        if (read == null) {
            return Optional.empty();
        }
        String base = text(settings.get(), "EndpointUrlSettingName", field + ".Settings.EndpointUrlSettingName", false)
                .map(s -> "{{" + s + "}}")
                .or(() -> text(settings.get(), "EndpointUrl", field + ".Settings.EndpointUrl", false))
                .or(read::server).orElse("");
        if (base.isBlank()) {
            problem(settings.get().position(), field + ".Settings.EndpointUrl", "the API has no base URL",
                    "Set EndpointUrl, or EndpointUrlSettingName to a setting each tenant gives (e.g. BaseUrl), or"
                            + " list 'servers' in the specification");
        }
        return Optional.of(new SkillGroup.Api(base, read.operations()));
    }

    /** An MCP group: where the server is (a URL or a command), the headers it needs and the tools to take. */
    private Optional<SkillGroup> mcp(Node.Mapping group, String field) {
        Optional<Node.Mapping> settings = mapping(group, "Settings", field + ".Settings", true);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        String at = field + ".Settings";
        checkKeys(settings.get(), MCP_SETTINGS, at + ".");
        String url = text(settings.get(), "UrlSettingName", at + ".UrlSettingName", false).map(s -> "{{" + s + "}}")
                .or(() -> text(settings.get(), "Url", at + ".Url", false)).orElse("").strip();
        String command = text(settings.get(), "Command", at + ".Command", false).orElse("").strip();
        if (url.isEmpty() == command.isEmpty()) {
            problem(settings.get().position(), at, url.isEmpty() ? "the MCP group names no server"
                    : "the MCP group names both a URL and a command", "Set either Url (a streamable HTTP endpoint,"
                    + " e.g. http://127.0.0.1:8811/mcp) or Command (the command line of a stdio server), not both");
            return Optional.empty();
        }
        if (!url.isEmpty() && !url.startsWith("{{") && !url.matches("(?i)https?://\\S+")) {
            problem(settings.get().get("Url").orElseThrow().position(), at + ".Url", "'" + url
                    + "' is not an http(s) URL", "Write the server's endpoint, e.g. http://127.0.0.1:8811/mcp");
            return Optional.empty();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        mapping(settings.get(), "Headers", at + ".Headers", false).ifPresent(map -> map.values().forEach((k, v) -> {
            if (v instanceof Node.Scalar scalar && scalar.text() != null) {
                headers.put(k, scalar.text());
            } else {
                problem(v.position(), at + ".Headers." + k, "a header value is text, not " + Node.kind(v),
                        "Write it as 'Authorization: Bearer {{ApiToken}}'");
            }
        }));
        List<String> tools = new ArrayList<>();
        list(settings.get(), "Tools", at + ".Tools").ifPresent(list -> list.forEach(item -> {
            if (item instanceof Node.Scalar s && s.text() != null && !s.text().isBlank()) {
                tools.add(s.text().strip());
            }
        }));
        return Optional.of(new SkillGroup.Mcp(url, command.isEmpty() ? List.of() : List.of(command.split("\\s+")),
                headers, tools));
    }

    /** A file a manifest refers to, as read. */
    private record ReadFile(String text, String source) {}

    private Optional<ReadFile> readReference(String reference, Node.Position at, String field) {
        String ref = reference.strip();
        if (ref.matches("(?i)https?://.*")) {
            problem(at, field, "'" + ref + "' is a URL; Vigil reads only files in the plugin's folder (it runs offline)",
                    "Download the file into the plugin's folder and refer to it by its relative name, e.g. openapi.yaml");
            return Optional.empty();
        }
        if (ref.regionMatches(true, 0, "file:", 0, 5)) {
            ref = ref.substring(5);
        }
        if (files != null) {
            Optional<String> path = PluginPackage.relativePath(ref);
            if (path.isEmpty()) {
                problem(at, field, "'" + reference + "' is outside the plugin's folder",
                        "Put the file in the plugin's folder (or a folder below it) and refer to it relatively");
                return Optional.empty();
            }
            byte[] content = files.get(path.get());
            if (content == null) {
                problem(at, field, "'" + ref + "' was not installed with the plugin",
                        "Install the plugin again from its folder, with the file beside the manifest");
                return Optional.empty();
            }
            int slash = source.lastIndexOf('/');
            return Optional.of(new ReadFile(new String(content, StandardCharsets.UTF_8),
                    source.substring(0, slash + 1) + path.get()));
        }
        if (folder == null) {
            problem(at, field, "'" + ref + "' refers to a file, but the manifest has no folder",
                    "Validate or install the manifest from its folder, with the file beside it");
            return Optional.empty();
        }
        Path file = folder.resolve(ref).normalize();
        if (Path.of(ref).isAbsolute() || !file.startsWith(folder)) {
            problem(at, field, "'" + reference + "' is outside the plugin's folder",
                    "Put the file in the plugin's folder (or a folder below it) and refer to it relatively");
            return Optional.empty();
        }
        try {
            return Optional.of(new ReadFile(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        } catch (IOException e) {
            problem(at, field, "cannot read '" + ref + "' in " + folder + ": " + e.getClass().getSimpleName(),
                    "Put the file beside the manifest, or correct the name");
            return Optional.empty();
        }
    }

    // --- fields ------------------------------------------------------------------------------------------------

    interface ProblemSink {
        void problem(Node.Position at, String field, String problem, String fix);
    }

    private Optional<String> text(Node.Mapping map, String key, String field, boolean required) {
        Optional<Node> node = map.get(key);
        if (node.isEmpty() || node.get() instanceof Node.Scalar s && s.isNull()) {
            if (required) {
                problem(node.map(Node::position).orElse(map.position()), field, key + " is missing",
                        "Add '" + key + ":' with a value");
            }
            return Optional.empty();
        }
        if (!(node.get() instanceof Node.Scalar scalar)) {
            problem(node.get().position(), field, key + " must be text, not " + Node.kind(node.get()),
                    "Write one value after '" + key + ":'");
            return Optional.empty();
        }
        if (required && scalar.text().isBlank()) {
            problem(scalar.position(), field, key + " is empty", "Give '" + key + ":' a value");
            return Optional.empty();
        }
        return Optional.of(scalar.text());
    }

    private boolean bool(Node.Mapping map, String key, String field, boolean absent) {
        Optional<String> text = text(map, key, field, false);
        if (text.isEmpty()) {
            return absent;
        }
        return switch (text.get().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(map.get(key).orElseThrow().position(), field, key + " is '" + text.get()
                        + "', not true or false", "Write " + key + ": true or " + key + ": false");
                yield absent;
            }
        };
    }

    private Optional<Node.Mapping> mapping(Node.Mapping map, String key, String field, boolean required) {
        Optional<Node> node = map.get(key);
        if (node.isEmpty()) {
            if (required) {
                problem(map.position(), field, key + " is missing", "Add '" + key + ":' with its keys below");
            }
            return Optional.empty();
        }
        if (node.get() instanceof Node.Mapping m) {
            return Optional.of(m);
        }
        problem(node.get().position(), field, key + " must be a mapping, not " + Node.kind(node.get()),
                "Indent its keys below '" + key + ":'");
        return Optional.empty();
    }

    private Optional<List<Node>> list(Node.Mapping map, String key, String field) {
        Optional<Node> node = map.get(key);
        if (node.isEmpty() || node.get() instanceof Node.Scalar s && s.isNull()) {
            return Optional.empty();
        }
        if (node.get() instanceof Node.Sequence seq) {
            return Optional.of(seq.items());
        }
        problem(node.get().position(), field, key + " must be a list, not " + Node.kind(node.get()),
                "Write each entry on its own line starting with '- '");
        return Optional.empty();
    }

    /**
     * Refuses a key that is a misspelling of a known one ({@code Templte}); other unknown keys are Security Copilot's
     * own (Icon, PackageUrl ...) and are ignored.
     */
    private void checkKeys(Node.Mapping map, Set<String> known, String prefix) {
        checkKeys(map, known, prefix, this::problem);
    }

    static void checkKeys(Node.Mapping map, Set<String> known, String prefix, ProblemSink sink) {
        for (String key : map.values().keySet()) {
            if (known.stream().anyMatch(k -> k.equalsIgnoreCase(key))) {
                continue;
            }
            known.stream().filter(k -> distance(k.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT)) <= 2)
                    .findFirst().ifPresent(k -> sink.problem(map.keys().getOrDefault(key, map.position()), prefix + key, "unknown key '"
                            + key + "'", "Did you mean '" + k + "'? Rename the key"));
        }
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
