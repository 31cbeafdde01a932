package dev.vigil.copilot.plugin;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.plugin.PluginManifest.ApiOperation;
import dev.vigil.copilot.plugin.PluginManifest.ApiParameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the operations of an OpenAPI 3.0 specification into API skills: each operation with an {@code operationId}
 * becomes one skill, its path, query and header parameters and the top-level properties of its JSON request body
 * become the skill's inputs. Local {@code $ref}s ({@code #/components/parameters/...},
 * {@code #/components/schemas/...}) are followed; others are problems.
 */
final class OpenApiReader {
    /** The operations read, and the specification's first server URL. */
    record Spec(List<ApiOperation> operations, Optional<String> server) {}

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    private final String pluginName;
    private final Set<String> skillNames;
    private final PluginParser.ProblemSink problems;
    private Node.Mapping root;
    private int problemCount;

    OpenApiReader(String pluginName, Set<String> skillNames, PluginParser.ProblemSink problems) {
        this.pluginName = pluginName;
        this.skillNames = skillNames;
        this.problems = (at, field, problem, fix) -> {
            problemCount++;
            problems.problem(at, field, problem, fix);
        };
    }

    /** The specification's operations, or null when it has a problem (reported). */
    Spec read(Node node) {
        if (!(node instanceof Node.Mapping map)) {
            problems.problem(node.position(), "openapi", "an OpenAPI specification is a mapping, not "
                    + Node.kind(node), "Start the specification with 'openapi: 3.0.3', 'info' and 'paths'");
            return null;
        }
        root = map;
        String version = scalar(map.get("openapi")).orElse("");
        if (!version.startsWith("3.0")) {
            problems.problem(map.get("openapi").map(Node::position).orElse(map.position()), "openapi",
                    version.isEmpty() ? "not an OpenAPI 3.0 specification (no 'openapi' version)"
                            : "OpenAPI " + version + " is not supported",
                    "Use an OpenAPI 3.0 specification ('openapi: 3.0.3'); convert Swagger 2.0 or 3.1 with a converter");
            return null;
        }
        Optional<String> server = Optional.empty();
        if (map.get("servers").orElse(null) instanceof Node.Sequence servers && !servers.items().isEmpty()
                && servers.items().get(0) instanceof Node.Mapping first) {
            server = scalar(first.get("url"));
        }
        if (!(map.get("paths").orElse(null) instanceof Node.Mapping paths) || paths.values().isEmpty()) {
            problems.problem(map.position(), "paths", "the specification has no paths",
                    "Describe at least one operation under 'paths'");
            return null;
        }
        List<ApiOperation> operations = new ArrayList<>();
        paths.values().forEach((path, item) -> {
            if (!(item instanceof Node.Mapping methods)) {
                return;
            }
            List<Node> shared = methods.get("parameters").orElse(null) instanceof Node.Sequence s ? s.items() : List.of();
            methods.values().forEach((method, operation) -> {
                if (METHODS.contains(method.toLowerCase(Locale.ROOT)) && operation instanceof Node.Mapping op) {
                    operation(path, method.toUpperCase(Locale.ROOT), op, shared).ifPresent(operations::add);
                }
            });
        });
        if (operations.isEmpty() && problemCount == 0) {
            problems.problem(paths.position(), "paths", "the specification has no operations",
                    "Describe at least one operation (get, post ...) with an operationId under 'paths'");
        }
        return problemCount > 0 ? null : new Spec(operations, server);
    }

    private Optional<ApiOperation> operation(String path, String method, Node.Mapping op, List<Node> shared) {
        String field = "paths." + path + "." + method.toLowerCase(Locale.ROOT);
        Optional<String> operationId = scalar(op.get("operationId"));
        if (operationId.isEmpty() || Names.kebab(operationId.get()).isEmpty()) {
            problems.problem(op.position(), field + ".operationId", "the operation has no operationId",
                    "Add 'operationId:' (e.g. getDeviceRisk): each operation becomes a skill named after it");
            return Optional.empty();
        }
        String skillName = Names.skillName(pluginName, operationId.get());
        if (!skillNames.add(skillName)) {
            problems.problem(op.get("operationId").orElseThrow().position(), field + ".operationId",
                    "a second skill named '" + skillName + "' in the plugin", "Give each operation its own operationId");
            return Optional.empty();
        }
        String summary = scalar(op.get("summary")).orElse("");
        String description = scalar(op.get("description")).orElse(summary);
        if (summary.isBlank() && description.isBlank()) {
            problems.problem(op.position(), field + ".summary", "the operation has neither summary nor description",
                    "Add 'summary:' saying what it answers: the copilot picks skills by it");
            return Optional.empty();
        }
        List<ApiParameter> parameters = new ArrayList<>();
        Set<String> inputNames = new HashSet<>();
        List<Node> all = new ArrayList<>(shared);
        if (op.get("parameters").orElse(null) instanceof Node.Sequence own) {
            all.addAll(own.items());
        }
        for (Node node : all) {
            parameter(resolve(node), field).ifPresent(p -> {
                if (inputNames.add(p.inputName())) {
                    parameters.add(p);
                }
            });
        }
        body(op, field).forEach(p -> {
            if (inputNames.add(p.inputName())) {
                parameters.add(p);
            }
        });
        List<String> examples = new ArrayList<>();
        if (op.get("x-example-prompts").orElse(null) instanceof Node.Sequence prompts) {
            prompts.items().forEach(p -> scalar(Optional.of(p)).ifPresent(examples::add));
        }
        if (!summary.isBlank()) {
            examples.add(summary);
        }
        return Optional.of(new ApiOperation(operationId.get(), skillName, method, path, summary.isBlank()
                ? description : summary, description, parameters, examples));
    }

    private Optional<ApiParameter> parameter(Node node, String field) {
        if (!(node instanceof Node.Mapping map)) {
            return Optional.empty();
        }
        Optional<String> name = scalar(map.get("name"));
        String in = scalar(map.get("in")).orElse("").toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            problems.problem(map.position(), field + ".parameters", "a parameter has no name", "Add 'name:'");
            return Optional.empty();
        }
        ApiParameter.Location location = switch (in) {
            case "path" -> ApiParameter.Location.PATH;
            case "query" -> ApiParameter.Location.QUERY;
            case "header" -> ApiParameter.Location.HEADER;
            default -> null;
        };
        if (location == null) {
            problems.problem(map.get("in").map(Node::position).orElse(map.position()), field + ".parameters."
                    + name.get() + ".in", "'in: " + in + "' is not supported", "Use path, query or header");
            return Optional.empty();
        }
        String inputName = Names.snake(name.get());
        if (inputName.isEmpty()) {
            return Optional.empty();
        }
        String description = scalar(map.get("description")).orElse("");
        String type = map.get("schema").map(this::resolve).orElse(null) instanceof Node.Mapping schema
                ? scalar(schema.get("type")).orElse("string") : "string";
        boolean required = location == ApiParameter.Location.PATH
                || scalar(map.get("required")).map("true"::equalsIgnoreCase).orElse(false);
        return Optional.of(new ApiParameter(name.get(), inputName, location, required, description, type,
                entityType(name.get(), description)));
    }

    private List<ApiParameter> body(Node.Mapping op, String field) {
        if (!(op.get("requestBody").map(this::resolve).orElse(null) instanceof Node.Mapping body)
                || !(body.get("content").orElse(null) instanceof Node.Mapping content)) {
            return List.of();
        }
        Optional<Node> json = content.values().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).contains("json")).map(e -> e.getValue()).findFirst();
        if (json.isEmpty() || !(json.get() instanceof Node.Mapping media)
                || !(media.get("schema").map(this::resolve).orElse(null) instanceof Node.Mapping schema)
                || !(schema.get("properties").orElse(null) instanceof Node.Mapping properties)) {
            return List.of();
        }
        Set<String> required = new HashSet<>();
        if (schema.get("required").orElse(null) instanceof Node.Sequence names) {
            names.items().forEach(n -> scalar(Optional.of(n)).ifPresent(required::add));
        }
        List<ApiParameter> parameters = new ArrayList<>();
        properties.values().forEach((name, property) -> {
            String inputName = Names.snake(name);
            if (inputName.isEmpty()) {
                return;
            }
            Node.Mapping p = resolve(property) instanceof Node.Mapping m ? m : null;
            String description = p == null ? "" : scalar(p.get("description")).orElse("");
            String type = p == null ? "string" : scalar(p.get("type")).orElse("string");
            parameters.add(new ApiParameter(name, inputName, ApiParameter.Location.BODY, required.contains(name),
                    description, type, entityType(name, description)));
        });
        return parameters;
    }

    private static EntityType entityType(String name, String description) {
        return Names.entityType(name, description);
    }

    /** Follows a local {@code $ref}; a node without one is itself. */
    private Node resolve(Node node) {
        if (!(node instanceof Node.Mapping map) || map.get("$ref").isEmpty()) {
            return node;
        }
        String ref = scalar(map.get("$ref")).orElse("");
        if (!ref.startsWith("#/")) {
            problems.problem(map.position(), "$ref", "'" + ref + "' refers outside the specification",
                    "Copy the referenced definition under components in the same file");
            return node;
        }
        Node current = root;
        for (String part : ref.substring(2).split("/")) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (!(current instanceof Node.Mapping m) || m.values().get(key) == null) {
                problems.problem(map.position(), "$ref", "'" + ref + "' does not exist in the specification",
                        "Define it under components, or correct the reference");
                return node;
            }
            current = m.values().get(key);
        }
        return current;
    }

    private static Optional<String> scalar(Optional<Node> node) {
        return node.filter(n -> n instanceof Node.Scalar s && !s.isNull()).map(n -> ((Node.Scalar) n).text());
    }
}
