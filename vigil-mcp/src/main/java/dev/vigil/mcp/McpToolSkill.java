package dev.vigil.mcp;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.plugin.Names;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An external MCP server's tool as a skill. Its inputs come from the tool's JSON schema: each string, number, integer
 * or boolean property (or array of them) becomes an input, typed by its name like a plugin's inputs ({@code hostname}
 * takes a host) and required when the schema says so. Its answer is the tool's text, with the evidence
 * {@code mcp:SERVER/TOOL}; a tool error, a timeout or a lost server is a failed result saying what failed and how to
 * fix it.
 */
final class McpToolSkill implements Skill {
    /** A property of the tool's schema behind an input. */
    private record Property(String name, String type, boolean many) {}

    private final SkillSpec spec;
    private final String server;
    private final String tool;
    private final Map<String, Property> properties;
    private final Supplier<McpSyncClient> client;
    private final String where;
    private final Runnable forget;
    private final java.time.Duration timeout;
    /** Where calls run, so that one that outlasts its timeout is left behind, not waited for. */
    private static final java.util.concurrent.ExecutorService CALLS = java.util.concurrent.Executors
            .newVirtualThreadPerTaskExecutor();

    private McpToolSkill(SkillSpec spec, String server, String tool, Map<String, Property> properties,
            Supplier<McpSyncClient> client, String where, Runnable forget, java.time.Duration timeout) {
        this.timeout = timeout;
        this.spec = spec;
        this.server = server;
        this.tool = tool;
        this.properties = properties;
        this.client = client;
        this.where = where;
        this.forget = forget;
    }

    /**
     * The skill of a tool, or null when its name has no letters.
     *
     * @param timeout how long a call may take before the skill fails saying so
     */
    static McpToolSkill of(String server, McpSchema.Tool tool, Supplier<McpSyncClient> client, String where,
            Runnable forget, java.time.Duration timeout) {
        String name = Names.skillName(server, tool.name());
        if (!name.matches("[a-z][a-z0-9-]*")) {
            return null;
        }
        Map<String, Object> schema = tool.inputSchema() == null ? Map.of() : tool.inputSchema();
        List<?> required = schema.get("required") instanceof List<?> list ? list : List.of();
        List<SkillInput> inputs = new ArrayList<>();
        Map<String, Property> properties = new LinkedHashMap<>();
        if (schema.get("properties") instanceof Map<?, ?> props) {
            for (Map.Entry<?, ?> entry : props.entrySet()) {
                String property = String.valueOf(entry.getKey());
                Map<?, ?> definition = entry.getValue() instanceof Map<?, ?> m ? m : Map.of();
                String type = String.valueOf(definition.get("type"));
                boolean many = "array".equals(type);
                if (many) {
                    type = definition.get("items") instanceof Map<?, ?> items ? String.valueOf(items.get("type"))
                            : "string";
                }
                String description = definition.get("description") instanceof String d ? d : property;
                String inputName = Names.snake(property);
                if (inputName.isEmpty() || properties.containsKey(inputName)
                        || !List.of("string", "number", "integer", "boolean").contains(type)) {
                    continue;
                }
                EntityType entity = switch (type) {
                    case "number", "integer" -> EntityType.NUMBER;
                    case "boolean" -> EntityType.TEXT;
                    default -> Names.entityType(property, description);
                };
                List<String> choices = "boolean".equals(type) ? List.of("true", "false")
                        : definition.get("enum") instanceof List<?> values ? values.stream().map(String::valueOf).toList()
                        : List.of();
                boolean isRequired = required.contains(property);
                inputs.add(new SkillInput(inputName, choices.isEmpty() ? entity : EntityType.TEXT, isRequired, many,
                        description, isRequired ? List.of() : choices));
                properties.put(inputName, new Property(property, type, many));
            }
        }
        String description = tool.description() != null && !tool.description().isBlank() ? tool.description()
                : tool.title() != null ? tool.title() : "The tool " + tool.name() + " of the MCP server " + server;
        // a tool has no example prompts: its description and its name in words stand in for them, so that the
        // planner's ranking (by example prompts) can pick it
        List<String> examples = new ArrayList<>(List.of(description));
        String words = String.join(" ", Names.kebab(tool.name()).split("-"));
        if (!words.isBlank()) {
            examples.add(words + inputs.stream().map(i -> " " + i.name().replace('_', ' ')).reduce("", String::concat));
        }
        SkillSpec spec = new SkillSpec(name, "plugins", description, examples, inputs);
        return new McpToolSkill(spec, server, tool.name(), properties, client, where, forget, timeout);
    }

