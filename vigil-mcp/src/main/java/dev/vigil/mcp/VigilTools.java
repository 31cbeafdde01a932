package dev.vigil.mcp;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.model.ToolDefinition;
import dev.vigil.copilot.model.ToolSchemas;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's copilot as MCP tools: each skill becomes a tool (its name, its description, the JSON schema of its inputs
 * from {@link ToolSchemas}), and {@value #ASK} runs the whole copilot on a prompt. A call answers with the result's
 * Markdown as text content, then its structured parts (tables, evidence, queries, facts) as JSON, which is also the
 * call's structured content. A refusal or a failure is a tool error whose text is the message and how to fix it.
 *
 * <p>Who calls, and in which tenant, is the {@link Tenancy}'s business: stdio serves the local user over one tenant,
 * HTTP the bearer token's tenant with the token's role. Every tool needs at least the reader role; {@code hunt}, which
 * runs a query of the caller's own, needs the analyst role (as the REST API's {@code POST hunt} does).
 */
public final class VigilTools {
    /** The tool that runs the whole copilot on a prompt. */
    public static final String ASK = "ask";
    /** The server's name in the MCP handshake. */
    public static final String SERVER_NAME = "vigil";
    private static final Logger LOG = LoggerFactory.getLogger(VigilTools.class);
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The SDK's JSON binding over Jackson 3, as the rest of Vigil uses it. */
    public static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(JSON);

    /** Runs a tool call as its caller: the copilot of the caller's tenant, and the caller. */
    public interface Tenancy {
        /**
         * Runs {@code work} with the copilot of the caller's tenant and the caller's principal.
         *
         * @param context the transport's context of the call (the HTTP request's token, nothing for stdio)
         * @param tool the tool called, for the audit record
         * @throws VigilException when the caller may not call it
         */
        <T> T call(McpTransportContext context, String tool, BiFunction<Copilot, Principal, T> work);
    }

    private VigilTools() {}

