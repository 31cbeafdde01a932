package dev.vigil.ai;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.vigil.copilot.model.LanguageModel;
import dev.vigil.copilot.model.ModelConfig;
import dev.vigil.copilot.model.ModelMessage;
import dev.vigil.copilot.model.ModelReply;
import dev.vigil.copilot.model.ModelRequest;
import dev.vigil.copilot.model.ToolCall;
import dev.vigil.copilot.model.ToolDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A chat model over the OpenAI chat completions protocol, through LangChain4j: OpenAI itself, and any server with
 * a compatible {@code /v1} base URL (Ollama, vLLM, llama.cpp, LM Studio). Azure OpenAI speaks the same protocol and
 * is reached with its {@code api-key} header (and {@code api-version} when configured) instead of a bearer token;
 * LangChain4j's own Azure module is not served here.
 *
 * <p>Planning and test calls are plain requests; compositions stream, and their text reaches the caller piece by
 * piece. Each call is written to the {@link ModelAuditLog} in the exact form sent, before it is sent, and may take
 * no longer than the configured timeout in all. LangChain4j's retries are off: the embedded copilot is the fallback.
 */
public final class OpenAiCompatibleModel implements LanguageModel {
    private final ModelConfig config;
    private final Optional<String> apiKey;
    private final ModelAuditLog audit;