    @Override
    public SkillSpec spec() {
        return spec;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> input : call.inputs().entrySet()) {
            Property property = properties.get(input.getKey());
            if (property == null || input.getValue().isEmpty()) {
                continue;
            }
            List<Object> values = new ArrayList<>();
            for (String value : input.getValue()) {
                Object converted = convert(value, property.type());
                if (converted == null) {
                    return SkillResult.failed(spec.name(), "The input " + input.getKey() + " of " + spec.name()
                            + " takes " + (property.type().equals("boolean") ? "true or false" : "a number")
                            + ", not '" + value + "'.");
                }
                values.add(converted);
            }
            arguments.put(property.name(), property.many() ? values : values.get(0));
        }
        String ref = "mcp:" + server + "/" + tool;
        McpSchema.CallToolResult result;
        // The client waits as long as a server may take to start; a call waits the plugin's timeout.
        McpSyncClient connected = client.get();
        java.util.concurrent.CompletableFuture<McpSchema.CallToolResult> pending = java.util.concurrent
                .CompletableFuture.supplyAsync(() -> connected.callTool(new McpSchema.CallToolRequest(tool, arguments)),
                        CALLS);
        try {
            result = pending.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException
                | RuntimeException e) {
            pending.cancel(true);
            forget.run();
            return SkillResult.failed(spec.name(), "Calling the tool " + tool + " of the MCP server " + server + " ("
                    + where + ") failed: " + reason(e) + ". Check that the server is running and reachable, or raise"
                    + " the plugin's TimeoutSeconds setting (`vigil plugins install ... --setting TimeoutSeconds=60`)"
                    + " if it is slow; the next question reconnects.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            return SkillResult.failed(spec.name(), "Calling the tool " + tool + " of the MCP server " + server
                    + " was interrupted before it answered.");
        }
        StringBuilder text = new StringBuilder();
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                if (content instanceof McpSchema.TextContent t && t.text() != null) {
                    if (!text.isEmpty()) {
                        text.append("\n\n");
                    }
                    text.append(t.text());
                }
            }
        }
        if (text.isEmpty() && result.structuredContent() != null) {
            text.append(VigilTools.JSON.writeValueAsString(result.structuredContent()));
        }
        if (Boolean.TRUE.equals(result.isError())) {
            return SkillResult.builder(spec.name()).status(SkillResult.Status.FAILED)
                    .markdown("The tool " + tool + " of the MCP server " + server + " answered with an error: "
                            + (text.isEmpty() ? "(no message)" : text) + "\n\nCheck the inputs given, and the server's"
                            + " own log.").evidence("error from " + ref, List.of(ref)).build();
        }
        if (text.isEmpty()) {
            return SkillResult.builder(spec.name()).status(SkillResult.Status.EMPTY)
                    .markdown("The tool " + tool + " of the MCP server " + server + " answered with no text.")
                    .evidence("answered by " + ref, List.of(ref)).build();
        }
        SkillResult.Builder answer = SkillResult.builder(spec.name()).markdown(text.toString())
                .evidence("answered by " + ref, List.of(ref)).fact("mcp_tool", ref);
        return answer.build();
    }

    private static Object convert(String value, String type) {
        try {
            return switch (type) {
                case "integer" -> Long.parseLong(value.strip());
                case "number" -> Double.parseDouble(value.strip());
                case "boolean" -> value.equalsIgnoreCase("true") ? Boolean.TRUE
                        : value.equalsIgnoreCase("false") ? Boolean.FALSE : null;
                default -> value;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The most telling message of a failure: the deepest cause's, as the SDK wraps them. */
    static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof java.util.concurrent.TimeoutException || message.toLowerCase(java.util.Locale.ROOT)
                .contains("timeout") || message.toLowerCase(java.util.Locale.ROOT).contains("did not observe")) {
            return "no answer in time (" + message + ")";
        }
        return message;
    }
}