    /** The tools of the given skills, then {@value #ASK}, each run through the tenancy. */
    public static List<SyncToolSpecification> tools(List<SkillSpec> skills, Tenancy tenancy) {
        requireNonNull(tenancy, "tenancy is null");
        List<SyncToolSpecification> tools = new ArrayList<>();
        for (SkillSpec spec : skills) {
            ToolDefinition definition = ToolSchemas.of(spec);
            McpSchema.Tool tool = McpSchema.Tool.builder().name(definition.name()).title(spec.name())
                    .description(definition.description()).inputSchema(definition.parameters()).build();
            tools.add(SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> guarded(
                    spec.name(), () -> tenancy.call(exchange.transportContext(), spec.name(),
                            (copilot, principal) -> runSkill(copilot, principal, spec, request.arguments())))).build());
        }
        Map<String, Object> prompt = new LinkedHashMap<>();
        prompt.put("type", "string");
        prompt.put("description", "The question or task, as an analyst would type it");
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Map.of("prompt", prompt));
        schema.put("required", List.of("prompt"));
        schema.put("additionalProperties", false);
        McpSchema.Tool ask = McpSchema.Tool.builder().name(ASK).title("Ask Vigil")
                .description("Ask Vigil's security copilot a question about this tenant's data (incidents, alerts,"
                        + " hunting, posture, threat intelligence): it plans the skills, runs them and answers with"
                        + " grounded Markdown, tables and evidence.")
                .inputSchema(schema).build();
        tools.add(SyncToolSpecification.builder().tool(ask).callHandler((exchange, request) -> guarded(ASK,
                () -> tenancy.call(exchange.transportContext(), ASK, (copilot, principal) -> runAsk(copilot, principal,
                        request.arguments())))).build());
        return tools;
    }

    /** An MCP server over a single-session transport (stdio) with the tools. */
    public static McpSyncServer server(McpServerTransportProvider transport, List<SyncToolSpecification> tools,
            String version) {
        return McpServer.sync(transport).serverInfo(SERVER_NAME, version).jsonMapper(MAPPER)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .instructions(INSTRUCTIONS).validateToolInputs(false).requestTimeout(Duration.ofMinutes(5))
                .tools(tools).build();
    }

    /**
     * An MCP server over a streamable HTTP transport with the tools; they may change while it runs (a plugin
     * installed), and clients are told so.
     */
    public static McpSyncServer server(McpStreamableServerTransportProvider transport,
            List<SyncToolSpecification> tools, String version) {
        return McpServer.sync(transport).serverInfo(SERVER_NAME, version).jsonMapper(MAPPER)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .instructions(INSTRUCTIONS).validateToolInputs(false).requestTimeout(Duration.ofMinutes(5))
                .tools(tools).build();
    }

    private static final String INSTRUCTIONS = "Vigil is a self-hosted security copilot over one tenant's security"
            + " data. Call 'ask' with a question, or a skill's tool directly with its inputs. Answers are grounded in"
            + " the tenant's data: quote them, do not embellish them.";

    /** A tool's work, with Vigil's errors and any other failure turned into tool errors. */
    private static CallToolResult guarded(String tool, java.util.function.Supplier<CallToolResult> work) {
        try {
            return work.get();
        } catch (VigilException e) {
            return error(e);
        } catch (RuntimeException e) {
            LOG.error("MCP tool {} failed", tool, e);
            return error(new VigilException(ErrorCode.INTERNAL, "the tool " + tool + " failed inside Vigil; the log"
                    + " has the details", e));
        }
    }

    static CallToolResult error(VigilException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().id());
        body.put("message", e.getMessage());
        body.put("fix", e.fix());
        return CallToolResult.builder().isError(true)
                .addTextContent(e.getMessage() + (e.fix() == null || e.fix().isBlank() ? "" : "\n\nFix: " + e.fix()))
                .structuredContent(body).build();
    }

    private static CallToolResult runSkill(Copilot copilot, Principal principal, SkillSpec spec,
            Map<String, Object> arguments) {
        // a query of one's own is the analyst's, as the REST API's POST hunt is; every other skill reads
        principal.require(spec.name().equals(dev.vigil.copilot.plan.Planner.HUNT) ? Role.ANALYST : Role.READER,
                "run the skill " + spec.name());
        Skill skill = copilot.skills().get(spec.name());
        if (skill == null) {
            throw new VigilException(ErrorCode.USAGE, "this tenant has no skill " + spec.name(), "List the tools again:"
                    + " the tenant's plugins changed since they were listed", null);
        }
        Map<String, List<String>> inputs = inputs(skill.spec(), arguments == null ? Map.of() : arguments);
        SkillResult result = skill.run(new SkillCall(spec.name(), inputs, Optional.empty()),
                new SkillContext(principal, Instant.now(), ZoneOffset.UTC, line -> { }));
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("skill", result.skill());
        structured.put("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
        structured.putAll(parts(result.tables(), result.evidence(), result.queries(), result.followUps()));
        Map<String, Object> facts = new LinkedHashMap<>();
        result.facts().forEach((k, v) -> facts.put(k, plain(v)));
        structured.put("facts", facts);
        return answer(result.markdown(), structured, result.status() == SkillResult.Status.FAILED);
    }

    private static CallToolResult runAsk(Copilot copilot, Principal principal, Map<String, Object> arguments) {
        principal.require(Role.READER, "ask the copilot");
        Object prompt = arguments == null ? null : arguments.get("prompt");
        if (!(prompt instanceof String text) || text.isBlank()) {
            throw new VigilException(ErrorCode.USAGE, "the ask tool needs a prompt", "Call it with"
                    + " {\"prompt\": \"which incidents are open?\"}", null);
        }
        Answer answer = copilot.ask(text, SessionContext.empty(), principal, Instant.now(), ZoneOffset.UTC,
                line -> { }).answer();
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("prompt", answer.prompt());
        structured.put("skills", answer.plan().skillNames());
        structured.putAll(parts(answer.tables(), answer.evidence(), answer.queries(), answer.followUps()));
        return answer(answer.markdown(), structured, false);
    }

    private static CallToolResult answer(String markdown, Map<String, Object> structured, boolean failed) {
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(structured);
        return CallToolResult.builder().isError(failed).addTextContent(markdown).addTextContent(json)
                .structuredContent(structured).build();
    }

    private static Map<String, Object> parts(List<Table> tables, List<Evidence> evidence, List<ExecutedQuery> queries,
            List<String> followUps) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("tables", tables.stream().map(t -> {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("title", t.title());
            table.put("columns", t.columns());
            table.put("rows", t.rows().stream().map(row -> row.stream().map(VigilTools::plain).toList()).toList());
            return table;
        }).toList());
        parts.put("evidence", evidence.stream().map(e -> Map.of("claim", e.claim(), "refs", e.refs())).toList());
        parts.put("queries", queries.stream().map(q -> Map.of("language", q.language(), "text", q.text(),
                "rows", q.rows())).toList());
        parts.put("follow_ups", followUps);
        return parts;
    }

    /** A value as JSON takes it: numbers, booleans and text; anything else as its text. */
    private static Object plain(Object value) {
        return value == null || value instanceof Number || value instanceof Boolean || value instanceof String ? value
                : value instanceof List<?> list ? list.stream().map(VigilTools::plain).toList() : value.toString();
    }

    /** A tool's JSON arguments as a skill call's inputs, checked against the skill's spec. */
    static Map<String, List<String>> inputs(SkillSpec spec, Map<String, Object> arguments) {
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : arguments.entrySet()) {
            Optional<SkillInput> input = spec.input(argument.getKey());
            if (input.isEmpty()) {
                throw new VigilException(ErrorCode.USAGE, "the skill " + spec.name() + " has no input '"
                        + argument.getKey() + "'", "Use its inputs: " + (spec.inputs().isEmpty() ? "none"
                        : String.join(", ", spec.inputs().stream().map(SkillInput::name).toList())), null);
            }
            List<String> values = new ArrayList<>();
            if (argument.getValue() instanceof List<?> list) {
                list.stream().filter(v -> v != null).forEach(v -> values.add(text(v)));
            } else if (argument.getValue() != null) {
                values.add(text(argument.getValue()));
            }
            values.removeIf(String::isBlank);
            if (!values.isEmpty()) {
                inputs.put(argument.getKey(), values);
            }
        }
        for (SkillInput required : spec.requiredInputs()) {
            if (!inputs.containsKey(required.name())) {
                throw new VigilException(ErrorCode.USAGE, "the skill " + spec.name() + " needs its input '"
                        + required.name() + "' (" + required.description() + ")", "Call the tool again with '"
                        + required.name() + "' set", null);
            }
        }
        return inputs;
    }

    private static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return value.toString().strip();
    }
}
