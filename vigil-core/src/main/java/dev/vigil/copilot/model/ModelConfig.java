package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.EditDistance;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A tenant's language model: which backend, where, which model, how the key is found, how long to wait and what
 * may be sent. Read once from {@code DATA/tenants/<tenant>/model.yaml}; an unknown key is an error naming the
 * nearest valid one.
 *
 * <pre>
 * provider: openai            # openai (any OpenAI-compatible server: OpenAI, Ollama, vLLM, llama.cpp, LM Studio)
 *                             # or azure-openai
 * base-url: http://localhost:11434/v1
 * model: llama3.1:8b
 * api-key-env: OLLAMA_API_KEY # the NAME of the environment variable holding the key; never the key itself
 * timeout: 30s
 * policy: local-only          # local-only, redact or allow
 * api-version: 2024-10-21     # azure-openai only, for the deployment-style endpoint; omit for /openai/v1
 * </pre>
 *
 * @param provider the backend's protocol
 * @param baseUrl the URL the chat completions path is appended to ({@code .../v1})
 * @param model the model (OpenAI, Ollama, vLLM) or deployment (Azure) name
 * @param apiKeyEnvironmentVariable the environment variable holding the API key; empty for servers without keys
 * @param timeout how long one model call may take before the embedded copilot answers instead
 * @param policy what may be sent
 * @param apiVersion Azure's {@code api-version} query parameter, when the endpoint needs one
 */
public record ModelConfig(Provider provider, URI baseUrl, String model, Optional<String> apiKeyEnvironmentVariable,
        Duration timeout, ModelPolicy policy, Optional<String> apiVersion) {

    /** The wire protocol of a backend. */
    public enum Provider {
        /** The OpenAI chat completions API with {@code Authorization: Bearer}: OpenAI, Ollama, vLLM, llama.cpp. */
        OPENAI("openai"),
        /** Azure OpenAI: the same API with the {@code api-key} header (and {@code api-version} when given). */
        AZURE_OPENAI("azure-openai");

        private final String key;

        Provider(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        static Provider parse(String text) {
            String wanted = text.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(p -> p.key.equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a provider; use openai (also"
                            + " for Ollama, vLLM, llama.cpp and LM Studio) or azure-openai"));
        }
    }

    /** The keys of the file, each with its description. */
    public static final Map<String, String> KEYS = keys();

    public ModelConfig {
        requireNonNull(provider, "provider is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(model, "model is null");
        requireNonNull(apiKeyEnvironmentVariable, "apiKeyEnvironmentVariable is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(apiVersion, "apiVersion is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
    }

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("provider", "openai (OpenAI, Ollama, vLLM, llama.cpp, LM Studio) or azure-openai. Default openai.");
        keys.put("base-url", "The API's base URL, such as http://localhost:11434/v1 (Ollama) or"
                + " https://RESOURCE.openai.azure.com/openai/v1 (Azure). Required.");
        keys.put("model", "The model name, or the deployment name on Azure. Required.");
        keys.put("api-key-env", "The name of the environment variable that holds the API key; empty for none.");
        keys.put("timeout", "How long one model call may take before the embedded copilot answers (30s, 2m)."
                + " Default 30s.");
        keys.put("policy", "local-only, redact or allow: what may be sent (see the README). Default local-only.");
        keys.put("api-version", "Azure only: the api-version query parameter of deployment-style endpoints.");
        return java.util.Collections.unmodifiableMap(keys);
    }

    /** Where a tenant's model configuration lives. */
    public static Path file(Path dataDirectory, String tenant) {
        return dataDirectory.resolve("tenants").resolve(tenant).resolve("model.yaml");
    }

    /** Reads a tenant's model configuration file; empty when the tenant has none. */
    public static Optional<ModelConfig> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Object loaded;
        try {
            loaded = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file,
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, file + " must hold keys such as base-url: and model:");
        }
        Map<String, String> values = new LinkedHashMap<>();
        map.forEach((k, v) -> values.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return Optional.of(parse(values, file.toString()));
    }

    /**
     * Reads a configuration from its keys.
     *
     * @param origin where the values come from, named in errors
     * @throws VigilException naming the key, its value and the fix
     */
    public static ModelConfig parse(Map<String, String> values, String origin) {
        for (String key : values.keySet()) {
            if (!KEYS.containsKey(key)) {
                String nearest = KEYS.keySet().stream()
                        .min(Comparator.comparingInt(k -> EditDistance.ignoringCase(k, key))).orElseThrow();
                throw new VigilException(ErrorCode.CONFIG_UNKNOWN_KEY, origin + ": unknown key '" + key
                        + "'; did you mean '" + nearest + "'? Keys: " + String.join(", ", KEYS.keySet()));
            }
        }
        UnaryOperator<String> get = key -> values.getOrDefault(key, "").strip();
        try {
            Provider provider = get.apply("provider").isEmpty() ? Provider.OPENAI : Provider.parse(get.apply("provider"));
            URI baseUrl = baseUrl(get.apply("base-url"));
            String model = get.apply("model");
            if (model.isEmpty()) {
                throw new IllegalArgumentException("model: is required (the model name, or the Azure deployment)");
            }
            String keyVariable = get.apply("api-key-env");
            if (!keyVariable.isEmpty() && !keyVariable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("api-key-env: names the environment variable that holds the key"
                        + " (such as OPENAI_API_KEY), not the key itself; put the key in that variable");
            }
            Duration timeout = get.apply("timeout").isEmpty() ? Duration.ofSeconds(30) : duration(get.apply("timeout"));
            ModelPolicy policy = get.apply("policy").isEmpty() ? ModelPolicy.LOCAL_ONLY
                    : ModelPolicy.parse(get.apply("policy"));
            String apiVersion = get.apply("api-version");
            return new ModelConfig(provider, baseUrl, model, Optional.of(keyVariable).filter(s -> !s.isEmpty()),
                    timeout, policy, Optional.of(apiVersion).filter(s -> !s.isEmpty()));
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, origin + ": " + e.getMessage());
        }
    }

    /** The API key, read from the environment variable named; empty when none is named. */
    public Optional<String> apiKey(UnaryOperator<String> environment) {
        if (apiKeyEnvironmentVariable.isEmpty()) {
            return Optional.empty();
        }
        String value = environment.apply(apiKeyEnvironmentVariable.get());
        if (value == null || value.isBlank()) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "the environment variable "
                    + apiKeyEnvironmentVariable.get() + " named by api-key-env is not set",
                    "Export it before running Vigil, or remove api-key-env for a server without keys.", null);
        }
        return Optional.of(value.strip());
    }

    private static URI baseUrl(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("base-url: is required, such as http://localhost:11434/v1");
        }
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("base-url: '" + text + "' is not an http or https URL with a host");
            }
            if (uri.getUserInfo() != null || uri.getQuery() != null) {
                throw new IllegalArgumentException("base-url: carries no user, password or query; put the key in the"
                        + " variable named by api-key-env");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("base-url: '" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})\\s*(ms|s|m)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("timeout: '" + text + "' is not a duration; write 500ms, 30s or 2m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