    private OpenAiCompatibleModel(ModelConfig config, Optional<String> apiKey, ModelAuditLog audit) {
        this.config = requireNonNull(config, "config is null");
        this.apiKey = requireNonNull(apiKey, "apiKey is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    /**
     * The model of a configuration.
     *
     * @param environment reads the environment variable the configuration names for its key
     */
    public static OpenAiCompatibleModel of(ModelConfig config, UnaryOperator<String> environment,
            ModelAuditLog audit) {
        return new OpenAiCompatibleModel(config, config.apiKey(environment), audit);
    }

    @Override
    public String describe() {
        return config.model() + " at " + config.baseUrl();
    }

    @Override
    public ModelReply chat(ModelRequest request, Consumer<String> partial) {
        ChatRequest chat = chatRequest(request);
        HttpClientBuilder http = audited(request.purpose());
        CompletableFuture<ModelReply> reply = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("model-" + request.purpose().name().toLowerCase()).start(() -> {
            try {
                if (request.purpose() == ModelRequest.Purpose.COMPOSE) {
                    streaming(http).chat(chat, new StreamingChatResponseHandler() {
                        @Override
                        public void onPartialResponse(String piece) {
                            partial.accept(piece);
                        }

                        @Override
                        public void onCompleteResponse(ChatResponse response) {
                            reply.complete(reply(response));
                        }

                        @Override
                        public void onError(Throwable error) {
                            reply.completeExceptionally(error);
                        }
                    });
                } else {
                    ModelReply done = reply(blocking(http).chat(chat));
                    if (!done.text().isEmpty()) {
                        partial.accept(done.text());
                    }
                    reply.complete(done);
                }
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        try {
            return reply.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new ModelUnavailableException("no answer within " + config.timeout().toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ModelUnavailableException(cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage()),
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted", e);
        }
    }

    /**
     * Checks the connection with a fixed sentence that holds nothing from the tenant.
     *
     * @return the model's reply
     */
    public String test() {
        if (!config.policy().permits(config.baseUrl())) {
            throw new ModelUnavailableException("policy local-only forbids calling " + describe()
                    + ": it is not on this machine or a private network. Set policy: redact or allow in the tenant's"
                    + " model.yaml to use it.", null);
        }
        ModelReply reply = chat(new ModelRequest(ModelRequest.Purpose.TEST, List.of(
                new ModelMessage.System("You are a connection test."),
                new ModelMessage.User("Reply with the single word: ok")), List.of()), piece -> { });
        return reply.text();
    }

    private OpenAiChatModel blocking(HttpClientBuilder http) {
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder().httpClientBuilder(http)
                .baseUrl(config.baseUrl().toString()).modelName(config.model()).timeout(config.timeout())
                .maxRetries(0).temperature(0.0);
        switch (config.provider()) {
            case OPENAI -> apiKey.ifPresent(builder::apiKey);
            case AZURE_OPENAI -> {
                apiKey.ifPresent(key -> builder.customHeaders(Map.of("api-key", key)));
                config.apiVersion().ifPresent(v -> builder.customQueryParams(Map.of("api-version", v)));
            }
        }
        return builder.build();
    }

    private OpenAiStreamingChatModel streaming(HttpClientBuilder http) {
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http).baseUrl(config.baseUrl().toString()).modelName(config.model())
                .timeout(config.timeout()).temperature(0.0);
        switch (config.provider()) {
            case OPENAI -> apiKey.ifPresent(builder::apiKey);
            case AZURE_OPENAI -> {
                apiKey.ifPresent(key -> builder.customHeaders(Map.of("api-key", key)));
                config.apiVersion().ifPresent(v -> builder.customQueryParams(Map.of("api-version", v)));
            }
        }
        return builder.build();
    }

    /** A JDK HTTP client that writes each request body to the audit log before sending it. */
    private HttpClientBuilder audited(ModelRequest.Purpose purpose) {
        JdkHttpClientBuilder jdk = new JdkHttpClientBuilder()
                .httpClientBuilder(java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1));
        String policy = config.policy().key();
        String what = purpose.name().toLowerCase(java.util.Locale.ROOT);
        return new HttpClientBuilder() {
            @Override
            public Duration connectTimeout() {
                return jdk.connectTimeout();
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                jdk.connectTimeout(timeout);
                return this;
            }

            @Override
            public Duration readTimeout() {
                return jdk.readTimeout();
            }

            @Override
            public HttpClientBuilder readTimeout(Duration timeout) {
                jdk.readTimeout(timeout);
                return this;
            }

            @Override
            public HttpClient build() {
                HttpClient client = jdk.build();
                return new HttpClient() {
                    @Override
                    public SuccessfulHttpResponse execute(HttpRequest request) {
                        audit.sent(what, policy, request.url(), request.body());
                        return client.execute(request);
                    }

                    @Override
                    public void execute(HttpRequest request, ServerSentEventParser parser,
                            ServerSentEventListener listener) {
                        audit.sent(what, policy, request.url(), request.body());
                        client.execute(request, parser, listener);
                    }
                };
            }
        };
    }

    private static ChatRequest chatRequest(ModelRequest request) {
        List<ChatMessage> messages = new ArrayList<>();
        for (ModelMessage message : request.messages()) {
            messages.add(switch (message) {
                case ModelMessage.System system -> SystemMessage.from(system.text());
                case ModelMessage.User user -> UserMessage.from(user.text());
                case ModelMessage.Assistant assistant -> {
                    List<ToolExecutionRequest> calls = assistant.toolCalls().stream()
                            .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments())
                                    .build()).toList();
                    yield calls.isEmpty() ? AiMessage.from(assistant.text())
                            : assistant.text().isEmpty() ? AiMessage.from(calls) : AiMessage.from(assistant.text(), calls);
                }
                case ModelMessage.ToolResult result -> ToolExecutionResultMessage.from(result.toolCallId(),
                        result.toolName(), result.text());
            });
        }
        ChatRequest.Builder builder = ChatRequest.builder().messages(messages);
        if (!request.tools().isEmpty()) {
            builder.toolSpecifications(request.tools().stream().map(OpenAiCompatibleModel::tool).toList());
        }
        return builder.build();
    }

    static ToolSpecification tool(ToolDefinition definition) {
        return ToolSpecification.builder().name(definition.name()).description(definition.description())
                .parameters((JsonObjectSchema) schema(definition.parameters())).build();
    }

    @SuppressWarnings("unchecked")
    private static JsonSchemaElement schema(Map<String, Object> node) {
        String description = (String) node.get("description");
        Object type = node.get("type");
        if (node.containsKey("enum")) {
            return JsonEnumSchema.builder().enumValues((List<String>) node.get("enum")).description(description).build();
        }
        return switch (String.valueOf(type)) {
            case "object" -> {
                Map<String, JsonSchemaElement> properties = new LinkedHashMap<>();
                ((Map<String, Object>) node.get("properties")).forEach((name, value) ->
                        properties.put(name, schema((Map<String, Object>) value)));
                yield JsonObjectSchema.builder().description(description).addProperties(properties)
                        .required((List<String>) node.getOrDefault("required", List.of()))
                        .additionalProperties((Boolean) node.getOrDefault("additionalProperties", Boolean.FALSE))
                        .build();
            }
            case "array" -> JsonArraySchema.builder().description(description)
                    .items(schema((Map<String, Object>) node.get("items"))).build();
            case "integer" -> JsonIntegerSchema.builder().description(description).build();
            default -> JsonStringSchema.builder().description(description).build();
        };
    }

    private static ModelReply reply(ChatResponse response) {
        AiMessage message = response.aiMessage();
        List<ToolCall> calls = new ArrayList<>();
        if (message.hasToolExecutionRequests()) {
            int n = 0;
            for (ToolExecutionRequest r : message.toolExecutionRequests()) {
                n++;
                calls.add(new ToolCall(r.id() == null ? "call_" + n : r.id(), r.name() == null ? "" : r.name(),
                        r.arguments() == null ? "" : r.arguments()));
            }
        }
        return new ModelReply(message.text() == null ? "" : message.text(), calls);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
